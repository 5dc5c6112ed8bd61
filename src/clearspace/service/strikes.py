"""Strikes per account and the ladder of graduated restrictions they step up.

A strike weighs what its policy category says (doxxing and threats weigh more than rude
language) and expires after ``Settings.strike_days``. When the sum of an account's active
strikes crosses a threshold, the matching restriction starts, with an end date, a reason and
a statement of reasons. Reversing the decision behind a strike lifts the strike and what it
triggered.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Final

from clearspace.service.clock import iso
from clearspace.service.results import AccountStatus
from clearspace.service.statements import StatementInput, build_statement
from clearspace.service.unit import Unit
from clearspace.store import Op, Row, Tx

WEIGHTS: Final[Mapping[str, float]] = {
    "doxxing": 3.0, "threat": 3.0, "protection-of-minors": 3.0, "hate": 2.0, "incitement": 2.0, "abuse": 1.0,
}
DEFAULT_WEIGHT: Final = 1.0
NO_STRIKE: Final = frozenset({"self-harm", "personal-information"})

LADDER: Final[tuple[tuple[float, str, float], ...]] = (
    (1.0, "warning", 0.0),
    (2.0, "pre_send_friction", 7.0),
    (4.0, "comment_dm_limit", 14.0),
    (6.0, "temporary_mute", 3.0),
    (8.0, "demonetization", 30.0),
    (10.0, "suspension", 30.0),
)
"""``(active strike weight, restriction, days)``: a step starts when the total crosses it."""


def weight_for(category: str) -> float:
    return 0.0 if category in NO_STRIKE else WEIGHTS.get(category, DEFAULT_WEIGHT)


def active_weight(tx: Tx, account: str, now: str) -> float:
    rows = tx.select("strikes", {"account": account, "expires_at": Op(">", now), "lifted_at": None})
    return float(sum(r["weight"] for r in rows))


def active_restrictions(tx: Tx, account: str, now: str) -> list[Row]:
    return tx.select("restrictions", {"account": account, "ends_at": Op(">", now), "lifted_at": None},
                     order_by=["starts_at"])


def add_strike(unit: Unit, account: str, category: str, decision_id: str | None, actor: str,
               weight: float | None = None) -> tuple[Row | None, list[Row]]:
    """Record a strike and start every restriction whose threshold it crosses."""
    weight = weight_for(category) if weight is None else weight
    if weight <= 0:
        return None, []
    unit.lock("account", account)  # the total read next must not move before this strike is added
    before = active_weight(unit.tx, account, unit.ts)
    strike: Row = {"id": unit.ids.new("stk"), "account": account, "category": category, "weight": weight,
                   "decision_id": decision_id, "created_at": unit.ts,
                   "expires_at": iso(unit.now + timedelta(days=unit.settings.strike_days))}
    unit.tx.insert("strikes", strike)
    unit.log("strike.added", actor, account, {"strike_id": strike["id"], "category": category, "weight": weight,
                                              "decision_id": decision_id, "total": before + weight})
    steps = [s for s in LADDER if before < s[0] <= before + weight]
    return strike, [_restrict(unit, account, kind, days, category, decision_id, actor, before + weight)
                    for _, kind, days in steps]


def _restrict(unit: Unit, account: str, kind: str, days: float, category: str, decision_id: str | None,
              actor: str, total: float) -> Row:
    ends = iso(unit.now + timedelta(days=days))
    reason = f"{total:g} active strike points (latest: {category}) reached the '{kind}' step"
    row: Row = {"id": unit.ids.new("rst"), "account": account, "kind": kind, "reason": reason,
                "decision_id": decision_id, "starts_at": unit.ts, "ends_at": ends}
    unit.tx.insert("restrictions", row)
    body = build_statement(StatementInput(
        decision_id=row["id"], action="restrict", category=category, facts=reason, automated_detection=True,
        automated_decision=True, human_involved=False, source_type="own_initiative", content_date=None,
        application_date=unit.ts, end_date=ends, restriction=kind))
    statement_id = unit.ids.new("sor")
    unit.tx.insert("statements", {"id": statement_id, "decision_id": row["id"], "account": account,
                                  "created_at": unit.ts, "body": body})
    unit.log("restriction.applied", actor, account, {"restriction_id": row["id"], "kind": kind, "ends_at": ends,
                                                     "decision_id": decision_id, "statement_id": statement_id})
    unit.emit("restriction.applied", {"account": account, "kind": kind, "ends_at": ends, "reason": reason})
    unit.notify(account, "restriction", {"kind": kind, "ends_at": ends, "reason": reason})
    return row


def lift_for_decision(unit: Unit, decision_id: str, actor: str) -> dict[str, int]:
    """Lift the strikes and restrictions that ``decision_id`` caused (after a reversal)."""
    strikes = unit.tx.update("strikes", {"decision_id": decision_id, "lifted_at": None}, {"lifted_at": unit.ts})
    lifted = unit.tx.select("restrictions", {"decision_id": decision_id, "lifted_at": None})
    unit.tx.update("restrictions", {"decision_id": decision_id, "lifted_at": None}, {"lifted_at": unit.ts})
    for row in lifted:
        unit.log("restriction.lifted", actor, row["account"], {"restriction_id": row["id"], "kind": row["kind"]})
    return {"strikes": strikes, "restrictions": len(lifted)}


def account_status(tx: Tx, account: str, now: str) -> AccountStatus:
    """An account's active strikes, their total and its active restrictions."""
    strikes = tx.select("strikes", {"account": account, "expires_at": Op(">", now), "lifted_at": None},
                        order_by=["created_at"])
    return {"account": account, "strike_points": float(sum(s["weight"] for s in strikes)), "strikes": strikes,
            "restrictions": active_restrictions(tx, account, now)}
