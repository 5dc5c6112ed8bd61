"""Moderators check the labels claim matching put on posts, and watch crowd notes.

An automatic label stays up while it waits; a moderator confirms it (it stays, marked as
checked) or rejects it (it is withdrawn, its decision reversed, the author told). Either is
audited. This is the console's "matches awaiting confirmation".
"""

from __future__ import annotations

from typing import Any

from clearspace.errors import Conflict, InputError, NotFound
from clearspace.service import labels, notes
from clearspace.service.results_rumors import LabelToReview, LabelView, NoteToReview
from clearspace.service.unit import Unit
from clearspace.store import Op, Tx


def recent(tx: Tx, *, waiting: bool = True, limit: int = 100) -> list[LabelToReview]:
    """Labels newest first, each with its post's text and author; ``waiting``: active and not yet checked."""
    where: dict[str, Any] = {"status": labels.ACTIVE, "reviewed_at": None} if waiting else {}
    rows = tx.select("post_labels", where, order_by=["-created_at", "id"], limit=limit)
    events = {e["id"]: e for e in tx.select("events", {"id": Op("in", [r["event_id"] for r in rows])})} if rows else {}
    out: list[LabelToReview] = []
    for label in labels.public_many(tx, rows):
        event = events.get(label["event_id"]) or {}
        out.append({**label, "post": {"text": event.get("text", ""), "author": event.get("author")}})
    return out


def review(unit: Unit, label_id: str, actor: str, confirm: bool, reason: str) -> LabelView:
    """Confirm or reject one active, unchecked label; rejecting withdraws it and reverses its decision."""
    row = None if "\x00" in label_id else unit.tx.get("post_labels", label_id)
    if row is None:
        raise NotFound(f"no label {label_id!r}")
    if row["status"] != labels.ACTIVE:
        raise Conflict(f"label {label_id} is {row['status']}")
    if row.get("reviewed_at"):
        raise Conflict(f"label {label_id} was already checked by {row['reviewed_by']}")
    if not confirm and not reason.strip():
        raise InputError("say why the label is wrong: 'reason' is sent to the post's author")
    unit.tx.update("post_labels", {"id": label_id}, {"reviewed_by": actor, "reviewed_at": unit.ts})
    if not confirm:
        labels.withdraw(unit, [row], reason, actor, decision_status="reversed")
    unit.log("label.confirmed" if confirm else "label.rejected", actor, row["event_id"],
             {"label_id": label_id, "debunk_id": row["debunk_id"], "decision_id": row["decision_id"],
              "reason": reason})
    stored = unit.tx.get("post_labels", label_id)
    assert stored is not None
    return labels.public_many(unit.tx, [stored])[0]


def recent_notes(tx: Tx, *, status: str | None = None, limit: int = 100) -> list[NoteToReview]:
    """Crowd notes newest first (one status only, when given), with their post's text."""
    where: dict[str, Any] = {"status": status} if status else {}
    rows = tx.select("notes", where, order_by=["-created_at", "id"], limit=limit)
    events = {e["id"]: e for e in tx.select("events", {"id": Op("in", [r["event_id"] for r in rows])})} if rows else {}
    return [{**notes.public(r), "post": {"text": (events.get(r["event_id"]) or {}).get("text", "")}} for r in rows]
