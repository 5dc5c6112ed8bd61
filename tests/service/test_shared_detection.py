"""Shared pile-on detection (``pileon_mode = "shared"``): two services over one database stand for two
worker processes; only the holder of the detector's lease (migration 9) detects, over the stored
events of both, and a failover continues the same incident. Every backend."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.service.clock import ManualClock, iso
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.service.leases import RENEWED, TAKEN, Grant, Lease
from clearspace.service.pileon_shared import LEASE_NAME, SharedDetection, Tail, idle
from clearspace.service.settings import Settings
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import Store, open_store
from clearspace.store.schema import KEYS, LATEST

HOSTILE = "你就是个傻逼"


def worker(store_url: str, clock: ManualClock, tmp_path: Path, n: int, **settings: Any) -> Service:
    """One worker process: its own connection to the shared database, its own ids."""
    options: dict[str, Any] = {"evidence_key": str(tmp_path / "evidence.pem"), "pileon_mode": "shared", **settings}
    return Service(open_store(store_url), engine=KeywordEngine(), clock=clock, ids=IdFactory(counter_token(n * 10**6)),
                   settings=Settings(**options))


@pytest.fixture
def pair(store_url: str, clock: ManualClock, tmp_path: Path) -> Iterator[tuple[Service, Service]]:
    a, b = worker(store_url, clock, tmp_path, 1), worker(store_url, clock, tmp_path, 2)
    yield a, b
    a.store.close()
    b.store.close()


def send(service: Service, clock: ManualClock, author: str, target: str = "victim", step: float = 30.0,
         text: str = HOSTILE) -> None:
    clock.advance(seconds=step)
    event_id = f"{target}-{author}-{clock().timestamp()}"
    service.ingest.events({"id": event_id, "type": "reply", "author": author, "target_user": target, "text": text})


def tick(*services: Service) -> list[dict[str, Any]]:
    """One tick of each worker, in this order (the holder first, as its ticks keep its lease)."""
    return [s.protection.pileon_tick() for s in services]


def split(pair: tuple[Service, Service], clock: ManualClock, authors: list[str], *, ticking: bool = True) -> None:
    """One hostile event per author, ingested by the workers in turn; both tick after each."""
    for i, author in enumerate(authors):
        send(pair[i % 2], clock, author)
        if ticking:
            tick(*pair)


def recorded(service: Service, target: str = "victim") -> tuple[int, int, int]:
    """Incidents, review cases and risk prompts stored (for ``target``)."""
    cases = service.cases.queue(lane="pileon", status="open") + service.cases.queue(lane="minors", status="open")
    return len(service.protection.incidents(target=target)), len(cases), len(service.protection.prompts(target))


def lease_row(service: Service) -> dict[str, Any]:
    with service.store.read() as tx:
        row = tx.get("leases", LEASE_NAME)
    assert row is not None
    return row


def audit_kinds(service: Service) -> list[str]:
    return [r["kind"] for r in service.admin.export_audit()]


# ---------------------------------------------------------------------------------------- the lease
def test_migration_9_adds_the_leases_table(store: Store) -> None:
    assert LATEST >= 9 and store.schema_version() == LATEST and KEYS["leases"] == "name"
    with store.read() as tx:
        assert tx.select("leases") == []


def test_one_holder_at_a_time_until_the_lease_expires(store: Store, clock: ManualClock) -> None:
    first, second = Lease(store, "job", "host:1:aa", 10.0), Lease(store, "job", "host:2:bb", 10.0)
    assert first.acquire(clock()) == Grant(TAKEN, None)
    assert second.acquire(clock()) is None
    clock.advance(seconds=9)
    assert first.acquire(clock()) == Grant(RENEWED, iso(clock() + timedelta(seconds=1)))  # lasts 10 s from now
    clock.advance(seconds=9)
    assert second.acquire(clock()) is None
    clock.advance(seconds=2)  # expired
    expired = iso(clock() - timedelta(seconds=1))
    assert second.acquire(clock()) == Grant(TAKEN, expired)
    assert first.acquire(clock()) is None
    with store.transaction() as tx:
        assert first.renew(tx, clock()) is False  # the old holder cannot write behind the new one's back
        assert second.renew(tx, clock()) is True
    with store.read() as tx:
        row = tx.get("leases", "job")
    assert row == {"name": "job", "holder": "host:2:bb", "expires_at": iso(clock() + timedelta(seconds=10))}
    second.release(clock())
    assert first.acquire(clock()) == Grant(TAKEN, iso(clock()))  # released: taken at once
    clock.advance(seconds=60)
    grant = first.acquire(clock())
    assert grant is not None and grant.outcome == RENEWED  # expired, but nobody took it: still its holder's


# ---------------------------------------------------------------------------------------- detection
def test_shared_mode_ingest_feeds_no_detector(pair: tuple[Service, Service], clock: ManualClock) -> None:
    a, b = pair
    assert a.pileons is None and b.pileons is None
    assert a.shared_pileons is not None and b.shared_pileons is not None
    assert a.shared_pileons.lease.holder != b.shared_pileons.lease.holder
    split(pair, clock, [f"a{i}" for i in range(6)], ticking=False)
    assert a.protection.incidents() == [] and a.protection.close_quiet_incidents() == 0


def test_local_mode_misses_a_pile_on_split_over_two_workers(store_url: str, clock: ManualClock,
                                                            tmp_path: Path) -> None:
    """The limit shared mode lifts: each local detector sees only its own half of the events."""
    pair = (worker(store_url, clock, tmp_path, 1, pileon_mode="local"),
            worker(store_url, clock, tmp_path, 2, pileon_mode="local"))
    try:
        assert pair[0].shared_pileons is None and pair[0].pileons is not None
        split(pair, clock, [f"a{i}" for i in range(6)], ticking=False)
        assert pair[0].protection.incidents() == []
        assert pair[0].protection.pileon_tick() == {"holder": False, "events": 0, "opened": 0, "updated": 0, "ended": 0}
    finally:
        for service in pair:
            service.store.close()


def test_only_the_lease_holder_records_a_pile_on_split_over_two_workers(pair: tuple[Service, Service],
                                                                        clock: ManualClock) -> None:
    a, b = pair
    a.admin.add_webhook("https://hooks.example/p", ["protection.risk_prompt"], "admin")
    first, second = tick(a, b)
    assert first["holder"] is True and second == {"holder": False, "events": 0, "opened": 0, "updated": 0,
                                                  "ended": 0}
    split(pair, clock, ["a0", "a1", "a2", "a3"])
    send(a, clock, "a4", step=2)
    assert a.protection.incidents() == []  # found at the holder's next tick, not at ingest
    assert b.protection.pileon_tick()["holder"] is False  # the other worker does nothing
    assert a.protection.incidents() == []
    found = a.protection.pileon_tick()
    assert found["holder"] is True and found["events"] == 1 and found["opened"] == 1
    [incident] = a.protection.incidents()
    detail = a.protection.incident(incident["id"])
    assert [p["account"] for p in detail["participants"]] == ["a0", "a1", "a2", "a3", "a4"]
    assert incident["hostile_events"] == 5 and incident["source"] == "live"
    assert recorded(a) == (1, 1, 1)
    [prompt] = b.protection.prompts("victim")
    assert prompt["incident_id"] == incident["id"]
    with a.store.read() as tx:
        assert [m["topic"] for m in tx.select("outbox")] == ["protection.risk_prompt"]

    # ticks read the last seconds again (the re-read window): nothing is counted twice
    assert [r["events"] for r in tick(a, a, b)] == [0, 0, 0]
    split(pair, clock, ["a5", "a1"])
    [grown] = b.protection.incidents()
    assert grown["id"] == incident["id"] and grown["participant_count"] == 6 and grown["hostile_events"] == 7
    assert recorded(b) == (1, 1, 1)
    assert audit_kinds(a).count("incident.detected") == 1 and a.admin.verify_audit().ok


def test_failover_continues_the_same_incident(pair: tuple[Service, Service], clock: ManualClock) -> None:
    a, b = pair
    tick(a, b)
    split(pair, clock, [f"a{i}" for i in range(5)])
    [incident] = a.protection.incidents()
    assert a.shared_pileons is not None and b.shared_pileons is not None
    assert a.shared_pileons.takeovers == 1 and b.shared_pileons.takeovers == 0

    # the holder stops (crash, hang): the other worker waits for the lease to expire ...
    clock.advance(seconds=5)
    assert b.protection.pileon_tick()["holder"] is False
    send(b, clock, "a5", step=4)  # ingested while nobody detects
    assert b.protection.pileon_tick()["holder"] is False and a.protection.incidents()[0]["participant_count"] == 5
    clock.advance(seconds=2)
    # ... then takes over: rebuilt from the store, it detects again over the events the old holder
    # may have missed (received since its last renewal, less a tick and the re-read window)
    took = b.protection.pileon_tick()
    assert took == {"holder": True, "events": 2, "opened": 0, "updated": 1, "ended": 0}
    assert b.shared_pileons.takeovers == 1
    assert b.shared_pileons.live is not None and b.shared_pileons.live.rebuilt_events == 4
    [same] = b.protection.incidents()
    assert same["id"] == incident["id"] and same["participant_count"] == 6 and same["hostile_events"] == 6
    send(a, clock, "a6", step=0.5)  # the old holder's process still ingests
    send(b, clock, "a7", step=0.5)
    assert b.protection.pileon_tick()["updated"] == 1
    [same] = b.protection.incidents()
    assert same["id"] == incident["id"] and same["participant_count"] == 8 and same["hostile_events"] == 8
    assert same["case_id"] == incident["case_id"] and recorded(b) == (1, 1, 1)
    assert audit_kinds(b).count("incident.detected") == 1 and audit_kinds(b).count("protection.risk_prompt") == 1

    # the old holder comes back: it does not detect (and dropped its detector)
    assert a.protection.pileon_tick()["holder"] is False and a.shared_pileons.live is None
    send(a, clock, "a8", step=0.5)
    tick(b, a)
    assert b.protection.incidents()[0]["participant_count"] == 9 and recorded(a) == (1, 1, 1)


def test_a_pile_on_that_became_one_while_nobody_detected_is_recorded_at_takeover(
        pair: tuple[Service, Service], clock: ManualClock) -> None:
    a, b = pair
    tick(a, b)
    split(pair, clock, ["a0", "a1", "a2", "a3"])  # not yet an incident
    send(b, clock, "a4", step=3)  # the event that makes it one arrives after the holder's last tick
    assert a.protection.incidents() == []
    clock.advance(seconds=8)
    assert b.protection.pileon_tick()["opened"] == 1  # the old holder's lease expired: taken over, found at once
    [incident] = b.protection.incidents()
    assert incident["participant_count"] == 5 and recorded(b) == (1, 1, 1)
    assert a.protection.pileon_tick()["holder"] is False and recorded(a) == (1, 1, 1)


def test_a_holder_that_lost_the_lease_during_its_tick_writes_nothing(pair: tuple[Service, Service],
                                                                     clock: ManualClock,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = pair
    tick(a, b)
    split(pair, clock, ["a0", "a1", "a2", "a3"])
    send(b, clock, "a4", step=2)
    shared = a.shared_pileons
    assert shared is not None and shared.tail is not None
    read = shared.tail.read

    def stalled_read(store: Store, wall: float) -> Any:
        clock.advance(seconds=11)  # the holder hangs past its lease: the other worker takes over
        assert b.protection.pileon_tick()["opened"] == 1
        return read(store, wall)

    monkeypatch.setattr(shared.tail, "read", stalled_read)
    assert a.protection.pileon_tick()["holder"] is False  # found the same pile-on, but wrote nothing
    assert shared.live is None and recorded(a) == (1, 1, 1)
    assert audit_kinds(a).count("incident.detected") == 1


def test_a_long_rebuild_renews_the_lease_and_stops_when_it_is_lost(pair: tuple[Service, Service],
                                                                   clock: ManualClock,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = pair
    tick(a, b)
    split(pair, clock, [f"a{i}" for i in range(5)])
    clock.advance(seconds=30)  # the holder stopped; b takes over and replays slowly
    shared = b.shared_pileons
    assert shared is not None
    renewals: list[str] = []
    renew = shared.lease.renew

    def counted(tx: Any, now: datetime) -> bool:
        renewals.append(iso(now))
        return renew(tx, now)

    def slow() -> datetime:
        return clock.advance(seconds=0.02)  # each look at the clock: 20 ms later

    monkeypatch.setattr(shared.lease, "renew", counted)
    monkeypatch.setattr(shared, "clock", slow)
    assert b.protection.pileon_tick()["holder"] is True
    assert len(renewals) >= 20  # 24 hours replayed a minute at a time: renewed about every second
    assert lease_row(b) == {"name": LEASE_NAME, "holder": shared.lease.holder,
                            "expires_at": iso(datetime.fromisoformat(renewals[-1]) + timedelta(seconds=10))}

    # another process takes the lease during the next rebuild: the rebuild stops, nothing is written
    clock.advance(seconds=60)
    calls = [0]

    def thief() -> datetime:
        calls[0] += 1
        if calls[0] == 200:
            with a.store.transaction() as tx:
                tx.update("leases", {"name": LEASE_NAME}, {"holder": "thief"})
        return clock.advance(seconds=0.02)

    monkeypatch.setattr(shared, "clock", thief)
    with b.store.transaction() as tx:
        tx.update("leases", {"name": LEASE_NAME}, {"holder": "someone"})  # b must take it over again
    clock.advance(seconds=11)
    assert b.protection.pileon_tick()["holder"] is False and shared.live is None and calls[0] > 200
    assert lease_row(b)["holder"] == "thief"


@pytest.mark.parametrize(("reread_s", "found"), [(5.0, 1), (0.0, 0)])
def test_an_event_committed_late_with_an_earlier_receipt_time_is_counted(
        store_url: str, clock: ManualClock, tmp_path: Path, reread_s: float, found: int) -> None:
    a, b = (worker(store_url, clock, tmp_path, n, pileon_reread_seconds=reread_s) for n in (1, 2))
    try:
        tick(a, b)
        split((a, b), clock, ["a0", "a1", "a2", "a3"])  # the holder's cursor is at the last of these
        clock.advance(seconds=-3)  # b's ingest transaction began 3 s ago and commits only now
        send(b, clock, "a4", step=0)
        clock.advance(seconds=3)
        tick(a, b)
        assert len(a.protection.incidents()) == found  # within the re-read window: counted; without one: lost
        if found:
            assert a.protection.incidents()[0]["participant_count"] == 5
    finally:
        a.store.close()
        b.store.close()


def test_the_holder_ends_quiet_incidents(pair: tuple[Service, Service], clock: ManualClock) -> None:
    a, b = pair
    tick(a, b)
    split(pair, clock, [f"a{i}" for i in range(5)])
    clock.advance(hours=2)
    # not the periodic job's work
    assert b.protection.close_quiet_incidents() == 0 and a.protection.close_quiet_incidents() == 0
    assert tick(a, b) == [{"holder": True, "events": 0, "opened": 0, "updated": 0, "ended": 1}, idle()]
    [ended] = a.protection.incidents()
    assert ended["status"] == "ended" and audit_kinds(a).count("incident.ended") == 1


def test_a_new_holder_ends_the_incidents_that_went_quiet_meanwhile(pair: tuple[Service, Service],
                                                                   clock: ManualClock) -> None:
    a, b = pair
    tick(a, b)
    split(pair, clock, [f"a{i}" for i in range(5)])
    clock.advance(hours=2)
    assert tick(b, a) == [{"holder": True, "events": 0, "opened": 0, "updated": 0, "ended": 1}, idle()]
    [ended] = b.protection.incidents()
    assert ended["status"] == "ended" and recorded(b)[0] == 1


# ---------------------------------------------------------------------------------------- the tail
def rows(start: int, stop: int, base: datetime) -> list[dict[str, Any]]:
    return [{"id": f"e{i}", "received_at": iso(base + timedelta(seconds=i))} for i in range(start, stop)]


def test_the_tail_remembers_only_the_ids_of_its_re_read_window() -> None:
    base = datetime(2026, 3, 1, tzinfo=UTC)
    tail = Tail(5.0, base.timestamp(), base.timestamp() + 10_000)
    for start in range(0, 10_000, 100):
        assert len(tail.fresh(rows(start, start + 100, base))) == 100
        assert len(tail) <= 106
    assert tail.fresh(rows(9_994, 10_000, base)) == []  # inside the window: read before
    assert tail.cursor == base.timestamp() + 9_999
    late = {"id": "late", "received_at": iso(base + timedelta(seconds=9_996))}
    assert tail.fresh([late]) == [late] and tail.fresh([late]) == []


def test_the_tail_cursor_never_passes_the_holders_clock() -> None:
    base = datetime(2026, 3, 1, tzinfo=UTC)
    tail = Tail(5.0, base.timestamp(), base.timestamp() + 10)
    tail.fresh(rows(0, 3, base) + rows(3600, 3601, base))  # a host whose clock runs an hour ahead
    assert tail.cursor == base.timestamp() + 10


# ---------------------------------------------------------------------------------------- the app
def test_the_app_runs_the_tick_in_shared_mode_and_gives_the_lease_up(store_url: str, clock: ManualClock,
                                                                     tmp_path: Path) -> None:
    service = worker(store_url, clock, tmp_path, 1, pileon_tick_seconds=0.05)
    try:
        assert isinstance(service.shared_pileons, SharedDetection)
        with TestClient(create_app(service, console=False)):
            for i in range(5):
                send(service, clock, f"a{i}")
            deadline = datetime.now(UTC) + timedelta(seconds=20)
            while not service.protection.incidents() and datetime.now(UTC) < deadline:
                time.sleep(0.02)
            assert len(service.protection.incidents()) == 1
        assert lease_row(service) == {"name": LEASE_NAME, "holder": service.shared_pileons.lease.holder,
                                      "expires_at": iso(clock())}  # released on shutdown
    finally:
        service.store.close()
