"""Workers: lease takeover, fencing, poison messages and bus status (real NATS JetStream and PostgreSQL)."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import orjson
import pytest
from bus_helpers import NATS_URL, automated_decisions, bus_service, running_worker, until
from click.testing import CliRunner

from clearspace.bus.base import Outgoing
from clearspace.bus.jetstream import JetStreamBus
from clearspace.bus.names import Names
from clearspace.cli.main import cli
from clearspace.errors import Conflict
from clearspace.service import bus_offsets, bus_worker
from clearspace.service.partitions import partition_of

pytestmark = pytest.mark.timeout(180)


def publish(prefix: str, items: list[Outgoing], partitions: int = 4) -> None:
    async def send() -> None:
        bus = JetStreamBus(NATS_URL, Names(prefix), partitions)
        await bus.open()
        await bus.publish(items, 5.0)
        await bus.close()

    asyncio.run(send())


def events(prefix: str, ids: list[str]) -> list[Outgoing]:
    out = []
    for i in ids:
        text = "you idiot" if i.endswith("0") else "hello"
        event = {"id": i, "text": text, "author": f"a{i}", "target_user": f"t{i}"}
        out.append(Outgoing(i, partition_of(i, event, 4), orjson.dumps(event)))
    return out


def test_a_dead_workers_partitions_move_within_15_s_and_nothing_is_decided_twice(pg_url: str,
                                                                                 bus_prefix: str) -> None:
    node = bus_service(pg_url, bus_prefix)
    publish(bus_prefix, events(bus_prefix, [f"x{i}" for i in range(20)]))
    with running_worker(bus_service(pg_url, bus_prefix), holder="first") as first:
        until(lambda: first.stats.decided >= 20, what="the first worker's decisions")
        first.leases.release_all = lambda now: None  # it dies: its leases are never given back
    assert len(first.leases.owned) == 4
    died = time.monotonic()
    publish(bus_prefix, events(bus_prefix, [f"y{i}" for i in range(20)]))
    with running_worker(bus_service(pg_url, bus_prefix), holder="second") as second:
        until(lambda: len(second.leases.owned) == 4, timeout_s=15, what="the takeover")
        took = time.monotonic() - died
        until(lambda: all(node.ingest.has_event(f"y{i}") for i in range(20)), what="the decisions after takeover")
    assert took < 15
    for i in range(20):
        assert automated_decisions(node, f"x{i}") == automated_decisions(node, f"y{i}") == 1
    assert node.admin.verify_audit().ok


def test_two_workers_share_the_partitions(pg_url: str, bus_prefix: str) -> None:
    with running_worker(bus_service(pg_url, bus_prefix), holder="a") as a, \
            running_worker(bus_service(pg_url, bus_prefix), holder="b") as b:
        until(lambda: len(a.leases.owned) == len(b.leases.owned) == 2, what="a fair share")
        assert set(a.leases.owned).isdisjoint(b.leases.owned)


def test_one_worker_decides_its_partitions_side_by_side(pg_url: str, bus_prefix: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    node = bus_service(pg_url, bus_prefix)
    items = events(bus_prefix, [f"s{i}" for i in range(40)])
    stuck = items[0].partition
    held, others = [i for i in items if i.partition == stuck], [i for i in items if i.partition != stuck]
    entered, release = threading.Event(), threading.Event()
    decide = bus_worker.decide_batch

    def slow(service: Any, claim: Any, *args: Any, **kwargs: Any) -> Any:
        if claim.partition == stuck:
            entered.set()
            release.wait(30)  # one partition's batch waits (as for a slow database)
        return decide(service, claim, *args, **kwargs)

    monkeypatch.setattr(bus_worker, "decide_batch", slow)
    with running_worker(bus_service(pg_url, bus_prefix, bus_deciders=2)) as worker:
        publish(bus_prefix, held)
        assert entered.wait(20)
        publish(bus_prefix, others)
        until(lambda: all(node.ingest.has_event(i.event_id) for i in others), what="the other partitions' decisions")
        assert not any(node.ingest.has_event(i.event_id) for i in held)
        release.set()
        until(lambda: all(node.ingest.has_event(i.event_id) for i in held), what="the held partition's decisions")
        until(lambda: worker.stats.decided == len(items))
    assert all(automated_decisions(node, i.event_id) == 1 for i in items)
    assert worker.stats.pipeline_cpu_s > 0 and worker.stats.offsets_cpu_s > 0


def test_a_stale_token_commits_nothing(pg_url: str, bus_prefix: str) -> None:
    node = bus_service(pg_url, bus_prefix)
    with node.store.transaction() as tx:
        old = bus_offsets.claim(tx, bus_prefix, 0, "old", node.now())
    with node.store.transaction() as tx:
        new = bus_offsets.claim(tx, bus_prefix, 0, "new", node.now())
    assert new == old + 1
    with pytest.raises(Conflict), node.store.transaction() as tx:
        bus_offsets.commit(tx, bus_prefix, 0, old, 10, 1, node.now())
    with node.store.transaction() as tx:
        bus_offsets.commit(tx, bus_prefix, 0, new, 10, 1, node.now())
        assert bus_offsets.offsets(tx, bus_prefix)[0]["seq"] == 10


def test_a_poison_message_goes_to_the_dead_letters_and_does_not_block_its_partition(pg_url: str,
                                                                                   bus_prefix: str) -> None:
    node = bus_service(pg_url, bus_prefix)
    good = events(bus_prefix, ["g0", "g1", "g2"])
    p = good[0].partition
    publish(bus_prefix, [Outgoing("poison", p, b"{not json"), Outgoing("wrong", p, b'{"id": "w"}'), *good])
    with running_worker(bus_service(pg_url, bus_prefix, bus_max_deliver=2)) as worker:
        until(lambda: all(node.ingest.has_event(e.event_id) for e in good), what="the good events")
        until(lambda: worker.stats.dead == 2, what="the dead letters")
    found = node.admin.bus_status()
    assert found["dead_letters"] == 2 and found["pending"] == 0
    letters = {d["event_id"]: d for d in found["recent_dead_letters"]}
    # the worker counts the failed tries itself: JetStream's count also holds deliveries lost to pulls that
    # timed out just as the message came, so it may be higher on a loaded machine, never lower
    assert letters["poison"]["tries"] == 2 and letters["poison"]["deliveries"] >= 2
    assert "JSONDecodeError" in letters["poison"]["error"]
    assert worker.stats.retried == 2  # one retry of each poison message, then the dead letters
    assert "text" in letters["wrong"]["error"] and letters["wrong"]["partition"] == p
    result = CliRunner().invoke(cli, ["bus", "status", "--json", "--db", pg_url, "--bus", NATS_URL],
                                env={"CLEARSPACE_BUS_PREFIX": bus_prefix, "CLEARSPACE_BUS_PARTITIONS": "4"})
    assert result.exit_code == 0, result.output
    shown = orjson.loads(result.output)
    assert shown["pending"] == 0 and shown["dead_letters"] == 2
    assert sum(p["decided"] for p in shown["partitions"]) == 3


def test_bus_status_refuses_a_partition_count_that_does_not_match(pg_url: str, bus_prefix: str) -> None:
    publish(bus_prefix, events(bus_prefix, ["m1"]))
    result = CliRunner().invoke(cli, ["bus", "status", "--db", pg_url, "--bus", NATS_URL],
                                env={"CLEARSPACE_BUS_PREFIX": bus_prefix, "CLEARSPACE_BUS_PARTITIONS": "8"})
    assert result.exit_code != 0
    message = str(result.exception)
    assert "bus_partitions is 8 but stream" in message and "created with 4 partitions" in message
