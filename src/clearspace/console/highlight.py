"""The original text cut into pieces by the evidence spans of a decision's signals.

Each piece carries the signal kinds whose spans cover it, so the case view can mark what every
detector saw; overlapping spans of different detectors simply stack their kinds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

MASKED_PREFIX: Final = "lexicon."
"""Kinds whose spans a reviewer may keep masked until clicked: the lexicon's hits (slurs, insults,
threat words). The abuse model's spans are the n-grams that moved its score (``就是``, ``怎么``),
evidence worth reading, not words to hide, so they are highlighted but never masked."""


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    kinds: tuple[str, ...]

    @property
    def slur(self) -> bool:
        return any(k.startswith(MASKED_PREFIX) for k in self.kinds)

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


def evidence(event: Mapping[str, Any] | None) -> tuple[list[Piece], list[dict[str, Any]], dict[str, Any] | None]:
    """An event's text as pieces, the signals they come from and the decision holding those signals
    (the first decision that has any: the detectors', before a moderator's decision without signals)."""
    if not event:
        return [], [], None
    history = event.get("decisions") or []
    source = next((d for d in history if d["signals"]), history[0] if history else None)
    signals = [s for s in (source["signals"] if source else []) if s.get("kind") != "verdict"]
    return pieces(event["text"], signals), signals, source


def verdict(source: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The engine's verdict (target, stance, category) stored with a decision's signals, if any."""
    found = next((s for s in (source or {}).get("signals", []) if s.get("kind") == "verdict"), None)
    return dict(found.get("details", {})) if found else None
