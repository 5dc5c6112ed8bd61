"""Typed results of :class:`clearspace.service.facades.protection.ProtectionFacade` beyond those in
:mod:`clearspace.service.results` (issue 14 point 18): built key by key where the service makes them."""

from typing import NotRequired, TypedDict

from clearspace.protection.nudge import NudgeFields
from clearspace.service.results import IncidentSummary


class ShieldCheck(TypedDict):
    """deliver / hold / drop for one interaction (``POST /v1/shield/{account}/check``):
    :meth:`ProtectionFacade.check` (``held_id`` when it was held)."""

    action: str
    reason: str
    held_id: NotRequired[str]


class NudgeView(NudgeFields):
    """The pre-send nudge for a draft (``POST /v1/nudge``): :meth:`clearspace.protection.nudge.Nudge.to_dict`
    and the author's ``recent_strikes``."""

    recent_strikes: int


class ProtectionTick(TypedDict):
    """What the periodic protection job did: :meth:`ProtectionFacade.tick`."""

    reminders: int
    incidents_ended: int
    audit_checkpoints: int


class IncidentCounts(TypedDict):
    """Incidents recorded from outside the live detector: :meth:`ProtectionFacade.record_incidents`."""

    opened: int
    updated: int
    ended: int


class PileonTick(IncidentCounts):
    """Shared pile-on detection's step: :func:`clearspace.service.pileon_shared.idle` and
    :meth:`clearspace.service.pileon_shared.SharedDetection.tick`."""

    holder: bool
    events: int


class ExpiryOffer(TypedDict):
    """What an expiry reminder offers: keep the same protection on for ``days`` more."""

    action: str
    days: int
    surfaces: list[str]
    audience: str


class ExpiryReminder(TypedDict):
    """An expiry reminder as sent (notification ``shield_expiry_reminder``, webhook
    ``protection.expiry_reminder``): :func:`clearspace.service.protection_jobs.send_reminders`."""

    type: str
    account: str
    expires_at: float
    expires_at_iso: str
    hours_left: float
    activated_by: str
    offer: ExpiryOffer
    message: dict[str, str]  # the message per language (``en``, ``zh``)


class ReminderPrompt(ExpiryReminder):
    """An expiry reminder as the account's prompts list it: :func:`clearspace.service.protection_jobs.prompts`."""

    id: str
    kind: str
    created_at: str


class ShieldOffer(TypedDict):
    """What a risk prompt offers: protection on these surfaces for ``days``, and evidence."""

    action: str
    days: float
    surfaces: list[str]
    audience: str
    evidence: bool


class SupportLinkView(TypedDict):
    """A support link: :meth:`clearspace.protection.nudge.SupportLink.to_dict`."""

    kind: str
    title: str
    url: str
    lang: str
    region: str


class PromptLocale(TypedDict, total=False):
    """The language and region a risk prompt's support links were chosen for (stored since issue 14 point 16)."""

    lang: str
    region: str


class RiskPromptView(PromptLocale):
    """A risk prompt as the account's prompts list it (notification ``risk_prompt``, sent by
    :func:`clearspace.service.incidents.send_risk_prompt`): :func:`clearspace.service.protection_jobs.prompts`
    (``lang`` and ``region`` on prompts sent since issue 14 point 16)."""

    id: str
    kind: str
    created_at: str
    type: str
    account: str
    incident_id: str
    participants: int
    since: str
    offer: ShieldOffer
    links: list[SupportLinkView]
    assisted_activation: bool
    message: dict[str, str]  # the message per language (``en``, ``zh``)
    detected_at: str
    protected: bool


class Participant(TypedDict):
    """A participant of a pile-on as the ``incidents`` row keeps it: :func:`clearspace.service.incidents.snapshot`
    with its role (:func:`clearspace.service.incidents.assign_roles`)."""

    account: str
    events: int
    first_ts: str
    max_hostility: float
    new_account: bool
    follower: bool
    role: str


class TimelineBucket(TypedDict):
    """One bar of an incident's chart: hostile and other interactions (``other`` None when unknown)."""

    t: str
    hostile: int
    other: int | None


class IncidentTimeline(TypedDict):
    """Interactions aimed at the target per bucket: :func:`clearspace.service.incidents.timeline`."""

    bucket_s: int
    source: str
    start: str
    detected_at: str
    series: list[TimelineBucket]


class IncidentCase(TypedDict):
    """The review case of an incident, as its detail shows it."""

    id: str
    lane: str
    status: str
    priority: int
    opened_at: str
    due_at: str
    lease_owner: str | None
    decision_id: str | None


class IncidentDetail(IncidentSummary):
    """One incident (``GET /v1/incidents/{id}``): :func:`clearspace.service.incidents.detail`, the keys of
    :class:`~clearspace.service.results.IncidentSummary` (built with ``participants`` after
    ``hostile_events``) and when it was last updated."""

    participants: list[Participant]
    updated_at: str
    ended_at: str | None
    participants_by_role: dict[str, list[str]]
    top_referrals: list[list[str | int]]  # [referrer, times], most referred first
    reporters: int
    timeline: IncidentTimeline
    case: IncidentCase | None
