"""The policy's value types: rules, rule hits, verdicts and the policy itself.

A :class:`Policy` is an ordered tuple of :class:`Rule` objects plus a default action.
:meth:`Policy.evaluate` runs every rule against one event's signals and context and returns
a :class:`Verdict`: the most severe action among the rules that fired, and a
:class:`RuleHit` (``name@version``, action, formatted reason) for *every* rule that fired, so
each effect records the rules that caused it.

Everything here is immutable and built by :mod:`clearspace.policy.loader`; nothing happens at
import time.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

from clearspace.fastinit import fast_init
from clearspace.policy.conditions import Condition, Context, ScoreMap, Test
from clearspace.policy.prefilter import Prefilter
from clearspace.types import Signal

ACTIONS: Final[tuple[str, ...]] = ("allow", "label", "nudge", "hold", "limit", "remove")
"""Every action a rule can take, least severe first."""

SEVERITY: Final[Mapping[str, int]] = MappingProxyType({a: i for i, a in enumerate(ACTIONS)})
"""``action -> rank`` (``allow`` is 0, ``remove`` is 5)."""

_MAX_CACHED_REASONS: Final = 4096

Outcome = tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]
"""``(action, rule ids, reasons, labels)``, see :meth:`Policy.outcome`."""

REASON_FIELDS: Final[tuple[str, ...]] = ("signals", "score", "rule", "category")
"""Placeholders a rule's ``reason`` template may use."""


def reason_problem(template: str) -> str | None:
    """Why ``template`` is not a valid reason template (``None`` when it is)."""
    allowed = ", ".join("{" + name + "}" for name in REASON_FIELDS)
    try:
        for _, field_name, _, _ in string.Formatter().parse(template):
            if field_name is not None and field_name not in REASON_FIELDS:
                shown = "{" + field_name + "}"
                return f"reason uses unknown placeholder {shown} (available: {allowed})"
        template.format(signals="abuse", score=0.5, rule="rule@1", category="insult")
    except (ValueError, KeyError, IndexError) as exc:
        return f"reason is not a valid template: {exc} (write '{{{{' and '}}}}' for literal braces)"
    return None


@fast_init
@dataclass(frozen=True, slots=True)
class RuleHit:
    """One rule that fired: ``rule`` is ``name@version``, ``reason`` is already formatted.

    ``signals`` names the signal kinds that satisfied the rule's lower bounds and ``score``
    is the highest of their scores (``0.0`` when the rule fired on context alone).
    """

    rule: str
    action: str
    reason: str
    category: str = ""
    signals: tuple[str, ...] = ()
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "rule": self.rule,
            "action": self.action,
            "reason": self.reason,
            "category": self.category,
            "signals": list(self.signals),
            "score": round(float(self.score), 4),
        }


@fast_init
@dataclass(frozen=True, slots=True)
class Verdict:
    """What the policy decided for one event.

    ``action`` is the most severe action among the rules that fired (the policy's default
    action when none fired). ``rules`` holds every rule that fired, in policy order.
    ``labels`` is the union of the labels of every fired rule. ``reasons`` and ``priority``
    come from the *deciding* rules, those whose action equals ``action``. ``policy`` is the
    policy's ``name@version``.
    """

    action: str
    rules: tuple[RuleHit, ...] = ()
    labels: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    policy: str = ""
    priority: int = 0

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """``name@version`` of every rule that fired, in policy order."""
        return tuple(hit.rule for hit in self.rules)

    @property
    def deciding(self) -> tuple[RuleHit, ...]:
        """The fired rules whose action is the verdict's action."""
        return tuple(hit for hit in self.rules if hit.action == self.action)

    @property
    def fired(self) -> bool:
        """Whether any rule fired (``False`` means the default action applied)."""
        return bool(self.rules)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "action": self.action,
            "policy": self.policy,
            "priority": self.priority,
            "labels": list(self.labels),
            "reasons": list(self.reasons),
            "rules": [hit.to_dict() for hit in self.rules],
        }


@dataclass(frozen=True, slots=True)
class Rule:
    """A named, versioned rule: when ``when`` holds, take ``action`` for ``reason``.

    ``reason`` is a template for the statement of reasons; it may use ``{signals}`` (comma
    list of the signal kinds that satisfied the condition), ``{score}`` (their highest
    score, rounded to 2 places), ``{rule}`` (``name@version``) and ``{category}``.
    ``priority`` orders review-queue lanes (higher is reviewed sooner). ``line`` is where
    the rule starts in its policy file (1-based, 0 when built in code).
    """

    name: str
    version: int
    when: Condition
    action: str
    reason: str = ""
    description: str = ""
    category: str = ""
    labels: tuple[str, ...] = ()
    priority: int = 0
    line: int = 0
    id: str = field(init=False, compare=False)
    """``name@version``, as recorded in every verdict."""
    _template: str = field(init=False, repr=False, compare=False)
    _reasons: dict[tuple[tuple[str, ...], float], str] = field(init=False, repr=False, compare=False)
    """Formatted reasons by (signal kinds, rounded score): most hits repeat one."""

    def __post_init__(self) -> None:
        if self.action not in SEVERITY:
            raise ValueError(f"unknown action {self.action!r} (valid: {', '.join(ACTIONS)})")
        problem = reason_problem(self.reason) if self.reason else None
        if problem is not None:
            raise ValueError(problem)
        literal = self.description.replace("{", "{{").replace("}", "}}")
        object.__setattr__(self, "id", f"{self.name}@{self.version}")
        object.__setattr__(self, "_template", self.reason or literal or "Matched rule {rule}")
        object.__setattr__(self, "_reasons", {})

    def hit(self, scores: ScoreMap, context: Context) -> RuleHit:
        """The :class:`RuleHit` for this rule, given that ``when`` holds for these inputs."""
        reason, kinds, score = self.explain(scores, context)
        return RuleHit(self.id, self.action, reason, self.category, kinds, score)

    def explain(self, scores: ScoreMap, context: Context) -> tuple[str, tuple[str, ...], float]:
        """The formatted reason, the signal kinds behind it and their highest score."""
        evidence: dict[str, float] = {}
        self.when.explain(scores, context, evidence)
        score = max(evidence.values(), default=0.0)
        kinds = tuple(evidence)
        rounded = round(score, 2)
        # only plain positive floats are cached: equal keys then always format the same
        key = (kinds, rounded) if type(rounded) is float and rounded > 0 else None
        reason = self._reasons.get(key) if key is not None else None
        if reason is None:
            reason = self._template.format(
                signals=", ".join(kinds), score=rounded, rule=self.id, category=self.category
            )
            if key is not None and len(self._reasons) < _MAX_CACHED_REASONS:
                self._reasons[key] = reason
        return reason, kinds, score


def max_scores(signals: Sequence[Signal]) -> dict[str, float]:
    """``kind -> highest score`` over ``signals``; NaN scores are ignored."""
    scores: dict[str, float] = {}
    get = scores.get
    for sig in signals:
        score = sig.score
        if score > get(sig.kind, -1.0):
            scores[sig.kind] = score
    return scores


def _triage(deciding: Sequence[Rule]) -> tuple[str, int]:
    """``(category, priority)`` from a verdict's deciding rules: the first one's category, the highest priority."""
    return (deciding[0].category if deciding else "", max((r.priority for r in deciding), default=0))


@dataclass(frozen=True, slots=True)
class Policy:
    """An ordered set of rules and a default action; build one with ``load_policy``.

    ``prefilter`` (on by default) skips, for each score map, the rules whose conditions
    cannot hold (see :mod:`clearspace.policy.prefilter`); it never changes a verdict.
    """

    name: str
    version: int
    rules: tuple[Rule, ...]
    default_action: str = "allow"
    description: str = ""
    source: str = ""
    prefilter: bool = field(default=True, compare=False)
    signal_patterns: tuple[str, ...] = field(default=(), compare=False)  # every signal kind its rules name
    _plan: tuple[tuple[Test, Rule, int], ...] = field(init=False, repr=False, compare=False)
    _prefilter: Prefilter[tuple[Test, Rule, int]] | None = field(init=False, repr=False, compare=False)
    _id: str = field(init=False, repr=False, compare=False)
    _by_id: Mapping[str, Rule] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        plan = tuple((r.when.test, r, SEVERITY[r.action]) for r in self.rules)
        object.__setattr__(self, "_plan", plan)
        chooser = Prefilter(plan, [r.when.needs for r in self.rules]) if self.prefilter else None
        object.__setattr__(self, "_prefilter", chooser)
        object.__setattr__(self, "_id", f"{self.name}@{self.version}")
        object.__setattr__(self, "_by_id", MappingProxyType({r.id: r for r in self.rules}))

    @property
    def id(self) -> str:
        """``name@version`` of the policy."""
        return self._id

    def rule(self, name: str) -> Rule:
        """The rule called ``name``; ``KeyError`` when there is none."""
        for rule in self.rules:
            if rule.name == name:
                return rule
        raise KeyError(name)

    def triage(self, action: str, fired: Sequence[str]) -> tuple[str, int]:
        """``(category, priority)`` of a verdict that took ``action`` with the rules ``fired``
        (``name@version``, as :attr:`clearspace.result.ScoreResult.rules`): from the *deciding* rules
        only, those whose action is ``action``, exactly as :attr:`Verdict.priority` counts them (the
        first one's category, the highest priority); ``("", 0)`` when none of them decided."""
        return _triage([r for r in map(self._by_id.get, fired) if r is not None and r.action == action])

    def evaluate(self, signals: Sequence[Signal], context: Mapping[str, Any]) -> Verdict:
        """Run every rule on ``signals`` and ``context`` and return the verdict.

        A signal kind that is absent scores 0; when a kind appears more than once its
        highest score counts. Never raises for well-typed input.
        """
        return self.evaluate_scores(max_scores(signals), context)

    def evaluate_scores(self, scores: ScoreMap, context: Mapping[str, Any]) -> Verdict:
        """Like :meth:`evaluate`, from a precomputed ``kind -> max score`` mapping."""
        fired, best = self._fired(scores, context)
        if not fired:
            return Verdict(self.default_action, policy=self._id)
        return self._verdict(fired, best, scores, context)

    def outcome(self, scores: ScoreMap, context: Mapping[str, Any]) -> Outcome:
        """The parts of :meth:`evaluate_scores`'s verdict a scored post carries, built faster.

        ``(action, rule ids, reasons, labels)``, equal to ``(v.action, v.rule_ids, v.reasons,
        v.labels)`` of the verdict ``v``; only the deciding rules' reasons are formatted.
        """
        fired, best = self._fired(scores, context)
        if not fired:
            return self.default_action, (), (), ()
        ids: list[str] = []
        labels: dict[str, None] = {}
        reasons: dict[str, None] = {}
        for rule, severity in fired:
            ids.append(rule.id)
            labels.update(dict.fromkeys(rule.labels))
            if severity == best:
                reasons[rule.explain(scores, context)[0]] = None
        return ACTIONS[best], tuple(ids), tuple(reasons), tuple(labels)

    def signals_outcome(self, signals: Sequence[Signal], context: Mapping[str, Any]) -> Outcome:
        """:meth:`outcome` from signals, as :meth:`evaluate` takes them.

        When the prefilter sees that no rule can fire, the score map is not even built.
        """
        if self._prefilter is not None and self._prefilter.quiet(signals):
            return self.default_action, (), (), ()
        return self.outcome(max_scores(signals), context)

    def _fired(self, scores: ScoreMap, context: Context) -> tuple[list[tuple[Rule, int]], int]:
        """The rules whose conditions hold, in order, with their severities; the highest one."""
        fired: list[tuple[Rule, int]] = []
        best = -1
        plan = self._plan if self._prefilter is None else self._prefilter.select(scores)
        for test, rule, severity in plan:
            if test(scores, context):
                fired.append((rule, severity))
                if severity > best:
                    best = severity
        return fired, best

    def _verdict(self, fired: list[tuple[Rule, int]], best: int, scores: ScoreMap, context: Context) -> Verdict:
        hits: list[RuleHit] = []
        labels: dict[str, None] = {}
        reasons: dict[str, None] = {}  # of the deciding rules, in order, without repeats
        deciding: list[Rule] = []
        for rule, severity in fired:
            hit = rule.hit(scores, context)
            hits.append(hit)
            labels.update(dict.fromkeys(rule.labels))
            if severity == best:
                reasons[hit.reason] = None
                deciding.append(rule)
        return Verdict(ACTIONS[best], tuple(hits), tuple(labels), tuple(reasons), self._id, _triage(deciding)[1])
