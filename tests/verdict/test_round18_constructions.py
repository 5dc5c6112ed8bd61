"""Round 18 of the plain-case verdicts issue: things sworn at later in their sentence, more things, words spelt
out letter by letter, and homophone insults (MODEL_CARD.md)."""

from __future__ import annotations

import pytest

from clearspace.engine import Engine
from clearspace.verdict.things import said_of_thing

CONSTRUCTIONS = [
    # 这破 + a thing, then the word exclaimed later in the same sentence: the thing is sworn at
    ("这破打印机又卡纸了，真他妈sb，明天要用的卷子还一张没印。", False),
    ("这破主播又迟到了，真他妈sb", True),
    ("这破店老板又涨价了，真他妈sb", True),
    # ... and a strong word said to the reader's face stands, though the harm head reads the printer (p 0.014)
    ("这破打印机又卡纸了，你真他妈sb", True),
    ("你别老是当着人骂孩子“废物”，孩子越骂越没出息", False),
    # more things people swear at (locks, appliances, exam papers)
    ("这傻逼密码锁又卡住了，试了八遍都打不开", False),
    ("这傻逼房东又把门锁换了", True),
    # a word spelt out letter by letter
    ("f u c k y o u and your overpriced tour", True),
    ("you know what? f u c k off with that attitude", True),
    # homophone insults: 伞兵 (傻逼), 铸币
    ("我们那个教导主任真是个伞兵，天天课间查手机。", True),
    ("你就是个铸币", True),
    ("伞兵部队今天进行了跳伞训练", False),
]


@pytest.mark.parametrize(("text", "abusive"), CONSTRUCTIONS)
def test_round18_construction(engine: Engine, text: str, abusive: bool) -> None:
    result = engine.score(text)
    assert result.abusive is abusive, (result.target, result.stance, result.scores)


@pytest.mark.parametrize(("text", "word", "thing"), [
    ("这破手机刚买就坏了，真傻逼", "傻逼", True),
    ("这破打印机又卡纸了，真他妈傻逼", "傻逼", True),
    ("这破主播又迟到了，真他妈sb", "sb", False),
    ("这破手机刚买就坏了，你真傻逼", "傻逼", False),
    ("这破手机刚买就坏了。真傻逼", "傻逼", False),
])
def test_a_word_exclaimed_later_in_the_sentence_of_a_broken_thing(text: str, word: str, thing: bool) -> None:
    start = text.rindex(word)
    assert said_of_thing(text, start, start + len(word)) is thing


@pytest.mark.parametrize(("text", "word", "own"), [
    ("i said you're a 'moron' and i meant it", "moron", True),
    ("我就骂他“废物”，怎么了", "废物", True),
    ("my fil calls my wife a 'stupid bitch' and nobody says anything", "stupid bitch", False),
    ("people typing 'shut up faggot' in the lobby chat are the reason queer players quit", "faggot", False),
])
def test_a_quoted_word_after_the_speakers_own_verb_of_saying_is_the_speakers(text: str, word: str, own: bool) -> None:
    from clearspace.detectors.cues import CueTable
    from clearspace.verdict.analysis import Analysis

    an = Analysis.of(text, CueTable().find(text))
    start = text.index(word)
    assert an.speaker_said(start, start + len(word)) is own


@pytest.mark.parametrize(("text", "abusive"), [
    # the harm head, sure of an attack, may not raise thanks or congratulations that hold no cue of an act of harm
    ("感谢你每天晚上陪我聊天，祝你每天都开心", False),
    ("congrats on the new job, saw it on your linkedin", False),
    # ... but the speaker's own quoted word stands against its surest "no"
    ("I said you're a 'moron' and I meant it", True),
])
def test_thanks_and_the_speakers_own_words_against_the_harm_heads_extremes(engine: Engine, text: str,
                                                                          abusive: bool) -> None:
    assert engine.score(text).abusive is abusive
