"""The transparency report, computed from the audit log alone.

Counts decisions by action, category, automated vs human and source type; the median time
to handle; reports (and how many were flagged as brigades); appeals and the reversal rate;
account restrictions; protection prompts (pre-send nudges) sent. Anyone holding an export of
the audit log can recompute it with :func:`aggregate`.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

import orjson

from clearspace.service.clock import iso, parse_time
from clearspace.service.results_admin import ChainSpan, TransparencyReport, TransparencyTimeline
from clearspace.service.statements import needs_statement

PROMPT_ACTIONS = frozenset({"nudge"})


DEFAULT_DAYS = 30
"""A report without ``from`` covers this many days before today (the console's default too)."""


def default_period(start: str | None, end: str | None, now: datetime) -> tuple[str, str]:
    """``start`` and ``end`` where given, else the last :data:`DEFAULT_DAYS` days up to and including today."""
    return (start or iso(now - timedelta(days=DEFAULT_DAYS))[:10], end or iso(now + timedelta(days=1))[:10])


def bounds(start: str, end: str) -> tuple[str, str]:
    """Normalise ``from``/``to`` (dates or times) to the audit log's timestamp format."""
    lo, hi = iso(parse_time(start, "from")), iso(parse_time(end, "to"))
    if lo >= hi:
        from clearspace.errors import InputError

        raise InputError(f"'from' ({start}) must be before 'to' ({end})")
    return lo, hi


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


class _Tally:
    def __init__(self) -> None:
        self.c: dict[str, Counter[str]] = {k: Counter() for k in (
            "action", "category", "source_type", "automation", "report_category", "restriction", "appeal")}
        self.handling: dict[str, list[float]] = {"automated": [], "human": []}
        self.reports = self.brigade = self.prompts = self.events = 0
        self.incidents = self.risk_prompts = self.reminders = 0
        self.chains: dict[str, ChainSpan] = {}  # per audit chain: the first and last seq in the period

    def add(self, row: Mapping[str, Any]) -> None:
        self.events += 1
        span = self.chains.setdefault(row.get("chain", "main"), {"first_seq": row["seq"], "last_seq": row["seq"]})
        span["last_seq"] = row["seq"]
        kind, p = row["kind"], row["payload"]
        if kind == "decision.made":
            self._decision(p)
        elif kind == "report.filed":
            self.reports += 1
            self.brigade += int(bool(p.get("brigade")))
            self.c["report_category"][p.get("category") or "unspecified"] += 1
        elif kind == "restriction.applied":
            self.c["restriction"][p.get("kind", "?")] += 1
        elif kind == "appeal.filed":
            self.c["appeal"]["filed"] += 1
        elif kind == "appeal.decided":
            self.c["appeal"]["decided"] += 1
            self.c["appeal"]["reversed"] += int(bool(p.get("reversed")))
        elif kind == "protection.prompt":
            self.prompts += 1
        elif kind == "incident.detected":
            self.incidents += 1
        elif kind == "protection.risk_prompt":
            self.risk_prompts += 1
        elif kind == "shield.reminded":
            self.reminders += 1

    def _decision(self, p: Mapping[str, Any]) -> None:
        automated = "automated" if p.get("automated") else "human"
        self.c["action"][p.get("action", "?")] += 1
        self.c["automation"][automated] += 1
        if needs_statement(p.get("action", "")):
            self.c["category"][p.get("category") or "unspecified"] += 1
            self.c["source_type"][p.get("source_type") or "own_initiative"] += 1
        if p.get("action") in PROMPT_ACTIONS:
            self.prompts += 1
        if p.get("handling_seconds") is not None and p.get("action") != "allow":
            self.handling[automated].append(float(p["handling_seconds"]))


def aggregate(rows: Iterable[Mapping[str, Any]], start: str, end: str) -> TransparencyReport:
    """The report over audit rows with ``start <= ts < end``."""
    tally = _Tally()
    for row in rows:
        if start <= row["ts"] < end:
            tally.add(row)
    c = tally.c
    decided = c["appeal"]["decided"]
    return {
        "period": {"from": start, "to": end},
        "decisions": {
            "total": sum(c["action"].values()), "by_action": dict(c["action"]),
            "restrictive_by_category": dict(c["category"]), "restrictive_by_source_type": dict(c["source_type"]),
            "automated": c["automation"]["automated"], "human": c["automation"]["human"],
        },
        "median_handling_seconds": {"automated": _median(tally.handling["automated"]),
                                    "human": _median(tally.handling["human"]),
                                    "all": _median(tally.handling["automated"] + tally.handling["human"])},
        "reports": {"total": tally.reports, "by_category": dict(c["report_category"]),
                    "brigade_flagged": tally.brigade},
        "appeals": {"filed": c["appeal"]["filed"], "decided": decided, "reversed": c["appeal"]["reversed"],
                    "reversal_rate": round(c["appeal"]["reversed"] / decided, 4) if decided else None},
        "account_restrictions": dict(c["restriction"]),
        "protection_prompts_sent": tally.prompts,
        "pileons": {"incidents_detected": tally.incidents, "risk_prompts_sent": tally.risk_prompts,
                    "shield_expiry_reminders_sent": tally.reminders},
        "audit": {"events": tally.events, "chains": dict(sorted(tally.chains.items()))},
    }


def to_json(report: Mapping[str, Any]) -> str:
    return orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode() + "\n"


def _flatten(prefix: str, value: Any, out: list[tuple[str, Any]]) -> None:
    if isinstance(value, Mapping):
        for k in sorted(value):
            _flatten(f"{prefix}.{k}" if prefix else str(k), value[k], out)
    else:
        out.append((prefix, "" if value is None else value))


def to_csv(report: Mapping[str, Any]) -> str:
    """``metric,value`` rows, one per number (``decisions.by_action.remove,12``)."""
    rows: list[tuple[str, Any]] = []
    _flatten("", report, rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["metric", "value"])
    writer.writerows(rows)
    return buffer.getvalue()


def timeline(rows: Iterable[Mapping[str, Any]], start: str, end: str, max_buckets: int = 60) -> TransparencyTimeline:
    """The report's decisions over time, for charts: per bucket of whole days (as few days per bucket as
    keep the count at ``max_buckets`` or under), restrictive decisions by category, automated and human
    decisions, appeals filed and reversed."""
    first, last = parse_time(start, "from"), parse_time(end, "to")
    days = max(1, -(-int((last - first).total_seconds()) // 86400))
    width = max(1, -(-days // max_buckets))
    count = -(-days // width)
    labels = [iso(first + timedelta(days=i * width))[:10] for i in range(count)]
    by_category: dict[str, list[int]] = {}
    lines = {k: [0] * count for k in ("automated", "human", "appeals_filed", "appeals_reversed")}
    for row in rows:
        if not start <= row["ts"] < end:
            continue
        bucket = min(count - 1, int((parse_time(row["ts"], "ts") - first).total_seconds() // (86400 * width)))
        kind, p = row["kind"], row["payload"]
        if kind == "decision.made":
            lines["automated" if p.get("automated") else "human"][bucket] += 1
            if needs_statement(p.get("action", "")):
                by_category.setdefault(p.get("category") or "unspecified", [0] * count)[bucket] += 1
        elif kind == "appeal.filed":
            lines["appeals_filed"][bucket] += 1
        elif kind == "appeal.decided" and p.get("reversed"):
            lines["appeals_reversed"][bucket] += 1
    return {"labels": labels, "bucket_days": width, "by_category": dict(sorted(by_category.items())),
            "automated": lines["automated"], "human": lines["human"], "appeals_filed": lines["appeals_filed"],
            "appeals_reversed": lines["appeals_reversed"]}
