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
from clearspace.verdict.membership import self_named


def assert_abusive(engine: Engine, text: str, abusive: bool) -> None:
    r = engine.score(text)
    assert r.abusive is abusive, (text, r.target, r.stance, r.scores)


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
    assert_abusive(engine, text, abusive)


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
    assert_abusive(engine, text, abusive)


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
    assert_abusive(engine, text, abusive)
    if abusive:
        assert engine.score(text).category == "threat"


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
    assert_abusive(engine, text, abusive)


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


@pytest.mark.parametrize(
    ("text", "abusive", "target"),
    [
        # 本人 after someone named is that person "in person", not the speaker
        ("说句公道话，那个经理本人就是个没脑子的废物，整个部门都被他拖累", True, "third_person"),
        ("本人就是个废物，大家别学我", False, "self"),
    ],
)
def test_ben_ren_after_someone_named_is_not_the_speaker(engine: Engine, text: str, abusive: bool,
                                                        target: str) -> None:
    r = engine.score(text)
    assert (r.abusive, r.target) == (abusive, target), (text, r.stance, r.scores)


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ("河南人不是什么蝗虫，我在郑州住了十年，邻居都特别实在", False),  # a dehumanising word denied
        ("河南人就是一群蝗虫，离他们远点", True),
        ("今天又被虐了，我是垃圾我认", False),  # the speaker names themselves by it
        ("immigrants are not vermin, they run half the shops on this street", False),
        ("immigrants are vermin, all of them", True),
    ],
)
def test_denied_or_self_named_dehumanising_words_cap_the_model(text: str, abusive: bool) -> None:
    an = Analysis.of(text, CueTable().find(text))
    verdict = weigh(Document(text, text), an, [HeadScore("abuse", 0.8)], [], 0.5)
    assert verdict.abusive is abusive, (text, verdict.why)


def test_the_speakers_name_for_themselves_is_in_group(engine: Engine) -> None:
    text = "我们社恐怎么了？今天社恐本恐也去参加了读书会"  # 社恐本恐: "the X himself", said of oneself
    assert self_named(text, text.index("社恐本恐"), text.index("社恐本恐") + 2)
    assert not self_named("你这个社恐滚远点", 4, 6)


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ("我们聋子也有聋子的乐子，今天去看了场手语话剧", False),  # the speaker's word for their group, used again
        ("just a dyke with a toolbox fixing the neighbours' fence today", False),  # a post that opens with who
        ("@kim_r just a dyke who can't take a joke", True),  # addressed to someone: not an opening about oneself
        ("he is just a dyke who can't take a joke", True),
    ],
)
def test_reclaimed_words_repeated_or_opening_a_post_are_in_group(engine: Engine, text: str, abusive: bool) -> None:
    assert_abusive(engine, text, abusive)


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ("Nobody here thinks you're lying about your pain. We believe you.", False),
        ("别再说胖子都是懒鬼了，我表姐一百八十斤照样跑完了半马", False),
        ("“死胖子”这个词能不能别再用了，听着真的很伤人", False),
        ("i'm gonna s.m.a.s.h y.o.u.r f.a.c.e in", True),
        ("楼下新来的保安 s  b 一个，天天乱收停车费", True),
    ],
)
def test_round11_defences_and_evasions(engine: Engine, text: str, abusive: bool) -> None:
    assert_abusive(engine, text, abusive)


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ("某知名画手因拒绝退稿遭读者人肉，住址被挂到网上，警方已立案", False),  # the agent of 遭 is not the reader
        ("全体粉丝注意，现在立刻冲他评论区，每人至少骂十条", True),  # 立刻 and 每人 call on everyone
        ("u are not a burden to anyone here. text me whenever", False),
        ("u are a burden to everyone here", True),
        ("i look so ugly in every photo from the wedding lol", False),
        ("that's racist: he told my cousin 'go back to your country' at the bus stop. not staying quiet", False),
    ],
)
def test_round11_passives_calls_and_the_speaker_on_themselves(engine: Engine, text: str, abusive: bool) -> None:
    assert_abusive(engine, text, abusive)


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ("Only a retard would leave a trolley in the middle of the car park, and that's you.", True),  # not an intro
        ("I hope our landlord gets cancer and dies slowly for what he did to the tenants.", True),
        ("Three months unpaid by that client. May she rot in a hospital bed.", True),
        ("I'll pay double if you do the call without a top on, nobody else needs to know.", True),
    ],
)
def test_round11_wishes_of_illness_and_openings_that_insult(engine: Engine, text: str, abusive: bool) -> None:
    assert_abusive(engine, text, abusive)


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ("还有人在评论区说农村人都是蟑螂，这种话真让人寒心", False),  # what someone said, objected to
        ("农村人都是蟑螂，有人说得一点没错", True),
        ("这破洗衣机真是垃圾，又漏水了", False),  # swearing at a thing
        ("Telling someone to go jump off a bridge is never okay, however angry you are.", False),
    ],
)
def test_round11_what_someone_said_and_swearing_at_things(engine: Engine, text: str, abusive: bool) -> None:
    assert_abusive(engine, text, abusive)


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ("You are far from stupid, Doris, the new phone is just fiddly. Ask me anything.", False),
        ("I will shoot that alderman if he steps on my lawn again.", True),
        ("Go drink some weed killer, Harold.", True),
    ],
)
def test_round11_civic_roles_poison_and_far_from(engine: Engine, text: str, abusive: bool) -> None:
    assert_abusive(engine, text, abusive)


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ("Councillor Jane Whitlow's decision to shut the pool all summer was a disgrace.", False),
        ("Councillor Jane Whitlow is a disgrace and a liar.", True),
    ],
)
def test_a_role_and_a_name_before_a_possessive_own_what_is_criticised(engine: Engine, text: str,
                                                                      abusive: bool) -> None:
    assert_abusive(engine, text, abusive)


def test_a_denied_word_is_not_an_attack_that_keeps_a_text_from_quoting(engine: Engine) -> None:
    text = "EDIT: to everyone in my DMs calling my cousin stupid for trusting him: he isn't stupid. He was lied to."
    r = engine.score(text)
    assert (r.abusive, r.stance) == (False, "quoting_to_condemn"), r.scores


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ("He is rude, lazy and thick as a plank, and the whole office knows it.", True),  # a simile, no in-group
        ("Speaking as a nurse, night shifts are brutal and I love my team anyway.", False),
    ],
)
def test_as_a_after_an_adjective_is_a_simile_not_a_role(engine: Engine, text: str, abusive: bool) -> None:
    assert_abusive(engine, text, abusive)
    an = Analysis.of(text.lower(), CueTable().find(text.lower()))
    assert an.has("ingroup") is (not abusive)
