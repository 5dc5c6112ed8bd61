"""What scoring one post returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clearspace.fastinit import fast_init
from clearspace.types import Signal


@fast_init
@dataclass(frozen=True, slots=True)
class ScoreResult:
    """Scores, signals and the policy's action for one text.

    ``abusive`` is the engine's verdict (the model, the detectors, the target and the stance
    weighed together, see :mod:`clearspace.verdict`); ``target`` is who the text attacks or, when
    it attacks nobody, speaks of (``addressee``, ``third_person``, ``group``, ``self``, ``none``);
    ``stance`` is the speaker's (``attacking``, ``quoting_to_condemn``, ``reporting``,
    ``defending``, ``neutral``); ``category`` names the harm when ``abusive`` (``threat``,
    ``death_wish``, ``sexual_harassment``, ``hate``, ``insult``, ``incitement``, ``doxxing``,
    ``abuse``). ``action`` is what the policy decided from all signals and the context;
    ``rules`` lists the policy rules that fired as ``name@version`` and ``reasons`` their
    statements.
    """

    id: Any
    abusive: bool
    action: str
    scores: dict[str, float]
    signals: tuple[Signal, ...]
    rules: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    language: str = "und"
    detectors: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    target: str = "none"
    stance: str = "neutral"
    category: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "abusive": self.abusive,
            "action": self.action,
            "scores": {k: round(float(v), 4) for k, v in self.scores.items()},
            "signals": [s.to_dict() for s in self.signals],
            "rules": list(self.rules),
            "reasons": list(self.reasons),
            "language": self.language,
            "target": self.target,
            "stance": self.stance,
            "category": self.category,
        }
        if self.labels:
            out["labels"] = list(self.labels)
        out.update(self.extra)
        return out


@dataclass(frozen=True, slots=True)
class ItemError:
    """An item of a batch that could not be scored; the rest of the batch goes on."""

    index: int
    id: Any
    error: str

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"index": self.index, "error": self.error}
        if self.id is not None:
            out["id"] = self.id
        return out
