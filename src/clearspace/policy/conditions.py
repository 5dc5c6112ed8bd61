"""The condition language of policy rules, compiled into plain closures.

A condition is a tree of leaves and combinators (see the policy schema in
:mod:`clearspace.policy.loader`)::

    signal: KIND | PREFIX*     min / max     score bounds, inclusive; an absent kind scores 0;
                                              ``pii.*`` means the highest score of any pii.<x>
    count_signals: PATTERN     min / max     how many matching kinds score >= score_min
                               score_min     (default: any score above 0)
    context: KEY               equals | in | min / max | exists
    all: [cond, ...]   any: [cond, ...]   not: cond

Each builder here returns a :class:`Condition` holding two closures: ``test(scores,
context) -> bool``, which is the hot path (no regex, no parsing, no eval), and ``explain``,
which runs only for a rule that fired and collects the signals that satisfied its lower
bounds (for the ``{signals}`` and ``{score}`` placeholders of the reason). The language
has no way to run code.

Context semantics: a key that is missing or ``None`` makes every context leaf false
except ``exists: false``. ``min``/``max`` need a number (``bool`` is not a number);
``equals``/``in`` never treat ``True`` as ``1``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from clearspace.policy import needs as nd
from clearspace.policy.needs import Needs

ScoreMap = Mapping[str, float]
"""Signal kind -> highest score for one event."""
Context = Mapping[str, Any]
"""Event context: surface, minor, author_strikes, ..."""
Test = Callable[[ScoreMap, Context], bool]
Explain = Callable[[ScoreMap, Context, dict[str, float]], None]
Scalar = str | int | float | bool

WILDCARD: Final = "*"


@dataclass(frozen=True, slots=True)
class Condition:
    """A compiled condition; ``text`` is a readable rendering for explanations.

    ``needs`` is a necessary condition on the scores (see :mod:`clearspace.policy.needs`):
    whenever ``test`` is true, ``needs`` hold. The default ``()`` promises nothing.
    """

    test: Test
    explain: Explain
    text: str
    needs: Needs = nd.NOTHING

    def __call__(self, scores: ScoreMap, context: Context) -> bool:
        return self.test(scores, context)

    def evidence(self, scores: ScoreMap, context: Context) -> dict[str, float]:
        """Signal kind -> score for the signals that satisfied lower bounds (if it holds)."""
        out: dict[str, float] = {}
        if self.test(scores, context):
            self.explain(scores, context, out)
        return out


def _no_evidence(scores: ScoreMap, context: Context, out: dict[str, float]) -> None:
    return None


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` is not a valid signal kind or ``PREFIX*`` pattern (``None``: valid)."""
    if not pattern:
        return "a signal kind cannot be empty"
    stem = pattern[:-1] if pattern.endswith(WILDCARD) else pattern
    if WILDCARD in stem:
        return f"'{pattern}': '*' may only end a signal pattern, as in 'pii.*'"
    bad = sorted({ch for ch in stem if not (ch.isalnum() or ch in "._-")})
    if bad:
        return f"'{pattern}': signal kinds use letters, digits, '.', '_' and '-', not {bad[0]!r}"
    return None


def _bounds_text(subject: str, lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f"{lo:g} <= {subject} <= {hi:g}"
    return f"{subject} >= {lo:g}" if lo is not None else f"{subject} <= {hi:g}"


def _within(lo: float | None, hi: float | None) -> Callable[[float], bool]:
    low = float("-inf") if lo is None else lo
    high = float("inf") if hi is None else hi
    return lambda value: low <= value <= high


# ---------------------------------------------------------------- signal leaves


def signal(pattern: str, lo: float | None = None, hi: float | None = None) -> Condition:
    """Score of ``pattern`` (an exact kind, or ``PREFIX*``: max over matching kinds) in bounds."""
    if pattern.endswith(WILDCARD):
        return _prefix_signal(pattern[:-1], lo, hi, pattern)
    kind = pattern
    test = _exact_at_least(kind, lo) if hi is None and lo is not None else _exact_within(kind, lo, hi)

    def explain(scores: ScoreMap, context: Context, out: dict[str, float]) -> None:
        if lo is not None and kind in scores:
            out[kind] = scores[kind]

    return Condition(test, explain, _bounds_text(pattern, lo, hi), nd.at_least(kind, True, lo))


def _exact_at_least(kind: str, lo: float) -> Test:
    def test(scores: ScoreMap, context: Context) -> bool:
        return scores.get(kind, 0.0) >= lo

    return test


def _exact_within(kind: str, lo: float | None, hi: float | None) -> Test:
    low = float("-inf") if lo is None else lo
    high = float("inf") if hi is None else hi

    def test(scores: ScoreMap, context: Context) -> bool:
        return low <= scores.get(kind, 0.0) <= high

    return test


def _prefix_max(scores: ScoreMap, prefix: str) -> float:
    best = 0.0
    for kind, score in scores.items():
        if score > best and kind.startswith(prefix):
            best = score
    return best


def _prefix_signal(prefix: str, lo: float | None, hi: float | None, text: str) -> Condition:
    within = _within(lo, hi)

    def test(scores: ScoreMap, context: Context) -> bool:
        return within(_prefix_max(scores, prefix))

    def explain(scores: ScoreMap, context: Context, out: dict[str, float]) -> None:
        if lo is None:
            return
        for kind, score in scores.items():
            if kind.startswith(prefix) and within(score):
                out[kind] = score

    return Condition(test, explain, _bounds_text(f"max({text})", lo, hi), nd.at_least(prefix, False, lo))


def count_signals(
    pattern: str, lo: int | None = None, hi: int | None = None, score_min: float | None = None
) -> Condition:
    """How many distinct kinds matching ``pattern`` score at least ``score_min`` (or > 0)."""
    prefix, exact = (pattern[:-1], False) if pattern.endswith(WILDCARD) else (pattern, True)
    counts = _within(lo, hi)
    floor = score_min

    def counted(kind: str, score: float) -> bool:
        if not (kind == prefix if exact else kind.startswith(prefix)):
            return False
        return score > 0.0 if floor is None else score >= floor

    def test(scores: ScoreMap, context: Context) -> bool:
        total = 0
        for kind, score in scores.items():
            if counted(kind, score):
                total += 1
        return counts(total)

    def explain(scores: ScoreMap, context: Context, out: dict[str, float]) -> None:
        if lo is not None:
            out.update((kind, score) for kind, score in scores.items() if counted(kind, score))

    needs = nd.some_counted(prefix, exact, lo, score_min)
    return Condition(test, explain, _bounds_text(f"count({pattern})", lo, hi), needs)


# ---------------------------------------------------------------- context leaves


def _tag(value: object) -> tuple[str, object] | None:
    """A hashable key that keeps ``True`` apart from ``1``; ``None`` for other types."""
    if value is True or value is False:
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, str):
        return ("str", value)
    return None


def context_equals(key: str, expected: Scalar) -> Condition:
    """``context[key] == expected`` (``True`` never equals ``1``)."""
    want = _tag(expected)

    def test(scores: ScoreMap, context: Context) -> bool:
        value = context.get(key)
        return value is not None and _tag(value) == want

    return Condition(test, _no_evidence, f"context.{key} == {expected!r}")


def context_in(key: str, options: Sequence[Scalar]) -> Condition:
    """``context[key]`` is one of ``options``."""
    allowed = frozenset(_tag(option) for option in options)

    def test(scores: ScoreMap, context: Context) -> bool:
        value = context.get(key)
        return value is not None and _tag(value) in allowed

    shown = ", ".join(repr(option) for option in options)
    return Condition(test, _no_evidence, f"context.{key} in [{shown}]")


def context_range(key: str, lo: float | None = None, hi: float | None = None) -> Condition:
    """``context[key]`` is a number (not a bool) within the inclusive bounds."""
    within = _within(lo, hi)

    def test(scores: ScoreMap, context: Context) -> bool:
        value = context.get(key)
        return isinstance(value, (int, float)) and not isinstance(value, bool) and within(value)

    return Condition(test, _no_evidence, _bounds_text(f"context.{key}", lo, hi))


def context_exists(key: str, exists: bool = True) -> Condition:
    """Whether ``context`` has ``key`` with a value other than ``None``."""

    def test(scores: ScoreMap, context: Context) -> bool:
        return (context.get(key) is not None) is exists

    verb = "exists" if exists else "is missing"
    return Condition(test, _no_evidence, f"context.{key} {verb}")


# ---------------------------------------------------------------- combinators


def all_of(children: Sequence[Condition]) -> Condition:
    """True when every child is true (and for no children)."""
    if len(children) == 1:
        return children[0]
    test = _all_tests(tuple(child.test for child in children))

    def explain(scores: ScoreMap, context: Context, out: dict[str, float]) -> None:
        for child in children:
            child.explain(scores, context, out)

    needs = nd.conjunction(tuple(child.needs for child in children))
    return Condition(test, explain, "all(" + ", ".join(c.text for c in children) + ")", needs)


def _all_tests(tests: tuple[Test, ...]) -> Test:
    """One closure for ``all``; two and three children are unrolled (the common cases)."""
    if len(tests) == 2:
        first, second = tests
        return lambda scores, context: first(scores, context) and second(scores, context)
    if len(tests) == 3:
        one, two, three = tests
        return lambda scores, context: one(scores, context) and two(scores, context) and three(scores, context)

    def test(scores: ScoreMap, context: Context) -> bool:
        for child_test in tests:  # noqa: SIM110 - hot path: a loop beats all(<genexpr>)
            if not child_test(scores, context):
                return False
        return True

    return test


def _any_tests(tests: tuple[Test, ...]) -> Test:
    """One closure for ``any``; two and three children are unrolled (the common cases)."""
    if len(tests) == 2:
        first, second = tests
        return lambda scores, context: first(scores, context) or second(scores, context)
    if len(tests) == 3:
        one, two, three = tests
        return lambda scores, context: one(scores, context) or two(scores, context) or three(scores, context)

    def test(scores: ScoreMap, context: Context) -> bool:
        for child_test in tests:  # noqa: SIM110 - hot path: a loop beats any(<genexpr>)
            if child_test(scores, context):
                return True
        return False

    return test


def any_of(children: Sequence[Condition]) -> Condition:
    """True when at least one child is true; evidence comes from every true child."""
    if len(children) == 1:
        return children[0]
    test = _any_tests(tuple(child.test for child in children))

    def explain(scores: ScoreMap, context: Context, out: dict[str, float]) -> None:
        for child in children:
            if child.test(scores, context):
                child.explain(scores, context, out)

    needs = nd.disjunction(tuple(child.needs for child in children))
    return Condition(test, explain, "any(" + ", ".join(c.text for c in children) + ")", needs)


def not_(child: Condition) -> Condition:
    """True when ``child`` is false; contributes no evidence."""
    child_test = child.test

    def test(scores: ScoreMap, context: Context) -> bool:
        return not child_test(scores, context)

    return Condition(test, _no_evidence, f"not({child.text})")
