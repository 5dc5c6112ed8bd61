"""A keyword engine with the real default policy: a fast, model-free stand-in for tests and demos.

It recognises a handful of fixed terms, turns them into signals (with spans) and runs the
shipped policy on them, so the service's behaviour (holds, removals, strikes, cases) can be
tested without depending on the weights of the abuse model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

from clearspace.policy import Policy, load_default_policy
from clearspace.result import ScoreResult
from clearspace.types import Signal

TERMS: Final[Mapping[str, tuple[tuple[str, float], ...]]] = {
    "傻逼": (("abuse", 0.8), ("insult", 0.7), ("lexicon.insult", 0.9)),
    "sb": (("abuse", 0.6), ("lexicon.insult", 0.6)),
    "nmsl": (("abuse", 0.62), ("lexicon.insult", 0.7)),
    "贱人": (("abuse", 0.85), ("insult", 0.8), ("lexicon.insult", 0.9)),
    "idiot": (("abuse", 0.8), ("insult", 0.8), ("lexicon.insult", 0.8)),
    "去死": (("abuse", 0.8), ("lexicon.threat", 0.85)),
    "杀了你": (("abuse", 0.9), ("lexicon.threat", 0.95)),
    "大家一起骂": (("abuse", 0.7), ("incitement", 0.8), ("targeted_individual", 0.8)),
}
PHONE: Final = re.compile(r"1\d{10}")
HAN: Final = re.compile(r"[\u4e00-\u9fff]")
DOX_CUES: Final = ("住在", "大家去找")


class KeywordEngine:
    """Implements the parts of :class:`clearspace.engine.Engine` the service uses."""

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy

    def warm_up(self) -> KeywordEngine:
        if self.policy is None:
            self.policy = load_default_policy()
        self.policy_ = self.policy
        return self

    def _signals(self, text: str) -> list[Signal]:
        lowered = text.lower()
        signals: list[Signal] = []
        for term, kinds in TERMS.items():
            start = lowered.find(term)
            if start >= 0:
                span = ((start, start + len(term)),)
                signals.extend(Signal(kind, score, span, "keywords@1") for kind, score in kinds)
        phone = PHONE.search(text)
        if phone:
            signals.append(Signal("pii.phone", 0.9, (phone.span(),), "keywords@1"))
            if any(cue in text for cue in DOX_CUES):
                signals.append(Signal("doxxing", 0.9, (phone.span(),), "keywords@1"))
        return signals

    def score(self, text: str, **context: Any) -> ScoreResult:
        self.warm_up()
        assert self.policy is not None
        signals = self._signals(text)
        lowered = text.lower()
        verdict = self.policy.evaluate(signals, context)
        scores: dict[str, float] = {"abuse": 0.05}
        for s in signals:
            scores[s.kind] = max(scores.get(s.kind, 0.0), s.score)
        abusive = scores["abuse"] >= 0.5
        # a stand-in for the verdict's target and stance: the reader when addressed, else a third person
        aimed = "addressee" if ("你" in text or " you" in f" {lowered}") else (
            "third_person" if ("他" in text or "她" in text) else "none")
        return ScoreResult(id=context.get("id"), abusive=abusive, action=verdict.action,
                           scores=scores, signals=tuple(signals), rules=tuple(h.rule for h in verdict.rules),
                           reasons=tuple(verdict.reasons), labels=tuple(verdict.labels),
                           language="zh" if HAN.search(text) else "en", target=aimed,
                           stance="attacking" if abusive else "neutral", category="abuse" if abusive else "")

    def score_many(self, items: Iterable[str | Mapping[str, Any]]) -> Iterator[ScoreResult]:
        for item in items:
            if isinstance(item, str):
                yield self.score(item)
            else:
                yield self.score(str(item["text"]), **{k: v for k, v in item.items() if k != "text"})
