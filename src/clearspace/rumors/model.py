"""The debunk: a fact-checked claim, its verdict and the evidence behind it."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clearspace.errors import InputError
from clearspace.rumors.views import DebunkFields


class Verdict(enum.StrEnum):
    """What the fact-checker found the claim to be."""

    FALSE = "false"
    MISLEADING = "misleading"
    FABRICATED = "fabricated"
    AI_GENERATED = "ai_generated"
    OUT_OF_CONTEXT = "out_of_context"
    OLD_CONTENT = "old_content"
    UNVERIFIED = "unverified"

    @classmethod
    def parse(cls, value: object) -> Verdict:
        text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
        text = _VERDICT_ALIASES.get(text, text)
        try:
            return cls(text)
        except ValueError:
            allowed = ", ".join(v.value for v in cls)
            raise InputError(f"unknown verdict {value!r}: use one of {allowed}") from None


_VERDICT_ALIASES = {
    "fake": "false", "pants_on_fire": "false", "incorrect": "false", "谣言": "false", "不实": "false",
    "mostly_false": "misleading", "half_true": "misleading", "mixture": "misleading", "误导": "misleading",
    "satire_misread": "out_of_context", "miscaptioned": "out_of_context", "missing_context": "out_of_context",
    "outdated": "old_content", "old": "old_content", "recycled": "old_content",
    "ai": "ai_generated", "deepfake": "ai_generated", "synthetic": "ai_generated",
    "unproven": "unverified", "未证实": "unverified",
    "fabricated_content": "fabricated", "made_up": "fabricated", "捏造": "fabricated",
}


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: who published what, where and when."""

    publisher: str = ""
    url: str = ""
    quote: str = ""
    date: str = ""

    def to_dict(self) -> dict[str, str]:
        return {k: v for k, v in
                {"publisher": self.publisher, "url": self.url, "quote": self.quote, "date": self.date}.items() if v}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Evidence:
        if not isinstance(data, Mapping):
            raise InputError(f"evidence must be an object, got {type(data).__name__}")
        unknown = set(data) - {"publisher", "url", "quote", "date"}
        if unknown:
            raise InputError(f"unknown evidence fields {sorted(unknown)}: use publisher, url, quote, date")
        return cls(**{k: _string(data, k) for k in data})


@dataclass(frozen=True)
class Debunk:
    """A debunked claim in the registry.

    ``claim`` is the claim as the fact-checker states it; ``variants`` are other wordings
    (translations, common paraphrases); ``text`` is the fact-check itself, which may be long
    and quote the claim somewhere inside. ``fact_checker`` is the organisation that published
    it (independent fact-checkers act as trusted flaggers). ``about_person`` and
    ``clarification`` carry the statement of a person the rumor is about.
    """

    id: str
    claim: str
    verdict: Verdict = Verdict.FALSE
    variants: tuple[str, ...] = ()
    text: str = ""
    title: str = ""
    url: str = ""
    fact_checker: str = ""
    evidence: tuple[Evidence, ...] = ()
    language: str = ""
    published: str = ""
    updated: str = ""
    claim_date: str = ""
    about_person: str = ""
    clarification: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise InputError("a debunk needs a non-empty string 'id'")
        if not isinstance(self.claim, str) or not self.claim.strip():
            raise InputError(f"debunk {self.id!r} needs a non-empty string 'claim'")

    def texts(self) -> list[str]:
        """Every wording the matcher should see: claim, variants, title, then the long text."""
        out = [self.claim, *self.variants]
        if self.title:
            out.append(self.title)
        if self.text:
            out.append(self.text)
        return [t for t in out if t.strip()]

    def to_dict(self) -> DebunkFields:
        """The debunk as JSON: ``id``, ``claim``, ``verdict`` and the fields that are set, in a fixed order."""
        out: DebunkFields = {"id": self.id, "claim": self.claim, "verdict": self.verdict.value}
        if self.text:
            out["text"] = self.text
        if self.title:
            out["title"] = self.title
        if self.url:
            out["url"] = self.url
        if self.fact_checker:
            out["fact_checker"] = self.fact_checker
        if self.language:
            out["language"] = self.language
        if self.published:
            out["published"] = self.published
        if self.updated:
            out["updated"] = self.updated
        if self.claim_date:
            out["claim_date"] = self.claim_date
        if self.about_person:
            out["about_person"] = self.about_person
        if self.clarification:
            out["clarification"] = self.clarification
        if self.variants:
            out["variants"] = list(self.variants)
        if self.evidence:
            out["evidence"] = [e.to_dict() for e in self.evidence]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Debunk:
        if not isinstance(data, Mapping):
            raise InputError(f"a debunk must be a JSON object, got {type(data).__name__}")
        unknown = set(data) - _FIELDS
        if unknown:
            raise InputError(f"unknown debunk fields {sorted(unknown)}: allowed are {sorted(_FIELDS)}")
        if "id" not in data or "claim" not in data:
            raise InputError("a debunk needs 'id' and 'claim'")
        raw_id = data["id"]
        if isinstance(raw_id, int) and not isinstance(raw_id, bool):
            raw_id = str(raw_id)
        variants = data.get("variants", [])
        if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
            raise InputError("'variants' must be a list of strings")
        evidence = data.get("evidence", [])
        if not isinstance(evidence, list):
            raise InputError("'evidence' must be a list of objects")
        kwargs = {k: _string(data, k) for k in _STRING_FIELDS if k in data}
        return cls(id=raw_id, claim=_string(data, "claim"), verdict=Verdict.parse(data.get("verdict", "false")),
                   variants=tuple(variants), evidence=tuple(Evidence.from_dict(e) for e in evidence), **kwargs)


_STRING_FIELDS = ("text", "title", "url", "fact_checker", "language", "published", "updated",
                  "claim_date", "about_person", "clarification")
_FIELDS = {"id", "claim", "verdict", "variants", "evidence", *_STRING_FIELDS}


def _string(data: Mapping[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise InputError(f"'{key}' must be a string, got {type(value).__name__}")
    return value
