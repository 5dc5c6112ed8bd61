"""Accounts with reach (issue 16 point 1): followers, verified, monetized and organization.

``PUT /v1/accounts/{id}`` sets them (:func:`put`); events may carry them too (``author_followers``,
``author_verified``, ``monetized``, ``organization``), and the newest value wins. Ingest gives the
policy the stored reach of an event's author when the event does not carry it
(:func:`reach_context`), so ``context: author_followers`` conditions work either way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from clearspace.errors import InputError, NotFound
from clearspace.service.events import Event, _ident, check_count
from clearspace.service.results import AccountView
from clearspace.service.results_accounts import Notification
from clearspace.service.unit import Unit
from clearspace.store import Op, Row, Tx

FIELDS: Final = ("followers", "verified", "monetized", "organization")
EVENT_FIELDS: Final[Mapping[str, str]] = {"author_followers": "followers", "author_verified": "verified",
                                          "monetized": "monetized", "organization": "organization"}
"""Event context key -> account column."""


@dataclass(frozen=True, slots=True)
class Reach:
    """What a PUT sets; ``None`` leaves a field as it is."""

    followers: int | None = None
    verified: bool | None = None
    monetized: bool | None = None
    organization: str | None = None

    def changes(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in FIELDS if getattr(self, k) is not None}


def check_reach(raw: Any) -> Reach:
    """A PUT body: an object with only the four fields, each of its type (InputError otherwise)."""
    if not isinstance(raw, Mapping):
        raise InputError(f"the account must be a JSON object, got {type(raw).__name__}")
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise InputError(f"unknown field(s) {', '.join(map(repr, unknown))}; known: {', '.join(FIELDS)}")
    for name in ("verified", "monetized"):
        if raw.get(name) is not None and not isinstance(raw[name], bool):
            raise InputError(f"'{name}' must be true or false, got {type(raw[name]).__name__}")
    followers = check_count(raw["followers"], "followers") if raw.get("followers") is not None else None
    org = raw.get("organization")
    if org is not None and not isinstance(org, str):
        raise InputError(f"'organization' must be a string, got {type(org).__name__}")
    return Reach(followers=followers, verified=raw.get("verified"), monetized=raw.get("monetized"),
                 organization=_ident(org, "organization") if org else None)


def check_id(account: str) -> str:
    return _ident(account, "account")


def public(row: Row) -> AccountView:
    return {"account": row["id"], "followers": row["followers"], "verified": row["verified"],
            "monetized": row["monetized"], "organization": row["organization"], "created_at": row["created_at"],
            "updated_at": row["updated_at"]}


def require(tx: Tx, account: str) -> Row:
    row = None if "\x00" in account else tx.get("accounts", account)
    if row is None:
        raise NotFound(f"no account {account!r}: it has posted nothing and was never set with PUT /v1/accounts")
    return row


def _upsert(unit: Unit, account: str, changes: Mapping[str, Any]) -> tuple[Row, bool]:
    row = unit.tx.get("accounts", account)
    if row is None:
        row = {"id": account, "followers": None, "verified": None, "monetized": None, "organization": None,
               "created_at": unit.ts, "updated_at": unit.ts, **changes}
        unit.tx.insert("accounts", row)
        return row, True
    differ = {k: v for k, v in changes.items() if row[k] != v}
    if differ:
        unit.tx.update("accounts", {"id": account}, {**differ, "updated_at": unit.ts})
        row = {**row, **differ, "updated_at": unit.ts}
    return row, bool(differ)


def put(unit: Unit, account: str, reach: Reach, actor: str) -> AccountView:
    """Set the reach of ``account`` (creating it); audited as ``account.updated``."""
    row, changed = _upsert(unit, check_id(account), reach.changes())
    if changed:
        unit.log("account.updated", actor, account, reach.changes())
    return public(row)


def from_events(unit: Unit, events: Sequence[Event]) -> None:
    """Every author becomes a known account; reach fields the events carry are stored (newest wins)."""
    authors = sorted({str(e.get("author")) for e in events if e.get("author")})
    if not authors:
        return
    known = {r["id"] for r in unit.tx.select("accounts", {"id": Op("in", authors)}, columns=["id"])}
    for event in events:
        author = event.get("author")
        if not author:
            continue
        changes = {column: event.get(key) for key, column in EVENT_FIELDS.items() if event.get(key) is not None}
        if changes or author not in known:
            _upsert(unit, author, changes)
            known.add(author)


def reach_context(tx: Tx, events: Sequence[Event]) -> dict[str, dict[str, Any]]:
    """Per event id, the stored reach of its author for the keys the event does not carry itself."""
    authors = sorted({str(e.get("author")) for e in events if e.get("author")})
    if not authors:
        return {}
    rows = {r["id"]: r for r in tx.select("accounts", {"id": Op("in", authors)})}
    out: dict[str, dict[str, Any]] = {}
    for event in events:
        row = rows.get(str(event.get("author")))
        if row is None:
            continue
        extra = {key: row[column] for key, column in EVENT_FIELDS.items()
                 if event.get(key) is None and row[column] is not None}
        if extra:
            out[event.id] = extra
    return out


def notifications(tx: Tx, recipient: str, limit: int = 100) -> list[Notification]:
    """Messages left for ``recipient``, oldest first."""
    return [{"id": r["id"], "recipient": r["recipient"], "kind": r["kind"], "payload": r["payload"],
             "created_at": r["created_at"]}
            for r in tx.select("notifications", {"recipient": recipient}, order_by=["created_at"], limit=limit)]
