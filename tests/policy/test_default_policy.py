"""The shipped default policy: it loads, uses only known signals and context, and acts sensibly."""

from __future__ import annotations

import time
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearspace.policy import SEVERITY, Policy, Verdict, check_policy, load_default_policy
from clearspace.types import Signal

KNOWN_CONTEXT = ["surface", "minor", "author_strikes", "author_account_age_days", "target_user", "target", "stance",
                 "author_followers", "author_verified", "monetized", "organization"]


@pytest.fixture(scope="module")
def known_signals() -> tuple[str, ...]:
    """The kinds the default engine really emits (its model's heads and its detectors' kinds)."""
    from clearspace.engine import Engine

    kinds = Engine().signal_kinds()
    assert kinds is not None
    return kinds
ADULT = {"surface": "comment", "minor": False, "author_strikes": 0, "author_account_age_days": 400}


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_default_policy()


def verdict(policy: Policy, context: Mapping[str, Any] | None = None, **scores: float) -> Verdict:
    """``kind=score`` keywords, with ``__`` standing for ``.`` (``pii__phone``)."""
    signals = [Signal(kind.replace("__", "."), score) for kind, score in scores.items()]
    return policy.evaluate(signals, {**ADULT, **(context or {})})


def action(policy: Policy, context: Mapping[str, Any] | None = None, **scores: float) -> str:
    return verdict(policy, context, **scores).action


def test_loads_and_uses_only_known_signals_and_context(policy: Policy, known_signals: tuple[str, ...]) -> None:
    text = files("clearspace").joinpath("data/policy/default.yaml").read_text(encoding="utf-8")
    assert check_policy(text, known_signals=known_signals, known_context=KNOWN_CONTEXT) == []
    assert policy.id == "default@4"


def test_every_signal_the_default_policy_names_is_emitted_by_the_engine(policy: Policy,
                                                                         known_signals: tuple[str, ...]) -> None:
    # the rules that once waited for a "threat" model head were dead: no such signal was emitted
    assert "threat" in policy.signal_patterns and "death_wish" in policy.signal_patterns
    from clearspace.signals import unknown_kinds

    assert unknown_kinds(policy.signal_patterns, known_signals) == []
    assert policy.default_action == "allow"


def test_every_rule_explains_itself(policy: Policy) -> None:
    for rule in policy.rules:
        assert rule.description, rule.id
        assert rule.reason, rule.id
        assert rule.category, rule.id


@pytest.mark.parametrize(
    ("context", "scores", "expected"),
    [
        ({}, {}, "allow"),
        ({}, {"abuse": 0.2}, "allow"),
        ({}, {"abuse": 0.2, "lexicon__profanity": 1.0}, "allow"),
        ({}, {"abuse": 0.6}, "nudge"),
        ({}, {"abuse": 0.8}, "nudge"),
        ({}, {"abuse": 0.8, "targeted_individual": 0.9}, "hold"),
        ({}, {"abuse": 0.95}, "hold"),
        ({}, {"abuse": 0.95, "lexicon__slur": 1.0}, "remove"),
        ({}, {"abuse": 0.8, "identity_attack": 0.9, "targeted_group": 0.8}, "hold"),
        ({}, {"abuse": 0.8, "identity_attack": 0.9}, "nudge"),
        ({"surface": "dm"}, {"abuse": 0.75, "targeted_individual": 0.8}, "limit"),
        ({"surface": "danmaku"}, {"abuse": 0.75, "targeted_individual": 0.8}, "limit"),
        ({}, {"doxxing": 0.95}, "remove"),
        ({}, {"doxxing": 0.6}, "hold"),
        ({}, {"pii__phone": 0.99}, "allow"),
        ({}, {"pii__phone": 0.9, "pii__address": 0.9, "pii__name": 0.8, "targeted_individual": 0.7}, "hold"),
        ({}, {"threat": 0.95}, "remove"),
        ({}, {"threat": 0.85}, "hold"),  # an implied threat (capped at 0.85) is reviewed, not removed
        ({}, {"threat": 0.65}, "hold"),
        ({}, {"death_wish": 0.8}, "hold"),
        ({}, {"sexual_harassment": 0.8}, "hold"),
        ({"surface": "dm"}, {"sexual_harassment": 0.8}, "limit"),
        ({}, {"dehumanization": 0.9, "abuse": 0.9}, "hold"),
        ({"minor": True}, {"death_wish": 0.6}, "remove"),
        ({}, {"lexicon__threat": 0.95, "abuse": 0.8}, "hold"),
        ({}, {"lexicon__threat": 0.95, "abuse": 0.95, "targeted_individual": 0.8}, "remove"),
        ({}, {"lexicon__threat": 0.85, "abuse": 0.2}, "nudge"),
        ({}, {"lexicon__self_harm": 0.95, "abuse": 0.8}, "hold"),
        ({}, {"incitement": 0.7}, "hold"),
        ({"target_user": "u42"}, {"incitement": 0.9}, "limit"),
        ({}, {"lexicon__self_harm": 1.0, "abuse": 0.1}, "label"),
        ({"minor": True}, {"abuse": 0.6}, "hold"),
        ({"minor": True}, {"abuse": 0.85}, "limit"),
        ({"minor": True}, {"lexicon__sexual": 1.0}, "remove"),
        ({"minor": True}, {"doxxing": 0.55}, "remove"),
        ({"author_strikes": 3}, {"abuse": 0.6}, "hold"),
        ({"author_account_age_days": 2}, {"abuse": 0.75, "targeted_individual": 0.8}, "limit"),
    ],
)
def test_sensible_actions(policy: Policy, context: dict[str, Any], scores: dict[str, float], expected: str) -> None:
    assert action(policy, context, **scores) == expected


def test_doxxing_is_removed_with_a_reason(policy: Policy) -> None:
    result = verdict(policy, doxxing=0.95)
    assert result.rule_ids == ("doxxing-remove@1",)
    assert result.reasons == ("Exposes another person's private information (doxxing, score 0.95).",)
    assert result.labels == ("doxxing",)


def test_pii_alone_is_recorded_but_allowed(policy: Policy) -> None:
    result = verdict(policy, pii__email=0.9)
    assert (result.action, result.rule_ids) == ("allow", ("pii-informational@1",))


def test_moderate_abuse_nudges_and_labels(policy: Policy) -> None:
    result = verdict(policy, abuse=0.6)
    assert result.rule_ids == ("abuse-label@1", "abuse-nudge@1")
    assert result.labels == ("abusive-language",)


@pytest.mark.parametrize("abuse", [0.5, 0.6, 0.75, 0.85, 0.95])
def test_minors_are_protected_more_strictly(policy: Policy, abuse: float) -> None:
    adult = action(policy, {"minor": False}, abuse=abuse)
    minor = action(policy, {"minor": True}, abuse=abuse)
    assert SEVERITY[minor] > SEVERITY[adult] or minor == "remove"


def test_repeat_offenders_are_treated_more_strictly(policy: Policy) -> None:
    assert SEVERITY[action(policy, {"author_strikes": 5}, abuse=0.6)] > SEVERITY[action(policy, abuse=0.6)]


@given(
    low=st.floats(0, 1),
    high=st.floats(0, 1),
    others=st.dictionaries(
        st.sampled_from(
            [
                "targeted_individual",
                "targeted_group",
                "identity_attack",
                "sexism",
                "lexicon.threat",
                "lexicon.slur",
                "lexicon.self_harm",
            ]
        ),
        st.floats(0, 1),
    ),
    minor=st.booleans(),
    surface=st.sampled_from(["post", "comment", "dm", "danmaku", "livechat"]),
)
def test_more_abuse_is_never_treated_more_leniently(
    low: float, high: float, others: dict[str, float], minor: bool, surface: str
) -> None:
    policy = load_default_policy()
    low, high = sorted((low, high))
    context = {**ADULT, "minor": minor, "surface": surface}
    base = [Signal(kind, score) for kind, score in others.items()]
    lenient = policy.evaluate([*base, Signal("abuse", low)], context).action
    strict = policy.evaluate([*base, Signal("abuse", high)], context).action
    assert SEVERITY[strict] >= SEVERITY[lenient]


def test_fast_enough(policy: Policy) -> None:
    """A loose guard (the real figure is tens of thousands per second)."""
    clean = [Signal("abuse", 0.05), Signal("insult", 0.02), Signal("pii.phone", 0.1)]
    flagged = [Signal("abuse", 0.8), Signal("targeted_individual", 0.7), Signal("lexicon.insult", 1.0)]
    start = time.perf_counter()
    for _ in range(2_000):
        policy.evaluate(clean, ADULT)
        policy.evaluate(flagged, ADULT)
    assert time.perf_counter() - start < 2.0


def test_strong_insult_words_get_friction_even_when_the_model_is_unsure(policy: Policy) -> None:
    scores = {"abuse": 0.3, "lexicon.insult": 0.9}
    assert action(policy, None, **scores) == "nudge"
    assert action(policy, {"minor": True}, **scores) == "hold"
    assert action(policy, None, abuse=0.3, **{"lexicon.profanity": 0.9}) == "allow"
