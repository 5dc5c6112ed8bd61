"""Round 17 of the plain-case verdicts issue: denied predicates, forbidding a bias, things called by a broken
noun, a harm head surer than 0.03, and cue rows for come-ons, disease wishes and threats (MODEL_CARD.md)."""

from __future__ import annotations

import pytest

from clearspace.engine import Engine
from clearspace.verdict.denials import denied_stretches, without

CONSTRUCTIONS = [
    # what a negated copula denies is not said (the model reads "waste of a uniform" either way)
    ("Dude you are NOT a waste of a uniform. You made one bad call on a 14 hour shift. Learn from it and move on.",
     False),
    ("Dude you are a waste of a uniform. You made one bad call after another. Hand in your badge.", True),
    ("Older people at the 8am service are not furniture. They built this church with their own hands. Show some "
     "respect.", False),
    # forbidding a bias, or "what's wrong with X?" with a prohibition, defends the group; waving the talk of bias
    # away does not
    ("外地人怎么了？楼是外地人盖的，外卖是外地人送的，别动不动就排外", False),
    ("胖子点炸鸡怎么了？吃什么是人家的自由，别拿身材评判人", False),
    ("别跟我说什么歧视，你们河南人就是骗子", True),
    # 这破 + a noun is a thing; 这破 + a person noun is a person
    ("这破匹配机制真他妈傻逼，又是单排撞上五黑车队", False),
    ("这破主播真他妈傻逼", True),
    ("this fryer is a piece of shit, third time it's tripped the breaker tonight", False),
    ("the guy who fixed our fryer is a piece of shit", True),
    # an idiom holds an insulting word (看傻了: stunned); members' own name for themselves (我们这帮老不死的)
    ("我们这帮老不死的，今天又在公园跳了俩钟头，把年轻人都看傻了😄", False),
    ("你这个老不死的，天天在楼下跳广场舞吵死人", True),
    # come-ons and requests for photos, disease and death wishes, threats to burn a place with someone inside
    ("李姐发张穿泳衣的照片给我呗，就我一个人看，保证不外传😍", True),
    ("李姐今天穿泳衣去游泳馆了，说水温刚好，下周带孙子一起去", False),
    ("祝周大姐早日得个老年痴呆，啥都记不住才好呢", True),
    ("周大姐的妈妈去年得了老年痴呆，大家有空去看看她", False),
    ("Honestly wish that man would just have a heart attack on the green and save us all the bother", True),
    ("I nearly had a heart attack when the bill came, the green fees went up again", False),
    ("gonna burn that overpriced bistro down with the owner still inside it", True),
    ("Honestly Pauline you useless old cow, you've had the tea rota for 3 years and STILL can't get it right", True),
    ("骑手你咋不去4一4，送个饭送俩小时", True),
    # comparisons with a thing compare a person (the IQ of a traffic cone), they do not swear at the thing
    ("That ramp agent Tommy is a walking lawsuit with the IQ of a traffic cone. How is he still employed", True),
    ("Our landlord has the brains of a doorknob, the boiler's been broken for a month", True),
    ("She's the brains of the operation, honestly, we'd be lost without her", False),
    # a report of abuse the harm head is sure of (p < 0.03): the quoted words are talk, not abuse
    ("Mods of a large veterans subreddit say users have started writing 'unalive yourself' to slip past filters, "
     "and new rules take effect this week.", False),
    ("unalive yourself, nobody here wants you", True),
]


@pytest.mark.parametrize(("text", "abusive"), CONSTRUCTIONS)
def test_round17_construction(engine: Engine, text: str, abusive: bool) -> None:
    result = engine.score(text)
    assert result.abusive is abusive, (result.target, result.stance, result.scores)


@pytest.mark.parametrize(("text", "denied"), [
    ("you're not a fraud just because you still get anxious.", "a fraud just because you still get anxious"),
    ("older people are not furniture.", "furniture"),
    ("你一点都不丑，想发就发", "丑"),
    ("外地人不是什么蝗虫。", "蝗虫"),
])
def test_a_negated_copula_denies_its_predicate(text: str, denied: str) -> None:
    assert [text[a:b] for a, b in denied_stretches(text)] == [denied]
    assert denied not in without(text, denied_stretches(text))


@pytest.mark.parametrize("text", [
    "you are not human", "you're not welcome here", "you're not safe anywhere", "you are not worth the air you breathe",
    "你不是人", "你一点都不要脸", "他根本不是个东西", "you are a fraud",
])
def test_denials_that_are_attacks_are_not_left_out(text: str) -> None:
    assert denied_stretches(text) == []
