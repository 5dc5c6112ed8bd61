"""Appeals by the author or a reporter, within a window, always decided by a human.

Reversing an author's appeal undoes the action (the decision is marked reversed, an ``allow``
decision supersedes it, its strikes and restrictions are lifted, a rumor label is withdrawn).
Reversing a reporter's appeal reopens the item for a fresh human decision. Both sides are notified.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Final

from clearspace.errors import Conflict, InputError, NotFound, PermissionDenied
from clearspace.service import cases, decisions, labels, monetization, strikes, training
from clearspace.service.clock import parse_time
from clearspace.service.results import AppealView, FiledAppeal
from clearspace.service.unit import Unit
from clearspace.store import Row

OUTCOMES: Final = ("upheld", "reversed")
AUTOMATION: Final = frozenset({"clearspace", ""})


def get(unit_tx: Any, appeal_id: str) -> Row:
    row = unit_tx.get("appeals", appeal_id)
    if row is None:
        raise NotFound(f"no appeal {appeal_id!r}")
    return dict(row)


def view(row: Row) -> AppealView:
    """An appeal as answered, key by key."""
    return {"id": row["id"], "decision_id": row["decision_id"], "appellant": row["appellant"],
            "appellant_role": row["appellant_role"], "reason": row["reason"], "status": row["status"],
            "created_at": row["created_at"], "decided_at": row["decided_at"], "decided_by": row["decided_by"],
            "outcome": row["outcome"], "explanation": row["explanation"]}


def _role(unit: Unit, decision: Row, appellant: str) -> str:
    if appellant == decision["account"]:
        return "author"
    if decision["event_id"] and unit.tx.count("reports", {"item_id": decision["event_id"], "reporter": appellant}):
        return "reporter"
    raise PermissionDenied(f"{appellant!r} may not appeal {decision['id']}: only its author or a reporter of the item")


def file(unit: Unit, decision_id: str, appellant: str, reason: str, actor: str) -> FiledAppeal:
    decision = unit.tx.get("decisions", decision_id)
    if decision is None:
        raise NotFound(f"no decision {decision_id!r}")
    if not reason.strip():
        raise InputError("say why the decision is wrong: 'reason' must not be empty")
    role = _role(unit, decision, appellant)
    closes = parse_time(decision["created_at"], "created_at") + timedelta(days=unit.settings.appeal_window_days)
    if unit.now > closes:
        raise Conflict(f"the appeal window for {decision_id} closed on {closes.date()}")
    if unit.tx.count("appeals", {"decision_id": decision_id, "appellant": appellant, "status": "pending"}):
        raise Conflict(f"{appellant} already has a pending appeal against {decision_id}")
    row: Row = {"id": unit.ids.new("apl"), "decision_id": decision_id, "appellant": appellant,
                "appellant_role": role, "reason": reason, "status": "pending", "created_at": unit.ts}
    unit.tx.insert("appeals", row)
    case = cases.open_case(unit, subject_id=f"appeal:{row['id']}", kind="appeal", lane="appeal", priority=50,
                           actor=actor, event_id=decision["event_id"], account=decision["account"])
    unit.log("appeal.filed", actor, row["id"], {"decision_id": decision_id, "role": role, "case_id": case["id"]})
    unit.emit("appeal.filed", {"appeal_id": row["id"], "decision_id": decision_id, "role": role})
    return {"id": row["id"], "decision_id": decision_id, "appellant": appellant, "appellant_role": role,
            "reason": reason, "status": "pending", "created_at": unit.ts, "case_id": case["id"]}


def decide(unit: Unit, appeal_id: str, reviewer: str, outcome: str, explanation: str) -> Row:
    """A human reviewer (not the one who took the decision) upholds or reverses it."""
    if outcome not in OUTCOMES:
        raise InputError("outcome must be 'upheld' or 'reversed'")
    if reviewer in AUTOMATION:
        raise PermissionDenied("appeals are decided by people, never by automation alone")
    if not explanation.strip():
        raise InputError("explain the outcome: 'explanation' is sent to the appellant")
    appeal = get(unit.tx, appeal_id)
    if appeal["status"] != "pending":
        raise Conflict(f"appeal {appeal_id} was already decided ({appeal['outcome']})")
    decision = unit.tx.get("decisions", appeal["decision_id"])
    assert decision is not None
    if reviewer == decision["decided_by"]:
        raise Conflict("a different moderator must review an appeal against their own decision")
    reversed_ = outcome == "reversed"
    if reversed_:
        _reverse(unit, decision, appeal, reviewer, explanation)
    monetization.after_appeal(unit, decision, reversed_, reviewer)  # issue 16: a reversal restores at once
    training.from_appeal(unit, decision, appeal_id, reversed_, reviewer)  # the label it implies (issue 13)
    unit.tx.update("appeals", {"id": appeal_id}, {"status": "decided", "outcome": outcome, "decided_at": unit.ts,
                                                  "decided_by": reviewer, "explanation": explanation})
    for case in unit.tx.select("cases", {"subject_id": f"appeal:{appeal_id}", "status": "open"}):
        cases.close(unit, case, None, reviewer)
    unit.log("appeal.decided", reviewer, appeal_id, {
        "decision_id": decision["id"], "outcome": outcome, "reversed": reversed_, "role": appeal["appellant_role"],
        "handling_seconds": decisions.handling_seconds(appeal["created_at"], unit.now)})
    unit.notify(appeal["appellant"], "appeal.outcome", {"appeal_id": appeal_id, "outcome": outcome,
                                                        "explanation": explanation})
    unit.emit("appeal.decided", {"appeal_id": appeal_id, "outcome": outcome, "decision_id": decision["id"]})
    return {**appeal, "status": "decided", "outcome": outcome, "decided_at": unit.ts, "decided_by": reviewer,
            "explanation": explanation}


def _reverse(unit: Unit, decision: Row, appeal: Row, reviewer: str, explanation: str) -> None:
    unit.tx.update("decisions", {"id": decision["id"]}, {"status": "reversed"})
    strikes.lift_for_decision(unit, decision["id"], reviewer)
    rumor_label = labels.is_label_track(decision)
    if appeal["appellant_role"] == "author":
        if rumor_label:  # the label comes off the post
            labels.withdraw_for_decision(unit, decision["id"], f"appeal reversed: {explanation}", reviewer)
        decisions.record(unit, decisions.Draft(
            event_id=decision["event_id"], account=decision["account"], action="allow",
            category=decision["category"], facts=f"Appeal upheld for the author: {explanation}", automated=False,
            decided_by=reviewer, supersedes=decision["id"], human_involved=True, reasons=[explanation],
            rules=list(decision["rules"]) if rumor_label else []))  # keeps a label's reversal on the label track
        unit.notify(decision["account"], "decision.reversed", {"decision_id": decision["id"]})
    elif decision["event_id"]:
        cases.open_case(unit, subject_id=f"event:{decision['event_id']}", kind="item", lane="appeal",
                        priority=60, actor=reviewer, event_id=decision["event_id"], account=decision["account"])
