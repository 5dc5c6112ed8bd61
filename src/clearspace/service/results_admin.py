"""Typed results of :class:`clearspace.service.facades.admin.AdminFacade` (issue 14 point 18): built key by
key where the service makes them, so the JSON the API answers is unchanged."""

from typing import Any, TypedDict


class PolicyRule(TypedDict):
    """One rule of the running policy: :meth:`AdminFacade.policy_rules`."""

    category: str
    priority: int
    action: str
    description: str


# ---------------------------------------------------------------- transparency
Period = TypedDict("Period", {"from": str, "to": str})
"""The report's period, ``from`` inclusive, ``to`` exclusive (audit log timestamps)."""


class DecisionCounts(TypedDict):
    total: int
    by_action: dict[str, int]
    restrictive_by_category: dict[str, int]
    restrictive_by_source_type: dict[str, int]
    automated: int
    human: int


class HandlingMedians(TypedDict):
    """Median seconds to handle (None: nothing handled in the period)."""

    automated: float | None
    human: float | None
    all: float | None


class ReportCounts(TypedDict):
    total: int
    by_category: dict[str, int]
    brigade_flagged: int


class AppealCounts(TypedDict):
    filed: int
    decided: int
    reversed: int
    reversal_rate: float | None


class PileonCounts(TypedDict):
    incidents_detected: int
    risk_prompts_sent: int
    shield_expiry_reminders_sent: int


class ChainSpan(TypedDict):
    """The first and last ``seq`` of one audit chain in the period."""

    first_seq: int
    last_seq: int


class AuditSpan(TypedDict):
    events: int
    chains: dict[str, ChainSpan]


class TransparencyReport(TypedDict):
    """The transparency report (``GET /v1/transparency``): :func:`clearspace.service.transparency.aggregate`."""

    period: Period
    decisions: DecisionCounts
    median_handling_seconds: HandlingMedians
    reports: ReportCounts
    appeals: AppealCounts
    account_restrictions: dict[str, int]
    protection_prompts_sent: int
    pileons: PileonCounts
    audit: AuditSpan


class TransparencyTimeline(TypedDict):
    """The report's decisions and appeals per bucket of ``bucket_days`` days, for charts:
    :func:`clearspace.service.transparency.timeline` (each list has one count per label)."""

    labels: list[str]
    bucket_days: int
    by_category: dict[str, list[int]]
    automated: list[int]
    human: list[int]
    appeals_filed: list[int]
    appeals_reversed: list[int]


# ---------------------------------------------------------------- audit log, checkpoints, alarms
class AuditEntry(TypedDict):
    """An audit event: :func:`clearspace.service.audit.entry` (``id``: the order written, over every chain)."""

    id: int
    chain: str
    seq: int
    ts: str
    kind: str
    actor: str
    subject: str
    payload: dict[str, Any]  # open: each kind of event records its own fields (docs/service.md)
    prev_hash: str
    hash: str


class ChainHeadView(TypedDict):
    """One chain as a checkpoint names it: :meth:`clearspace.service.anchor.ChainHead.to_dict`."""

    chain: str
    length: int
    head: str


class CheckpointBody(TypedDict):
    """The signed fields of a checkpoint: :func:`clearspace.service.anchor.make_document`."""

    format: str
    seq: int
    created_at: str
    chains: list[ChainHeadView]
    root: str
    algorithm: str
    key_id: str
    public_key: str


class CheckpointDocument(CheckpointBody):
    """A signed audit checkpoint: its body and the Ed25519 ``signature`` of its canonical JSON."""

    signature: str


class AuditAlarm(TypedDict):
    """A broken chain found by a check: :func:`clearspace.service.checkpoints.public_alarm`
    (``acknowledged_at`` None: still open)."""

    id: str
    chain: str
    broken_at: int | None
    problem: str
    detected_at: str
    detected_by: str
    acknowledged_by: str | None
    acknowledged_at: str | None
    note: str | None


# ---------------------------------------------------------------- webhooks
class WebhookView(TypedDict):
    """A registered webhook (never its secret): :func:`clearspace.service.webhooks.public`."""

    id: str
    url: str
    topics: list[str]
    created_at: str
    active: bool


class WebhookAdded(TypedDict):
    """A webhook as registered: :func:`clearspace.service.webhooks.new_hook`, its signing secret shown this once."""

    id: str
    url: str
    secret: str
    topics: list[str]
    created_at: str
    active: bool


# ---------------------------------------------------------------- policy
class PolicyInfoView(TypedDict):
    """A policy by ``name@version``, file hash and source:
    :meth:`clearspace.service.policy_state.PolicyInfo.to_dict`."""

    policy: str
    name: str
    version: int
    sha256: str
    source: str


class StoredPolicy(PolicyInfoView):
    """The database's active policy and who loaded it when."""

    loaded_at: str
    loaded_by: str


class ActivePolicy(TypedDict):
    """The policy this process runs and the database's active one: :meth:`AdminFacade.active_policy`."""

    running: PolicyInfoView | None
    active: StoredPolicy | None


# ---------------------------------------------------------------- bus
class PartitionStatus(TypedDict):
    """One partition of the bus: owner, fencing token, consumed sequence and counts."""

    partition: int
    owner: str | None
    token: int
    consumed_seq: int
    decided: int
    stored: int
    pending: int
    unacked: int
    redelivered: int


class DeadLetterView(TypedDict):
    """A dead letter: :class:`clearspace.bus.base.DeadLetter`."""

    partition: int
    seq: int
    event_id: str
    error: str
    deliveries: int
    tries: int
    at: str
    data: str


class BusStatus(TypedDict):
    """``clearspace bus status``: :func:`clearspace.service.bus_status.status`."""

    prefix: str
    stream: str
    partition_count: int
    messages: int
    pending: int
    workers: list[str]
    partitions: list[PartitionStatus]
    dead_letters: int
    recent_dead_letters: list[DeadLetterView]


# ---------------------------------------------------------------- announcements
class AnnouncedCase(TypedDict):
    """One case of an announcement, masked: :func:`clearspace.service.announcements.draft`."""

    case_id: str
    category: str | None
    action: str
    head: str
    facts: str
    text: str


class Announcement(TypedDict):
    """A typical-case announcement: :func:`clearspace.service.announcements.public`."""

    id: str
    title: str
    lang: str
    cases: list[str]
    body: list[AnnouncedCase]
    status: str
    created_by: str
    created_at: str
    published_by: str | None
    published_at: str | None
