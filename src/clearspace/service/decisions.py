"""Recording a decision: the decision row, its statement of reasons and its audit event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from clearspace.errors import NotFound
from clearspace.service.clock import parse_time
from clearspace.service.results import DecisionView, EventView
from clearspace.service.statements import StatementInput, build_statement, needs_statement
from clearspace.service.unit import Unit
from clearspace.store import Row, Tx
from clearspace.store.base import Op


@dataclass(frozen=True, slots=True)
class Draft:
    """A decision about to be recorded."""

    event_id: str | None
    account: str | None
    action: str
    category: str
    facts: str
    automated: bool
    decided_by: str
    source_type: str = "own_initiative"
    content_date: str | None = None
    scores: dict[str, float] = field(default_factory=dict)
    signals: list[dict[str, Any]] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    supersedes: str | None = None
    human_involved: bool = False
    decision_id: str | None = None
    model_version: str | None = None  # the abuse model version behind an automated decision (issue 13)


def handling_seconds(start: str | None, now: datetime) -> float | None:
    if not start:
        return None
    return max(0.0, round((now - parse_time(start, "start")).total_seconds(), 3))


def record(unit: Unit, draft: Draft, *, handling_from: str | None = None) -> Row:
    """Insert the decision (+ statement when it restricts) and log ``decision.made``."""
    decision_id = draft.decision_id or unit.ids.new("dec")
    row: Row = {
        "id": decision_id, "event_id": draft.event_id, "account": draft.account, "action": draft.action,
        "category": draft.category, "automated": int(draft.automated), "decided_by": draft.decided_by,
        "source_type": draft.source_type, "status": "active", "scores": draft.scores, "signals": draft.signals,
        "rules": draft.rules, "reasons": draft.reasons, "labels": draft.labels, "created_at": unit.ts,
        "supersedes": draft.supersedes, "model_version": draft.model_version,
    }
    unit.tx.insert("decisions", row)
    statement_id = None
    if needs_statement(draft.action):
        statement_id = unit.ids.new("sor")
        body = build_statement(StatementInput(
            decision_id=decision_id, action=draft.action, category=draft.category, facts=draft.facts,
            automated_detection=draft.automated or draft.human_involved, automated_decision=draft.automated,
            human_involved=draft.human_involved or not draft.automated, source_type=draft.source_type,
            content_date=draft.content_date, application_date=unit.ts, rules=tuple(draft.rules)))
        unit.tx.insert("statements", {"id": statement_id, "decision_id": decision_id, "account": draft.account,
                                      "created_at": unit.ts, "body": body})
    unit.log("decision.made", draft.decided_by, decision_id, {
        "event_id": draft.event_id, "account": draft.account, "action": draft.action, "category": draft.category,
        "automated": draft.automated, "source_type": draft.source_type, "rules": draft.rules,
        "statement_id": statement_id, "supersedes": draft.supersedes,
        **({"model_version": draft.model_version} if draft.model_version else {}),
        "handling_seconds": handling_seconds(handling_from or draft.content_date, unit.now),
    })
    row["statement_id"] = statement_id
    return row


def public(row: Row, statement: Row | None = None) -> DecisionView:
    """A decision as the API shows it."""
    out: DecisionView = {
        "id": row["id"], "event_id": row["event_id"], "account": row["account"], "action": row["action"],
        "category": row["category"], "decided_by": row["decided_by"], "source_type": row["source_type"],
        "status": row["status"], "scores": row["scores"], "signals": row["signals"], "rules": row["rules"],
        "reasons": row["reasons"], "labels": row["labels"], "created_at": row["created_at"],
        "supersedes": row["supersedes"], "model_version": row.get("model_version"), "automated": bool(row["automated"])}
    if statement is not None:
        out["statement_of_reasons"] = {"id": statement["id"], **statement["body"]}
    return out


def decision_view(tx: Tx, decision_id: str) -> DecisionView:
    """A stored decision as the API shows it (:func:`public`, with its statement of reasons)."""
    row = tx.get("decisions", decision_id)
    if row is None:
        raise NotFound(f"no decision {decision_id!r}")
    sor = tx.select("statements", {"decision_id": decision_id}, limit=1)
    return public(row, sor[0] if sor else None)


def event_view(tx: Tx, event_id: str) -> EventView:
    """An event with every decision taken on it, oldest first."""
    event = tx.get("events", event_id)
    if event is None:
        raise NotFound(f"no event {event_id!r}")
    rows = tx.select("decisions", {"event_id": event_id}, order_by=["created_at"])
    ids = [r["id"] for r in rows]
    sors = {s["decision_id"]: s for s in tx.select("statements", {"decision_id": Op("in", ids)})}
    return {"id": event["id"], "type": event["type"], "author": event["author"], "target_user": event["target_user"],
            "parent": event["parent"], "surface": event["surface"], "lang": event["lang"], "text": event["text"],
            "ts": event["ts"], "received_at": event["received_at"], "context": event["context"],
            "decisions": [public(r, sors.get(r["id"])) for r in rows]}
