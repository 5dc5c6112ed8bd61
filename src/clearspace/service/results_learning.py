"""Typed results of :class:`clearspace.service.facades.learning.LearningFacade` (issue 14 point 18): built key
by key where the service makes them, so the JSON the API answers is unchanged."""

from typing import Any, NotRequired, TypedDict


class JudgementView(TypedDict):
    """What one side of a shadow comparison decided:
    :meth:`clearspace.service.shadow_candidates.Judgement.to_dict`."""

    action: str
    abusive: bool
    abuse: float
    rules: list[str]


class CandidateView(TypedDict):
    """What a shadow run's candidate runs, its policy by SHA-256:
    :meth:`clearspace.service.shadow_candidates.CandidateSpec.public`."""

    policy_sha256: str | None
    model_path: str | None
    version: str | None


class ShadowRun(TypedDict):
    """A shadow run as answered: its candidate, who started and stopped it, and its counts:
    :func:`clearspace.service.shadow_records.public_run`."""

    id: str
    status: str
    label: str
    candidate: CandidateView
    started_by: str
    started_at: str
    stopped_by: str | None
    stopped_at: str | None
    compared: int
    disagreed: int
    dropped: int
    errors: int
    agreement: float | None
    updated_at: str


class ShadowExample(TypedDict):
    """An example disagreement: :func:`clearspace.service.shadow_records.examples`."""

    event_id: str
    kinds: list[str]
    text: str
    truncated: bool
    active: JudgementView
    candidate: JudgementView
    at: str


class ShadowRecords(TypedDict):
    """A run with its counts by kind and its latest examples: :func:`clearspace.service.shadow_records.summary`."""

    run: ShadowRun | None
    counts: dict[str, int]
    examples: list[ShadowExample]


class ShadowProcess(TypedDict):
    """This process's view of shadow mode: :meth:`clearspace.service.shadow.ShadowRunner.local`."""

    run_id: str | None
    queued: int
    capacity: int
    candidate: str | None
    load_error: str | None


class ShadowSummary(ShadowRecords):
    """``GET /v1/shadow``: :meth:`clearspace.service.shadow.ShadowRunner.summary`."""

    process: ShadowProcess


class TrainingLabel(TypedDict):
    """A training label: :func:`clearspace.service.training.public` (``id``: its sequence number)."""

    id: int
    event_id: str
    abusive: bool
    category: str | None
    source: str
    source_id: str | None
    decision_id: str | None
    actor: str
    created_at: str
    current: bool
    superseded_at: str | None


class ExportedLabel(TrainingLabel):
    """A label with its event's text and language (None when the event is gone): :func:`training.export`."""

    text: str | None
    lang: str | None


class LabelOutcome(TypedDict):
    """One item of a batch of labels: ``label`` when stored, ``error`` when not."""

    index: int
    status: str
    error: NotRequired[str]
    label: NotRequired[TrainingLabel]


class LabelBatch(TypedDict):
    """A batch of labels: :func:`clearspace.service.training.add_explicit`."""

    results: list[LabelOutcome]
    stored: int
    errors: int


class LabelPage(TypedDict):
    """Labels from ``after``: :func:`clearspace.service.training.page` (``next_after`` None at the end)."""

    labels: list[TrainingLabel]
    next_after: int | None


class Suggestion(TypedDict):
    """An unlabelled event worth labelling: :func:`clearspace.service.suggest.suggest`."""

    event_id: str
    text: str
    score: float
    threshold: float
    uncertainty: float
    reason: str
    lang: str | None
    received_at: str


class Suggestions(TypedDict):
    items: list[Suggestion]
    model_version: str
    pool: int


class TrainedModel(TypedDict):
    """A new model version: :meth:`clearspace.service.models.ModelRegistry.train`."""

    version: str
    seq: int
    parent: str | None
    created_at: str
    created_by: str
    sha256: str
    size: int
    training: dict[str, Any]  # open: the adaptation's report (clearspace.model.adapt) and the label counts
    evaluation: dict[str, Any]  # open: the held-out slice and the metrics of the new and the active version


class ModelVersion(TypedDict):
    """A version as listed: :func:`clearspace.service.models.public` (``shipped``: :func:`models.shipped_entry`,
    without ``sha256`` and ``size``)."""

    id: str
    seq: int
    parent: str | None
    created_at: str | None
    created_by: str
    sha256: NotRequired[str]
    size: NotRequired[int]
    training: dict[str, Any]  # open, as in :class:`TrainedModel`
    evaluation: dict[str, Any]  # open, as in :class:`TrainedModel`
    version: str
    active: bool


class VersionName(TypedDict):
    """The active version when it is not among those listed (its row is gone)."""

    version: str


class ModelChange(TypedDict):
    """A promotion or rollback: a row of ``active_model``, newest first."""

    seq: int
    version: str
    previous: str | None
    change: str
    actor: str
    reason: str
    created_at: str


class ModelListing(TypedDict):
    """``GET /v1/models``: :meth:`clearspace.service.models.ModelRegistry.listing`."""

    active: ModelVersion | VersionName
    versions: list[ModelVersion]
    history: list[ModelChange]
