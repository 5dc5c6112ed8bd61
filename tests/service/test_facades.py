"""The service split by domain (issue 14 point 18): typed results that are exactly the JSON answered, and the
rules the faces used to repeat, kept in the service."""

from __future__ import annotations

from typing import Any

import pytest

from clearspace.errors import InputError
from clearspace.service.core import Service
from clearspace.service.reports import ReportIn
from clearspace.service.results import AccountStatus, Answer, CaseView, DecisionView, EventView, ShieldView
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
    shield = service.protection.turn_on(ShieldRequest("v"), role="user", actor="v")
    assert set(shield) == keys(ShieldView) and shield == service.protection.shield("v")
    assert set(service.accounts.status("a")) == keys(AccountStatus)


@pytest.mark.parametrize("request_", [ShieldRequest("v", days=400), ShieldRequest("v", days=0),
                                      ShieldRequest("v", surfaces=()), ShieldRequest("v", audience="everyone!")])
def test_the_shield_options_are_checked_by_the_service_for_every_face(service: Service,
                                                                      request_: ShieldRequest) -> None:
    with pytest.raises(InputError):
        service.protection.turn_on(request_, role="user", actor="v", via="console:v")
    with pytest.raises(Exception, match="no active protection"):
        service.protection.shield("v")
