"""The creator record (issue 16 point 5): what was decided about an account, why, what counts
against its monetization and when each thing expires; shown to the account holder as is."""

from __future__ import annotations

from datetime import datetime

from clearspace.service import account_evidence, accounts, monetization, strikes, traffic
from clearspace.service.results_accounts import CreatorRecord
from clearspace.store import Op, Tx

DECISIONS = 200


def record(tx: Tx, account: str, now: datetime, ratio_days: float) -> CreatorRecord:
    row = accounts.require(tx, account)
    ts = now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    decided = [d for d in tx.select("decisions", {"account": account}, order_by=["-created_at"], limit=DECISIONS)
               if not (d["automated"] and d["action"] == "allow")]  # what was decided *about* the account
    ids = Op("in", [d["id"] for d in decided])
    statements = {s["decision_id"]: s for s in tx.select("statements", {"decision_id": ids})}
    appeals = {a["decision_id"]: a for a in tx.select("appeals", {"decision_id": ids})}
    standing = monetization.standing_of(tx, account)
    return {
        "account": accounts.public(row),
        "monetization": monetization.answer(tx, account, ts),
        "traffic": {"ratio": standing["ratio"] if standing else 0.0,
                    "engagement": standing["engagement"] if standing else 0,
                    "hostile": standing["hostile"] if standing else 0, "days": ratio_days,
                    "daily": traffic.daily(tx, account, now, ratio_days),
                    "posts": traffic.hostile_posts(tx, account, 10)},
        "decisions": [{"id": d["id"], "event_id": d["event_id"], "action": d["action"], "category": d["category"],
                       "status": d["status"], "created_at": d["created_at"], "reasons": d["reasons"],
                       "automated": bool(d["automated"]), "statement_id": statements[d["id"]]["id"]
                       if d["id"] in statements else None,
                       "appeal": {"id": appeals[d["id"]]["id"], "status": appeals[d["id"]]["status"],
                                  "outcome": appeals[d["id"]]["outcome"]}
                       if d["id"] in appeals else None} for d in decided],
        "strikes": [{"id": s["id"], "category": s["category"], "created_at": s["created_at"],
                     "expires_at": s["expires_at"], "decision_id": s["decision_id"]}
                    for s in strikes.account_status(tx, account, ts)["strikes"]],
        "restrictions": strikes.active_restrictions(tx, account, ts),
        "incident_roles": account_evidence.roles(tx, account),
        "rumor_labels": tx.count("rumor_posts", {"account": account}),
    }
