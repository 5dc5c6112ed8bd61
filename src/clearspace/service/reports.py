"""Notice and action: reports from users, weighted by the reporter's track record.

A report opens (or joins) the review case of its item, or of the reported person; it never
takes anything down by itself. The reporter gets an acknowledgement now and the outcome
when a moderator decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from clearspace.errors import InputError
from clearspace.service import brigade, cases
from clearspace.service.clock import iso, parse_time
from clearspace.service.results import ReportAck, ReportView
from clearspace.service.unit import Unit
from clearspace.store import Op, Row, Tx

SEVERE_CATEGORIES = {"doxxing": 90, "threat": 85, "protection-of-minors": 95, "self-harm": 90}
REPORT_CATEGORIES = ("abuse", "hate", "threat", "doxxing", "incitement", "sexual", "self-harm",
                     "protection-of-minors", "rumor", "spam", "other")


@dataclass(frozen=True, slots=True)
class ReportIn:
    reporter: str
    category: str
    explanation: str = ""
    item: str | None = None
    target_user: str | None = None
    good_faith: bool = True
    minor: bool = False


def reporter_weight(tx: Tx, reporter: str) -> tuple[float, bool]:
    row = tx.get("reporters", reporter)
    if row is None:
        return brigade.reputation(0, 0), False
    return (1.0 if row["trusted"] else brigade.reputation(row["upheld"], row["rejected"])), bool(row["trusted"])


def _check(tx: Tx, report: ReportIn) -> Row | None:
    if report.category not in REPORT_CATEGORIES:
        raise InputError(f"unknown report category {report.category!r}; use one of {', '.join(REPORT_CATEGORIES)}")
    if not report.good_faith:
        raise InputError("a report must be made in good faith: set good_faith to true to confirm it")
    if not report.item and not report.target_user:
        raise InputError("say what is reported: 'item' (an event id) or 'target_user' (an account)")
    event = tx.get("events", report.item) if report.item else None
    if report.item and event is None:
        raise InputError(f"no event {report.item!r} to report; send it to /v1/events first")
    return event


def _brigade(unit: Unit, subject_col: str, subject: str) -> brigade.Finding:
    since = iso(unit.now - timedelta(minutes=unit.settings.brigade_window_minutes))
    recent = unit.tx.select("reports", {subject_col: subject, "created_at": Op(">=", since)})
    reporters = sorted({r["reporter"] for r in recent})
    others: dict[str, set[str]] = {}
    for r in unit.tx.select("reports", {"reporter": Op("in", reporters), "created_at": Op(">=", since)}):
        key = r["item_id"] or f"account:{r['target_user']}"
        if r[subject_col] != subject:
            others.setdefault(r["reporter"], set()).add(key)
    times = [parse_time(r["created_at"], "created_at") for r in recent]
    span = (max(times) - min(times)).total_seconds() if times else 0.0
    return brigade.detect(recent, others, min_reports=unit.settings.brigade_min_reports, span_seconds=span)


def file(unit: Unit, report: ReportIn, actor: str) -> ReportAck:
    """Record the report, update its case, detect brigades; returns the acknowledgement."""
    event = _check(unit.tx, report)
    weight, trusted = reporter_weight(unit.tx, report.reporter)
    target = report.target_user or (event or {}).get("target_user")
    row: Row = {"id": unit.ids.new("rep"), "reporter": report.reporter, "item_id": report.item,
                "target_user": target, "category": report.category, "explanation": report.explanation,
                "good_faith": True, "weight": weight, "brigade": False, "case_id": None, "status": "received",
                "outcome": None, "created_at": unit.ts, "resolved_at": None}
    unit.tx.insert("reports", row)
    col, subject = ("item_id", report.item) if report.item else ("target_user", str(target))
    finding = _brigade(unit, col, subject)
    if finding.brigade:
        unit.tx.update("reports", {col: subject, "status": "received"}, {"brigade": True})
    since = iso(unit.now - timedelta(minutes=unit.settings.pileon_window_minutes))
    pileon = cases.pileon_active(unit.tx, target, since, unit.settings.pileon_min_events)
    lane = cases.choose_lane(minor=report.minor or bool((event or {}).get("context", {}).get("minor")),
                             pileon=pileon and not finding.brigade, trusted=trusted and not finding.brigade,
                             priority=0 if finding.brigade else SEVERE_CATEGORIES.get(report.category, 0))
    case = cases.open_case(unit, subject_id=f"event:{report.item}" if report.item else f"account:{target}",
                           kind="item" if report.item else "account", lane=lane, actor=actor,
                           priority=SEVERE_CATEGORIES.get(report.category, 10), event_id=report.item,
                           account=(event or {}).get("author") or (None if report.item else target),
                           reports=1, brigade=finding.brigade)
    unit.tx.update("reports", {"id": row["id"]}, {"case_id": case["id"]})
    unit.log("report.filed", actor, row["id"], {"category": report.category, "item": report.item,
                                                "case_id": case["id"], "weight": weight,
                                                "trusted_flagger": trusted, "brigade": finding.brigade})
    return {"id": row["id"], "status": "received", "received_at": unit.ts, "case_id": case["id"],
            "weight": round(weight, 3), "brigade_suspected": finding.brigade, "brigade_reason": finding.reason,
            "message": "Thank you. A moderator will review this; you will be told the outcome."}


def view(row: Row) -> ReportView:
    """A stored report as answered, key by key."""
    return {"id": row["id"], "reporter": row["reporter"], "item_id": row["item_id"],
            "target_user": row["target_user"], "category": row["category"], "explanation": row["explanation"],
            "good_faith": row["good_faith"], "weight": row["weight"], "brigade": row["brigade"],
            "case_id": row["case_id"], "status": row["status"], "outcome": row["outcome"],
            "created_at": row["created_at"], "resolved_at": row["resolved_at"]}


def resolve(unit: Unit, case_id: str, upheld: bool, outcome: str) -> list[str]:
    """Close the case's reports, tell each reporter the outcome and update their track record."""
    reporters = []
    for r in unit.tx.select("reports", {"case_id": case_id, "status": "received"}):
        unit.tx.update("reports", {"id": r["id"]}, {"status": "resolved", "outcome": outcome,
                                                    "resolved_at": unit.ts})
        _track(unit.tx, r["reporter"], upheld)
        unit.notify(r["reporter"], "report.outcome", {"report_id": r["id"], "outcome": outcome})
        reporters.append(r["reporter"])
    return reporters


def _track(tx: Tx, reporter: str, upheld: bool) -> None:
    row = tx.get("reporters", reporter)
    if row is None:
        tx.insert("reporters", {"id": reporter, "upheld": int(upheld), "rejected": int(not upheld), "trusted": False})
    else:
        tx.update("reporters", {"id": reporter}, {"upheld": row["upheld"] + int(upheld),
                                                   "rejected": row["rejected"] + int(not upheld)})


def set_trusted(tx: Tx, reporter: str, trusted: bool) -> None:
    if tx.get("reporters", reporter) is None:
        tx.insert("reporters", {"id": reporter, "upheld": 0, "rejected": 0, "trusted": int(trusted)})
    else:
        tx.update("reporters", {"id": reporter}, {"trusted": int(trusted)})
