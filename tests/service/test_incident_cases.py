"""A pile-on incident fed to the service opens one review case."""

from __future__ import annotations

from typing import Any

import pytest

from clearspace.errors import InputError
from clearspace.protection.events import Event
from clearspace.protection.incidents import Incident
from clearspace.service.core import Service

INCIDENT: dict[str, Any] = {"id": "inc_000001", "target": "victim", "start": "2026-03-01T11:00:00Z",
                            "detected_at": "2026-03-01T11:05:00Z", "participants": ["a", "b", "c", "d"],
                            "instigators": ["a"]}


def test_one_case_per_incident_in_the_pileon_lane(service: Service) -> None:
    case = service.cases.open_incident_case(INCIDENT)
    again = service.cases.open_incident_case(dict(INCIDENT, id="inc_000009"))  # a second replay numbers it anew
    assert again["id"] == case["id"]
    queue = service.cases.queue(lane="pileon")
    assert [(c["id"], c["kind"], c["subject_id"], c["account"]) for c in queue] == [
        (case["id"], "incident", "incident:victim:2026-03-01T11:00:00Z", None)]
    recorded = [r for r in service.admin.export_audit() if r["kind"] == "incident.recorded"]
    assert recorded[0]["payload"]["participants"] == ["a", "b", "c", "d"]


def test_a_minor_target_goes_to_the_minors_lane(service: Service) -> None:
    assert service.cases.open_incident_case(dict(INCIDENT, minor=True))["lane"] == "minors"


def test_an_in_process_incident_opens_its_case(service: Service) -> None:
    incident = Incident(id="inc_1", target="v", start=1772362800.0, detected_at=1772363000.0, last_ts=1772363000.0)
    incident.add(Event(id="e1", type="reply", author="a", ts=1772362800.0, target="v"), 0.9, new_account=False,
                 referral=None, referral_author=None)
    assert service.cases.open_incident_case(incident.to_dict())["lane"] == "pileon"


def test_an_incident_without_target_is_refused(service: Service) -> None:
    with pytest.raises(InputError, match="'target' and 'start'"):
        service.cases.open_incident_case({"participants": ["a"]})


def test_deciding_an_incident_case_never_strikes_the_target(service: Service) -> None:
    case = service.cases.open_incident_case(INCIDENT)
    service.cases.claim(case["id"], "mod")
    decision = service.cases.decide(case["id"], "mod", "remove", "abuse", "coordinated pile-on")
    assert decision["action"] == "remove"
    assert service.accounts.status("victim")["strikes"] == []
    assert service.cases.queue(lane="pileon") == []
