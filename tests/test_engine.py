from __future__ import annotations

from typing import Any

import pytest

from clearspace.engine import Engine
from clearspace.errors import InputError
from clearspace.result import ItemError, ScoreResult


def test_scores_are_probabilities_with_the_documented_keys(engine: Engine) -> None:
    r = engine.score("你就是个傻逼，赶紧滚", surface="comment")
    for key in ("abuse", "doxxing", "insult", "identity_attack", "sexism", "threat", "incitement",
                "targeted_individual", "targeted_group"):
        assert 0.0 <= r.scores[key] <= 1.0
    assert r.abusive is True
    assert r.action != "allow"
    assert r.rules and all("@" in rule for rule in r.rules)


def test_friendly_text_is_allowed(engine: Engine) -> None:
    r = engine.score("今天的直播太好看了，主播辛苦啦！")
    assert r.action == "allow" and not r.abusive and r.rules == ()


def test_signal_spans_point_into_the_original(engine: Engine) -> None:
    text = "你个沙-比，电话１３８１２３４５６７８，人肉她，大家去找她"
    r = engine.score(text)
    kinds = {s.kind for s in r.signals}
    assert {"lexicon.insult", "pii.phone", "doxxing"} <= kinds
    for s in r.signals:
        for a, b in s.spans:
            assert 0 <= a < b <= len(text)
    phone = next(s for s in r.signals if s.kind == "pii.phone")
    assert text[slice(*phone.spans[0])] == "１３８１２３４５６７８"


def test_score_many_keeps_order_and_reports_bad_items(engine: Engine) -> None:
    items: list[Any] = ["hello", {"id": 7, "text": "你好"}, {"id": 8}, {"id": 9, "text": 42}, 3.5, "bye"]
    out = list(engine.score_many(items))
    assert len(out) == len(items)
    assert [type(o) for o in out] == [ScoreResult, ScoreResult, ItemError, ItemError, ItemError, ScoreResult]
    assert out[1].id == 7
    assert isinstance(out[2], ItemError) and "missing field 'text'" in out[2].error
    assert isinstance(out[3], ItemError) and "must be a string" in out[3].error


def test_score_many_matches_score(engine: Engine) -> None:
    texts = ["河南人都是骗子", "thank you so much", "You are a worthless idiot"]
    batch = [r.scores["abuse"] for r in engine.score_many(texts) if isinstance(r, ScoreResult)]
    single = [engine.score(t).scores["abuse"] for t in texts]
    assert batch == pytest.approx(single, abs=1e-5)


@pytest.mark.timeout(60)  # a hang on hostile input fails here rather than stalling CI
def test_empty_and_huge_texts_have_defined_results(engine: Engine) -> None:
    assert engine.score("").action == "allow"
    huge = "正常的内容，没有问题。" * 100_000  # about 1.1 million characters
    r = engine.score(huge[:1_000_000])
    assert r.action in {"allow", "label", "nudge", "hold", "limit", "remove"}


def test_non_string_text_raises_input_error(engine: Engine) -> None:
    with pytest.raises(InputError):
        engine.score(None)  # type: ignore[arg-type]


def test_context_reaches_the_policy(engine: Engine) -> None:
    adult = engine.score("你个脑残", surface="comment")
    minor = engine.score("你个脑残", surface="comment", minor=True)
    order = ["allow", "label", "nudge", "hold", "limit", "remove"]
    assert order.index(minor.action) >= order.index(adult.action)


def test_result_serializes(engine: Engine) -> None:
    d = engine.score("hello", id="x1").to_dict()
    assert d["id"] == "x1" and set(d) >= {"abusive", "action", "scores", "signals", "rules"}
