"""Bus mode end to end: serve publishes, a worker decides (real NATS JetStream and PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import orjson
import pytest
from bus_helpers import NATS_URL, automated_decisions, bus_service, running_worker, until
from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.bus.base import Outgoing
from clearspace.bus.jetstream import JetStreamBus
from clearspace.bus.names import Names
from clearspace.service.core import Service
from clearspace.service.partitions import partition_of

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def node(pg_url: str, bus_prefix: str) -> Service:
    return bus_service(pg_url, bus_prefix)


@pytest.fixture
def api(node: Service) -> Iterator[tuple[TestClient, dict[str, str]]]:
    key = node.admin.create_key("ingest")[1]
    with TestClient(create_app(node)) as client:
        yield client, {"Authorization": f"Bearer {key}"}


def test_published_events_are_decided_once_by_a_worker(api: tuple[TestClient, dict[str, str]], node: Service,
                                                        pg_url: str, bus_prefix: str) -> None:
    client, auth = api
    answer = client.post("/v1/events", json={"id": "e1", "text": "you idiot", "author": "a", "target_user": "t"},
                         headers=auth)
    assert answer.status_code == 202
    assert answer.json() == {"id": "e1", "status": "accepted",
                             "partition": partition_of("e1", {"target_user": "t"}, 4)}
    batch = client.post("/v1/events", json=[{"id": "e2", "text": "hello"}, {"id": "e3", "text": "nmsl"}],
                        headers=auth)
    assert batch.status_code == 202 and [r["id"] for r in batch.json()["results"]] == ["e2", "e3"]
    assert not node.ingest.has_event("e1")  # the node decides nothing itself
    with running_worker(bus_service(pg_url, bus_prefix)):
        until(lambda: all(node.ingest.has_event(i) for i in ("e1", "e2", "e3")), what="the decisions")
        waited = client.post("/v1/events?wait=10000", json={"id": "e4", "text": "you idiot", "author": "b"},
                             headers=auth)
        assert waited.status_code == 200
        assert waited.json()["action"] == node.ingest.event("e4")["decisions"][0]["action"] != "allow"
        again = client.post("/v1/events?wait=2000", json={"id": "e1", "text": "you idiot", "author": "a",
                                                          "target_user": "t"}, headers=auth)
        assert again.status_code == 200 and again.json()["duplicate"] is True
    assert [automated_decisions(node, i) for i in ("e1", "e2", "e3", "e4")] == [1, 1, 1, 1]
    assert node.admin.verify_audit().ok


def test_a_republished_id_and_a_redelivered_message_make_no_second_decision(node: Service, pg_url: str,
                                                                            bus_prefix: str) -> None:
    bus = JetStreamBus(NATS_URL, Names(bus_prefix), 4)
    event = {"id": "r1", "text": "you idiot", "author": "a"}
    p = partition_of("r1", event, 4)

    async def publish() -> list[bool]:
        await bus.open()
        stored = await bus.publish([Outgoing("r1", p, orjson.dumps(event))] * 2, 2.0)
        return [s.duplicate for s in stored]

    loop = asyncio.new_event_loop()
    assert sorted(loop.run_until_complete(publish())) == [False, True]  # JetStream kept one
    with running_worker(bus_service(pg_url, bus_prefix)) as worker:
        until(lambda: node.ingest.has_event("r1"), what="the decision")
        until(lambda: worker.stats.batches >= 1)
    # the same id again after the duplicate window (here: under another message id): stored once, decided once
    loop.run_until_complete(bus.publish([Outgoing("r1-again", p, orjson.dumps(event))], 2.0))
    with running_worker(bus_service(pg_url, bus_prefix)) as worker:
        until(lambda: worker.stats.batches >= 1, what="the redelivery")
    loop.run_until_complete(bus.close())
    assert automated_decisions(node, "r1") == 1
    assert node.admin.verify_audit().ok


def test_bad_input_is_refused_as_in_embedded_mode_before_anything_is_published(
        api: tuple[TestClient, dict[str, str]], tmp_path: object) -> None:
    from clearspace.service.stub_engine import KeywordEngine
    from clearspace.store import open_store

    embedded = Service(open_store(str(tmp_path) + "/e.db"), engine=KeywordEngine())
    ekey = embedded.admin.create_key("ingest")[1]
    client, auth = api
    bodies: list[bytes] = [b"", b"[]", b"{", b'{"id": [1], "text": "x"}', b'{"id": "x"}', b'{"id": "x", "text": 5}',
                           b'{"id": "a\\u0000", "text": "x"}', b'\xff\xfe',
                           b'{"id": "x", "text": "x", "author_follows_target": "no"}',
                           orjson.dumps({"id": "x", "text": "a" * 30_000}),
                           orjson.dumps([{"id": str(i), "text": "x"} for i in range(1001)])]
    with TestClient(create_app(embedded)) as other:
        for body in bodies:
            bus_answer = client.post("/v1/events", content=body, headers=auth)
            embedded_answer = other.post("/v1/events", content=body, headers={"Authorization": f"Bearer {ekey}"})
            assert 400 <= bus_answer.status_code < 500, body[:60]
            assert (bus_answer.status_code, bus_answer.json()) == (embedded_answer.status_code, embedded_answer.json())
        assert client.post("/v1/events?wait=abc", json={"id": "w", "text": "x"}, headers=auth).status_code == 400
    status = client.app.state.bus_node.loop.run(client.app.state.bus_node.bus.info())
    assert status.stored == 0  # nothing was published


def test_nats_down_answers_503_with_retry_after(pg_url: str, bus_prefix: str) -> None:
    service = bus_service(pg_url, bus_prefix, bus_url="nats://127.0.0.1:1")
    key = service.admin.create_key("ingest")[1]
    with TestClient(create_app(service)) as client:
        for path in ("/v1/events", "/v1/events?wait=100"):
            answer = client.post(path, json={"id": "d1", "text": "hello"}, headers={"Authorization": f"Bearer {key}"})
            assert answer.status_code == 503 and int(answer.headers["Retry-After"]) >= 1
            assert "NATS" in answer.json()["error"]["message"]
    assert not service.ingest.has_event("d1")
