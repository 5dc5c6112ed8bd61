"""Typed results of :class:`clearspace.service.facades.accounts.AccountsFacade` (issue 14 point 18).

As in :mod:`clearspace.service.results`, each is a :class:`~typing.TypedDict` built key by key where the
service makes it (the function named in its docstring), so the JSON the API answers is unchanged.
"""

from typing import Any, NotRequired, TypedDict

from clearspace.service.results import AccountStatus, AccountView, DecisionView, Monetization


class Notification(TypedDict):
    """A message left for an account: :func:`clearspace.service.accounts.notifications`."""

    id: str
    recipient: str
    kind: str
    payload: dict[str, Any]  # per kind: what the outbox message of that kind holds
    created_at: str


class HistoryPost(TypedDict):
    id: str
    text: str
    surface: str | None
    target_user: str | None
    received_at: str
    action: str | None
    signals: list[dict[str, Any]]  # the detectors' signals as stored with the decision (spans included)


class AccountHistory(AccountStatus):
    """An account's history beside a case: :func:`clearspace.service.history.account_history`."""

    posts: list[HistoryPost]
    decisions: list[DecisionView]
    lifted_strikes: list[dict[str, Any]]  # ``strikes`` rows as stored, as in :class:`AccountStatus`


class PostTraffic(TypedDict):
    """How much engagement a post drew and how much was hostility: :func:`clearspace.service.traffic.public_post`
    (``account`` and ``day`` once the post drew any)."""

    post: str
    account: NotRequired[str]
    day: NotRequired[str]
    engagement: int
    hostile: int
    ratio: float


class DailyTraffic(TypedDict):
    """One day of an account's traffic: :func:`clearspace.service.traffic.daily`."""

    day: str
    engagement: int
    hostile: int


class IncidentRole(TypedDict):
    """An account's role in a pile-on: :func:`clearspace.service.account_evidence.roles`."""

    incident_id: str
    role: str
    start_at: str


class Traffic(TypedDict):
    """An account's toxic-traffic ratio: :meth:`AccountsFacade.traffic`."""

    account: str
    days: float
    engagement: int
    hostile: int
    ratio: float
    daily: list[DailyTraffic]
    posts: list[PostTraffic]
    instigator: int
    first_poster: int
    incidents: list[IncidentRole]


class RecordTraffic(TypedDict):
    ratio: float
    engagement: int
    hostile: int
    days: float
    daily: list[DailyTraffic]
    posts: list[PostTraffic]


class AppealBrief(TypedDict):
    id: str
    status: str
    outcome: str | None


class RecordDecision(TypedDict):
    id: str
    event_id: str | None
    action: str
    category: str | None
    status: str
    created_at: str
    reasons: list[str]
    automated: bool
    statement_id: str | None
    appeal: AppealBrief | None


class RecordStrike(TypedDict):
    id: str
    category: str
    created_at: str
    expires_at: str
    decision_id: str | None


class CreatorRecord(TypedDict):
    """What was decided about an account and why: :func:`clearspace.service.creator_record.record`."""

    account: AccountView
    monetization: Monetization
    traffic: RecordTraffic
    decisions: list[RecordDecision]
    strikes: list[RecordStrike]
    restrictions: list[dict[str, Any]]  # ``restrictions`` rows as stored, as in :class:`AccountStatus`
    incident_roles: list[IncidentRole]
    rumor_labels: int


class MemberStanding(TypedDict):
    account: str
    followers: int | None
    verified: bool | None
    monetized: bool | None
    eligible: bool
    reasons: list[str]
    strikes: int
    incidents_instigated: int
    incidents_first_poster: int
    rumor_labels: int
    toxic_ratio: float
    engagement: int


class OrgProposal(TypedDict):
    """A measure proposed against an organization: :func:`clearspace.service.organizations.public`."""

    id: str
    organization: str
    measure: str
    reason: str
    accounts: list[str]
    status: str
    proposed_by: str
    created_at: str
    decided_by: str | None
    decided_at: str | None
    note: str | None


class OrganizationView(TypedDict):
    """An organization's accounts and proposals: :func:`clearspace.service.organizations.view`."""

    organization: str
    accounts: list[MemberStanding]
    ineligible: list[str]
    suggest_proposal: bool
    proposals: list[OrgProposal]
