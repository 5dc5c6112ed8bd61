"""A negator that forbids an act (别, 不要, don't be) does not deny the insulting word after it; one that
forbids speech (别叫他…, don't call her…) does. The texts are written for these tests."""

from __future__ import annotations

import pytest

from clearspace.detectors.cues import CueTable
from clearspace.engine import Engine
from clearspace.verdict.analysis import Analysis


@pytest.fixture(scope="module")
def cues() -> CueTable:
    return CueTable()


@pytest.mark.parametrize(
    ("text", "word", "negated"),
    [
        ("别跟那个废物一组", "废物", False),
        ("不要在群里装疯卖傻恶心人", "恶心", False),
        ("别叫他废物，他很努力", "废物", True),
        ("他一点也不蠢", "蠢", True),
        ("don't be such a moron", "moron", False),
        ("don't call her a moron, she tried", "moron", True),
        ("i don't think you're a moron", "moron", True),
        ("no fags allowed at this table", "fags", False),  # "no" before a plural keeps people out
        ("对门那个没教养的废物", "废物", False),  # 没 negates the attribute before 的, not the word
        ("you're no moron, you just rushed it", "moron", True),
    ],
)
def test_a_prohibition_denies_only_speech(cues: CueTable, text: str, word: str, negated: bool) -> None:
    an = Analysis.of(text, cues.find(text))
    assert an.negated(text.index(word)) is negated


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ("别跟那个傻逼玩，净拖后腿", True),
        ("别叫她肥猪，她已经很难过了", False),
        ("don't be such a moron, read the pinned post", True),
        ("don't call her a moron, she tried her best", False),
    ],
)
def test_the_verdict_reads_a_prohibited_act_as_said(engine: Engine, text: str, abusive: bool) -> None:
    assert engine.score(text).abusive is abusive, text


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ("No dykes on our five-a-side team, find another pitch", True),
        ("Your sister isn't a bad mum for going back to work. Those kids are thriving.", False),
        ("Third interview this month with no offer. Clearly I'm unhireable.", False),
    ],
)
def test_exclusion_negated_labels_and_self_descriptions(engine: Engine, text: str, abusive: bool) -> None:
    assert engine.score(text).abusive is abusive, text
