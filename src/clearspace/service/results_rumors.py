"""Typed results of :class:`clearspace.service.facades.rumors.RumorsFacade` (issue 14 point 18).

As in :mod:`clearspace.service.results`, each is a :class:`~typing.TypedDict` built key by key where the
service makes it (the function named in its docstring), so the JSON the API answers is unchanged.
"""

from typing import Any, NotRequired, TypedDict

from clearspace.rumors.views import Card, DebunkFields, FoundLabel, MatchScore

__all__ = ["Card", "FoundLabel", "MatchScore"]


class ClarificationView(TypedDict):
    """The clarification of the person a rumor is about: :func:`clearspace.service.clarifications.public`."""

    id: str
    debunk_id: str
    account: str
    text: str
    stated_at: str
    created_by: str
    created_at: str


class DebunkView(DebunkFields):
    """A stored debunk: :func:`clearspace.service.debunks.public`."""

    claimreview: dict[str, Any]  # schema.org ClaimReview JSON-LD (clearspace.rumors.claimreview): open-ended
    status: str
    version: int
    retracted_at: str | None
    created_by: str
    created_at: str
    updated_at: str
    clarifications: list[ClarificationView]


class DebunkAdditions(TypedDict, total=False):
    """What adding one debunk answers beyond the debunk: the debunks with the same claim, the backfill job."""

    duplicate_of: list[str]
    backfill_job: "JobView"


class DebunkAdded(DebunkView, DebunkAdditions):
    """One debunk added (``POST /v1/debunks`` with one object): :meth:`RumorsFacade.add_debunks`."""


class DebunkItemResult(TypedDict):
    """The status of one item of a list of debunks (``created``, ``unchanged``, ``error``)."""

    index: int
    id: NotRequired[str]
    status: str
    error: NotRequired[str]
    duplicate_of: NotRequired[list[str]]


class DebunkBatch(TypedDict):
    """A list of debunks added: :meth:`RumorsFacade.add_debunks`."""

    results: list[DebunkItemResult]
    created: int
    errors: int
    backfill_job: NotRequired["JobView"]


class DebunkRetracted(TypedDict):
    debunk: DebunkView
    labels_withdrawn: int


class DebunkVersion(TypedDict):
    """One version of a debunk: :func:`clearspace.service.debunks.history`."""

    version: int
    change: str
    actor: str
    reason: str
    at: str
    debunk: dict[str, Any]  # the stored payload as it was then (older versions may hold other fields)


class SearchCard(Card):
    """A search card with the clarifications: :func:`clearspace.service.clarifications.with_clarifications`."""

    clarifications: list[ClarificationView]


class PostMatches(TypedDict):
    """``clearspace match`` for one post: :meth:`RumorsFacade.match_posts`."""

    id: str
    matches: list[MatchScore]


class LabelCard(Card):
    """The debunk card inside a label: :func:`clearspace.service.labels.public`."""

    status: str
    version: int
    clarifications: list[ClarificationView]


class LabelView(TypedDict):
    """A rumor label on a post: :func:`clearspace.service.labels.public` (``verdict``, ``url`` and
    ``debunk`` while the debunk is stored)."""

    id: str
    event_id: str
    debunk_id: str
    decision_id: str | None
    score: float
    rule: str
    status: str
    created_at: str
    withdrawn_at: str | None
    withdrawn_reason: str | None
    reviewed_by: str | None
    reviewed_at: str | None
    verdict: NotRequired[str]
    url: NotRequired[str]
    debunk: NotRequired[LabelCard]


class LabelPost(TypedDict):
    text: str
    author: str | None


class LabelToReview(LabelView):
    """A label with its post: :func:`clearspace.service.label_review.recent`."""

    post: LabelPost


class NoteScore(TypedDict):
    intercept: float | None
    factor: float | None
    stderr: float | None
    ratings: int
    rule: str
    scored_at: str | None


class NoteStatusChange(TypedDict):
    status: str
    previous: str | None
    rule: str
    intercept: float | None
    factor: float | None
    stderr: float | None
    ratings: int
    created_at: str


class NoteView(TypedDict):
    """A crowd note: :func:`clearspace.service.notes.public` (``history`` when asked for)."""

    id: str
    event_id: str
    author: str
    text: str
    sources: list[str]
    status: str
    shown: bool
    score: NoteScore
    created_at: str
    history: NotRequired[list[NoteStatusChange]]


class NotePost(TypedDict):
    text: str


class NoteToReview(NoteView):
    """A note with its post's text: :func:`clearspace.service.label_review.recent_notes`."""

    post: NotePost


class PostContext(TypedDict):
    """What a platform shows with a post: :meth:`RumorsFacade.post_context`."""

    event_id: str
    labels: list[LabelView]
    notes: list[NoteView]


class Backfill(TypedDict):
    """A label backfill's counts: :func:`clearspace.service.labels.backfill`."""

    scanned: int
    total: int
    labelled: int
    posts_labelled: int
    debunk_ids: list[str] | None


class JobView(TypedDict):
    """A background job: :func:`clearspace.service.jobs.public`."""

    id: str
    kind: str
    params: dict[str, Any]  # the job's parameters, per kind (a backfill: ``debunk_ids``)
    status: str
    total: int
    done: int
    result: dict[str, Any]  # per kind: a backfill's progress, then its :class:`Backfill` counts
    error: str | None
    created_by: str
    created_at: str
    updated_at: str
    finished_at: str | None
