from __future__ import annotations

import pytest

from clearspace.service.batcher import Batcher


def test_merges_submissions_and_splits_results() -> None:
    calls: list[int] = []

    def handle(items: list[int]) -> list[int]:
        calls.append(len(items))
        return [i * 2 for i in items]

    batcher: Batcher[int, int] = Batcher(handle, max_items=100)
    futures = [batcher.submit([i, i + 1], autostart=False) for i in range(0, 20, 2)]  # queued before the thread starts
    batcher.start()
    assert [f.result(timeout=5) for f in futures] == [[i * 2, i * 2 + 2] for i in range(0, 20, 2)]
    assert sum(calls) == 20 and len(calls) < 10
    batcher.stop()


def test_errors_reach_every_waiting_request() -> None:
    def handle(items: list[int]) -> list[int]:
        raise RuntimeError("disk full")

    batcher: Batcher[int, int] = Batcher(handle).start()
    with pytest.raises(RuntimeError, match="disk full"):
        batcher.submit([1]).result(timeout=5)
    batcher.stop()
