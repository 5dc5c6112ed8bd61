"""Round 14 of the plain-case verdicts issue: constructions the everyday batches exposed (MODEL_CARD.md)."""

from __future__ import annotations

import pytest

from clearspace.engine import Engine

CONSTRUCTIONS = [
    # "where you're coming from" agrees with someone; "where you live" is the implied threat
    ("i know where you are coming from", False),
    ("I know where you're coming from, but I still think the plan is too expensive", False),
    ("i know where you live", True),
    # fate as a threat, aimed at the reader; about the speaker it is a sigh
    ("你的好日子到头了", True),
    ("你的好日子不多了，等着吧", True),
    ("我的好日子到头了，明天开始天天加班", False),
    # the reader's routine or home access with a place nobody passes or the speaker's memory of it is a threat;
    # one detail named by overlapping cues (你住的小区门口) is one detail, and a friendly plan is not a threat
    ("你晚上夜跑的那条路，十点以后基本没人", True),
    ("你住的那个小区门禁密码我好像记得", True),
    ("你住的小区门口新开了家奶茶店，有空一起去", False),
    ("我妹妹在中学住校，周末才回家", False),
]


@pytest.mark.parametrize(("text", "abusive"), CONSTRUCTIONS)
def test_round14_construction(engine: Engine, text: str, abusive: bool) -> None:
    result = engine.score(text)
    assert result.abusive is abusive, (result.target, result.stance, result.scores)
