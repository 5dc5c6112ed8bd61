"""The ingest pipeline (issue 15, point 1): the policy is the one source of a decision's category and
priority, and a batch is decided in one transaction that a caller's hook joins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from clearspace.errors import Conflict
from clearspace.policy import parse_policy
from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.service.stub_engine import KeywordEngine
from clearspace.service.unit import Unit
from clearspace.store import open_store

# An insult is held for review at priority 10; a second rule that only labels it says 90. The label
# rule fires too but does not decide the action, so the case must get 10 (the policy's Verdict.priority).
CUSTOM = """
name: custom
version: 1
defaults: {action: allow}
rules:
  - name: insult-review
    version: 1
    when: {signal: lexicon.insult, min: 0.5}
    action: hold
    category: insult
    priority: 10
    reason: "Insult for review."
  - name: insult-flag
    version: 1
    when: {signal: abuse, min: 0.5}
    action: label
    category: abuse
    priority: 90
    reason: "Abusive words."
"""


@pytest.fixture
def custom(tmp_path: Path, clock: ManualClock) -> Service:
    engine = KeywordEngine(parse_policy(CUSTOM, "custom.yaml"))
    return Service(open_store(tmp_path / "c.db"), engine=engine, clock=clock, ids=IdFactory(counter_token()))


def test_a_custom_policy_gets_the_priority_and_category_it_asked_for(custom: Service) -> None:
    [answer] = custom.ingest.events({"id": "e1", "text": "you idiot", "author": "a"})
    assert answer["action"] == "hold" and answer["rules"] == ["insult-review@1", "insult-flag@1"]
    engine = custom.engine
    assert engine is not None
    verdict = engine.policy_.evaluate(engine._signals("you idiot"), {})  # type: ignore[attr-defined]
    assert verdict.priority == 10  # the policy's own priority: the deciding rule only
    case = custom.cases.get(answer["case_id"])
    assert (case["priority"], case["lane"]) == (10, "standard")  # not 90 / "severity" (max over every rule)
    assert answer["category"] == "insult"


def test_policy_triage_counts_only_the_deciding_rules() -> None:
    policy = parse_policy(CUSTOM, "custom.yaml")
    assert policy.triage("hold", ["insult-review@1", "insult-flag@1"]) == ("insult", 10)
    assert policy.triage("label", ["insult-flag@1"]) == ("abuse", 90)
    assert policy.triage("allow", []) == ("", 0)
    assert policy.triage("hold", ["unknown@9"]) == ("", 0)


def test_the_hook_runs_in_the_decision_transaction(service: Service) -> None:
    seen: list[list[str]] = []

    def offset(unit: Unit, answers: Any) -> None:  # a worker would write its stream offset here
        seen.append([a["id"] for a in answers])
        unit.tx.insert("leases", {"name": "offset:p0", "holder": "w1", "expires_at": "1"})

    events = service.ingest.check([{"id": "h1", "text": "hello"}, {"id": "h2", "text": "你就是个傻逼"}])
    service.ingest.checked(events, in_transaction=offset)
    with service.store.read() as tx:
        assert tx.get("leases", "offset:p0") is not None
    service.ingest.checked(events, in_transaction=lambda u, a: seen.append([x["id"] for x in a if x["duplicate"]]))
    assert seen == [["h1", "h2"], ["h1", "h2"]]  # repeats too: the hook always runs

    def refuse(unit: Unit, answers: Any) -> None:
        raise Conflict("the partition's lease went to another worker")

    with pytest.raises(Conflict):
        service.ingest.checked(service.ingest.check({"id": "h3", "text": "hello"}), in_transaction=refuse)
    assert not service.ingest.has_event("h3")  # nothing of the batch was kept


def test_events_of_a_batch_go_to_their_partitions_chains(service: Service) -> None:
    from clearspace.service.partitions import chain_of_partition, partition_of

    raw = [{"id": f"x{i}", "text": "hello", "target_user": f"u{i}"} for i in range(20)]
    service.ingest.events(raw)
    with service.store.read() as tx:
        rows = tx.select("audit", {"kind": "decision.made"})
    chains = {r["payload"]["event_id"]: r["chain"] for r in rows}
    assert chains == {e["id"]: chain_of_partition(partition_of(e["id"], e, 16)) for e in raw}
