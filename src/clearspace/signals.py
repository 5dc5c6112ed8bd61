"""The signal kinds the engine emits, and checking a policy's references against them.

A policy names signals (``signal: threat``, ``count_signals: "pii.*"``); a name the engine never
emits makes a rule that can never fire, so the policy loader refuses it. Each detector declares
the kinds it emits in its ``kinds`` attribute (``PREFIX*`` patterns allowed); the engine adds its
model's heads. :data:`BUILTIN_SIGNAL_KINDS` is what the default engine emits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Final

WILDCARD: Final = "*"
MODEL_HEADS: Final = ("abuse", "identity_attack", "insult", "sexism", "targeted_individual", "targeted_group")
DETECTOR_KINDS: Final = (
    "lexicon.*", "pii.*", "doxxing", "incitement", "threat", "death_wish", "sexual_harassment", "dehumanization",
)
ADVISORY_KINDS: Final = ("guard.*",)
"""The guard plug-in's family (clearspace.plugins.guard): known to every engine, so a policy (the default
one too) may hold posts on a guard's word whether or not a guard is configured (without one, such rules
never fire); rules that read it may not limit or remove (clearspace.plugins.check_advisory)."""
BUILTIN_SIGNAL_KINDS: Final = (*MODEL_HEADS, *DETECTOR_KINDS, *ADVISORY_KINDS)
"""Every kind the default engine (shipped model and detectors) can emit, and the advisory family."""


def is_known(pattern: str, known: Collection[str]) -> bool:
    """Whether ``pattern`` names or overlaps a known kind (known entries may be ``PREFIX*``)."""
    if pattern in known:
        return True
    prefix = pattern.removesuffix(WILDCARD)
    for entry in known:
        if entry.endswith(WILDCARD):
            stem = entry[:-1]
            if pattern.startswith(stem) or (pattern != prefix and stem.startswith(prefix)):
                return True
        elif pattern != prefix and entry.startswith(prefix):
            return True
    return False


def unknown_kinds(patterns: Iterable[str], known: Collection[str]) -> list[str]:
    """The patterns among ``patterns`` that name no known kind, in order, without repeats."""
    out: list[str] = []
    for pattern in patterns:
        if not is_known(pattern, known) and pattern not in out:
            out.append(pattern)
    return out
