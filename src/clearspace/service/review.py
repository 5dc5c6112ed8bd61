"""Human decisions: a moderator decides a claimed case, or acts on the participants of an incident."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from clearspace.errors import Conflict, InputError
from clearspace.service import cases, decisions, labels, monetization, reports, strikes, training
from clearspace.service.clock import iso
from clearspace.service.results_cases import BatchResult, Struck
from clearspace.service.unit import Unit
from clearspace.store import Op, Row, Tx

HUMAN_ACTIONS: Final = ("allow", "label", "nudge", "limit", "remove")
STRIKE_ACTIONS: Final = frozenset({"limit", "remove"})
UPHELD_ACTIONS: Final = frozenset({"label", "limit", "remove"})


def _source_type(tx: Tx, case_id: str) -> str:
    filed = tx.select("reports", {"case_id": case_id})
    if not filed:
        return "own_initiative"
    trusted = tx.select("reporters", {"id": Op("in", [r["reporter"] for r in filed]), "trusted": 1})
    return "trusted_flagger" if trusted else "notice"


def active_decision(tx: Tx, event_id: str) -> Row | None:
    """The event's decision in force (rumor labels are a separate track: they are never superseded here)."""
    rows = tx.select("decisions", {"event_id": event_id, "status": "active"}, order_by=["-created_at"])
    return next((r for r in rows if not labels.is_label_track(r)), None)


def decide_case(unit: Unit, case_id: str, owner: str, action: str, category: str, explanation: str) -> Row:
    """Record the moderator's decision on a case they hold, and everything it implies."""
    if action not in HUMAN_ACTIONS:
        raise InputError(f"action must be one of {', '.join(HUMAN_ACTIONS)}")
    if not explanation.strip():
        raise InputError("explain the decision: 'explanation' becomes the facts of the statement of reasons")
    case = cases.require_lease(unit, case_id, owner)
    if case["kind"] == "appeal":
        raise Conflict("this is an appeal case; decide it through POST /v1/appeals/{id}/decision")
    previous = active_decision(unit.tx, case["event_id"]) if case["event_id"] else None
    event = unit.tx.get("events", case["event_id"]) if case["event_id"] else None
    if previous:
        unit.tx.update("decisions", {"id": previous["id"]}, {"status": "superseded"})
    row = decisions.record(unit, decisions.Draft(
        event_id=case["event_id"], account=case["account"], action=action, category=category,
        facts=explanation, automated=False, decided_by=owner, source_type=_source_type(unit.tx, case_id),
        content_date=(event or {}).get("ts") or (event or {}).get("received_at"),
        supersedes=previous["id"] if previous else None, human_involved=True,
        reasons=[explanation], labels=list(previous["labels"]) if previous else []),
        handling_from=case["opened_at"])
    if action in STRIKE_ACTIONS and case["account"]:
        strikes.add_strike(unit, case["account"], category, row["id"], owner)
    training.from_decision(unit, row, case_id)  # the judgement becomes a training label (issue 13)
    reports.resolve(unit, case_id, action in UPHELD_ACTIONS, f"{action}: {explanation}")
    unit.notify(case["account"], "decision", {"decision_id": row["id"], "action": action,
                                              "statement_id": row["statement_id"]})
    unit.emit("decision.made", {"decision_id": row["id"], "event_id": case["event_id"], "action": action,
                                "category": category, "automated": False})
    cases.close(unit, case, row["id"], owner)
    monetization.refresh(unit, [case["account"], *monetization.instigators_of_case(unit.tx, case)])  # issue 16
    return row


def incident_participants(tx: Tx, target: str, since: str) -> list[str]:
    """Authors whose flagged events targeted ``target`` since ``since``."""
    events = tx.select("events", {"target_user": target, "received_at": Op(">=", since)}, limit=5000)
    flagged = {d["event_id"] for d in tx.select("decisions", {
        "event_id": Op("in", [e["id"] for e in events]), "action": Op("in", ["nudge", "hold", "limit", "remove"])})}
    return sorted({e["author"] for e in events if e["id"] in flagged and e["author"]})


def batch_action(unit: Unit, accounts: list[str], category: str, explanation: str, owner: str,
                 *, target: str | None = None, window_minutes: float = 1440.0) -> BatchResult:
    """Strike (and so step up restrictions for) each account, e.g. every participant of a pile-on."""
    if not explanation.strip():
        raise InputError("explain the batch action: 'explanation' goes into every statement of reasons")
    if target:
        since = iso(unit.now - timedelta(minutes=window_minutes))
        accounts = sorted(set(accounts) | set(incident_participants(unit.tx, target, since)))
    if not accounts:
        raise InputError("no accounts to act on: give 'accounts', an 'incident_id' with participants (in 'roles'), "
                         "or a 'target_user' with recent flagged events")
    results: list[Struck] = []
    for account in accounts:
        row = decisions.record(unit, decisions.Draft(
            event_id=None, account=account, action="limit", category=category, facts=explanation,
            automated=False, decided_by=owner, human_involved=True, reasons=[explanation]))
        strike, restricted = strikes.add_strike(unit, account, category, row["id"], owner)
        results.append({"account": account, "decision_id": row["id"], "strike_id": strike["id"] if strike else None,
                        "restrictions": [r["kind"] for r in restricted]})
    unit.log("incident.batch_action", owner, target or "accounts", {"accounts": accounts, "category": category})
    monetization.refresh(unit, accounts)  # issue 16: strikes count against monetization
    return {"target_user": target, "accounts": results}
