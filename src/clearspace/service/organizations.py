"""Organizations (MCNs, agencies) as one actor (issue 16 point 4).

:func:`view` gathers the accounts of an organization with their strikes, incidents instigated,
rumor labels and toxic-traffic ratios. Organization-level measures are never automatic: anyone who
works cases may *propose* one (:func:`propose`), and only a senior moderator confirms or rejects it
(:func:`decide`). A confirmed ``suspend_monetization`` counts against every account of the
organization (rule ``organization``), with the same statement of reasons and appeal as any other.
"""

from __future__ import annotations

from typing import Final

from clearspace.errors import Conflict, InputError, NotFound
from clearspace.service import account_evidence, monetization
from clearspace.service.events import _ident
from clearspace.service.results_accounts import MemberStanding, OrganizationView, OrgProposal
from clearspace.service.unit import Unit
from clearspace.store import Op, Row, Tx

MEASURES: Final = ("warning", "monetization_review", "suspend_monetization")
SUGGEST_AT: Final = 2
"""Ineligible accounts in one organization at which the page suggests a proposal (it never makes one)."""


def members(tx: Tx, organization: str) -> list[Row]:
    return tx.select("accounts", {"organization": organization}, order_by=["id"], limit=10_000)


def view(tx: Tx, organization: str, now: str) -> OrganizationView:
    """The organization's accounts, each with what counts against it, and its proposals."""
    rows = members(tx, _ident(organization, "organization"))
    if not rows:
        raise NotFound(f"no accounts in organization {organization!r}")
    out: list[MemberStanding] = []
    for row in rows:
        account = row["id"]
        standing = tx.get("account_standing", account)
        roles = account_evidence.roles(tx, account)
        answer = monetization.answer(tx, account, now)
        out.append({
            "account": account, "followers": row["followers"], "verified": row["verified"],
            "monetized": row["monetized"], "eligible": answer["eligible"],
            "reasons": [r["rule"] for r in answer["reasons"]],
            "strikes": tx.count("strikes", {"account": account, "expires_at": Op(">", now), "lifted_at": None}),
            "incidents_instigated": sum(1 for r in roles if r["role"] == "instigator"),
            "incidents_first_poster": sum(1 for r in roles if r["role"] == "first_poster"),
            "rumor_labels": tx.count("rumor_posts", {"account": account}),
            "toxic_ratio": standing["ratio"] if standing else 0.0,
            "engagement": standing["engagement"] if standing else 0,
        })
    ineligible = [a["account"] for a in out if not a["eligible"]]
    return {"organization": organization, "accounts": out, "ineligible": ineligible,
            "suggest_proposal": len(ineligible) >= SUGGEST_AT,
            "proposals": [public(p) for p in tx.select("org_proposals", {"organization": organization},
                                                       order_by=["-created_at"], limit=100)]}


def public(row: Row) -> OrgProposal:
    return {"id": row["id"], "organization": row["organization"], "measure": row["measure"], "reason": row["reason"],
            "accounts": row["accounts"], "status": row["status"], "proposed_by": row["proposed_by"],
            "created_at": row["created_at"], "decided_by": row["decided_by"], "decided_at": row["decided_at"],
            "note": row["note"]}


def propose(unit: Unit, organization: str, measure: str, reason: str, actor: str) -> OrgProposal:
    if measure not in MEASURES:
        raise InputError(f"measure must be one of {', '.join(MEASURES)}")
    if not reason.strip() or "\x00" in reason:
        raise InputError("say why: 'reason' is shown to the senior moderator (not empty, no NUL characters)")
    accounts = [r["id"] for r in members(unit.tx, _ident(organization, "organization"))]
    if not accounts:
        raise NotFound(f"no accounts in organization {organization!r}")
    row: Row = {"id": unit.ids.new("orgp"), "organization": organization, "measure": measure, "reason": reason,
                "accounts": accounts, "status": "proposed", "proposed_by": actor, "created_at": unit.ts,
                "decided_by": None, "decided_at": None, "note": None}
    unit.tx.insert("org_proposals", row)
    unit.log("organization.proposed", actor, organization, {"proposal_id": row["id"], "measure": measure,
                                                            "accounts": accounts})
    return public(row)


def decide(unit: Unit, proposal_id: str, confirm: bool, note: str, actor: str) -> OrgProposal:
    """A senior moderator confirms or rejects a proposal (not their own)."""
    row = None if "\x00" in proposal_id else unit.tx.get("org_proposals", proposal_id)
    if row is None:
        raise NotFound(f"no organization proposal {proposal_id!r}")
    if row["status"] != "proposed":
        raise Conflict(f"proposal {proposal_id} was already {row['status']}")
    if row["proposed_by"] == actor:
        raise Conflict("a different senior moderator must confirm a proposal than the one who made it")
    if not note.strip() or "\x00" in note:
        raise InputError("explain the decision: 'note' is kept with the proposal (not empty, no NUL characters)")
    status = "confirmed" if confirm else "rejected"
    unit.tx.update("org_proposals", {"id": proposal_id}, {"status": status, "decided_by": actor,
                                                          "decided_at": unit.ts, "note": note})
    unit.log("organization.decided", actor, row["organization"], {"proposal_id": proposal_id, "status": status,
                                                                   "measure": row["measure"]})
    if confirm:
        for account in row["accounts"]:
            unit.notify(account, "organization.measure", {"organization": row["organization"],
                                                          "measure": row["measure"], "reason": row["reason"]})
        monetization.refresh(unit, row["accounts"])
    return public({**row, "status": status, "decided_by": actor, "decided_at": unit.ts, "note": note})
