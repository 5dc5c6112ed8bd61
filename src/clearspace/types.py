"""Value types shared by the core: spans, signals and verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from clearspace.fastinit import fast_init

Span = tuple[int, int]
"""``[start, end)`` character offsets into the *original* text."""


@fast_init
@dataclass(frozen=True, slots=True)
class Signal:
    """One thing a detector saw.

    ``kind`` names what was seen (``abuse``, ``insult``, ``pii.phone``, ``doxxing``,
    ``incitement``, ``lexicon.insult`` ...), ``score`` is in ``[0, 1]``, ``spans`` point
    into the original text and ``detector`` is ``name@version``.
    """

    kind: str
    score: float
    spans: tuple[Span, ...] = ()
    detector: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "score": round(float(self.score), 4),
            "spans": [list(s) for s in self.spans],
            "detector": self.detector,
        }
        if self.details:
            out["details"] = self.details
        return out


class HeadScore(NamedTuple):
    """One head of the abuse model on one text, as the verdict reads it: the fields of a
    :class:`Signal` without ``details`` (the engine makes one per head and post; a tuple is the
    cheapest record to make). The verdict turns the heads into signals."""

    kind: str
    score: float
    spans: tuple[Span, ...] = ()
    detector: str = ""
