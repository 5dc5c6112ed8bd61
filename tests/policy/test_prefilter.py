"""The policy prefilter never changes a verdict: needs are necessary, skipped rules cannot fire."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from clearspace.policy import Policy, Rule, load_default_policy
from clearspace.policy import conditions as cond
from clearspace.policy.conditions import Condition, ScoreMap
from clearspace.policy.needs import Needs, matches
from clearspace.policy.prefilter import Prefilter
from clearspace.types import Signal

DEFAULT = load_default_policy()
KINDS = (
    "abuse", "insult", "identity_attack", "sexism", "targeted_individual", "targeted_group", "threat",
    "doxxing", "incitement", "lexicon.insult", "lexicon.slur", "lexicon.sexual", "lexicon.threat",
    "lexicon.self_harm", "lexicon.profanity", "pii.phone", "pii.email", "pii.id_card", "pii.address",
    "other", "lexiconx",
)  # fmt: skip
PATTERNS = ("abuse", "threat", "lexicon.threat", "lexicon.*", "pii.*", "pii.phone", "other", "*", "lex*")
THRESHOLDS = (0.0, 0.3, 0.5, 0.7, 0.8, 0.85, 0.9, 1.0)
EDGES = sorted({t + d for t in THRESHOLDS for d in (-1e-9, 0.0, 1e-9)} | {-0.5, 1.5, math.nextafter(0.0, 1.0)})

scores_st = st.one_of(st.sampled_from(EDGES), st.floats(-0.2, 1.2), st.just(math.nan))
score_maps = st.dictionaries(st.sampled_from(KINDS), scores_st, max_size=12)
contexts = st.fixed_dictionaries(
    {},
    optional={
        "surface": st.sampled_from(["post", "comment", "dm", "danmaku", "livechat"]),
        "minor": st.sampled_from([True, False, 1, None]),
        "author_strikes": st.sampled_from([0, 2, 3, 7, True, None]),
        "author_account_age_days": st.sampled_from([1, 7, 8, 400, None]),
        "target_user": st.sampled_from(["u1", None]),
    },
)


def needs_hold(needs: Needs, scores: ScoreMap) -> bool:
    """Plain reading of the needs, as a reference."""
    return all(
        any(matches(atom, kind) and score >= atom[2] for atom in clause for kind, score in scores.items())
        for clause in needs
    )


def fired(policy: Policy, scores: ScoreMap, context: dict[str, Any]) -> list[str]:
    return [rule.id for rule in policy.rules if rule.when.test(scores, context)]


@settings(max_examples=1500, deadline=None)
@given(score_maps, contexts)
def test_default_policy_same_verdict_with_and_without_prefilter(
    scores: dict[str, float], context: dict[str, Any]
) -> None:
    plain = dataclasses.replace(DEFAULT, prefilter=False)
    verdict = DEFAULT.evaluate_scores(scores, context)
    assert verdict == plain.evaluate_scores(scores, context)
    assert DEFAULT.outcome(scores, context) == (verdict.action, verdict.rule_ids, verdict.reasons, verdict.labels)
    assert [hit.rule for hit in verdict.rules] == fired(DEFAULT, scores, context)


@settings(max_examples=1000, deadline=None)
@given(score_maps, contexts)
def test_default_policy_needs_are_necessary(scores: dict[str, float], context: dict[str, Any]) -> None:
    for rule in DEFAULT.rules:
        if rule.when.test(scores, context):
            assert needs_hold(rule.when.needs, scores), rule.id


def bounds(draw: st.DrawFn) -> tuple[float | None, float | None]:
    lo = draw(st.one_of(st.none(), st.sampled_from(THRESHOLDS), st.just(-0.1)))
    hi = draw(st.one_of(st.none(), st.sampled_from(THRESHOLDS)))
    if lo is None and hi is None:
        lo = 0.5
    return lo, hi


@st.composite
def leaves(draw: st.DrawFn) -> Condition:
    which = draw(st.integers(0, 3))
    pattern = draw(st.sampled_from(PATTERNS))
    if which == 0:
        return cond.signal(pattern, *bounds(draw))
    if which == 1:
        lo = draw(st.one_of(st.none(), st.integers(0, 3)))
        hi = draw(st.one_of(st.none(), st.integers(0, 3)))
        floor = draw(st.one_of(st.none(), st.sampled_from(THRESHOLDS)))
        return cond.count_signals(pattern, lo if lo is not None or hi is not None else 1, hi, floor)
    if which == 2:
        return cond.context_in("surface", ["dm", "livechat"])
    return cond.context_equals("minor", True)


conditions = st.recursive(
    leaves(),
    lambda children: st.one_of(
        st.lists(children, max_size=4).map(cond.all_of),
        st.lists(children, max_size=4).map(cond.any_of),
        children.map(cond.not_),
    ),
    max_leaves=10,
)


@settings(max_examples=600, deadline=None)
@given(st.lists(conditions, min_size=1, max_size=6), st.lists(st.tuples(score_maps, contexts), min_size=1, max_size=8))
def test_random_conditions(whens: list[Condition], cases: list[tuple[dict[str, float], dict[str, Any]]]) -> None:
    actions = ("allow", "label", "hold", "remove")
    rules = tuple(Rule(f"r{i}", 1, when, actions[i % 4]) for i, when in enumerate(whens))
    policy = Policy("p", 1, rules)
    plain = Policy("p", 1, rules, prefilter=False)
    for scores, context in cases:
        for when in whens:
            if when.test(scores, context):
                assert needs_hold(when.needs, scores), when.text
        verdict = plain.evaluate_scores(scores, context)
        assert policy.evaluate_scores(scores, context) == verdict
        assert policy.outcome(scores, context) == (verdict.action, verdict.rule_ids, verdict.reasons, verdict.labels)


def test_benign_scores_test_no_rule() -> None:
    chooser = Prefilter([r.id for r in DEFAULT.rules], [r.when.needs for r in DEFAULT.rules])
    assert chooser.always == ()
    assert chooser.select({"abuse": 0.2, "targeted_individual": 0.4, "lexicon.profanity": 0.9}) == ()
    picked = chooser.select({"abuse": 0.95})
    assert "abuse-high-review@1" in picked and "doxxing-remove@1" not in picked


def test_needs_of_the_language() -> None:
    assert cond.signal("abuse", 0.5).needs == ((("abuse", True, 0.5),),)
    assert cond.signal("abuse", None, 0.5).needs == ()
    assert cond.signal("abuse", 0.0).needs == ()
    assert cond.signal("pii.*", 0.5).needs == ((("pii.", False, 0.5),),)
    assert cond.count_signals("pii.*", 0).needs == ()
    assert cond.count_signals("pii.*", 2, score_min=0.5).needs == ((("pii.", False, 0.5),),)
    assert cond.not_(cond.signal("abuse", 0.5)).needs == ()
    assert cond.any_of([]).needs == ((),)  # never true
    either = cond.any_of([cond.signal("abuse", 0.9), cond.signal("abuse", 0.5), cond.signal("threat", 0.7)])
    assert either.needs == ((("abuse", True, 0.5), ("threat", True, 0.7)),)


REASON_RULE = Rule(
    "r", 2, cond.signal("abuse", -1.0), "hold", reason="{rule} {category}: {signals} at {score} ({score!r})"
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from([0.0, -0.0, 0.5, 0.504, 0.4999, math.nan]), st.floats(-10, 10)), max_size=6))
def test_cached_reasons_read_as_freshly_formatted(values: list[float]) -> None:
    for value in [*values, *(np.float64(v) for v in values)]:
        scores = {"abuse": value}
        rounded = round(value, 2)
        expected = f"r@2 : abuse at {rounded} ({rounded!r})"
        assert REASON_RULE.hit(scores, {}).reason == expected


signal_lists = st.lists(st.builds(Signal, st.sampled_from(KINDS), scores_st), max_size=10)


@settings(max_examples=1000, deadline=None)
@given(signal_lists, contexts)
def test_outcome_from_signals_matches_evaluate(signals: list[Signal], context: dict[str, Any]) -> None:
    verdict = DEFAULT.evaluate(signals, context)
    expected = (verdict.action, verdict.rule_ids, verdict.reasons, verdict.labels)
    assert DEFAULT.signals_outcome(signals, context) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(conditions, min_size=1, max_size=6), st.lists(st.tuples(signal_lists, contexts), min_size=1, max_size=8)
)
def test_outcome_from_signals_with_random_rules(
    whens: list[Condition], cases: list[tuple[list[Signal], dict[str, Any]]]
) -> None:
    policy = Policy("p", 1, tuple(Rule(f"r{i}", 1, when, "hold") for i, when in enumerate(whens)))
    for signals, context in cases:
        verdict = policy.evaluate(signals, context)
        assert policy.signals_outcome(signals, context) == (
            verdict.action,
            verdict.rule_ids,
            verdict.reasons,
            verdict.labels,
        )
