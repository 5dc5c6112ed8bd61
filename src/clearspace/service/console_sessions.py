"""Console sessions kept in the store (migration 11), so that signing out ends a session in every
process: the signed cookie alone (console/session.py) would stay good until it expires.

A row per session: ``id`` (the random id in the cookie), ``key_id``, ``created_at``,
``expires_at`` and ``ended_at`` (set by sign-out). A request is let in only while its row is open
and unexpired and the key is still active.
"""

from __future__ import annotations

from datetime import timedelta

from clearspace.errors import Unauthenticated
from clearspace.service.clock import iso
from clearspace.service.unit import Unit
from clearspace.store import Row, Tx


def start(unit: Unit, sid: str, key_id: str, lifetime_s: float, actor: str) -> None:
    """Open session ``sid`` of ``key_id`` (logged ``console.signed_in``)."""
    unit.tx.insert("console_sessions", {"id": sid, "key_id": key_id, "created_at": unit.ts,
                                        "expires_at": iso(unit.now + timedelta(seconds=lifetime_s)),
                                        "ended_at": None})
    unit.log("console.signed_in", actor, key_id, {"session": sid[:8]})


def key_of(tx: Tx, sid: str, key_id: str, now: str) -> Row:
    """The active API key of open session ``sid``; Unauthenticated when the session or key has ended."""
    session = tx.get("console_sessions", sid) if sid and "\x00" not in sid else None
    if session is None or session["key_id"] != key_id or session["ended_at"] or session["expires_at"] <= now:
        raise Unauthenticated("this session has ended; sign in again")
    key = tx.get("api_keys", key_id)
    if key is None or key["revoked_at"]:
        raise Unauthenticated("this key was revoked; sign in again")
    return key


def end(unit: Unit, sid: str, actor: str) -> bool:
    """Sign-out: the session stops working everywhere (logged ``console.signed_out``)."""
    if not unit.tx.update("console_sessions", {"id": sid, "ended_at": None}, {"ended_at": unit.ts}):
        return False
    unit.log("console.signed_out", actor, sid[:8], {})
    return True
