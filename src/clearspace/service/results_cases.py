"""Typed results of :class:`clearspace.service.facades.cases.CasesFacade` beyond those in
:mod:`clearspace.service.results` (issue 14 point 18): built key by key where the service makes them."""

from typing import Any, NotRequired, TypedDict


class ReporterStanding(TypedDict):
    """A reporter's reputation in [0, 1] and trusted-flagger status: :func:`clearspace.service.history.reporters`."""

    reputation: float
    trusted: bool


class CaseSummary(TypedDict):
    """What a queue row shows beside a case: :func:`clearspace.service.case_summaries.summaries`
    (an incident case: its ``target``, ``participants`` and ``hostile`` events too)."""

    snippet: str
    more: bool
    signals: list[dict[str, Any]]  # the detectors' signals as stored with the decision
    author: str | None
    category: str | None
    target: NotRequired[str]
    participants: NotRequired[int]
    hostile: NotRequired[int]


class Struck(TypedDict):
    """One account of a batch action: its decision, strike and the restrictions the strike brought."""

    account: str
    decision_id: str
    strike_id: str | None
    restrictions: list[str]


class BatchResult(TypedDict):
    """A batch action (``POST /v1/accounts/batch``): :func:`clearspace.service.review.batch_action`."""

    target_user: str | None
    accounts: list[Struck]
    incident_id: NotRequired[str]
