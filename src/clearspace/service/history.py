"""Read-only views a reviewer needs beside a case: an account's history, reporters' standing,
pages of the audit log, the policy's rules."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from clearspace.service import decisions, reports
from clearspace.service.results_accounts import AccountHistory, HistoryPost
from clearspace.service.results_cases import ReporterStanding
from clearspace.service.strikes import account_status
from clearspace.store import Op, Row, Tx


def account_history(tx: Tx, account: str, now: str, limit: int = 20) -> AccountHistory:
    """Strikes and restrictions in force, the latest posts by the account with the action on each
    (and the detectors' signals, so a reviewer's view can mark and mask them), and the latest
    decisions about the account (newest first)."""
    status = account_status(tx, account, now)
    events = tx.select("events", {"author": account}, order_by=["-received_at"], limit=limit)
    made = tx.select("decisions", {"event_id": Op("in", [e["id"] for e in events])}, order_by=["created_at"])
    action = {d["event_id"]: d["action"] for d in made if d["status"] == "active"}
    seen: dict[str, list[Any]] = {}
    for d in made:  # the detectors' signals (spans included): the first decision that has any
        if d["signals"] and d["event_id"] not in seen:
            seen[d["event_id"]] = d["signals"]
    posts: list[HistoryPost] = [
        {"id": e["id"], "text": e["text"], "surface": e["surface"], "target_user": e["target_user"],
         "received_at": e["received_at"], "action": action.get(e["id"]), "signals": seen.get(e["id"], [])}
        for e in events]
    about = tx.select("decisions", {"account": account}, order_by=["-created_at"], limit=limit)
    lifted = tx.select("strikes", {"account": account, "lifted_at": Op(">", "")}, order_by=["-created_at"],
                       limit=limit)
    return {**status, "posts": posts, "decisions": [decisions.public(d) for d in about], "lifted_strikes": lifted}


def reporters(tx: Tx, names: Iterable[str]) -> dict[str, ReporterStanding]:
    """Each reporter's weight (reputation in [0, 1]) and whether they are a trusted flagger."""
    out: dict[str, ReporterStanding] = {}
    for name in sorted(set(names)):
        weight, trusted = reports.reporter_weight(tx, name)
        out[name] = {"reputation": round(weight, 3), "trusted": trusted}
    return out


def audit_page(tx: Tx, *, before: int | None = None, kind: str | None = None, subject: str | None = None,
               actor: str | None = None, limit: int = 100) -> list[Row]:
    """Audit entries newest first (by ``id``, the order they were written in, over every chain), optionally
    only ``id < before`` and of one kind, subject or actor."""
    where: dict[str, Any] = {}
    if before is not None:
        where["id"] = Op("<", before)
    for column, value in (("kind", kind), ("subject", subject), ("actor", actor)):
        if value:
            where[column] = value
    return tx.select("audit", where, order_by=["-id"], limit=limit)
