"""The service split by domain (issue 14 point 18): typed results that are exactly the JSON answered, and the
rules the faces used to repeat, kept in the service."""

from __future__ import annotations

from typing import Any

import pytest

from clearspace.errors import InputError
from clearspace.protection.events import Event
from clearspace.protection.incidents import Incident
from clearspace.service.core import Service
from clearspace.service.reports import ReportIn
from clearspace.service.results import (
    AccountStatus,
    Answer,
    AppealView,
    CaseRow,
    CaseView,
    DecisionView,
    EventView,
    FiledAppeal,
    IncidentSummary,
    QueueRow,
    ReportAck,
    ReportView,
    ShieldView,
)
from clearspace.service.shield_requests import ShieldRequest


def keys(typed: Any) -> set[str]:
    return set(typed.__required_keys__) | set(typed.__optional_keys__)


def test_the_typed_results_name_exactly_the_keys_answered(service: Service) -> None:
    [answer] = service.ingest.events({"id": "e1", "author": "a", "text": "you idiot", "target_user": "v"})
    assert set(answer) <= keys(Answer) and set(answer) >= Answer.__required_keys__
    decision = service.ingest.decision(answer["decision_id"])
    assert set(decision) <= keys(DecisionView) and set(decision) >= DecisionView.__required_keys__
    assert set(service.ingest.event("e1")) == keys(EventView)
    report = service.cases.file_report(ReportIn(reporter="r", category="abuse", item="e1"))
    case = service.cases.get(report["case_id"])
    assert set(case) == keys(CaseView) and case["event"]["id"] == "e1"
    assert set(report) == keys(ReportAck)
    assert set(service.cases.report(report["id"])) == keys(ReportView)
    [row] = service.cases.queue()
    assert set(row) == keys(QueueRow) and row["id"] == case["id"]
    claimed = service.cases.claim(case["id"], "m1")
    assert set(claimed) == keys(CaseRow) and claimed["lease_owner"] == "m1"
    assert set(service.cases.release(case["id"], "m1")) == keys(CaseRow)
    nxt = service.cases.next("m1")
    assert nxt is not None and set(nxt) == keys(CaseRow)
    filed = service.cases.file_appeal(answer["decision_id"], "a", "it was a joke")
    assert set(filed) == keys(FiledAppeal)
    [pending] = service.cases.appeals()
    assert set(pending) == keys(AppealView) and pending == service.cases.appeal(filed["id"])
    decided = service.cases.decide_appeal(filed["id"], "m2", "upheld", "it was not")
    assert set(decided) == keys(AppealView) and decided == service.cases.appeal(filed["id"])
    shield = service.protection.turn_on(ShieldRequest("v"), role="user", actor="v")
    assert set(shield) == keys(ShieldView) and shield == service.protection.shield("v")
    assert set(service.accounts.status("a")) == keys(AccountStatus)



def test_an_incident_as_listed_names_exactly_its_keys(service: Service) -> None:
    start = 1772362800.0
    incident = Incident(id="inc1", target="v", start=start, detected_at=start + 400, last_ts=start + 400)
    for i, author in enumerate(["a", "b", "c", "d"]):
        incident.add(Event(id=f"e{i}", type="reply", author=author, ts=start + 60 * i, target="v"), 0.9,
                     new_account=False, referral=None, referral_author=None)
    service.protection.record_incidents([incident])
    (listed,) = service.protection.incidents()
    assert set(listed) == keys(IncidentSummary) and listed["target"] == "v"
    detail = service.protection.incident(listed["id"])
    assert {k: detail[k] for k in keys(IncidentSummary)} == listed
    assert sorted(p["account"] for p in detail["participants"]) == ["a", "b", "c", "d"]


@pytest.mark.parametrize("request_", [ShieldRequest("v", days=400), ShieldRequest("v", days=0),
                                      ShieldRequest("v", surfaces=()), ShieldRequest("v", audience="everyone!")])
def test_the_shield_options_are_checked_by_the_service_for_every_face(service: Service,
                                                                      request_: ShieldRequest) -> None:
    with pytest.raises(InputError):
        service.protection.turn_on(request_, role="user", actor="v", via="console:v")
    with pytest.raises(Exception, match="no active protection"):
        service.protection.shield("v")
