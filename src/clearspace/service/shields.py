"""One-click protection (一键防护) in the store: shields and the protected person's held folder.

A shield is one row per account in ``shields`` (turning it on again replaces it; turning it off
sets ``ended_at``); every interaction :func:`clearspace.protection.shield.check` holds becomes a
row in ``held_interactions``. Times of the shield itself are epoch seconds, as in
:mod:`clearspace.protection.shield`; ``updated_at``, ``ended_at``, ``held_at`` and
``resolved_at`` are the store's ISO text. Answers (:func:`public`) give every time as ISO-8601 text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final, Literal

from clearspace.errors import NotFound
from clearspace.protection.shield import Interaction, Shield, Verdict
from clearspace.service.clock import iso
from clearspace.service.results import HeldView, ShieldView
from clearspace.service.unit import Unit
from clearspace.store import Op, Row, Tx

HELD: Final = "held"
EPOCH_FIELDS: Final = ("starts_at", "expires_at", "reminder_at")
Resolution = Literal["release", "dismiss"]


def to_row(shield: Shield, ts: str) -> Row:
    """The ``shields`` row of ``shield``, written at ``ts``."""
    return {"account": shield.account, "starts_at": shield.starts_at, "expires_at": shield.expires_at,
            "surfaces": sorted(shield.surfaces), "audience": shield.audience,
            "new_follower_days": shield.new_follower_days, "allow_list": sorted(shield.allow),
            "block_list": sorted(shield.block), "drop_above": shield.drop_above, "reminder_s": shield.reminder_s,
            "activated_by": shield.activated_by, "updated_at": ts, "ended_at": None,
            "remind_at": shield.reminder_at, "reminded_at": None}


def public(shield: Shield) -> ShieldView:
    """The shield as answered by the service: its times as ISO-8601 text, like every other time."""
    at = {name: iso(datetime.fromtimestamp(getattr(shield, name), UTC)) for name in EPOCH_FIELDS}
    return {"account": shield.account, "starts_at": at["starts_at"], "expires_at": at["expires_at"],
            "reminder_at": at["reminder_at"], "surfaces": sorted(shield.surfaces), "audience": shield.audience,
            "new_follower_days": shield.new_follower_days, "allow": sorted(shield.allow),
            "block": sorted(shield.block), "drop_above": shield.drop_above, "activated_by": shield.activated_by}


def from_row(row: Row) -> Shield:
    """The :class:`Shield` a ``shields`` row holds."""
    return Shield(account=row["account"], starts_at=float(row["starts_at"]), expires_at=float(row["expires_at"]),
                  surfaces=frozenset(row["surfaces"]), audience=row["audience"],
                  new_follower_days=float(row["new_follower_days"]), allow=frozenset(row["allow_list"]),
                  block=frozenset(row["block_list"]),
                  drop_above=None if row["drop_above"] is None else float(row["drop_above"]),
                  reminder_s=float(row["reminder_s"]), activated_by=row["activated_by"])


def activate(unit: Unit, shield: Shield, actor: str) -> Shield:
    """Store ``shield`` as the account's protection, replacing any earlier one."""
    row = to_row(shield, unit.ts)
    if unit.tx.get("shields", shield.account) is None:
        unit.tx.insert("shields", row)
    else:
        unit.tx.update("shields", {"account": shield.account}, row)
    unit.log("shield.activated", actor, shield.account, {
        "expires_at": shield.expires_at, "surfaces": row["surfaces"], "audience": shield.audience,
        "activated_by": shield.activated_by})
    return shield


def current(tx: Tx, account: str) -> Shield | None:
    """The account's shield unless it was turned off (it may have expired: check ``active``)."""
    rows = tx.select("shields", {"account": account, "ended_at": None}, limit=1)
    return from_row(rows[0]) if rows else None


def active(tx: Tx, account: str, now: float) -> Shield | None:
    """The account's shield if it is in force at ``now`` (epoch seconds)."""
    shield = current(tx, account)
    return shield if shield is not None and shield.active(now) else None


def deactivate(unit: Unit, account: str, actor: str) -> bool:
    """Turn the account's shield off; False when it had none."""
    ended = {"ended_at": unit.ts, "updated_at": unit.ts}
    if not unit.tx.update("shields", {"account": account, "ended_at": None}, ended):
        return False
    unit.log("shield.deactivated", actor, account, {})
    return True


def held_row(held_id: str, account: str, interaction: Interaction, verdict: Verdict, now: float, ts: str, *,
             item_id: str = "", text: str = "") -> Row:
    """The ``held_interactions`` row of one held interaction (``now`` epoch seconds, ``ts`` ISO)."""
    return {"id": held_id, "account": account, "item_id": item_id, "author": interaction.author,
            "surface": interaction.surface, "ts": now, "text": text, "reason": verdict.reason, "status": HELD,
            "held_at": ts, "resolved_at": None}


def hold(unit: Unit, account: str, interaction: Interaction, verdict: Verdict, now: float, *,
         item_id: str = "", text: str = "") -> Row:
    """Put a held interaction into the account's folder."""
    row = held_row(unit.ids.new("held"), account, interaction, verdict, now, unit.ts, item_id=item_id, text=text)
    unit.tx.insert("held_interactions", row)
    return row


def public_held(row: Row) -> HeldView:
    """A held interaction as the API shows it (``id`` is the platform's item id)."""
    return {"id": row["item_id"], "held_id": row["id"], "author": row["author"], "surface": row["surface"],
            "ts": row["ts"], "text": row["text"], "reason": row["reason"], "status": row["status"]}


def folder(tx: Tx, account: str, limit: int = 1000) -> list[Row]:
    """The interactions still waiting in the account's folder, oldest first."""
    return tx.select("held_interactions", {"account": account, "status": HELD}, order_by=["held_at", "ts"],
                     limit=limit)


def resolve(unit: Unit, account: str, held_id: str, decision: Resolution, actor: str) -> Row:
    """Release (deliver after all) or dismiss one held interaction."""
    status = "released" if decision == "release" else "dismissed"
    changes = {"status": status, "resolved_at": unit.ts}
    if not unit.tx.update("held_interactions", {"id": held_id, "account": account, "status": HELD}, changes):
        raise NotFound(f"no held item {held_id!r} for {account!r}")
    unit.log("shield.held_resolved", actor, held_id, {"account": account, "status": status})
    row = unit.tx.get("held_interactions", held_id)
    assert row is not None
    return row


def due_reminders(tx: Tx, now: float, limit: int = 1000) -> list[Row]:
    """Shields in force whose reminder time has come and that were not reminded yet."""
    rows = tx.select("shields", {"ended_at": None, "reminded_at": None, "remind_at": Op("<=", now)},
                     order_by=["remind_at"], limit=limit)
    return [r for r in rows if float(r["expires_at"]) > now]


def mark_reminded(unit: Unit, row: Row) -> bool:
    """Record that this activation was reminded; False when someone else already did (or it changed)."""
    where = {"account": row["account"], "ended_at": None, "reminded_at": None, "expires_at": row["expires_at"],
             "updated_at": row["updated_at"]}
    return unit.tx.update("shields", where, {"reminded_at": unit.ts}) == 1
