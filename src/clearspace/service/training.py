"""Training labels: every human judgement on a post becomes a label with its provenance.

A label says whether a stored event is abusive (``abusive``, with an optional ``category``) and
where that came from: ``source`` is ``decision`` (a moderator decided its case), ``report`` (the
decision resolved users' reports on it), ``appeal`` (an appeal against a decision on it was upheld
or reversed; a reversal flips the label) or ``explicit`` (a moderator labelled it, through the API
or the console's labelling lane); ``source_id`` is that decision, report, appeal or nothing, and
``decision_id`` the decision involved. A newer label on the same event supersedes the older one
(``current`` 0, ``superseded_at`` set); every label stays in the history. Each label is written in
the transaction of the judgement it comes from, with a ``training.labelled`` audit event.

Decisions that map to labels: ``allow`` is *not abusive*; ``label``, ``nudge``, ``limit`` and
``remove`` are *abusive*, except in the categories the abuse model does not learn (rumors, spam:
:data:`SKIPPED_CATEGORIES`), which give no label. Rumor labels (their own decision track) give none.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from clearspace.errors import InputError, NotFound
from clearspace.service.results_learning import ExportedLabel, LabelBatch, LabelOutcome, LabelPage, TrainingLabel
from clearspace.service.unit import Unit
from clearspace.store import Op, Row, Store, Tx

SOURCES: Final = ("decision", "report", "appeal", "explicit")
ABUSIVE_ACTIONS: Final = frozenset({"label", "nudge", "limit", "remove"})
SKIPPED_CATEGORIES: Final = frozenset({"rumor", "rumour", "misinformation", "spam"})
MAX_LABELS: Final = 1000
MAX_CATEGORY: Final = 64


@dataclass(frozen=True, slots=True)
class LabelIn:
    """One label to record."""

    event_id: str
    abusive: bool
    source: str
    actor: str
    category: str | None = None
    source_id: str | None = None
    decision_id: str | None = None


def public(row: Row) -> TrainingLabel:
    """A label as the API and the export show it."""
    return {"id": row["seq"], "event_id": row["event_id"], "abusive": bool(row["abusive"]),
            "category": row["category"], "source": row["source"], "source_id": row["source_id"],
            "decision_id": row["decision_id"], "actor": row["actor"], "created_at": row["created_at"],
            "current": bool(row["current"]), "superseded_at": row["superseded_at"]}


def record(unit: Unit, label: LabelIn) -> Row:
    """Store ``label`` as the event's current label (the previous one is superseded) and audit it."""
    if label.source not in SOURCES:
        raise InputError(f"unknown label source {label.source!r}")
    tx = unit.tx
    previous = tx.select("training_labels", {"event_id": label.event_id, "current": 1}, columns=["seq"])
    if previous:
        tx.update("training_labels", {"event_id": label.event_id, "current": 1}, {"current": 0,
                                                                                  "superseded_at": unit.ts})
    tail = tx.last("training_labels", "seq")
    row: Row = {"seq": int(tail["seq"]) + 1 if tail else 1, "event_id": label.event_id,
                "abusive": int(label.abusive), "category": label.category, "source": label.source,
                "source_id": label.source_id, "decision_id": label.decision_id, "actor": label.actor,
                "created_at": unit.ts, "current": 1, "superseded_at": None}
    tx.insert("training_labels", row)
    unit.log("training.labelled", label.actor, label.event_id, {
        "label": row["seq"], "abusive": label.abusive, "category": label.category, "source": label.source,
        "source_id": label.source_id, "decision_id": label.decision_id,
        "supersedes": [r["seq"] for r in previous]})
    return row


def from_decision(unit: Unit, decision: Mapping[str, Any], case_id: str | None = None) -> Row | None:
    """The label a moderator's decision on an event implies (source ``report`` when it resolved reports)."""
    abusive = decision_abusive(decision)
    if abusive is None or not decision.get("event_id"):
        return None
    filed = unit.tx.select("reports", {"case_id": case_id}, order_by=["created_at"], columns=["id"]) if case_id else []
    source, source_id = ("report", filed[0]["id"]) if filed else ("decision", decision["id"])
    return record(unit, LabelIn(event_id=decision["event_id"], abusive=abusive, source=source,
                                actor=decision["decided_by"], category=decision.get("category") or None,
                                source_id=source_id, decision_id=decision["id"]))


def from_appeal(unit: Unit, decision: Mapping[str, Any], appeal_id: str, reversed_: bool, reviewer: str) -> Row | None:
    """The label an appeal outcome implies: the decision's own when upheld, its opposite when reversed."""
    if not decision.get("event_id") or _rumor_track(decision):
        return None
    abusive = decision_abusive(decision)
    if abusive is None:
        return None
    return record(unit, LabelIn(event_id=decision["event_id"], abusive=abusive != reversed_, source="appeal",
                                actor=reviewer, category=decision.get("category") or None, source_id=appeal_id,
                                decision_id=decision["id"]))


def decision_abusive(decision: Mapping[str, Any]) -> bool | None:
    """Whether a decision says its event is abusive (None: it says nothing the abuse model learns)."""
    if _rumor_track(decision) or (decision.get("category") or "").lower() in SKIPPED_CATEGORIES:
        return None
    if decision["action"] == "allow":
        return False
    return True if decision["action"] in ABUSIVE_ACTIONS else None


def _rumor_track(decision: Mapping[str, Any]) -> bool:
    from clearspace.service.labels import is_label_track

    return bool(is_label_track(decision))


def parse_items(raw: Any) -> tuple[list[Any], bool]:
    """``(items, single)`` from one label object or a list of up to :data:`MAX_LABELS`."""
    if isinstance(raw, Mapping):
        return [raw], True
    if not isinstance(raw, list):
        raise InputError("send one label object or a list of them")
    if not raw:
        raise InputError("the list of labels is empty")
    if len(raw) > MAX_LABELS:
        raise InputError(f"at most {MAX_LABELS} labels per request, got {len(raw)}")
    return raw, False


def check_item(item: Any) -> tuple[str, bool, str | None]:
    """``(event_id, abusive, category)`` of one label object, or InputError naming the problem."""
    if not isinstance(item, Mapping):
        raise InputError("a label must be an object with 'event_id' and 'abusive'")
    unknown = sorted(set(item) - {"event_id", "abusive", "category"})
    if unknown:
        raise InputError(f"unknown field(s) {', '.join(unknown)}; a label has event_id, abusive and category")
    event_id, abusive, category = item.get("event_id"), item.get("abusive"), item.get("category")
    if not isinstance(event_id, str) or not event_id or len(event_id) > 200 or "\x00" in event_id:
        raise InputError("'event_id' must be a non-empty string (at most 200 characters)")
    if not isinstance(abusive, bool):
        raise InputError("'abusive' must be true or false")
    if category is not None and (not isinstance(category, str) or not category.strip()
                                 or len(category) > MAX_CATEGORY):
        raise InputError(f"'category' must be a non-empty string of at most {MAX_CATEGORY} characters")
    return event_id, abusive, category.strip() if category else None


def add_explicit(unit: Unit, raw: Any, actor: str) -> TrainingLabel | LabelBatch:
    """Explicit labels: one (answered as stored; InputError / NotFound) or a list (per-item results)."""
    items, single = parse_items(raw)
    results: list[LabelOutcome] = []
    for index, item in enumerate(items):
        try:
            event_id, abusive, category = check_item(item)
            if unit.tx.get("events", event_id) is None:
                raise NotFound(f"no event {event_id!r}: labels are for stored events (send it to /v1/events first)")
        except (InputError, NotFound) as exc:
            if single:
                raise
            results.append({"index": index, "status": "error", "error": str(exc)})
            continue
        row = record(unit, LabelIn(event_id=event_id, abusive=abusive, source="explicit", actor=actor,
                                   category=category))
        results.append({"index": index, "status": "stored", "label": public(row)})
    if single:
        return public(row)
    errors = sum(1 for r in results if r["status"] == "error")
    return {"results": results, "stored": len(results) - errors, "errors": errors}


def page(tx: Tx, after: int = 0, limit: int = 100, current_only: bool = True,
         event_id: str | None = None) -> LabelPage:
    """Labels with ``id`` above ``after``, oldest first: ``{"labels", "next_after"}`` (None at the end)."""
    where: dict[str, Any] = {"seq": Op(">", after)}
    if current_only:
        where["current"] = 1
    if event_id is not None:
        where["event_id"] = event_id
    rows = tx.select("training_labels", where, order_by=["seq"], limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return {"labels": [public(r) for r in rows], "next_after": rows[-1]["seq"] if more else None}


def export(store: Store, current_only: bool = False, batch: int = 1000) -> Iterator[ExportedLabel]:
    """Every label (with its event's text and language), oldest first, for ``clearspace training export``."""
    where: dict[str, Any] = {"current": 1} if current_only else {}
    rows = store.iterate("training_labels", where, order_by=["seq"], batch=batch)
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            yield from _with_text(store, chunk)
            chunk = []
    yield from _with_text(store, chunk)


def _with_text(store: Store, rows: Sequence[Row]) -> Iterator[ExportedLabel]:
    if not rows:
        return
    with store.read() as tx:
        events = {e["id"]: e for e in tx.select("events", {"id": Op("in", sorted({r["event_id"] for r in rows}))},
                                                columns=["id", "text", "lang"])}
    for row in rows:
        event = events.get(row["event_id"], {})
        yield {**public(row), "text": event.get("text"), "lang": event.get("lang")}


def current_labels(tx: Tx) -> list[Row]:
    """Every current label joined with its event's text: ``{"event_id", "abusive", "text", ...}``."""
    labels = tx.select("training_labels", {"current": 1}, order_by=["seq"])
    out: list[Row] = []
    for start in range(0, len(labels), 500):
        chunk = labels[start:start + 500]
        texts = {e["id"]: e["text"] for e in tx.select(
            "events", {"id": Op("in", [r["event_id"] for r in chunk])}, columns=["id", "text"])}
        out.extend({**r, "text": texts[r["event_id"]]} for r in chunk if r["event_id"] in texts)
    return out


def counts(tx: Tx) -> dict[str, int]:
    """How many current labels, abusive and not, and how many in the history."""
    return {"current": tx.count("training_labels", {"current": 1}),
            "abusive": tx.count("training_labels", {"current": 1, "abusive": 1}),
            "history": tx.count("training_labels")}
