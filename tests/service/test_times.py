"""Times at the edge (issue 11, point 1): only 1970..2200 is accepted, every stored time has a fixed
width, and a stored row that cannot be read never stops the service from starting."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from clearspace.errors import InputError
from clearspace.protection.events import parse_ts
from clearspace.service import incidents
from clearspace.service.clock import ManualClock, iso, parse_time
from clearspace.service.core import Service
from clearspace.service.events import Event
from clearspace.service.ids import IdFactory, counter_token
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store

OUT_OF_RANGE = ["0614-08-12T08:58:16Z", -40000000000, "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
                "1969-12-31T23:59:59Z", "2200-01-01T00:00:00Z", 1e20, float("nan"), float("inf"), -1]


def test_iso_has_a_fixed_width_for_every_year() -> None:
    assert iso(datetime(614, 8, 12, 8, 58, 16, tzinfo=UTC)) == "0614-08-12T08:58:16.000000Z"
    assert iso(datetime(1, 1, 1, tzinfo=UTC)) == "0001-01-01T00:00:00.000000Z"
    assert iso(datetime(2026, 3, 1, 12, 0, 0, 5, tzinfo=UTC)) == "2026-03-01T12:00:00.000005Z"
    assert {len(iso(datetime(y, 12, 31, tzinfo=UTC))) for y in (1, 99, 999, 1000, 9999)} == {27}


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_times_out_of_range_are_input_errors(value: object) -> None:
    with pytest.raises(InputError, match="1970-01-01 and 2200-01-01"):
        parse_time(value, "ts")
    with pytest.raises(InputError):
        parse_ts(value, "ts")


@pytest.mark.parametrize(("value", "expected"), [
    ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000000Z"), (0, "1970-01-01T00:00:00.000000Z"),
    ("2026-03-01T20:00:00+08:00", "2026-03-01T12:00:00.000000Z"), ("2026-03-01", "2026-03-01T00:00:00.000000Z"),
    ("2199-12-31T23:59:59.999999+00:00", "2199-12-31T23:59:59.999999Z"), (1772366400.5, "2026-03-01T12:00:00.500000Z"),
    ("1970-01-01T08:00:00+08:00", "1970-01-01T00:00:00.000000Z"),
])
def test_times_in_range_with_offsets_and_epochs(value: object, expected: str) -> None:
    assert iso(parse_time(value, "ts")) == expected
    assert parse_ts(value, "ts") == parse_time(value, "ts").timestamp()


def _service(db: str, clock: ManualClock, start: int = 0) -> Service:
    return Service(open_store(db), engine=KeywordEngine(), clock=clock, ids=IdFactory(counter_token(start)))


def test_start_up_skips_a_stored_event_it_cannot_read(store_url: str, clock: ManualClock,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    """A row stored by an older version (year 614, written unpadded) is logged and skipped; the
    service starts, and the other stored events are replayed into the pile-on detector."""
    first = _service(store_url, clock)
    first.ingest.events([{"id": f"e{i}", "text": "hi", "target_user": "t", "author": f"a{i}"} for i in range(3)])
    with first.store.transaction() as tx:
        for event_id, bad in (("e1", "614-08-12T08:58:16.000000Z"), ("e2", "garbage")):
            row = tx.get("events", event_id)
            assert row is not None
            tx.update("events", {"id": event_id}, {"context": {**row["context"], "ts": bad}})
    first.store.close()
    again = _service(store_url, clock, 1000)
    with caplog.at_level(logging.ERROR, logger="clearspace.incidents"):
        again.warm_up()
    assert again.pileons is not None and again.pileons.ready and again.pileons.rebuilt_events == 1
    skipped = [r.getMessage() for r in caplog.records if "cannot be read" in r.getMessage()]
    assert len(skipped) == 2 and "'e1'" in skipped[0] and "614-08-12" in skipped[0]
    assert again.ingest.events({"id": "e3", "text": "hi"})[0]["action"] == "allow"
    again.store.close()


def test_one_unreadable_event_does_not_skip_detection_of_its_batch(caplog: pytest.LogCaptureFixture) -> None:
    good = [Event(id=f"g{i}", type="post", text="x", context={"id": f"g{i}", "author": f"a{i}",
                                                               "target_user": "t", "ts": iso(datetime.now(UTC))})
            for i in range(2)]
    bad = Event(id="bad", type="post", text="x", context={"id": "bad", "ts": "614-08-12T08:58:16.000000Z"})
    with caplog.at_level(logging.ERROR, logger="clearspace.incidents"):
        out = incidents.events_for_detector([good[0], bad, good[1]], {}, 1.0)
    assert [e.id for e in out] == ["g0", "g1"]
    assert any("'bad'" in r.getMessage() for r in caplog.records)
