"""Necessary score conditions of policy conditions, derived when a policy is compiled.

A condition's *needs* say what must be true of the scores for the condition to hold. They
are written in conjunctive normal form over *atoms*:

* an :data:`Atom` ``(stem, exact, threshold)`` holds when some kind present in the score
  map matches (``kind == stem`` when ``exact``, else ``kind.startswith(stem)``) and scores
  at least ``threshold``;
* a :data:`Clause` (a tuple of atoms) holds when one of its atoms holds;
* :data:`Needs` (a tuple of clauses) hold when every clause holds; ``()`` knows nothing
  (it always holds).

The one promise: whenever a condition's test is true for some scores and context, its
needs hold for those scores. Needs may be weaker than the condition (context leaves,
``not`` and upper bounds contribute nothing), never stronger. The policy prefilter
(:mod:`clearspace.policy.prefilter`) relies on this to skip rules that cannot fire.
"""

from __future__ import annotations

import math
from itertools import product

Atom = tuple[str, bool, float]
Clause = tuple[Atom, ...]
Needs = tuple[Clause, ...]

NOTHING: Needs = ()
"""No known necessary condition."""
_POSITIVE = math.nextafter(0.0, 1.0)
"""``score > 0`` is ``score >= _POSITIVE`` for floats (and ints)."""
_MAX_CLAUSES = 16


def at_least(stem: str, exact: bool, lo: float | None) -> Needs:
    """Needs of "the score of ``stem`` (absent: 0) is at least ``lo``".

    An absent kind scores 0, so only a positive ``lo`` requires a present kind.
    """
    if lo is None or not lo > 0:
        return NOTHING
    return (((stem, exact, float(lo)),),)


def some_counted(stem: str, exact: bool, lo: float | None, score_min: float | None) -> Needs:
    """Needs of "at least ``lo`` present kinds matching ``stem`` are counted".

    A kind is counted when it scores ``> 0`` (``score_min`` is ``None``) or
    ``>= score_min``; only a positive ``lo`` requires one.
    """
    if lo is None or not lo > 0:
        return NOTHING
    threshold = _POSITIVE if score_min is None else score_min
    if math.isnan(threshold):
        return NOTHING
    return (((stem, exact, float(threshold)),),)


def conjunction(children: tuple[Needs, ...]) -> Needs:
    """Needs of ``all(children)``: every clause of every child."""
    return tuple(dict.fromkeys(clause for child in children for clause in child))


def disjunction(children: tuple[Needs, ...]) -> Needs:
    """Needs of ``any(children)``: for each choice of one clause per child, their union.

    When the choices would be too many, only each child's first clause is used (still a
    necessary condition, only a weaker one).
    """
    if any(not child for child in children):
        return NOTHING
    total = math.prod(len(child) for child in children)
    choices = product(*children) if total <= _MAX_CLAUSES else [tuple(child[0] for child in children)]
    return tuple(dict.fromkeys(_union(pick) for pick in choices))


def _union(clauses: tuple[Clause, ...]) -> Clause:
    """One clause holding when any of ``clauses`` holds; of two atoms about the same kinds
    only the lower threshold is kept (the other implies it)."""
    lowest: dict[tuple[str, bool], float] = {}
    for stem, exact, threshold in (atom for clause in clauses for atom in clause):
        key = (stem, exact)
        lowest[key] = min(threshold, lowest.get(key, threshold))
    return tuple((stem, exact, threshold) for (stem, exact), threshold in lowest.items())


def matches(atom: Atom, kind: str) -> bool:
    """Whether ``kind`` is a kind that ``atom`` talks about."""
    stem, exact, _ = atom
    return kind == stem if exact else kind.startswith(stem)
