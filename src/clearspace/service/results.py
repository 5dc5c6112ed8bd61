"""Typed results of the service's facades (issue 14 point 18).

The API passes these straight to JSON, so they are :class:`~typing.TypedDict`: typed for mypy at the faces,
and at run time the very dicts (so the JSON the API answers is unchanged). Each is built key by key where
the service makes it (the functions named below), not cast from a row.
"""


from typing import Any, NotRequired, TypedDict

from clearspace.service.results_rumors import LabelView


class Answer(TypedDict):
    """What ingest answers for one event (``POST /v1/events``): :func:`clearspace.service.pipeline.answer_for`."""

    id: str
    decision_id: str
    action: str
    category: str | None
    scores: dict[str, float]
    signals: list[dict[str, Any]]
    rules: list[str]
    reasons: list[str]
    labels: list[str]
    verdict: dict[str, Any] | None
    language: str | None
    statement_id: str | None
    duplicate: bool
    rumor_labels: list[LabelView]
    case_id: NotRequired[str]


class DecisionView(TypedDict):
    """A decision as the API shows it: :func:`clearspace.service.decisions.public`."""

    id: str
    event_id: str | None
    account: str | None
    action: str
    category: str | None
    decided_by: str | None
    source_type: str
    status: str
    scores: dict[str, float]
    signals: list[dict[str, Any]]
    rules: list[str]
    reasons: list[str]
    labels: list[str]
    created_at: str
    supersedes: str | None
    model_version: str | None
    automated: bool
    statement_of_reasons: NotRequired[dict[str, Any]]


class EventView(TypedDict):
    """A stored event with its decisions: :func:`clearspace.service.decisions.event_view`."""

    id: str
    type: str
    author: str | None
    target_user: str | None
    parent: str | None
    surface: str | None
    lang: str | None
    text: str
    ts: str | None
    received_at: str
    context: dict[str, Any]
    decisions: list[DecisionView]


class CaseRow(TypedDict):
    """A review case as stored (claim, release, next): :func:`clearspace.service.cases.case_row`."""

    id: str
    subject_id: str
    kind: str
    event_id: str | None
    account: str | None
    lane: str
    priority: int
    status: str
    reports: int
    brigade: bool
    opened_at: str
    due_at: str
    lease_owner: str | None
    lease_until: str | None
    closed_at: str | None
    decision_id: str | None


class CaseView(CaseRow):
    """A review case with its reports and event: :meth:`clearspace.service.facades.cases.CasesFacade.get`."""

    reports_filed: list["ReportView"]
    event: NotRequired[EventView]


class ShieldView(TypedDict):
    """A shield as answered, its times ISO-8601: :func:`clearspace.service.shields.public`."""

    account: str
    starts_at: str
    expires_at: str
    reminder_at: str
    surfaces: list[str]
    audience: str
    new_follower_days: float
    allow: list[str]
    block: list[str]
    drop_above: float | None
    activated_by: str


class ShieldOff(TypedDict):
    account: str
    active: bool


class HeldView(TypedDict):
    """A held interaction: :func:`clearspace.service.shields.public_held` (``id`` is the platform's item id)."""

    id: str
    held_id: str
    author: str | None
    surface: str
    ts: Any
    text: str
    reason: str
    status: str


class AccountView(TypedDict):
    """An account's reach: :func:`clearspace.service.accounts.public`."""

    account: str
    followers: int | None
    verified: bool | None
    monetized: bool | None
    organization: str | None
    created_at: str
    updated_at: str


class AccountStatus(TypedDict):
    """Active strikes and restrictions: :func:`clearspace.service.strikes.account_status`."""

    account: str
    strike_points: float
    strikes: list[dict[str, Any]]
    restrictions: list[dict[str, Any]]


class Monetization(TypedDict):
    """The monetization answer: :func:`clearspace.accountability.eligibility.answer`."""

    account: str
    eligible: bool
    reasons: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    since: str
    review_at: str | None
    decision_id: str | None



class QueueRow(CaseRow):
    """A case in the review queue: :func:`clearspace.service.cases.queue`."""

    overdue: bool
    leased: bool


class ReportAck(TypedDict):
    """The acknowledgement of a report (``POST /v1/reports``): :func:`clearspace.service.reports.file`."""

    id: str
    status: str
    received_at: str
    case_id: str
    weight: float
    brigade_suspected: bool
    brigade_reason: str
    message: str


class ReportView(TypedDict):
    """A stored report: :func:`clearspace.service.reports.view`."""

    id: str
    reporter: str
    item_id: str | None
    target_user: str | None
    category: str
    explanation: str
    good_faith: bool
    weight: float
    brigade: bool
    case_id: str | None
    status: str
    outcome: str | None
    created_at: str
    resolved_at: str | None


class AppealFiled(TypedDict):
    """The fields an appeal has from its filing on: :func:`clearspace.service.appeals.view`."""

    id: str
    decision_id: str
    appellant: str
    appellant_role: str
    reason: str
    status: str
    created_at: str


class AppealView(AppealFiled):
    """An appeal: :func:`clearspace.service.appeals.view`."""

    decided_at: str | None
    decided_by: str | None
    outcome: str | None
    explanation: str | None


class FiledAppeal(AppealFiled):
    """What filing an appeal answers: :func:`clearspace.service.appeals.file`."""

    case_id: str


class IncidentSummary(TypedDict):
    """A pile-on incident as listed: :func:`clearspace.service.incidents.summary`."""

    id: str
    target: str
    status: str
    source: str
    start: str
    detected_at: str
    end: str
    minor: bool
    participant_count: int
    hostile_events: int
    instigators: list[str]
    case_id: str | None
    recorded_at: str
    updated_at: str
    ended_at: str | None
