"""The service's own seams (issue 14 point 18): its lifecycle, and rules the faces share."""

from __future__ import annotations

import pytest

from clearspace.errors import NotFound, PermissionDenied, StoreError
from clearspace.protection.events import Event
from clearspace.protection.incidents import Incident
from clearspace.service.core import Service
from clearspace.service.shield_requests import ShieldRequest


def test_the_service_is_a_context_manager_that_closes_its_store(service: Service) -> None:
    with service as same:
        assert same is service
        assert service.admin.list_keys() == []
    with pytest.raises(StoreError, match="closed"):
        service.admin.list_keys()


def test_assisted_protection_needs_a_role_that_works_cases(service: Service) -> None:
    for role in ("ingest", "auditor"):
        with pytest.raises(PermissionDenied, match="cases:work"):
            service.protection.turn_on(ShieldRequest("kid", assisted=True), role=role, actor=f"{role}:x")
    with pytest.raises(NotFound):
        service.protection.shield("kid")  # nothing was stored by the refused activations
    shield = service.protection.turn_on(ShieldRequest("kid", days=3, assisted=True), role="moderator",
                                        actor="moderator:m", via="console:moderator:m")
    assert shield["activated_by"] == "assisted:moderator:m"
    assert service.protection.shield("kid")["activated_by"] == "assisted:moderator:m"


def test_unassisted_protection_is_recorded_as_the_face_says(service: Service) -> None:
    shield = service.protection.turn_on(ShieldRequest("adult", surfaces=("dms",)), role="ingest", actor="ingest:p")
    assert shield["activated_by"] == "self" and shield["surfaces"] == ["dms"]
    shield = service.protection.turn_on(ShieldRequest("adult"), role="moderator", actor="moderator:m",
                                        via="console:moderator:m")
    assert shield["activated_by"] == "console:moderator:m"


def _incident(number: int, target: str) -> Incident:
    start = 1772362800.0 + number * 7200
    incident = Incident(id=f"inc_{number}", target=target, start=start, detected_at=start + 200, last_ts=start + 200)
    for i, author in enumerate(("a", "b", "c")):
        incident.add(Event(id=f"e{number}_{i}", type="reply", author=author, ts=start + i, target=target), 0.9,
                     new_account=False, referral=None, referral_author=None)
    return incident


def test_the_incident_of_a_case_is_found_however_many_incidents_came_after(service: Service) -> None:
    service.protection.record_incidents([_incident(0, "first")])
    first = service.protection.incidents(target="first")[0]
    assert first["case_id"]
    service.protection.record_incidents([_incident(n, f"t{n}") for n in range(1, 4)])
    found = service.protection.incident_for_case(first["case_id"])
    assert found is not None and found["id"] == first["id"] and found == service.protection.incident(first["id"])
    assert service.protection.incident_for_case("case_missing") is None
    assert service.protection.incident_for_case("bad\x00id") is None
