"""Skipping the rules that cannot fire, from a score map alone.

Every rule's condition carries *needs*, a necessary condition on the scores (see
:mod:`clearspace.policy.needs`). For one score map the prefilter finds, for every kind
present, how many of the thresholds that the needs mention for that kind it reaches (its
*level*). The levels decide every atom exactly, so the rules whose needs fail can be left
out without testing them: their conditions are false. Rules without needs are always kept.

Most posts are benign and reach no threshold at all; they get the short list of rules
without needs at once. The list for each combination of levels is computed once and cached.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Generic, TypeVar

from clearspace.policy.conditions import ScoreMap
from clearspace.policy.needs import Atom, Needs, matches
from clearspace.types import Signal

T = TypeVar("T")
Levels = tuple[tuple[str, int], ...]
_MAX_CACHED = 4096


class Prefilter(Generic[T]):
    """Picks, for a score map, the items (rules) whose needs can hold, in their order.

    ``items[i]`` has the needs ``needs[i]``.
    """

    def __init__(self, items: Sequence[T], needs: Sequence[Needs]) -> None:
        self._items = tuple(items)
        self._needs = tuple(needs)
        self._atoms = tuple(dict.fromkeys(atom for n in self._needs for clause in n for atom in clause))
        self._always = tuple(item for item, n in zip(self._items, self._needs, strict=True) if not n)
        self._thresholds: dict[str, tuple[float, ...]] = {}
        self._floors: dict[str, float] = {}  # the lowest threshold of each kind (inf: none)
        self._plans: dict[Levels, tuple[T, ...]] = {}

    @property
    def always(self) -> tuple[T, ...]:
        """The items without needs: what a score map that reaches no threshold gets."""
        return self._always

    def select(self, scores: ScoreMap) -> tuple[T, ...]:
        """The items whose needs hold for ``scores`` (a superset of the items that can fire)."""
        known = self._thresholds
        hot: list[tuple[str, int]] = []
        for kind, score in scores.items():
            thresholds = known.get(kind)
            if thresholds is None:
                thresholds = self.thresholds(kind)
            if thresholds and score >= thresholds[0]:
                hot.append((kind, bisect_right(thresholds, score)))
        if not hot:
            return self._always
        levels = tuple(hot)
        plan = self._plans.get(levels)
        if plan is None:
            plan = self._plan(levels)
            if len(self._plans) < _MAX_CACHED:
                self._plans[levels] = plan
        return plan

    def quiet(self, signals: Iterable[Signal]) -> bool:
        """Whether no item can be selected: none is without needs, and every signal scores
        below the lowest threshold of its kind (so no kind's highest score reaches one)."""
        if self._always:
            return False
        floors = self._floors
        for sig in signals:
            floor = floors.get(sig.kind)
            if floor is None:
                floor = self.floor(sig.kind)
            if sig.score >= floor:
                return False
        return True

    def floor(self, kind: str) -> float:
        """The lowest threshold of the atoms about ``kind`` (infinity when there is none)."""
        thresholds = self.thresholds(kind)
        floor = thresholds[0] if thresholds else math.inf
        if len(self._floors) < _MAX_CACHED:
            self._floors[kind] = floor
        return floor

    def thresholds(self, kind: str) -> tuple[float, ...]:
        """The distinct thresholds of the atoms about ``kind``, ascending."""
        found = self._thresholds.get(kind)
        if found is None:
            found = tuple(sorted({atom[2] for atom in self._atoms if matches(atom, kind)}))
            if len(self._thresholds) < _MAX_CACHED:
                self._thresholds[kind] = found
        return found

    def _plan(self, levels: Levels) -> tuple[T, ...]:
        reached = {kind: self.thresholds(kind)[level - 1] for kind, level in levels}

        def holds(atom: Atom) -> bool:
            return any(best >= atom[2] and matches(atom, kind) for kind, best in reached.items())

        return tuple(
            item
            for item, needs in zip(self._items, self._needs, strict=True)
            if all(any(holds(atom) for atom in clause) for clause in needs)
        )
