"""What counts against an account's monetization, read from the store (issue 16 point 3).

Each function answers :class:`~clearspace.accountability.eligibility.Evidence` items of one rule for
one account since a time; they read a handful of indexed rows, never the events. The pile-on roles
and labelled posts they read are written as things happen (:func:`note_incident_roles`,
:func:`note_rumor_post`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from clearspace.accountability.eligibility import Evidence
from clearspace.service.results_accounts import IncidentRole
from clearspace.service.unit import Unit
from clearspace.store import Op, Tx

COUNTED_ROLES: Final = ("instigator", "first_poster")
CONFIRMING: Final = frozenset({"label", "nudge", "limit", "remove"})
"""Actions on an incident's case that confirm the pile-on (``allow`` rejects it)."""
ORG_SUSPEND: Final = "suspend_monetization"


def note_incident_roles(unit: Unit, incident_id: str, participants: Sequence[Mapping[str, Any]],
                        instigators: Sequence[str], start_at: str) -> None:
    """Remember who instigated or first posted in an incident (written once per account and incident)."""
    roles = {a: "instigator" for a in instigators}
    for p in participants:
        if p.get("role") == "first_poster" and p["account"] not in roles:
            roles[p["account"]] = "first_poster"
    for account, role in roles.items():
        key = f"{incident_id}|{account}"
        row = unit.tx.get("incident_roles", key)
        if row is None:
            unit.tx.insert("incident_roles", {"id": key, "incident_id": incident_id, "account": account,
                                              "role": role, "start_at": start_at, "created_at": unit.ts})
        elif row["role"] != role:
            unit.tx.update("incident_roles", {"id": key}, {"role": role})


def note_rumor_post(unit: Unit, account: str | None, event_id: str, debunk_id: str) -> None:
    """Remember a post of ``account`` that got a rumor label."""
    if account:
        unit.tx.insert("rumor_posts", {"id": event_id, "account": account, "debunk_id": debunk_id, "at": unit.ts},
                       ignore_conflict=True)


def strikes(tx: Tx, account: str, since: str, now: str) -> list[Evidence]:
    rows = tx.select("strikes", {"account": account, "created_at": Op(">", since), "lifted_at": None})
    return [Evidence("strike", r["id"], r["created_at"], {"category": r["category"], "decision_id": r["decision_id"]})
            for r in rows if r["expires_at"] > now]


def roles(tx: Tx, account: str, since: str = "") -> list[IncidentRole]:
    """The account's instigator and first-poster roles in incidents starting after ``since``."""
    rows = tx.select("incident_roles", {"account": account, "start_at": Op(">", since)}, order_by=["-start_at"])
    return [{"incident_id": r["incident_id"], "role": r["role"], "start_at": r["start_at"]} for r in rows]


def confirmed_instigations(tx: Tx, account: str, since: str) -> list[Evidence]:
    """Incidents the account instigated whose case a moderator decided with a confirming action that stands."""
    out = []
    for role in roles(tx, account, since):
        if role["role"] != "instigator":
            continue
        incident = tx.get("incidents", role["incident_id"])
        case = tx.get("cases", incident["case_id"]) if incident and incident["case_id"] else None
        decision = tx.get("decisions", case["decision_id"]) if case and case["decision_id"] else None
        if decision and decision["action"] in CONFIRMING and decision["status"] == "active":
            out.append(Evidence("incident", role["incident_id"], decision["created_at"],
                                {"case_id": case["id"] if case else None, "decision_id": decision["id"],
                                 "started": role["start_at"]}))
    return out


def rumor_posts(tx: Tx, account: str, since: str) -> list[Evidence]:
    rows = tx.select("rumor_posts", {"account": account, "at": Op(">", since)})
    if not rows:
        return []
    active = {r["event_id"] for r in tx.select("post_labels", {"event_id": Op("in", [r["id"] for r in rows]),
                                                               "status": "active"}, columns=["event_id"])}
    return [Evidence("rumor_post", r["id"], r["at"], {"debunk_id": r["debunk_id"]}) for r in rows if r["id"] in active]


def org_measures(tx: Tx, organization: str | None, since: str) -> list[Evidence]:
    if not organization:
        return []
    rows = tx.select("org_proposals", {"organization": organization, "status": "confirmed", "measure": ORG_SUSPEND,
                                       "decided_at": Op(">", since)})
    return [Evidence("org_measure", r["id"], r["decided_at"], {"organization": organization}) for r in rows]
