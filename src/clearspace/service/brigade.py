"""Mass-report brigade detection: many reports on one item or person from accounts that act together.

Pure functions over recent report rows. A brigade is at least ``min_reports`` reports on one
subject inside the window that also look coordinated: most reporters also reported the same
*other* subjects together (co-reporting), or they arrived in one burst from reporters with a
poor track record. A brigade never takes anything down by itself; it lowers the weight of
its reports and marks the case so a moderator sees it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

BURST_SECONDS = 300.0
CO_REPORT_SHARE = 0.5
LOW_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class Finding:
    brigade: bool
    reason: str = ""


def reputation(upheld: int, rejected: int) -> float:
    """A reporter's weight: the Beta(1, 1)-smoothed share of their reports moderators upheld."""
    return (upheld + 1) / (upheld + rejected + 2)


def co_report_share(reporters: Sequence[str], other_subjects: Mapping[str, set[str]]) -> float:
    """Share of reporter pairs that also reported at least one other subject in common."""
    people = sorted(set(reporters))
    pairs = list(combinations(people, 2))
    if not pairs:
        return 0.0
    linked = sum(1 for a, b in pairs if other_subjects.get(a, set()) & other_subjects.get(b, set()))
    return linked / len(pairs)


def detect(reports: Sequence[Mapping[str, Any]], other_subjects: Mapping[str, set[str]], *,
           min_reports: int, span_seconds: float) -> Finding:
    """``reports`` are the recent reports on one subject (with ``reporter`` and ``weight``)."""
    reporters = [r["reporter"] for r in reports]
    if len(set(reporters)) < min_reports:
        return Finding(False)
    share = co_report_share(reporters, other_subjects)
    if share >= CO_REPORT_SHARE:
        return Finding(True, f"{len(set(reporters))} reporters, {share:.0%} of pairs also co-reported other subjects")
    mean_weight = sum(float(r["weight"]) for r in reports) / len(reports)
    if span_seconds <= BURST_SECONDS and mean_weight < LOW_WEIGHT:
        return Finding(True, f"{len(reports)} reports within {span_seconds:.0f}s from low-reputation reporters")
    return Finding(False)
