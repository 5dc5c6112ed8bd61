from __future__ import annotations

import pytest

from clearspace.errors import Conflict, InputError, NotFound, PermissionDenied
from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.reports import ReportIn

RUDE = "nmsl sb 滚"  # nudge on its own


def _post(service: Service, event_id: str, text: str = "今天的活动很好玩", **extra: object) -> dict[str, object]:
    return service.ingest.events({"id": event_id, "author": "poster", "text": text, **extra})[0]


def test_reports_join_one_case_and_reporters_hear_the_outcome(service: Service) -> None:
    _post(service, "p1", RUDE, target_user="victim")
    acks = [service.cases.file_report(ReportIn(reporter=f"r{i}", category="abuse", explanation="rude", item="p1"))
            for i in range(3)]
    assert len({a["case_id"] for a in acks}) == 1 and acks[0]["status"] == "received"
    [case] = service.cases.queue()
    assert case["reports"] == 3 and case["kind"] == "item"
    service.cases.claim(case["id"], "mod:alice")
    with pytest.raises(Conflict, match="claimed by someone else"):
        service.cases.claim(case["id"], "mod:bob")
    with pytest.raises(Conflict, match="claim case"):
        service.cases.decide(case["id"], "mod:bob", "remove", "abuse", "insult")
    decision = service.cases.decide(case["id"], "mod:alice", "remove", "abuse", "Insults the target.")
    assert decision["automated"] is False and decision["decided_by"] == "mod:alice"
    sor = decision["statement_of_reasons"]
    assert sor["source_type"] == "SOURCE_ARTICLE_16" and sor["automated_decision"] == "AUTOMATED_DECISION_PARTIALLY"
    assert sor["decision_facts"] == "Insults the target."
    assert [n["kind"] for n in service.accounts.notifications("r0")] == ["report.outcome"]
    assert service.cases.report(acks[0]["id"])["status"] == "resolved"
    assert service.cases.queue() == []
    assert service.accounts.status("poster")["strike_points"] == 1.0


def test_lease_expires_and_sla_lanes(service: Service, clock: ManualClock) -> None:
    _post(service, "kid", RUDE, target_user="child", minor=True)
    _post(service, "adult", "你就是个傻逼 去死吧", target_user="grownup")
    lanes = [c["lane"] for c in service.cases.queue()]
    assert lanes[0] == "minors"
    first = service.cases.next("mod:a")
    assert first is not None and first["lane"] == "minors"
    assert service.cases.next("mod:b")["id"] != first["id"]
    assert service.cases.next("mod:c") is None
    clock.advance(minutes=20)
    assert service.cases.claim(first["id"], "mod:c")["lease_owner"] == "mod:c"
    clock.advance(hours=2)
    assert any(c["overdue"] for c in service.cases.queue())


def test_brigade_is_flagged_and_takes_nothing_down(service: Service) -> None:
    _post(service, "fine", "我觉得这家餐厅的服务需要改进")
    _post(service, "other", "another harmless post")
    for i in range(6):  # the same accounts report two unrelated posts together
        service.cases.file_report(ReportIn(reporter=f"b{i}", category="abuse", item="other"))
    acks = [service.cases.file_report(ReportIn(reporter=f"b{i}", category="abuse", item="fine")) for i in range(6)]
    assert acks[-1]["brigade_suspected"]
    event = service.ingest.event("fine")
    assert [d["action"] for d in event["decisions"]] == ["allow"]
    case = service.cases.get(acks[-1]["case_id"])
    assert case["brigade"] == 1 and case["lane"] == "standard"


def test_report_input_checks(service: Service) -> None:
    with pytest.raises(InputError, match="good faith"):
        service.cases.file_report(ReportIn(reporter="r", category="abuse", item="x", good_faith=False))
    with pytest.raises(InputError, match="no event"):
        service.cases.file_report(ReportIn(reporter="r", category="abuse", item="missing"))
    with pytest.raises(InputError, match="unknown report category"):
        service.cases.file_report(ReportIn(reporter="r", category="politics", target_user="u"))


def test_author_appeal_reversal_undoes_action_and_strikes(service: Service, clock: ManualClock) -> None:
    answer = _post(service, "dox", "他的手机号是13812345678，住在幸福小区3栋，大家去找他算账")
    assert answer["action"] == "remove" and service.accounts.status("poster")["strike_points"] == 3.0
    with pytest.raises(PermissionDenied):
        service.cases.file_appeal(str(answer["decision_id"]), "stranger", "not mine")
    appeal = service.cases.file_appeal(str(answer["decision_id"]), "poster", "That is my own shop's public number.")
    with pytest.raises(Conflict, match="pending"):
        service.cases.file_appeal(str(answer["decision_id"]), "poster", "again")
    with pytest.raises(PermissionDenied, match="automation"):
        service.cases.decide_appeal(appeal["id"], "clearspace", "reversed", "x")
    done = service.cases.decide_appeal(appeal["id"], "mod:carol", "reversed", "Public business number, not doxxing.")
    assert done["outcome"] == "reversed"
    event = service.ingest.event("dox")
    assert [(d["action"], d["status"]) for d in event["decisions"]] == [("remove", "reversed"), ("allow", "active")]
    status = service.accounts.status("poster")
    assert status["strike_points"] == 0.0 and status["restrictions"] == []
    assert "appeal.outcome" in [n["kind"] for n in service.accounts.notifications("poster")]
    with pytest.raises(Conflict, match="already decided"):
        service.cases.decide_appeal(appeal["id"], "mod:carol", "upheld", "x")


def test_appeal_window(service: Service, clock: ManualClock) -> None:
    answer = _post(service, "old", RUDE)
    clock.advance(days=200)
    with pytest.raises(Conflict, match="window"):
        service.cases.file_appeal(str(answer["decision_id"]), "poster", "please")
    with pytest.raises(NotFound):
        service.cases.file_appeal("dec_nope", "poster", "please")


def test_strike_ladder_and_batch_action_on_a_pileon(service: Service) -> None:
    for i in range(6):
        service.ingest.events({"id": f"pile{i}", "author": f"troll{i}", "text": RUDE, "target_user": "star"})
    result = service.cases.batch_action("mod:lead", "abuse", "Joined a pile-on against one person.", target="star")
    assert len(result["accounts"]) == 6
    for _ in range(3):
        service.cases.batch_action("mod:lead", "hate", "Hate in a pile-on.", accounts=["troll0"])
    status = service.accounts.status("troll0")
    assert status["strike_points"] == 7.0
    kinds = {r["kind"] for r in status["restrictions"]}
    assert kinds == {"pre_send_friction", "comment_dm_limit", "temporary_mute"}
    assert all(r["ends_at"] > r["starts_at"] for r in status["restrictions"])


def test_transparency_and_tamper_detection(service: Service, clock: ManualClock) -> None:
    _post(service, "t1", RUDE)
    _post(service, "t2", "他的手机号是13812345678，住在幸福小区3栋，大家去找他算账")
    service.cases.file_report(ReportIn(reporter="r", category="abuse", item="t1"))
    report = service.admin.transparency("2026-01-01", "2027-01-01")
    assert report["decisions"]["automated"] == 2 and report["reports"]["total"] == 1
    assert report["protection_prompts_sent"] == 1
    assert report["decisions"]["restrictive_by_category"] == {"doxxing": 1}
    assert service.admin.verify_audit().ok
    with service.store.transaction() as tx:
        tx.update("audit", {"seq": 2}, {"actor": "someone-else"})
    result = service.admin.verify_audit()
    assert not result.ok and result.broken_at == 2


def test_incremental_audit_check_rehashes_only_new_events(service: Service) -> None:
    _post(service, "i0", RUDE)
    _post(service, "i1", RUDE)
    first = service.admin.verify_audit(full=False)  # no earlier check: every chain, whole
    assert first.ok and first.checked is None and first.events > 1
    _post(service, "i2", RUDE)
    again = service.admin.verify_audit(full=False)  # the last event checked before in each chain, and the new ones
    assert again.ok and again.events > first.events
    assert again.checked == again.events - first.events + len(first.chains)
    assert service.admin.verify_audit(full=False).to_dict()["checked"] == len(again.chains)
    chain = sorted(again.chains)[0]
    where = {"chain": chain, "seq": 1}
    with service.store.transaction() as tx:  # an old event rewritten: only the full check recomputes it
        actor = tx.select("audit", where)[0]["actor"]
        tx.update("audit", where, {"actor": "someone-else"})
    assert service.admin.verify_audit(full=False).ok
    assert service.admin.verify_audit(full=True).broken_at == 1
    with service.store.transaction() as tx:
        tx.update("audit", where, {"actor": actor})
    restored = service.admin.verify_audit(full=True)  # the chain holds again, but the break stays shown...
    assert not restored.ok and "not yet acknowledged" in restored.problem
    service.admin.acknowledge_audit_alarm(service.admin.audit_alarms()[0]["id"], "admin:test", "row 1 restored")
    last = service.admin.verify_audit(full=True)
    assert last.ok  # ...until an admin acknowledges it
    _post(service, "i3", RUDE)
    length = last.chains[chain].length
    with service.store.transaction() as tx:  # the event last checked, modified: found incrementally
        tx.update("audit", {"chain": chain, "seq": length}, {"actor": "someone-else"})
    broken = service.admin.verify_audit(full=False)
    assert not broken.ok and broken.broken_at == length and broken.chain == chain


def test_reporter_appeal_reversal_reopens_the_item(service: Service) -> None:
    _post(service, "meh", "这个人真的很烦")
    ack = service.cases.file_report(ReportIn(reporter="rep", category="abuse", item="meh"))
    service.cases.claim(ack["case_id"], "mod:a")
    kept = service.cases.decide(ack["case_id"], "mod:a", "allow", "abuse", "Rude but allowed.")
    appeal = service.cases.file_appeal(kept["id"], "rep", "It is part of a harassment campaign.")
    assert appeal["appellant_role"] == "reporter"
    with pytest.raises(Conflict, match="different moderator"):
        service.cases.decide_appeal(appeal["id"], "mod:a", "reversed", "x")
    service.cases.decide_appeal(appeal["id"], "mod:b", "reversed", "Needs another look.")
    reopened = [c for c in service.cases.queue() if c["subject_id"] == "event:meh"]
    assert reopened and reopened[0]["lane"] == "appeal"
    assert service.ingest.decision(kept["id"])["status"] == "reversed"
    report = service.admin.transparency("2026-01-01", "2027-01-01")
    assert report["appeals"]["reversal_rate"] == 1.0
