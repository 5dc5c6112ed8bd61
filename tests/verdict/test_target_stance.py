"""Target and stance of texts the verdict finds harmless, and of attacks that name nobody.

The annotation they follow is the functional suites' (data/functional/README.md): a harmless text
still has a target (whom it is about) and a stance (the speaker's position). The texts are written
for these tests, not taken from the suites or any dataset.
"""

from __future__ import annotations

import pytest

from clearspace.engine import Engine
from clearspace.evaluation.functional import Case
from clearspace.evaluation.functional_run import _outcome
from clearspace.text.document import Document
from clearspace.types import HeadScore
from clearspace.verdict.analysis import Analysis
from clearspace.verdict.combine import weigh
from clearspace.verdict.harm_scorer import HarmOpinion


@pytest.mark.parametrize(
    ("text", "target", "stance"),
    [
        ("我真是个猪脑子，又把钥匙忘在公司了", "self", "attacking"),
        ("I'm such a dope, left my lunch on the bus again", "self", "attacking"),
        ("一名男子在地铁上对乘客喊“滚回老家”，已被警方行政拘留", "third_person", "reporting"),
        ("你一点都不笨，只是还没找到合适的方法", "addressee", "defending"),
        # a negated insulting word; a negated mild trait (not lazy) is "neutral" since the English column
        # learnt from the hand-written near misses that such a text insults nobody (MODEL_CARD.md)
        ("he is not stupid at all, he works two jobs", "third_person", "defending"),
        ("跨性别者也是普通人，请给他们起码的尊重", "group", "defending"),
        ("我是湖南人，今天做了一锅剁椒鱼头", "self", "neutral"),
        ("我靠，这场烟花也太好看了", "none", "neutral"),
        # an insult beside "myself" that names nobody else is the speaker's own, also in a longer text
        ("What a total moron, locked myself out of the car with the engine running again.", "self", "attacking"),
        # a negated insult is a defence also past SHORT_TEXT characters
        ("Nobody here thinks you're dumb for asking that, the docs are honestly confusing for everyone.",
         "addressee", "defending"),
    ],
)
def test_harmless_texts_have_a_target_and_a_stance(engine: Engine, text: str, target: str, stance: str) -> None:
    r = engine.score(text)
    assert not r.abusive, (text, r.scores)
    assert (r.target, r.stance) == (target, stance), text


@pytest.mark.parametrize(("text", "target"), [("just go drink bleach already", "addressee"),
                                              ("赶紧找根绳子吊死算了，活着浪费粮食", "addressee")])
def test_an_attack_that_names_nobody_is_aimed_at_the_reader(engine: Engine, text: str, target: str) -> None:
    r = engine.score(text)
    assert r.abusive, (text, r.scores)
    assert (r.target, r.stance) == (target, "attacking")


def test_a_text_the_harm_head_raises_is_an_attack_by_the_speaker() -> None:
    text = "the weather"
    model = [HeadScore("abuse", 0.05)]
    calm = weigh(Document(text, text), Analysis.of(text, []), model, [], 0.5)
    raised = weigh(Document(text, text), Analysis.of(text, []), model, [], 0.5, harm=HarmOpinion(0.95, 0.2, 0.2))
    assert (calm.abusive, calm.stance) == (False, "neutral")
    assert (raised.abusive, raised.stance, raised.why) == (True, "attacking", "the harm head")


@pytest.mark.parametrize(
    ("text", "raised"),
    [
        ("another rejection. i'm clearly unemployable lmao", False),  # (normalized text) only the speaker is named
        ("我这人就是个扫把星，碰啥啥坏", False),  # 这人 inside 我这人 is the speaker, not a third person
        ("i'm telling you, this is your last warning", True),  # the reader is named
        ("老师，那段舞能不能私下单独给我跳一遍", True),  # a come-on: a cue of harm, the addressee a vocative
    ],
)
def test_the_harm_head_raises_no_text_in_which_the_speaker_names_only_themselves(text: str, raised: bool) -> None:
    from clearspace.detectors.cues import CueTable

    an = Analysis.of(text, CueTable().find(text))
    verdict = weigh(Document(text, text), an, [HeadScore("abuse", 0.1)], [], 0.5, harm=HarmOpinion(0.95, 0.2, 0.2))
    assert verdict.abusive is raised, (text, verdict.why)


@pytest.mark.parametrize(
    ("text", "p", "raised"),
    [
        ("这家公司拖欠工资半年，老板还在朋友圈晒豪车，太无耻了", 0.9, False),  # criticism of conduct, no cue of harm
        ("这家公司拖欠工资半年，老板还在朋友圈晒豪车，我知道他住哪", 0.9, True),  # the same with a cue of harm (住哪)
        # a head this sure raises through the cap (harm_rules.SURE_RAISE)
        ("这家公司拖欠工资半年，老板还在朋友圈晒豪车，太无耻了", 0.97, True),
    ],
)
def test_the_harm_head_raises_criticism_of_conduct_only_with_a_cue_of_harm_or_when_sure(text: str, p: float,
                                                                                        raised: bool) -> None:
    from clearspace.detectors.cues import CueTable

    an = Analysis.of(text, CueTable().find(text))
    verdict = weigh(Document(text, text), an, [HeadScore("abuse", 0.1)], [], 0.5, harm=HarmOpinion(p, 0.2, 0.2))
    assert verdict.abusive is raised, (text, verdict.why)
    if not raised:
        assert verdict.why == "criticism of conduct"


@pytest.mark.parametrize(
    ("text", "raised", "why"),
    [
        ("we autistics are starting a board game night, bring snacks", False, "speaking as a member of the group"),
        ("we autistics know where you live and we're coming tonight", True, "the harm head"),  # a cue of harm
        ("we hate immigrants and they know it", True, "the harm head"),  # "we" before a verb, not a group
    ],
)
def test_the_harm_head_does_not_raise_a_member_speaking_of_their_group(text: str, raised: bool, why: str) -> None:
    from clearspace.detectors.cues import CueTable

    an = Analysis.of(text, CueTable().find(text))
    verdict = weigh(Document(text, text), an, [HeadScore("abuse", 0.1)], [], 0.5, harm=HarmOpinion(0.95, 0.2, 0.2))
    assert (verdict.abusive, verdict.why) == (raised, why), text


def test_a_third_person_cue_inside_the_speakers_description_of_themselves_is_dropped() -> None:
    from clearspace.detectors.cues import CueTable

    text = "你这人真没劲，我这人就是直"
    an = Analysis.of(text, CueTable().find(text))
    assert [text[c.start:c.end] for c in an.of_type("third")] == ["这人"]
    assert an.of_type("third")[0].start < text.index("我")
    alone = Analysis.of("我这人就是直", CueTable().find("我这人就是直"))
    assert alone.has("selfdesc") and not alone.has("third")


def test_the_suite_reads_criticizing_as_its_neutral() -> None:
    class Result:
        abusive, target, stance, scores = False, "third_person", "criticizing", {"abuse": 0.1}

    case = Case("x.1", "criticism_of_conduct", "en", "the council wasted the budget", "ok", "third_person", "neutral")
    assert _outcome(case, Result()).stance == "neutral"


def test_a_possessive_names_someone_else_not_the_speaker(engine: Engine) -> None:
    r = engine.score("our manager's cousin is a lazy leech who never pays for a single round")
    assert r.abusive and r.target != "self"


@pytest.mark.parametrize(
    "text",
    [
        "因散布“东北人都是骗子”这类地域歧视言论，这个博主被平台封号",  # naming the quoted words discrimination objects
        "他只是喜欢跳舞就被叫娘炮？跳舞又不分男女",  # being called a word is not calling someone it
    ],
)
def test_quoted_or_reported_words_named_as_discrimination_are_not_an_attack(engine: Engine, text: str) -> None:
    assert not engine.score(text).abusive, text


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        # a reported implied threat whose private detail stands before the quote (小区…“我知道你住哪”)
        ("据报道，某小区一住户在邻居门口贴纸条“我知道你住哪”，警方已介入调查", False),
        # speech named in another clause does not make the speaker's own threat a quote
        ("你再敢说我妹妹一句坏话，我就拿刀捅死你", True),
    ],
)
def test_quoted_and_own_threats_after_speech_words(engine: Engine, text: str, abusive: bool) -> None:
    assert engine.score(text).abusive is abusive, text


def test_the_speaker_in_a_relative_clause_is_not_the_one_insulted(engine: Engine) -> None:
    r = engine.score("you are honestly the dumbest coworker i have ever had the displeasure of sharing a desk with")
    assert r.abusive and r.target == "addressee"


@pytest.mark.parametrize(
    "text",
    ["我们班长就是个只会打小报告的废柴，啥正事也不干", "our coach is a useless clown who benches his best players"],
)
def test_a_role_the_speaker_owns_is_the_one_insulted(engine: Engine, text: str) -> None:
    r = engine.score(text)
    assert r.abusive and r.target == "third_person", (text, r.target)


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ("说外地人是蝗虫的那些人，你们祖上也是外地来的", False),  # what some people say, named by who says it
        ("地图炮真的够了，哪里都有好人坏人，别一说东北就是黑社会", False),  # a stereotype named to defend
        ("对门那个没教养的废物，天天半夜剁肉", True),
        ("社恐本恐，在电梯里遇到同事能尴尬到原地去世", False),
    ],
)
def test_speech_named_by_its_speakers_defence_and_attributes(engine: Engine, text: str, abusive: bool) -> None:
    assert engine.score(text).abusive is abusive, text


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ("说“东北人都是老鼠”的人，自己去东北住两年再说", False),  # what people say, closed quote before 的人
        ("有人说“开盒这个博主”，可开盒是违法的", False),  # the act named as a crime
        ("我就是个死胖子，爬两层楼就喘", False),  # the speaker describes themselves
        ("Trans women are women, and that's the end of it.", False),  # a slogan of support
        ("Who's marching with us at the dyke march on Sunday?", False),  # the slur inside an in-group name
        ("你就是个死胖子，爬两层楼就喘", True),
    ],
)
def test_round_ten_constructions(engine: Engine, text: str, abusive: bool) -> None:
    assert engine.score(text).abusive is abusive, text
