"""Constructions the round-11 fresh suites showed the verdict getting wrong, both ways.

Each harmless text has an attack beside it that uses the same words, so that a rule that only makes
texts pass would fail here. The texts are written for these tests, not taken from any suite or dataset.
"""

from __future__ import annotations

import pytest

from clearspace.detectors.cues import CueTable
from clearspace.engine import Engine
from clearspace.text.document import Document
from clearspace.types import HeadScore
from clearspace.verdict.analysis import Analysis
from clearspace.verdict.combine import EXCLAIM_REASON, weigh
from clearspace.verdict.harm_scorer import HarmOpinion


@pytest.mark.parametrize(
    ("text", "abusive", "target"),
    [
        # an addressee noun after an indefinite determiner is someone a report speaks of
        ("据媒体报道，一位健身博主遭人开盒，住址被挂到网上，警方已介入", False, "third_person"),
        ("某位主播被网友人肉，家里电话被公开，平台已封禁相关账号", False, "third_person"),
        ("博主你再发这种视频，我就把你开盒", True, "addressee"),
    ],
)
def test_an_addressee_noun_after_an_indefinite_is_a_third_person(engine: Engine, text: str, abusive: bool,
                                                                 target: str) -> None:
    r = engine.score(text)
    assert (r.abusive, r.target) == (abusive, target), (text, r.stance, r.scores)


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ('Someone wrote "gay people are a disease" under the charity stream. Disgusting. Report it.', False),
        ("Disgusting, you are a disease on this server", True),
        ("You are disgusting.", True),
    ],
)
def test_a_condemnation_word_that_names_nobody_insults_nobody(engine: Engine, text: str, abusive: bool) -> None:
    r = engine.score(text)
    assert r.abusive is abusive, (text, r.target, r.stance, r.scores)


@pytest.mark.parametrize(
    ("text", "abusive", "stance"),
    [
        ('Some guy in the lobby told a new player to "go hang yourself" over one bad round. Mods, please ban him.',
         False, "quoting_to_condemn"),
        ("go hang yourself, you ruin every round", True, "attacking"),
    ],
)
def test_telling_someone_else_what_to_do_is_reported_speech(engine: Engine, text: str, abusive: bool,
                                                            stance: str) -> None:
    r = engine.score(text)
    assert (r.abusive, r.stance) == (abusive, stance), (text, r.scores)


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ("有人在群里喊“去人肉她”，大家千万别跟风，我已经举报了", False),
        ("大家别光看着，一起去举报他", True),
    ],
)
def test_a_call_to_action_in_another_clause_does_not_make_the_speakers_own_act_a_call(
        engine: Engine, text: str, abusive: bool) -> None:
    r = engine.score(text)
    assert r.abusive is abusive, (text, r.scores)


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ("the moment i spot that streamer at the con i'm punching him, no joke", True),
        ("今晚就去烧他的店，汽油都备好了", True),
        ("i'm punching in at 9 and out at 5 today", False),
        ("他发烧了，我去烧壶水", False),
    ],
)
def test_a_violent_verb_in_the_progressive_is_a_threat(engine: Engine, text: str, abusive: bool) -> None:
    r = engine.score(text)
    assert r.abusive is abusive, (text, r.scores)
    if abusive:
        assert r.category == "threat"


@pytest.mark.parametrize(
    ("text", "abusive", "target"),
    [
        ("Spilled coffee all over myself on the train. Absolute idiot. Anyone know how to get it out of wool?",
         False, "self"),
        ("He spilled coffee all over me on the train and laughed. Absolute idiot.", True, "third_person"),
    ],
)
def test_an_insult_naming_nobody_is_the_speakers_when_only_they_are_acted_on(
        engine: Engine, text: str, abusive: bool, target: str) -> None:
    r = engine.score(text)
    assert (r.abusive, r.target) == (abusive, target), (text, r.scores)


@pytest.mark.parametrize(("text", "raised"), [
    ("this damn printer jammed again, third time today", False),  # an exclamation about a thing
    ("damn, i know where your kids go to school", True),  # a cue of harm lets the head raise it
])
def test_the_harm_head_raises_no_untargeted_exclamation_without_a_cue_of_harm(text: str, raised: bool) -> None:
    an = Analysis.of(text, CueTable().find(text))
    verdict = weigh(Document(text, text), an, [HeadScore("abuse", 0.6)], [], 0.5, harm=HarmOpinion(0.95, 0.2, 0.2))
    assert verdict.abusive is raised, (text, verdict.why)
    if not raised:
        assert verdict.why == EXCLAIM_REASON


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ("of course not she is a complete idiot and everybody on the team knows it", True),
        ("no, he's an idiot and I'm done pretending otherwise", True),
        ("she is not dumb, she just learned the game last week", False),
    ],
)
def test_a_negator_that_ends_its_own_clause_negates_nothing_after_a_new_subject(
        engine: Engine, text: str, abusive: bool) -> None:
    r = engine.score(text)
    assert r.abusive is abusive, (text, r.scores)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I know which flat is yours now. Third floor, the one with the red curtains.", "threat"),
        ("Retirees on this forum are parasites sucking the rest of us dry.", "hate"),
        ("nice voice but I'd rather hear you moaning my name tonight", "sexual_harassment"),
    ],
)
def test_round11_cue_rows_name_the_attack(engine: Engine, text: str, category: str) -> None:
    r = engine.score(text)
    assert (r.abusive, r.category) == (True, category), (text, r.target, r.scores)
