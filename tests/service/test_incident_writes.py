"""An open incident's row is rewritten at most every ``pileon_write_seconds`` as it grows (issue 11, point
10): before, every batch that touched a big pile-on rewrote its whole participant list, so ingest slowed
down as incidents grew. Reads of incidents write what waits first, so they never see it late."""

from __future__ import annotations

from pathlib import Path

from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.service.settings import Settings
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store

HOSTILE = "你就是个傻逼"


def _service(tmp_path: Path, clock: ManualClock, write_s: float) -> Service:
    return Service(open_store(tmp_path / "w.db"), engine=KeywordEngine(), clock=clock, ids=IdFactory(counter_token()),
                   settings=Settings(pileon_write_seconds=write_s))


def _send(service: Service, clock: ManualClock, n: int, author: str) -> None:
    clock.advance(seconds=1)
    service.ingest.events({"id": f"e{n}", "type": "reply", "author": author, "target_user": "victim", "text": HOSTILE})


def _stored(service: Service) -> list[int]:
    with service.store.read() as tx:  # the row as written, without the flush a read through the service does
        return [r["hostile_events"] for r in tx.select("incidents")]


def test_growth_waits_for_the_interval_and_a_read_writes_it(tmp_path: Path, clock: ManualClock) -> None:
    service = _service(tmp_path, clock, write_s=60.0)
    for n in range(8):
        _send(service, clock, n, f"a{n}")
    opened = _stored(service)
    assert len(opened) == 1 and opened[0] < 8  # written when it opened; what came after it waits
    for n in range(8, 12):  # four more within the minute: they wait too
        _send(service, clock, n, f"a{n}")
    assert _stored(service) == opened
    listed = service.protection.incidents()  # a read writes what waits first
    assert [i["hostile_events"] for i in listed] == [12] == _stored(service)
    _send(service, clock, 12, "a12")
    assert _stored(service) == [12]
    clock.advance(seconds=60)
    _send(service, clock, 13, "a13")  # the next batch after the interval writes it
    assert _stored(service) == [14]
    assert service.protection.incident(listed[0]["id"])["participant_count"] == 14  # a0 ... a13


def test_with_no_interval_every_batch_writes(tmp_path: Path, clock: ManualClock) -> None:
    service = _service(tmp_path, clock, write_s=0.0)
    for n in range(12):
        _send(service, clock, n, f"a{n}")
    first = _stored(service)
    _send(service, clock, 12, "a12")
    assert _stored(service) == [first[0] + 1]
