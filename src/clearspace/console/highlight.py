"""The original text cut into pieces by the evidence spans of a decision's signals.

Each piece carries the signal kinds whose spans cover it, so the case view can mark what every
detector saw; overlapping spans of different detectors simply stack their kinds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

SLUR_KINDS: Final = frozenset({"insult", "identity_attack", "sexism", "threat", "abuse"})
"""Kinds whose spans a reviewer may choose to keep masked until clicked (plus every ``lexicon.*``)."""


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    kinds: tuple[str, ...]

    @property
    def slur(self) -> bool:
        return any(k in SLUR_KINDS or k.startswith("lexicon.") for k in self.kinds)

    @property
    def family(self) -> str:
        """A CSS class for the piece's colour: the first detector family that saw it."""
        for kind in self.kinds:
            head = kind.split(".")[0]
            if head in ("pii", "doxxing"):
                return "pii"
            if head in ("incitement", "targeted_individual"):
                return "incite"
        return "abuse" if self.kinds else ""


def _spans(signals: Iterable[Mapping[str, Any]], length: int) -> list[tuple[int, int, str]]:
    out = []
    for signal in signals:
        kind = str(signal.get("kind", "?"))
        for span in signal.get("spans") or ():
            try:
                start, end = int(span[0]), int(span[1])
            except (TypeError, ValueError, IndexError):
                continue
            start, end = max(0, start), min(length, end)
            if start < end:
                out.append((start, end, kind))
    return out


def pieces(text: str, signals: Iterable[Mapping[str, Any]]) -> list[Piece]:
    """``text`` as consecutive pieces; their texts joined give ``text`` back exactly."""
    spans = _spans(signals, len(text))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    result = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        kinds = tuple(sorted({k for s, e, k in spans if s <= start and end <= e}))
        result.append(Piece(text[start:end], kinds))
    return result
