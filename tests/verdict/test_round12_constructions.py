"""Constructions the round-12 fresh suites showed the verdict getting wrong, both ways.

Each harmless text has an attack beside it that uses the same words, so that a rule that only makes
texts pass would fail here. The texts are written for these tests, not taken from any suite or dataset.
"""

from __future__ import annotations

import pytest

from clearspace.engine import Engine
from clearspace.text.normalize import Normalizer
from clearspace.verdict.analysis import quoted_stretches
from clearspace.verdict.membership import self_named


def verdict(engine: Engine, text: str) -> tuple[bool, str, str]:
    r = engine.score(text)
    return r.abusive, r.target, r.stance


def test_a_straight_quote_between_chinese_characters_is_kept_as_a_quote() -> None:
    doc = Normalizer().normalize('对方留言称"我知道你住哪个小区"。')
    assert '"我知道你住哪个小区"' in doc.text
    assert quoted_stretches(doc.text)  # the quote is still there to be found
    assert Normalizer().normalize("傻-逼").text == "傻逼"  # separators inside a word still go


@pytest.mark.parametrize(
    ("text", "abusive", "stance"),
    [
        # a report that quotes a threat: the span of the implied threat starts inside the quote
        ('据报道，一名店主在网上收到私信"我知道你住哪个小区，晚上出门小心点"，警方已立案调查。', False, "reporting"),
        ('Police said the man texted "I know where you live" to two of his neighbours; he was charged on Monday.',
         False, "reporting"),
        ('The review found the coach had told a player "I know where you live" after the match.', False, "reporting"),
        # the same words as the speaker's own
        ("我知道你住哪个小区，晚上出门小心点", True, "attacking"),
        ("I know where you live. Think real hard before you post again.", True, "attacking"),
    ],
)
def test_a_report_quoting_a_threat_is_not_one(engine: Engine, text: str, abusive: bool, stance: str) -> None:
    got = verdict(engine, text)
    assert (got[0], got[2]) == (abusive, stance), (text, got)


@pytest.mark.parametrize(
    ("text", "start_word", "named"),
    [
        ("瘸子本瘸今天又去爬山了", "瘸子", True),
        ("剩女本剩，过年照样开开心心", "剩女", True),
        ("本菜狗今天又输了三把", "菜狗", True),
        ("你这个菜狗今天又输了三把", "菜狗", False),
        ("日本鬼子的片子", "鬼子", False),  # 本 inside 日本 opens no clause
    ],
)
def test_ben_names_the_speaker(text: str, start_word: str, named: bool) -> None:
    start = text.index(start_word)
    assert self_named(text, start, start + len(start_word)) is named


def test_turning_up_at_a_place_is_no_call() -> None:
    from clearspace.detectors.incitement import IncitementDetector

    detector = IncitementDetector()
    normalize = Normalizer().normalize
    work = detector.detect(normalize("Let's all show up at his work on Friday"), {})
    park = detector.detect(normalize("Let's all show up at the park on Friday for the picnic"), {})
    assert work and work[0].score >= 0.6
    assert not park or park[0].score < 0.5


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("what an absolute 1d10t", "what an absolute idiot"),
        ("ur so st*pid", "ur so stupid"),
        ("meet at 10am on the 1st floor, room 3b", "meet at 10am on the 1st floor, room 3b"),  # not lexicon words
        ("covid19 h2o mp3 4x4", "covid19 h2o mp3 4x4"),
    ],
)
def test_a_masked_word_is_read_back_only_to_a_lexicon_word(text: str, normalized: str) -> None:
    from clearspace.detectors.lexicon import lexicon_normalizer

    assert lexicon_normalizer().normalize(text).text == normalized


CONSTRUCTIONS: dict[str, list[tuple[str, bool]]] = {
    "swearing at nobody is an exclamation": [
        ("Absolute shite service on the trains again, stuck outside Crewe for an hour", False),
        ("fucking hell that thunderstorm was loud, the dog is still under the bed", False),
        ("you are absolute shite at this, uninstall", True),
        ("fuck you and your thunderstorm pics", True),
    ],
    "implied threats through routines and warnings": [
        ("Nice kids you've got. Maple Street Primary, pickup at 3:30, isn't it?", True),
        ("Tenants who complain about me don't stay comfortable for long. Think real hard before you do it again.",
         True),
        ("The pickup at 3:30 is at the side gate now, the kids loved the new playground", False),
        ("Think hard before you sign a two-year lease, the fees add up", False),
    ],
    "come-ons dressed as favours owed": [
        ("I paid for your drinks, the least you can do is come back to my car for a bit", True),
        ("Reminder: next time answer the door in just the towel 😘", True),
        ("主播领口再低点呗，礼物管够", True),
        ("小姐姐老公不在家的时候要不要我过来陪陪你", True),
        ("Thanks for covering my shift, the least you can do is let me buy you lunch back", False),
        ("这件衬衫领口有点大，退货了", False),
    ],
    "turning up where someone works is a call": [
        ("Let's all show up at his work on Friday and make it really uncomfortable for him", True),
        ("老铁们去她小号底下刷“骗子”，一起刷", True),
        ("大家别去她小号底下刷了，已经报警了", False),
    ],
    "a masked insult is meant": [
        ("ur so st*pid, the code was in the email", True),
        ("my manager is an absolute 1d10t, moved the deadline again", True),
        ("I'm so st*pid, left my keys in the car again", False),
        ("st*pid printer jammed again", False),
    ],
    "an insulting adjective said of a thing insults nobody": [
        ("stupid printer jammed again", False),
        ("what a useless app, crashed twice before lunch", False),
        ("stupid kid ruined the whole game for us", True),
        ("you useless idiot", True),
        ("Imagine being this dumb and still posting. Embarrassing.", True),
    ],
    "a word said of what a named owner made": [
        ("Skyline Air's new baggage policy is a total joke, paid twice for one suitcase", False),
        ("Hartwell Council's statement about the flooding is garbage and they know it", False),
        ("Pinecrest Bank's new app is a clown show", False),  # a text with no other cue
        ("Dana's face is a total joke", True),
        ("you are a total joke", True),
    ],
    "the opposite of an insult negates it": [
        ("Leaving at 31 doesn't make you a loser. That's the opposite of a loser.", False),
        ("You are a loser and always will be", True),
    ],
    "the person a demonstrative points at": [
        ("那个骗子收了钱就拉黑我，大家小心", True),
        ("我这个笨蛋又把钥匙锁在屋里了", False),
    ],
    "a stereotype named as a joke is talk about it": [
        ("上海人咋了？小气的段子能不能别再讲了，我同事就很大方", False),
        ("上海人都小气", True),
    ],
    "the speaker's own advice after talk about abuse": [
        ("被说两句就受不了的话，建议直接去跳楼算了", True),
        ("Telling someone to go jump off a bridge is never acceptable, no matter what they did", False),
    ],
    "Cantonese negators and Mandarin intent": [
        ("阿妹你唔系蠢，系佢哋呃你", False),
        ("等我回去，非把那个造谣的扇几十个耳光不可", True),
        ("你真该喝瓶百草枯，喝完就清净了", True),
    ],
}
CASES = [(name, text, abusive) for name, cases in CONSTRUCTIONS.items() for text, abusive in cases]


@pytest.mark.parametrize(("construction", "text", "abusive"), CASES)
def test_construction(engine: Engine, construction: str, text: str, abusive: bool) -> None:
    assert engine.score(text).abusive is abusive, (construction, text)
