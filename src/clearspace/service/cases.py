"""Review queues: one case per item (or incident, or appeal), priority lanes, leases, SLA timers.

Lanes, most urgent first: ``minors`` (the target is a minor), ``pileon`` (the target is under
an active pile-on), ``trusted_flagger``, ``severity`` (high-priority policy rules), ``appeal``
and ``standard``. Within a lane a higher rule priority comes first, then the older case. A
moderator claims a case with a lease; nobody else can claim or decide it until the lease ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any, Final

from clearspace.errors import Conflict, InputError, NotFound
from clearspace.service.clock import iso
from clearspace.service.results import CaseRow, QueueRow
from clearspace.service.unit import Unit
from clearspace.store import Op, Row, Tx

LANES: Final[tuple[str, ...]] = ("minors", "pileon", "trusted_flagger", "severity", "appeal", "standard")
SEVERITY_PRIORITY: Final = 80


def lane_rank(lane: str) -> int:
    return LANES.index(lane) if lane in LANES else len(LANES)


def choose_lane(*, minor: bool = False, pileon: bool = False, trusted: bool = False, priority: int = 0,
                appeal: bool = False) -> str:
    """The most urgent lane that applies."""
    if minor:
        return "minors"
    if pileon:
        return "pileon"
    if trusted:
        return "trusted_flagger"
    if priority >= SEVERITY_PRIORITY:
        return "severity"
    return "appeal" if appeal else "standard"


def open_case(unit: Unit, *, subject_id: str, kind: str, lane: str, priority: int, actor: str,
              event_id: str | None = None, account: str | None = None, reports: int = 0,
              brigade: bool = False) -> Row:
    """Open a case for ``subject_id`` or fold this into the one already open (never one per report)."""
    unit.lock("case", subject_id)  # ingest and a report may open the same subject's case at once
    existing = unit.tx.select("cases", {"subject_id": subject_id}, limit=1)
    due = iso(unit.now + timedelta(hours=unit.settings.sla_hours.get(lane, 24.0)))
    if existing and existing[0]["status"] == "open":
        case = existing[0]
        better = lane if lane_rank(lane) < lane_rank(case["lane"]) else case["lane"]
        changes = {"lane": better, "priority": max(priority, case["priority"]), "reports": case["reports"] + reports,
                   "brigade": int(bool(case["brigade"]) or brigade), "due_at": min(case["due_at"], due)}
        unit.tx.update("cases", {"id": case["id"]}, changes)
        return {**case, **changes}
    case = {"id": existing[0]["id"] if existing else unit.ids.new("case"), "subject_id": subject_id, "kind": kind,
            "event_id": event_id, "account": account, "lane": lane, "priority": priority, "status": "open",
            "reports": reports, "brigade": int(brigade), "opened_at": unit.ts, "due_at": due, "lease_owner": None,
            "lease_until": None, "closed_at": None, "decision_id": None}
    if existing:
        unit.tx.update("cases", {"id": case["id"]}, case)
    else:
        unit.tx.insert("cases", case)
    unit.log("case.opened", actor, case["id"], {"subject_id": subject_id, "kind": kind, "lane": lane,
                                                "priority": priority, "reopened": bool(existing)})
    unit.emit("case.opened", {"case_id": case["id"], "lane": lane, "kind": kind, "subject_id": subject_id})
    return case


def get_case(tx: Tx, case_id: str) -> Row:
    case = tx.get("cases", case_id)
    if case is None:
        raise NotFound(f"no case {case_id!r}")
    return case


def case_row(case: Row) -> CaseRow:
    """A stored case as answered, key by key."""
    return {"id": case["id"], "subject_id": case["subject_id"], "kind": case["kind"], "event_id": case["event_id"],
            "account": case["account"], "lane": case["lane"], "priority": case["priority"],
            "status": case["status"], "reports": case["reports"], "brigade": case["brigade"],
            "opened_at": case["opened_at"], "due_at": case["due_at"], "lease_owner": case["lease_owner"],
            "lease_until": case["lease_until"], "closed_at": case["closed_at"], "decision_id": case["decision_id"]}


def queue(tx: Tx, now: str, *, lane: str | None = None, status: str = "open", limit: int = 100) -> list[QueueRow]:
    """Cases in review order, each with ``overdue`` and whether its lease is held."""
    where: dict[str, Any] = {"status": status}
    if lane:
        where["lane"] = lane
    rows = tx.select("cases", where, order_by=["opened_at"], limit=5000)
    rows.sort(key=lambda c: (lane_rank(c["lane"]), -c["priority"], c["opened_at"]))
    out: list[QueueRow] = []
    for c in rows[:limit]:
        row = case_row(c)
        out.append({**row, "overdue": c["status"] == "open" and c["due_at"] < now,
                    "leased": bool(c["lease_until"] and c["lease_until"] > now)})
    return out


def claim(unit: Unit, case_id: str, owner: str) -> Row:
    """Lease the case to ``owner`` for ``Settings.lease_minutes`` (renews the owner's own lease)."""
    case = get_case(unit.tx, case_id)
    if case["status"] != "open":
        raise Conflict(f"case {case_id} is {case['status']}; only open cases can be claimed")
    if case["lease_owner"] not in (None, owner) and (case["lease_until"] or "") > unit.ts:
        raise Conflict(f"case {case_id} is claimed by someone else until {case['lease_until']}")
    until = iso(unit.now + timedelta(minutes=unit.settings.lease_minutes))
    unit.tx.update("cases", {"id": case_id}, {"lease_owner": owner, "lease_until": until})
    unit.log("case.claimed", owner, case_id, {"lease_until": until})
    return {**case, "lease_owner": owner, "lease_until": until}


def next_case(unit: Unit, owner: str, lane: str | None = None) -> Row | None:
    """Claim the most urgent open case nobody holds; None when the queue is empty."""
    where: dict[str, Any] = {"status": "open"}
    if lane:
        where["lane"] = lane
    free = [c for c in unit.tx.select("cases", where) if not c["lease_until"] or c["lease_until"] <= unit.ts
            or c["lease_owner"] == owner]
    if not free:
        return None
    free.sort(key=lambda c: (lane_rank(c["lane"]), -c["priority"], c["opened_at"]))
    return claim(unit, free[0]["id"], owner)


def release(unit: Unit, case_id: str, owner: str) -> Row:
    case = require_lease(unit, case_id, owner)
    unit.tx.update("cases", {"id": case_id}, {"lease_owner": None, "lease_until": None})
    unit.log("case.released", owner, case_id, {})
    return {**case, "lease_owner": None, "lease_until": None}


def require_lease(unit: Unit, case_id: str, owner: str) -> Row:
    """The case, if ``owner`` holds a live lease on it; Conflict otherwise."""
    case = get_case(unit.tx, case_id)
    if case["status"] != "open":
        raise Conflict(f"case {case_id} is already {case['status']}")
    if case["lease_owner"] != owner or (case["lease_until"] or "") <= unit.ts:
        raise Conflict(f"claim case {case_id} first (POST /v1/cases/{case_id}/claim); you hold no live lease on it")
    return case


def close(unit: Unit, case: Row, decision_id: str | None, actor: str) -> None:
    unit.tx.update("cases", {"id": case["id"]}, {"status": "closed", "closed_at": unit.ts,
                                                 "decision_id": decision_id, "lease_owner": None,
                                                 "lease_until": None})
    unit.log("case.closed", actor, case["id"], {"decision_id": decision_id, "lane": case["lane"],
                                                "opened_at": case["opened_at"], "overdue": case["due_at"] < unit.ts})


PILEON_LOOKS: Final = (100, 2000)
"""How many of a target's latest events :func:`pileon_active` reads: the first number, then (only when those
do not settle it) the second; so its cost does not grow with the events stored."""


def pileon_active(tx: Tx, target: str | None, since: str, minimum: int) -> bool:
    """Whether ``target`` drew flagged events from at least ``minimum`` distinct authors since ``since``
    (among its latest 2,000 events: read the latest 100 first, which is enough under a pile-on)."""
    if not target:
        return False
    for limit in PILEON_LOOKS:
        events = tx.select("events", {"target_user": target, "received_at": Op(">=", since)},
                           order_by=["-received_at"], limit=limit, columns=["id", "author"])
        if len({e["author"] for e in events}) < minimum:
            return False
        flagged = tx.select("decisions", {"event_id": Op("in", [e["id"] for e in events]),
                                          "action": Op("in", ["nudge", "hold", "limit", "remove"])},
                            columns=["event_id"])
        ids = {d["event_id"] for d in flagged}
        if len({e["author"] for e in events if e["id"] in ids}) >= minimum:
            return True
        if len(events) < limit:
            return False
    return False


def incident_subject(incident: Mapping[str, Any]) -> str:
    """The case subject of a pile-on incident: its target and start (stable across replays)."""
    target, start = incident.get("target"), incident.get("start")
    if not target or not start:
        raise InputError("an incident needs its 'target' and 'start' (as written by clearspace replay)")
    return f"incident:{target}:{start}"


def open_incident_case(unit: Unit, incident: Mapping[str, Any], actor: str) -> Row:
    """One review case per pile-on incident (lane ``pileon``, ``minors`` for a minor target).

    ``incident`` is the replay record (:meth:`clearspace.protection.incidents.Incident.to_dict`).
    Feeding the same incident again folds into its case. The case has no ``account``: deciding it
    must never strike the target; participants are acted on with the batch action.
    """
    subject = incident_subject(incident)
    participants = list(incident.get("participants") or [])
    case = open_case(unit, subject_id=subject, kind="incident", actor=actor,
                     lane=choose_lane(minor=bool(incident.get("minor")), pileon=True),
                     priority=min(SEVERITY_PRIORITY - 1, len(participants)))
    unit.log("incident.recorded", actor, case["id"], {
        "target": incident["target"], "start": incident["start"], "detected_at": incident.get("detected_at"),
        "participants": participants, "instigators": list(incident.get("instigators") or [])})
    return case
