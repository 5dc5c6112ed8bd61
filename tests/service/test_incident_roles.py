"""An incident's instigators have one source of truth: ``instigators``, ``participants_by_role``, the
evidence record and batch actions by role all name the same accounts."""

from __future__ import annotations

from clearspace.protection.events import Event
from clearspace.protection.incidents import Incident
from clearspace.service.core import Service

START = 1772362800.0  # 2026-03-01 11:00 UTC


def _incident_quoting_a_source() -> Incident:
    """Four accounts pile on, three of them quoting one post by ``src``, who never writes to the target."""
    incident = Incident(id="inc_src", target="v", start=START, detected_at=START + 400, last_ts=START + 400)
    for i, author in enumerate(["a", "b", "c", "b", "d"]):
        referral = "post-1" if author != "d" else None
        incident.add(Event(id=f"e{i}", type="reply", author=author, ts=START + 60 * i, target="v"), 0.9,
                     new_account=False, referral=referral, referral_author="src" if referral else None)
    return incident


def test_instigators_agree_everywhere(service: Service) -> None:
    incident = _incident_quoting_a_source()
    assert "src" in incident.find_instigators() and "src" not in incident.participants
    service.protection.record_incidents([incident])
    (listed,) = service.protection.incidents()
    detail = service.protection.incident(listed["id"])
    assert detail["instigators"] == detail["participants_by_role"]["instigator"]
    assert "src" in detail["participants_by_role"]["instigator"]
    everyone = [a for accounts in detail["participants_by_role"].values() for a in accounts]
    assert len(everyone) == len(set(everyone)), "an account has two roles"
    acted = service.cases.batch_action("mod", "abuse", "pile-on", incident_id=listed["id"], roles=["instigator"])
    assert sorted(a["account"] for a in acted["accounts"]) == sorted(detail["instigators"])
