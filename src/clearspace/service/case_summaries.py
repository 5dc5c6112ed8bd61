"""What a review queue row shows beside a case's id: a snippet of what it is about and its category.

One read per kind of thing for a whole page of cases (events, decisions, reports, incidents,
appeals), never one per case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from clearspace.service.results_cases import CaseSummary
from clearspace.store import Op, Row, Tx

SNIPPET_CHARS: Final = 80
CHUNK: Final = 200


def _select_in(tx: Tx, table: str, column: str, values: Iterable[str], **where: Any) -> list[Row]:
    wanted = sorted(set(values))
    rows: list[Row] = []
    for i in range(0, len(wanted), CHUNK):
        rows += tx.select(table, {column: Op("in", wanted[i:i + CHUNK]), **where})
    return rows


def _snip(text: str | None) -> str:
    """The first ``SNIPPET_CHARS`` characters, cut (never rewritten) so evidence spans still point into it."""
    return (text or "")[:SNIPPET_CHARS]


def _categories(tx: Tx, cases: list[Mapping[str, Any]]) -> tuple[dict[str, Row], dict[str, str], dict[str, str],
                                                                 dict[str, list[Any]]]:
    """Events by id, the category of each event's latest decision, the first report category per case,
    and each event's detector signals (the first decision that has any)."""
    event_ids = [c["event_id"] for c in cases if c["event_id"]]
    events = {e["id"]: e for e in _select_in(tx, "events", "id", event_ids)}
    decided: dict[str, str] = {}
    signals: dict[str, list[Any]] = {}
    for d in sorted(_select_in(tx, "decisions", "event_id", event_ids), key=lambda d: d["created_at"]):
        if d["category"] and d["status"] == "active":
            decided[d["event_id"]] = d["category"]
        if d["signals"] and d["event_id"] not in signals:
            signals[d["event_id"]] = d["signals"]
    reported: dict[str, str] = {}
    for r in sorted(_select_in(tx, "reports", "case_id", [c["id"] for c in cases]), key=lambda r: r["created_at"]):
        reported.setdefault(r["case_id"], r["category"])
    return events, decided, reported, signals


def summaries(tx: Tx, cases: Iterable[Mapping[str, Any]]) -> dict[str, CaseSummary]:
    """Per case id: ``snippet`` (the start of the post's text or of the appeal's reason; ``more`` when
    cut), the post's detector ``signals`` (so the queue can mask slurs as the case view does),
    ``category`` (the latest decision's or the first report's; None if neither), ``author`` and, for
    an incident, ``target``, ``participants`` and ``hostile``."""
    rows = list(cases)
    events, decided, reported, signals = _categories(tx, rows)
    incidents = {i["case_id"]: i for i in _select_in(tx, "incidents", "case_id", [c["id"] for c in rows])}
    appeal_ids = [c["subject_id"].split(":", 1)[1] for c in rows if c["kind"] == "appeal"]
    appeals = {a["id"]: a for a in _select_in(tx, "appeals", "id", appeal_ids)}
    appealed = {d["id"]: d for d in _select_in(tx, "decisions", "id", [a["decision_id"] for a in appeals.values()])}
    out: dict[str, CaseSummary] = {}
    for case in rows:
        event = events.get(case["event_id"] or "")
        info: CaseSummary = {"snippet": _snip(event["text"]) if event else "",
                                "more": bool(event and len(event["text"]) > SNIPPET_CHARS),
                                "signals": signals.get(case["event_id"] or "", []),
                                "author": event["author"] if event else case["account"],
                                "category": decided.get(case["event_id"] or "") or reported.get(case["id"])}
        if case["kind"] == "incident" and case["id"] in incidents:
            incident = incidents[case["id"]]
            info["snippet"], info["author"], info["category"] = "", None, "incitement"
            info["target"] = incident["target"]
            info["participants"] = incident["participant_count"]
            info["hostile"] = incident["hostile_events"]
        elif case["kind"] == "appeal":
            appeal = appeals.get(case["subject_id"].split(":", 1)[1])
            decision = appealed.get(appeal["decision_id"]) if appeal else None
            info["snippet"] = _snip(appeal["reason"]) if appeal else ""
            info["signals"] = []
            info["more"] = bool(appeal and len(appeal["reason"]) > SNIPPET_CHARS)
            info["author"] = appeal["appellant"] if appeal else None
            info["category"] = decision["category"] if decision else None
        elif case["kind"] == "account":
            info["snippet"] = ""
        out[case["id"]] = info
    return out
