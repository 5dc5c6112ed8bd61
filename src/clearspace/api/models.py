"""Request bodies of the moderation endpoints; unknown fields are refused (422)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clearspace.api.perspective import TEXT_LIMIT

Name = Field(min_length=1, max_length=200)
ReportCategory = Literal["abuse", "hate", "threat", "doxxing", "incitement", "sexual", "self-harm",
                         "protection-of-minors", "rumor", "spam", "other"]
Category = Literal["abuse", "hate", "threat", "doxxing", "incitement", "personal-information",
                   "protection-of-minors", "self-harm", "rumor", "other"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReportBody(Strict):
    reporter: str = Name
    category: ReportCategory
    explanation: str = Field(default="", max_length=5000)
    item: str | None = Field(default=None, min_length=1, max_length=200, description="The reported event's id.")
    target_user: str | None = Field(default=None, min_length=1, max_length=200,
                                    description="The reported account (when no single item).")
    good_faith: bool = Field(description="The reporter confirms the report is accurate and made in good faith.")
    minor: bool = False


class CaseDecisionBody(Strict):
    action: Literal["allow", "label", "nudge", "limit", "remove"]
    category: Category
    explanation: str = Field(min_length=1, max_length=5000, pattern=r"\S")


class AppealBody(Strict):
    decision_id: str = Name
    appellant: str = Name
    reason: str = Field(min_length=1, max_length=5000, pattern=r"\S")


class AppealDecisionBody(Strict):
    outcome: Literal["upheld", "reversed"]
    explanation: str = Field(min_length=1, max_length=5000, pattern=r"\S")


class BatchBody(Strict):
    category: Category
    explanation: str = Field(min_length=1, max_length=5000, pattern=r"\S")
    accounts: list[str] = Field(default_factory=list, max_length=1000)
    target_user: str | None = Field(default=None, min_length=1, max_length=200,
                                    description="Act on every participant of the pile-on against this account.")
    window_minutes: float = Field(default=1440.0, gt=0, le=525_600)
    incident_id: str | None = Field(default=None, min_length=1, max_length=200,
                                    description="Act on the participants of this incident (GET /v1/incidents).")
    roles: list[Literal["instigator", "first_poster", "repeat", "follower"]] | None = Field(
        default=None, min_length=1, description="With incident_id: only participants with one of these roles.")


class TrustedBody(Strict):
    trusted: bool


class WebhookBody(Strict):
    url: str = Field(min_length=8, max_length=2000)
    topics: list[Literal["decision.made", "case.opened", "restriction.applied", "appeal.filed",
                         "appeal.decided", "notification", "label.applied", "label.withdrawn", "note.status",
                         "protection.risk_prompt", "protection.expiry_reminder", "audit.checkpoint",
                         "*"]] = Field(min_length=1)


class ClarificationBody(Strict):
    account: str = Field(min_length=1, max_length=200, description="The account of the person the rumor is about.")
    text: str = Field(min_length=1, max_length=5000, pattern=r"\S", description="What they say about it.")
    stated_at: str | None = Field(default=None, max_length=64,
                                  description="When they said it (ISO-8601); default: now.")


class BackfillBody(Strict):
    debunk_ids: list[str] | None = Field(default=None, min_length=1, max_length=1000,
                                         description="Label only with these debunks (default: every active one).")


class NoteBody(Strict):
    event_id: str = Field(min_length=1, max_length=200, description="The post the note is about.")
    author: str = Field(min_length=1, max_length=200, description="The contributor's account.")
    text: str = Field(min_length=1, max_length=2000, pattern=r"\S")
    sources: list[str] = Field(default_factory=list, max_length=10, description="Links backing the note.")


class RatingBody(Strict):
    rater: str = Field(min_length=1, max_length=200, description="The rating contributor's account.")
    helpful: Literal["yes", "somewhat", "no"]


class MatchPost(Strict):
    id: str = Field(min_length=1, max_length=200)
    text: str = Field(json_schema_extra=TEXT_LIMIT)


class MatchBody(Strict):
    posts: list[MatchPost] = Field(min_length=1, max_length=1000)
    k: int = Field(default=5, ge=1, le=50, description="Matches per post.")
