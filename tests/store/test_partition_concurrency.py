"""No global write lock (issue 15, point 4), on PostgreSQL: decisions in different partitions commit
while another partition's transaction is still open; the same partition, and the same account's
strikes, still wait their turn."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.partitions import partition_of
from clearspace.service.settings import Settings
from clearspace.service.stub_engine import KeywordEngine
from clearspace.service.unit import Unit
from clearspace.store import open_store

DOX = "他的手机号是13812345678，住在幸福小区3栋，大家去找他算账"  # removed: a strike of weight 3


@pytest.fixture
def service(postgres_url: str, clock: ManualClock) -> Iterator[Service]:
    svc = Service(open_store(postgres_url), engine=KeywordEngine(), clock=clock,
                  settings=Settings(db=postgres_url, pileon_detection=False))
    yield svc
    svc.store.close()


def _targets(n: int, same_as: str | None = None) -> list[str]:
    """``n`` target names in distinct partitions (or, with ``same_as``, in that one's partition)."""
    out: list[str] = []
    seen: set[int] = set()
    want = partition_of("", {"target_user": same_as}) if same_as else None
    for i in range(1000):
        name = f"user{i}"
        p = partition_of("", {"target_user": name})
        if name != same_as and (p == want if want is not None else p not in seen):
            out.append(name)
            seen.add(p)
            if len(out) == n:
                return out
    raise AssertionError("no such targets")


class Held:
    """Ingest in a thread whose decision transaction stays open until :meth:`release`."""

    def __init__(self, service: Service, event: dict[str, Any]) -> None:
        self.inside, self.go, self.done = threading.Event(), threading.Event(), threading.Event()
        self.error: BaseException | None = None

        def hook(unit: Unit, answers: Any) -> None:
            self.inside.set()
            assert self.go.wait(10)

        def run() -> None:
            try:
                service.ingest.checked(service.ingest.check(event), in_transaction=hook)
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                self.error = exc
            finally:
                self.done.set()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def release(self) -> None:
        self.go.set()
        assert self.done.wait(10) and self.error is None, self.error
        self.thread.join(5)


def _ingest(service: Service, event: dict[str, Any]) -> tuple[threading.Thread, threading.Event]:
    finished = threading.Event()

    def run() -> None:
        service.ingest.events(event)
        finished.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, finished


def test_other_partitions_never_wait_for_an_open_decision(service: Service) -> None:
    a, b = _targets(2)
    [same] = _targets(1, same_as=a)
    held = Held(service, {"id": "ea", "text": "你就是个傻逼", "author": "x", "target_user": a})
    assert held.inside.wait(10)  # partition of a: its decision transaction is open, holding p(a)'s chain
    other, other_done = _ingest(service, {"id": "eb", "text": "你就是个傻逼", "author": "y", "target_user": b})
    assert other_done.wait(5), "a decision in another partition waited for the open one"
    assert service.ingest.has_event("eb") and not service.ingest.has_event("ea")
    queued, queued_done = _ingest(service, {"id": "ec", "text": "hello", "author": "z", "target_user": same})
    assert not queued_done.wait(0.7)  # same partition: its chain is held
    held.release()
    assert queued_done.wait(5)
    for thread in (other, queued):
        thread.join(5)
    result = service.admin.verify_audit()
    assert result.ok and result.events == 3


def test_one_accounts_strikes_in_two_partitions_are_counted_in_turn(service: Service) -> None:
    a, b = _targets(2)
    held = Held(service, {"id": "s1", "text": DOX, "author": "bob", "target_user": a})
    assert held.inside.wait(10)  # bob's first strike is written, not committed
    second, second_done = _ingest(service, {"id": "s2", "text": DOX, "author": "bob", "target_user": b})
    time.sleep(0.5)  # without the account's lock, the second strike would count from 0 now
    assert not second_done.is_set()
    held.release()
    assert second_done.wait(5)
    second.join(5)
    status = service.accounts.status("bob")
    assert status["strike_points"] == 6.0
    kinds = sorted(r["kind"] for r in status["restrictions"])  # (the warning has no duration: not active)
    assert kinds == sorted(["pre_send_friction", "comment_dm_limit", "temporary_mute"])  # 0 -> 3 -> 6 points
    assert service.admin.verify_audit().ok


def test_the_same_event_in_two_partitions_is_decided_once(service: Service) -> None:
    a, b = _targets(2)
    held = Held(service, {"id": "dup", "text": "hello", "target_user": a})
    assert held.inside.wait(10)
    # the same id with another context lands in another partition: its insert waits for the first, then yields
    late, late_done = _ingest(service, {"id": "dup", "text": "hello", "target_user": b})
    assert not late_done.wait(0.5)
    held.release()
    assert late_done.wait(5)
    late.join(5)
    event = service.ingest.event("dup")
    assert len(event["decisions"]) == 1 and event["target_user"] == a
    assert service.admin.verify_audit().ok
