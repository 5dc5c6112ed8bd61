"""Recording a decision: the decision row, its statement of reasons and its audit event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from clearspace.service.clock import parse_time
from clearspace.service.statements import StatementInput, build_statement, needs_statement
from clearspace.service.unit import Unit
from clearspace.store import Row


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


def public(row: Row, statement: Row | None = None) -> dict[str, Any]:
    """A decision as the API shows it."""
    out = {k: row[k] for k in ("id", "event_id", "account", "action", "category", "decided_by", "source_type",
                               "status", "scores", "signals", "rules", "reasons", "labels", "created_at",
                               "supersedes")}
    out["model_version"] = row.get("model_version")
    out["automated"] = bool(row["automated"])
    if statement is not None:
        out["statement_of_reasons"] = {"id": statement["id"], **statement["body"]}
    return out
