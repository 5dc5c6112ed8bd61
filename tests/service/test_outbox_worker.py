from __future__ import annotations

import threading

from clearspace.service.webhooks import OutboxWorker, backoff, sign, verify_signature


def test_worker_ticks_until_stopped_and_survives_errors() -> None:
    ticks: list[int] = []
    done = threading.Event()

    def tick() -> None:
        ticks.append(1)
        if len(ticks) == 1:
            raise RuntimeError("transient")
        if len(ticks) >= 3:
            done.set()

    worker = OutboxWorker(tick, interval=0.01).start()
    assert done.wait(5)
    worker.stop()
    assert len(ticks) >= 3


def test_backoff_and_signature_format() -> None:
    assert [backoff(a) for a in (1, 2, 3, 20)] == [2.0, 4.0, 8.0, 3600.0]
    header = sign("k", b"{}", 1700000000)
    assert header.startswith("t=1700000000,v1=") and verify_signature("k", b"{}", header)
    assert not verify_signature("k", b"{}", "garbage")
