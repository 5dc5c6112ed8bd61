"""One client's input never hurts another's request (issue 11, point 2), on SQLite and PostgreSQL.

Two layers: the edge refuses what cannot be stored before it is batched, and a batch whose write
fails anyway is handled again one submission at a time, so only the bad one fails."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearspace.protection.shield import Interaction, make_shield
from clearspace.service.batcher import Batcher
from clearspace.service.core import Service
from clearspace.service.events import Event


def _unstorable_event(event_id: str) -> Event:
    """An event that got past the checks (as before the edge checked nesting) and fails at the write:
    orjson cannot write JSON nested 300 levels deep."""
    deep: Any = 1
    for _ in range(300):
        deep = [deep]
    return Event(id=event_id, type="post", text="x", context={"id": event_id, "type": "post", "extra": deep})


def test_a_bad_submission_in_an_ingest_batch_fails_alone(service: Service) -> None:
    batcher: Batcher[Event, dict[str, Any]] = Batcher(service.ingest.checked, name="ingest")
    good = [service.ingest.check([{"id": f"a{i}", "text": "hello", "author": "alice"} for i in range(3)]),
            service.ingest.check({"id": "b0", "text": "你就是个傻逼", "author": "bob"})]
    futures = [batcher.submit(good[0], autostart=False), batcher.submit([_unstorable_event("bad")], autostart=False),
               batcher.submit(good[1], autostart=False)]
    batcher.start()
    try:
        assert [a["id"] for a in futures[0].result(timeout=30)] == ["a0", "a1", "a2"]
        assert futures[2].result(timeout=30)[0]["id"] == "b0"
        with pytest.raises(Exception):  # noqa: B017 - whatever the store raised, it reached only this request
            futures[1].result(timeout=30)
    finally:
        batcher.stop()
    assert all(service.ingest.has_event(e) for e in ("a0", "a1", "a2", "b0"))
    assert not service.ingest.has_event("bad")


def test_a_bad_held_row_in_a_write_batch_fails_alone(service: Service) -> None:
    service.protection.activate(make_shield("victim", now=service.protection.epoch(), days=2), "victim")
    it = Interaction("stranger", "dm", False, False, None, None)
    verdict = service.protection.verdict("victim", it)
    assert verdict.action == "hold"
    rows = [service.protection.held_row("victim", it, verdict, item_id=f"m{i}", text="hi") for i in range(4)]
    clash = {**rows[0]}  # the same held_id again: the write fails (primary key) on every backend
    holds: Batcher[Any, str] = Batcher(service.protection.store_held, name="held")
    futures = [holds.submit([rows[0]], autostart=False), holds.submit([rows[1]], autostart=False),
               holds.submit([clash], autostart=False), holds.submit(rows[2:], autostart=False)]
    holds.start()
    try:
        assert futures[0].result(timeout=30) == [rows[0]["id"]]
        assert futures[1].result(timeout=30) == [rows[1]["id"]]
        assert futures[3].result(timeout=30) == [rows[2]["id"], rows[3]["id"]]
        with pytest.raises(Exception):  # noqa: B017 - only the clashing row's request fails
            futures[2].result(timeout=30)
    finally:
        holds.stop()
    assert sorted(h["id"] for h in service.protection.held_folder("victim")) == ["m0", "m1", "m2", "m3"]


HOSTILE: list[tuple[str, Any]] = [
    ("/v1/events", {"id": "h1", "text": "x", "extra": {"k\x00": 1}}),
    ("/v1/events", [{"id": "h2", "text": "ok"}, {"id": "h3", "text": "x\x00"}]),
    ("/v1/events", {"id": "h4", "text": "x", "ts": "0614-08-12T08:58:16Z"}),
    ("/v1/events", {"id": "h5", "text": "x", "ts": "0001-01-01T00:00:00+14:00"}),
    ("/v1/events", {"id": "h6", "text": "x", "n": 2**64 - 1}),
    ("/v1/shield/check", {"account": "victim", "author": "x", "surface": "dm", "text": "a\x00b"}),
    ("/v1/shield/check", {"account": "victim", "author": "x", "surface": "dm", "item_id": "i\x00"}),
]


def test_hostile_requests_beside_good_ones_from_another_client(service: Service, client: TestClient,
                                                               h: dict[str, dict[str, str]]) -> None:
    """Client ``other`` sends hostile requests while ``ingest`` sends good ones, concurrently: every good
    one is answered 200 and stored, every hostile one 4xx, none 5xx."""
    service.protection.activate(make_shield("victim", now=service.protection.epoch(), days=2), "victim")
    good_status: list[int] = []
    bad_status: list[int] = []

    def good(worker: int) -> None:
        for i in range(15):
            r = client.post("/v1/events", json={"id": f"g{worker}-{i}", "text": "hello", "target_user": "t"},
                            headers=h["ingest"])
            good_status.append(r.status_code)
            r = client.post("/v1/shield/check", json={"account": "victim", "author": f"s{worker}", "surface": "dm",
                                                      "item_id": f"d{worker}-{i}", "text": "hi"}, headers=h["ingest"])
            good_status.append(r.status_code)

    def hostile() -> None:
        for _ in range(4):
            for path, body in HOSTILE:
                bad_status.append(client.post(path, json=body, headers=h["other"]).status_code)

    threads = [threading.Thread(target=good, args=(w,)) for w in range(4)] + [threading.Thread(target=hostile)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert good_status == [200] * 120
    assert set(bad_status) <= {400, 413, 422} and len(bad_status) == 4 * len(HOSTILE)
    assert all(service.ingest.has_event(f"g{w}-{i}") for w in range(4) for i in range(15))
    assert not any(service.ingest.has_event(f"h{i}") for i in range(1, 7))
    client.get("/v1/shield/victim/held", headers=h["admin"])  # waits until answered holds are committed
    held = {x["id"] for x in service.protection.held_folder("victim")}
    assert held == {f"d{w}-{i}" for w in range(4) for i in range(15)}
