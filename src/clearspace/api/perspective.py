"""Perspective API compatibility: request and response shapes of ``comments:analyze``.

Mapping from clearspace scores (see docs/service.md):

Every score is the engine's verdict (``clearspace.verdict``): weighed by who is attacked and how
it is said, so a slur aimed at the reader scores high and the same word quoted to condemn it low.

==================  ================================================================
TOXICITY            ``abuse`` (the verdict's probability; 0.5 is the engine's own line)
SEVERE_TOXICITY     ``min(abuse, max(threat, death_wish, sexual_harassment, dehumanization,
                    identity_attack, lexicon))``
IDENTITY_ATTACK     ``max(identity_attack, dehumanization)``
INSULT              ``max(insult, lexicon.insult, lexicon.slur)``
PROFANITY           ``max(lexicon.profanity, lexicon.insult, lexicon.slur)`` (words as seen)
THREAT              ``max(threat, death_wish)``
SEXUALLY_EXPLICIT   ``max(lexicon.sexual, sexual_harassment)``
==================  ================================================================
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.config import JsonDict

from clearspace.errors import InputError
from clearspace.result import ScoreResult

SIGNAL_KINDS: Final[Mapping[str, tuple[str, ...]]] = {
    "TOXICITY": ("abuse", "lexicon.insult", "lexicon.slur", "lexicon.threat", "lexicon.profanity", "threat",
                 "death_wish", "sexual_harassment", "dehumanization"),
    "SEVERE_TOXICITY": ("lexicon.threat", "lexicon.slur", "lexicon.self_harm", "threat", "death_wish",
                        "sexual_harassment", "dehumanization"),
    "IDENTITY_ATTACK": ("identity_attack", "lexicon.slur", "dehumanization"),
    "INSULT": ("insult", "lexicon.insult", "lexicon.slur"),
    "PROFANITY": ("lexicon.profanity", "lexicon.insult", "lexicon.slur"),
    "THREAT": ("threat", "death_wish", "lexicon.threat", "lexicon.self_harm"),
    "SEXUALLY_EXPLICIT": ("lexicon.sexual", "sexual_harassment"),
}
SUPPORTED_LANGUAGES: Final = ("zh", "en")
TEXT_LIMIT: Final[JsonDict] = {"x-text-limit": True}
"""Marks a text field whose ``maxLength`` the served OpenAPI takes from ``Settings.max_text_chars``."""


class Comment(BaseModel):
    model_config = ConfigDict(extra="ignore")
    text: str = Field(description="The text to score (at most the max_text_chars setting).",
                      json_schema_extra=TEXT_LIMIT)
    type: str = Field(default="PLAIN_TEXT", description="Only PLAIN_TEXT is supported.")


class AttributeRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")
    scoreType: str = "PROBABILITY"  # noqa: N815 - Perspective's field names
    scoreThreshold: float | None = Field(default=None, ge=0.0, le=1.0)  # noqa: N815


class AnalyzeRequest(BaseModel):
    """Perspective's ``AnalyzeCommentRequest`` (fields clearspace does not use are accepted and ignored)."""

    model_config = ConfigDict(extra="ignore")
    comment: Comment
    requestedAttributes: dict[str, AttributeRequest] = Field(min_length=1)  # noqa: N815
    languages: list[str] | None = None
    doNotStore: bool | None = None  # noqa: N815
    clientToken: str | None = None  # noqa: N815
    spanAnnotations: bool | None = None  # noqa: N815


def _inline(node: Any, defs: Mapping[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def request_schema() -> dict[str, Any]:
    """JSON schema of :class:`AnalyzeRequest` with every reference inlined (for the OpenAPI document)."""
    schema = AnalyzeRequest.model_json_schema()
    inlined: dict[str, Any] = _inline(schema, schema.get("$defs", {}))
    return inlined


def parse(raw: Any) -> AnalyzeRequest:
    """Validate a decoded request body; InputError names the bad fields."""
    try:
        return AnalyzeRequest.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors()[:5])
        raise InputError(f"invalid AnalyzeCommentRequest: {problems}") from exc


def _signal_max(result: ScoreResult, *kinds: str) -> float:
    return max((s.score for s in result.signals if s.kind in kinds), default=0.0)


def _score_max(result: ScoreResult, *keys: str) -> float:
    return max((result.scores.get(k, 0.0) for k in keys), default=0.0)


def _raw_max(result: ScoreResult, *kinds: str) -> float:
    """The words' own severity (before the verdict weighed them): profanity is about the words."""
    return max((float(s.details.get("raw", s.score)) for s in result.signals if s.kind in kinds), default=0.0)


ATTRIBUTES: Final[Mapping[str, Callable[[ScoreResult], float]]] = {
    "TOXICITY": lambda r: r.scores.get("abuse", 0.0),
    "SEVERE_TOXICITY": lambda r: min(r.scores.get("abuse", 0.0), _score_max(
        r, "threat", "death_wish", "sexual_harassment", "dehumanization", "identity_attack", "lexicon")),
    "IDENTITY_ATTACK": lambda r: _score_max(r, "identity_attack", "dehumanization"),
    "INSULT": lambda r: max(r.scores.get("insult", 0.0), _signal_max(r, "lexicon.insult", "lexicon.slur")),
    "PROFANITY": lambda r: _raw_max(r, "lexicon.profanity", "lexicon.insult", "lexicon.slur"),
    "THREAT": lambda r: _score_max(r, "threat", "death_wish"),
    "SEXUALLY_EXPLICIT": lambda r: max(_signal_max(r, "lexicon.sexual"), r.scores.get("sexual_harassment", 0.0)),
}


def check(request: AnalyzeRequest) -> list[str]:
    """The requested attribute names; InputError (Perspective's wording) for what is unsupported."""
    unknown = [a for a in request.requestedAttributes if a.upper() not in ATTRIBUTES]
    if unknown:
        raise InputError(f"Attribute {unknown[0]} does not support request languages or is unknown; "
                         f"supported: {', '.join(ATTRIBUTES)}")
    if request.comment.type.upper() != "PLAIN_TEXT":
        raise InputError("comment.type must be PLAIN_TEXT")
    languages = request.languages or []
    if languages and not any(lang.lower().split("-")[0] in SUPPORTED_LANGUAGES for lang in languages):
        raise InputError(f"languages {languages} are not supported; clearspace scores zh and en")
    return list(request.requestedAttributes)


def _spans(result: ScoreResult, attribute: str, summary: float) -> list[dict[str, Any]]:
    kinds = SIGNAL_KINDS[attribute]
    spans = []
    for s in result.signals:
        if s.kind in kinds:
            for start, end in s.spans:
                spans.append({"begin": start, "end": end,
                              "score": {"value": round(min(s.score, 1.0), 4), "type": "PROBABILITY"}})
    return spans or [{"begin": 0, "end": 0, "score": {"value": round(summary, 4), "type": "PROBABILITY"}}]


def respond(request: AnalyzeRequest, names: list[str], result: ScoreResult) -> dict[str, Any]:
    """Perspective's ``AnalyzeCommentResponse`` for ``result``."""
    scores: dict[str, Any] = {}
    for name in names:
        value = float(ATTRIBUTES[name.upper()](result))
        threshold = request.requestedAttributes[name].scoreThreshold
        if threshold is not None and value < threshold:
            continue
        spans = _spans(result, name.upper(), value)
        if spans[0]["end"] == 0:
            spans = [{"begin": 0, "end": len(request.comment.text), "score": spans[0]["score"]}]
        scores[name] = {"spanScores": spans, "summaryScore": {"value": round(value, 4), "type": "PROBABILITY"}}
    out: dict[str, Any] = {"attributeScores": scores, "languages": request.languages or [result.language],
                           "detectedLanguages": [result.language]}
    if request.clientToken is not None:
        out["clientToken"] = request.clientToken
    return out
