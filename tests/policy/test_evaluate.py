"""Evaluating policies: severity ordering, recorded rules, reasons and the condition language."""

from __future__ import annotations

import math
from collections.abc import Mapping
from textwrap import dedent
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from clearspace.policy import ACTIONS, SEVERITY, Policy, Verdict, parse_policy
from clearspace.types import Signal

POLICY = """
name: test
version: 7
defaults: {action: allow}
rules:
  - name: abuse-label
    version: 1
    when: {signal: abuse, min: 0.5}
    action: label
    labels: [abusive]
    reason: "Abusive ({signals}, {score})"
  - name: abuse-hold
    version: 3
    when: {signal: abuse, min: 0.8}
    action: hold
    category: insult
    priority: 20
    reason: "{rule} in {category}: {score:.0%}"
  - name: threat-hold
    version: 1
    when: {signal: threat, min: 0.5}
    action: hold
    labels: [threat, abusive]
    priority: 50
  - name: pii-remove
    version: 2
    when: {signal: "pii.*", min: 0.9}
    action: remove
    reason: "Personal information: {signals}"
"""


def evaluate(policy: Policy, context: Mapping[str, Any] | None = None, **scores: float) -> Verdict:
    """``kind=score`` keywords, with ``__`` standing for ``.`` (``pii__phone``)."""
    signals = [Signal(kind.replace("__", "."), score) for kind, score in scores.items()]
    return policy.evaluate(signals, context or {})


def one_rule(when: str, action: str = "hold") -> Policy:
    """A policy with a single rule ``r@1`` whose condition is the YAML ``when``."""
    body = dedent(when).strip("\n").replace("\n", "\n      ")
    return parse_policy(
        f"name: t\nversion: 1\nrules:\n  - name: r\n    version: 1\n    action: {action}\n    when:\n      {body}\n"
    )


def fires(policy: Policy, context: Mapping[str, Any] | None = None, **scores: float) -> bool:
    return evaluate(policy, context, **scores).fired


def test_no_rule_fires_gives_the_default_action() -> None:
    verdict = evaluate(parse_policy(POLICY), abuse=0.2)
    assert verdict == Verdict("allow", policy="test@7")
    assert not verdict.fired


def test_custom_default_action() -> None:
    policy = parse_policy(POLICY.replace("{action: allow}", "{action: nudge}"))
    assert evaluate(policy).action == "nudge"


def test_most_severe_action_wins_and_every_fired_rule_is_recorded() -> None:
    verdict = evaluate(parse_policy(POLICY), abuse=0.85, pii__phone=0.95, pii__email=0.5)
    assert verdict.action == "remove"
    assert verdict.rule_ids == ("abuse-label@1", "abuse-hold@3", "pii-remove@2")
    assert verdict.reasons == ("Personal information: pii.phone",)
    assert [hit.action for hit in verdict.rules] == ["label", "hold", "remove"]
    assert verdict.deciding == (verdict.rules[2],)


def test_ties_keep_every_deciding_rule() -> None:
    verdict = evaluate(parse_policy(POLICY), abuse=0.9, threat=0.6)
    assert verdict.action == "hold"
    assert verdict.rule_ids == ("abuse-label@1", "abuse-hold@3", "threat-hold@1")
    assert [hit.rule for hit in verdict.deciding] == ["abuse-hold@3", "threat-hold@1"]
    assert verdict.reasons == ("abuse-hold@3 in insult: 90%", "Matched rule threat-hold@1")
    assert verdict.priority == 50
    assert verdict.labels == ("abusive", "threat")


def test_reason_placeholders_and_hit_fields() -> None:
    verdict = evaluate(parse_policy(POLICY), abuse=0.6666)
    (hit,) = verdict.rules
    assert hit.reason == "Abusive (abuse, 0.67)"
    assert (hit.rule, hit.action, hit.category, hit.signals, hit.score) == (
        "abuse-label@1",
        "label",
        "",
        ("abuse",),
        0.6666,
    )
    assert verdict.to_dict() == {
        "action": "label",
        "policy": "test@7",
        "priority": 0,
        "labels": ["abusive"],
        "reasons": ["Abusive (abuse, 0.67)"],
        "rules": [
            {
                "rule": "abuse-label@1",
                "action": "label",
                "reason": "Abusive (abuse, 0.67)",
                "category": "",
                "signals": ["abuse"],
                "score": 0.6666,
            }
        ],
    }


def test_description_is_the_reason_when_none_is_given() -> None:
    policy = parse_policy(
        "name: t\nversion: 1\nrules:\n  - {name: r, version: 1, when: {signal: a, min: 0.1}, action: hold,"
        " description: 'Uses {braces} literally'}\n"
    )
    assert evaluate(policy, a=0.5).reasons == ("Uses {braces} literally",)


def test_repeated_kinds_use_their_highest_score() -> None:
    policy = parse_policy(POLICY)
    signals = [Signal("abuse", 0.3), Signal("abuse", 0.85), Signal("abuse", 0.4)]
    assert policy.evaluate(signals, {}).action == "hold"
    assert policy.evaluate_scores({"abuse": 0.85}, {}).action == "hold"


def test_nan_scores_are_ignored() -> None:
    policy = parse_policy(POLICY)
    assert policy.evaluate([Signal("abuse", math.nan)], {}).action == "allow"
    assert policy.evaluate([Signal("abuse", math.nan), Signal("abuse", 0.9)], {}).action == "hold"


# ---------------------------------------------------------------- signal leaves


def test_bounds_are_inclusive() -> None:
    policy = one_rule("{signal: abuse, min: 0.5, max: 0.7}")
    assert [fires(policy, abuse=s) for s in (0.49, 0.5, 0.6, 0.7, 0.71)] == [False, True, True, True, False]


def test_absent_signal_scores_zero() -> None:
    assert fires(one_rule("{signal: abuse, max: 0.2}"))
    assert not fires(one_rule("{signal: abuse, min: 0.0001}"))
    assert fires(one_rule("{signal: abuse, min: 0}"))


def test_glob_takes_the_highest_matching_score() -> None:
    policy = one_rule("{signal: 'pii.*', min: 0.8}")
    assert fires(policy, pii__phone=0.3, pii__address=0.9)
    assert not fires(policy, pii__phone=0.3, pii=0.95, pixel=0.99)
    hit = evaluate(policy, pii__phone=0.85, pii__address=0.9, pii__name=0.2).rules[0]
    assert (hit.signals, hit.score) == (("pii.phone", "pii.address"), 0.9)


def test_glob_with_max_means_no_match_is_high() -> None:
    policy = one_rule("{signal: 'lexicon.*', max: 0.4}")
    assert fires(policy)
    assert fires(policy, lexicon__insult=0.3)
    assert not fires(policy, lexicon__insult=0.3, lexicon__slur=0.5)


def test_bare_star_matches_every_kind() -> None:
    assert fires(one_rule("{signal: '*', min: 0.9}"), anything=0.95)


def test_count_signals() -> None:
    policy = one_rule("{count_signals: 'pii.*', min: 2, score_min: 0.5}")
    assert not fires(policy, pii__phone=0.9, pii__email=0.4)
    assert fires(policy, pii__phone=0.9, pii__email=0.5)
    hit = evaluate(policy, pii__phone=0.9, pii__email=0.5, abuse=1.0).rules[0]
    assert set(hit.signals) == {"pii.phone", "pii.email"}
    anything = one_rule("{count_signals: 'lexicon.*', max: 1}")
    assert fires(anything, lexicon__insult=0.9, lexicon__slur=0.0)
    assert not fires(anything, lexicon__insult=0.9, lexicon__slur=0.1)


# ---------------------------------------------------------------- context leaves


def test_context_equals_keeps_true_apart_from_one() -> None:
    policy = one_rule("{context: minor, equals: true}")
    assert fires(policy, {"minor": True})
    assert not fires(policy, {"minor": 1})
    assert not fires(policy, {"minor": False})
    assert not fires(policy, {})
    assert fires(one_rule("{context: strikes, equals: 1}"), {"strikes": 1.0})
    assert not fires(one_rule("{context: strikes, equals: 1}"), {"strikes": True})


def test_context_in() -> None:
    policy = one_rule("{context: surface, in: [dm, livechat]}")
    assert fires(policy, {"surface": "dm"})
    assert not fires(policy, {"surface": "post"})
    assert not fires(policy, {"surface": None})
    assert not fires(policy, {"surface": ["dm"]})


def test_context_range_needs_a_number() -> None:
    policy = one_rule("{context: author_strikes, min: 3}")
    assert fires(policy, {"author_strikes": 3})
    assert fires(policy, {"author_strikes": 4.5})
    assert not fires(policy, {"author_strikes": 2})
    assert not fires(policy, {"author_strikes": "5"})
    assert not fires(policy, {"author_strikes": True})
    assert not fires(policy, {})
    young = one_rule("{context: author_account_age_days, max: 7}")
    assert fires(young, {"author_account_age_days": 0})
    assert not fires(young, {"author_account_age_days": 8})


def test_context_exists() -> None:
    present = one_rule("{context: target_user, exists: true}")
    missing = one_rule("{context: target_user, exists: false}")
    assert fires(present, {"target_user": "u1"}) and not fires(missing, {"target_user": "u1"})
    assert fires(missing, {}) and fires(missing, {"target_user": None})
    assert not fires(present, {})


def test_not_all_any() -> None:
    policy = one_rule(
        """
        any:
          - all: [{signal: abuse, min: 0.7}, {context: surface, in: [dm, livechat]}]
          - all: [{signal: abuse, min: 0.9}, {not: {context: minor, equals: false}}]
        """
    )
    assert fires(policy, {"surface": "dm"}, abuse=0.75)
    assert not fires(policy, {"surface": "post"}, abuse=0.75)
    assert fires(policy, {"surface": "post"}, abuse=0.95)
    assert not fires(policy, {"surface": "post", "minor": False}, abuse=0.95)


def test_evidence_comes_from_true_branches_only() -> None:
    policy = one_rule(
        """
        any:
          - all: [{signal: threat, min: 0.9}, {signal: targeted, min: 0.5}]
          - {signal: abuse, min: 0.5}
          - not: {signal: insult, min: 0.1}
        """
    )
    hit = evaluate(policy, threat=0.95, targeted=0.2, abuse=0.6, insult=0.5).rules[0]
    assert hit.signals == ("abuse",)


# ---------------------------------------------------------------- properties

KINDS = ["abuse", "threat", "pii.phone", "pii.email", "lexicon.slur", "doxxing", "x"]
scores = st.floats(allow_nan=True, allow_infinity=True)
signals = st.lists(
    st.builds(Signal, kind=st.one_of(st.sampled_from(KINDS), st.text(max_size=8)), score=scores), max_size=12
)
values = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5), st.lists(st.integers()))
contexts = st.dictionaries(
    st.one_of(st.sampled_from(["surface", "minor", "author_strikes", "target_user"]), st.text(max_size=5)), values
)
EVERYTHING = """
name: everything
version: 1
rules:
  - {name: a, version: 1, when: {signal: abuse, min: 0.5, max: 0.9}, action: nudge, reason: "{signals} {score:.1f}"}
  - {name: b, version: 1, when: {signal: "pii.*", max: 0.5}, action: label}
  - {name: c, version: 1, when: {count_signals: "*", min: 2}, action: hold, reason: "{signals}"}
  - {name: d, version: 1, when: {context: surface, in: [dm, 1, true]}, action: limit}
  - {name: e, version: 1, when: {context: author_strikes, min: 1, max: 3}, action: remove}
  - {name: f, version: 1, when: {not: {context: minor, equals: false}}, action: allow}
  - {name: g, version: 1, when: {any: [{context: target_user, exists: true}, {signal: x, min: 1}]}, action: hold}
"""


@given(signals=signals, context=contexts)
def test_evaluate_never_raises_and_returns_a_valid_verdict(signals: list[Signal], context: dict[Any, Any]) -> None:
    policy = parse_policy(EVERYTHING)
    verdict = policy.evaluate(signals, context)
    assert verdict.action in ACTIONS
    assert all(hit.action in ACTIONS for hit in verdict.rules)
    if verdict.rules:
        assert SEVERITY[verdict.action] == max(SEVERITY[hit.action] for hit in verdict.rules)
        assert verdict.reasons
    else:
        assert verdict.action == "allow"
