"""Clarifications: what the person a rumor is about says about it, shown with the debunk and its labels.

A clarification is one row in ``clarifications``: the debunk, the person's ``account``, their
``text``, when they said it (``stated_at``) and who recorded it. Only a moderator records one
(``cases:work``), after checking that it really comes from that person; a newer clarification from
the same account replaces the older one (which stays in the table, ``status`` ``replaced``).
Recording one is audited (``debunk.clarified``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from clearspace.errors import Conflict, InputError
from clearspace.rumors.views import Card
from clearspace.service import debunks
from clearspace.service.clock import iso, parse_time
from clearspace.service.results_rumors import ClarificationView, SearchCard
from clearspace.service.unit import Unit
from clearspace.store import Op, Row, Tx

MAX_TEXT_CHARS: Final = 5000
MAX_ACCOUNT_CHARS: Final = 200


def public(row: Row) -> ClarificationView:
    """A clarification as the API shows it."""
    return {"id": row["id"], "debunk_id": row["debunk_id"], "account": row["account"], "text": row["text"],
            "stated_at": row["stated_at"], "created_by": row["created_by"], "created_at": row["created_at"]}


def add(unit: Unit, debunk_id: str, account: str, text: str, stated_at: str | None, actor: str) -> Row:
    """Record the person's clarification on an active debunk (replacing their earlier one)."""
    if not isinstance(account, str) or not account.strip() or len(account) > MAX_ACCOUNT_CHARS:
        raise InputError(f"'account' (the person's account) must be 1 to {MAX_ACCOUNT_CHARS} characters")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT_CHARS:
        raise InputError(f"'text' must be 1 to {MAX_TEXT_CHARS} characters")
    if "\x00" in account or "\x00" in text:
        raise InputError("'account' and 'text' must not contain NUL characters")
    debunk = debunks.get(unit.tx, debunk_id)
    if debunk["status"] != debunks.ACTIVE:
        raise Conflict(f"debunk {debunk_id!r} was retracted; a clarification cannot be added to it")
    when = iso(parse_time(stated_at, "stated_at")) if stated_at else unit.ts
    earlier = unit.tx.select("clarifications", {"debunk_id": debunk_id, "account": account, "status": "active"})
    for old in earlier:
        unit.tx.update("clarifications", {"id": old["id"]}, {"status": "replaced", "replaced_at": unit.ts})
    row: Row = {"id": unit.ids.new("clr"), "debunk_id": debunk_id, "account": account, "text": text,
                "stated_at": when, "status": "active", "created_by": actor, "created_at": unit.ts,
                "replaced_at": None}
    unit.tx.insert("clarifications", row)
    unit.log("debunk.clarified", actor, debunk_id, {
        "clarification_id": row["id"], "account": account, "stated_at": when,
        "replaces": [old["id"] for old in earlier]})
    return row


def active_for(tx: Tx, debunk_ids: Iterable[str]) -> dict[str, list[ClarificationView]]:
    """The clarifications in force for each debunk, newest first (debunks without one are left out)."""
    ids = sorted(set(debunk_ids))
    if not ids:
        return {}
    out: dict[str, list[ClarificationView]] = {}
    rows = tx.select("clarifications", {"debunk_id": Op("in", ids), "status": "active"},
                     order_by=["-created_at", "id"])
    for row in rows:
        out.setdefault(row["debunk_id"], []).append(public(row))
    return out


def with_clarifications(tx: Tx, cards: list[Card]) -> list[SearchCard]:
    """Debunk cards (``cards.card``) with the person's clarifications as ``clarifications`` (a list, maybe empty)."""
    found = active_for(tx, (c["debunk_id"] for c in cards))
    return [{**c, "clarifications": found.get(c["debunk_id"], [])} for c in cards]
