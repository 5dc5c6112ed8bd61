"""Round 20 of the plain-case verdicts issue: constructions found in the round's read files (MODEL_CARD.md)."""

from __future__ import annotations

import pytest

from clearspace.detectors.cues import CueTable
from clearspace.detectors.harm import HarmDetector
from clearspace.engine import Engine
from clearspace.text.document import Document
from clearspace.verdict.analysis import Analysis

CONSTRUCTIONS = [
    # 谁再…，我就…谁: a condition on whoever does something, then the speaker hurting that person
    ("谁再动我的座位牌，我就拿圆规扎谁", True),
    ("谁再乱停车我就扎谁轮胎", True),
    ("谁再迟到我就罚谁抄书", False),
    ("谁再不交作业，我就不让谁进教室", False),
]


@pytest.mark.parametrize(("text", "abusive"), CONSTRUCTIONS)
def test_round20_construction(engine: Engine, text: str, abusive: bool) -> None:
    result = engine.score(text)
    assert result.abusive is abusive, (result.target, result.stance, result.scores)


@pytest.mark.parametrize(("text", "threat"), [
    ("谁再动我的座位牌，我就拿圆规扎谁", True),
    ("谁再敢造谣，我就弄死谁", True),
    ("谁再乱停车我就扎谁轮胎", True),
    ("谁再动我的车，我绝不会砸谁的车", False),  # negated
    ("谁再乱停车就扎谁轮胎", False),  # no speaker acts
    ("谁扎的这个辫子？真好看", False),  # no condition
])
def test_whoever_threats(text: str, threat: bool) -> None:
    doc = Document(text, text)
    found = HarmDetector().detect_analysed(doc, Analysis.of(text, CueTable().find(text), doc))
    assert any(s.kind == "threat" and s.score >= 0.5 for s in found) is threat, found
