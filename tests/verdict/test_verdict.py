"""The verdict: target, stance and the weighing of signals, on plain cases in both languages.

The texts here are written for these tests (not taken from the functional suite or any dataset).
"""

from __future__ import annotations

import pytest

from clearspace.engine import Engine
from clearspace.verdict.combine import shifted


@pytest.mark.parametrize(
    ("text", "target", "category"),
    [
        ("你这个傻逼，赶紧滚", "addressee", "insult"),
        ("you are a complete moron", "addressee", "insult"),
        ("我要杀了你全家", "addressee", "threat"),
        ("i'm going to hurt you so bad", "addressee", "threat"),
        ("我知道你住在哪个小区，晚上走路小心点", "addressee", "threat"),
        ("I know where you live. Watch your back.", "addressee", "threat"),
        ("你这种人怎么还不去死", "addressee", "death_wish"),
        ("go kill yourself, nobody would miss you", "addressee", "death_wish"),
        ("美女，陪睡一晚多少钱", "addressee", "sexual_harassment"),
        ("send me nudes or I'll tell everyone", "addressee", "sexual_harassment"),
        ("那些外地人都是蝗虫，应该赶出去", "group", "hate"),
        ("immigrants are parasites and should be deported", "group", "hate"),
    ],
)
def test_attacks_are_abusive_with_their_target_and_category(engine: Engine, text: str, target: str,
                                                            category: str) -> None:
    r = engine.score(text)
    assert r.abusive, (text, r.scores)
    assert r.target == target
    assert r.category == category
    assert r.stance == "attacking"
    assert r.action != "allow"


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("他在评论区骂别人“废物”，这种话太伤人了", "quoting_to_condemn"),
        ("calling people retards is not ok", "quoting_to_condemn"),
        ("记者报道：一名主播遭网暴后报警，警方已立案", "reporting"),
        ("police arrested a man who sent death threats to a streamer", "reporting"),
        ("地域歧视要不得，每个地方都有好人", "defending"),
        ("everyone deserves respect, no matter who they love", "defending"),
        # words quoted after a speech verb, the person named outside the quotes
        ('a man yelled "faggot" at my friend on the bus; the driver threw him off', "quoting_to_condemn"),
        ('the mayor described refugees as "cockroaches" in a speech. that rhetoric is dehumanising',
         "quoting_to_condemn"),
        ("一个男的在地铁上冲我骂“死胖子”，我录了音", "quoting_to_condemn"),
    ],
)
def test_protected_speech_is_not_abusive(engine: Engine, text: str, stance: str) -> None:
    r = engine.score(text)
    assert not r.abusive, (text, r.scores, r.stance)
    assert r.stance == stance
    assert r.action in ("allow", "label")


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("我真是个笨蛋，又把钥匙锁车里了", "self"),
        ("I'm such an idiot, forgot my own password again", "self"),
        ("卧槽，这家火锅也太好吃了", "none"),
        ("holy shit that game was insane", "none"),
        ("你一点也不傻，别这么说自己", "addressee"),
        ("you're not stupid at all, it was a hard question", "addressee"),
        ("thank you so much, this really helped", "addressee"),
    ],
)
def test_self_deprecation_profanity_and_praise_are_not_abusive(engine: Engine, text: str, target: str) -> None:
    r = engine.score(text)
    assert not r.abusive, (text, r.scores)
    assert r.target == target
    assert r.scores["insult"] < 0.5  # a thank-you note is never an insult


def test_untargeted_profanity_about_a_mishap_is_not_abusive(engine: Engine) -> None:
    r = engine.score("fuck, the dishwasher leaked all over the floor")
    assert not r.abusive, r.scores


def test_the_fast_harm_head_reads_texts_that_name_nobody_the_tables_know(engine: Engine) -> None:
    from clearspace.text.document import Document
    from clearspace.verdict.analysis import Analysis

    text = "the weather"
    opinions = engine._harm_opinions([Document(text, text)], [Analysis.of(text, [])], [0.9])
    assert opinions[0].p == 0.9


def test_an_insult_at_one_person_is_not_identity_hate(engine: Engine) -> None:
    r = engine.score("你就是个傻逼")
    assert r.abusive and r.target == "addressee"
    assert r.scores["identity_attack"] < 0.5
    assert r.category == "insult"
    assert "hate-review@2" not in r.rules


def test_negation_weighs_an_insult_down_but_not_a_slur_after_a_distant_negator(engine: Engine) -> None:
    negated = engine.score("you are not an idiot")
    insult = next(s for s in negated.signals if s.kind == "lexicon.insult")
    assert insult.details["weighed"] == "negated" and insult.score < insult.details["raw"]
    slur = engine.score("nobody wants to hear from a dyke like you")
    assert slur.abusive


@pytest.mark.parametrize("text", [
    "I'll shoot you an email tomorrow with the slides",
    "I'm going to beat you at chess this time, practise all you like",
    "hit me up when you land and I'll pick you up",
    "that cheesecake is to die for",
    "drop dead gorgeous in that green dress",
    "you're going to knock them dead at the interview",
    "帮我砍一刀，差一点就免费了",
    "你今天穿这身帅死了",
    "想死你了，周末一起吃饭吧",
])
def test_everyday_idioms_with_violent_words_are_not_abusive(engine: Engine, text: str) -> None:
    r = engine.score(text)
    assert not r.abusive, r.scores
    assert r.scores["threat"] < 0.5 and r.scores["death_wish"] < 0.5


@pytest.mark.parametrize("text", [
    "I'll shoot you an email, and if you ignore it I'll shoot you in the head",
    "hit me up when you land, I know where you live",
    "你今天帅死了，不过我迟早弄死你",
])
def test_a_threat_next_to_an_idiom_still_counts(engine: Engine, text: str) -> None:
    r = engine.score(text)
    assert r.abusive and r.category == "threat"


def test_an_idiom_hides_only_the_harm_cues_inside_it() -> None:
    from clearspace.detectors.cues import CueTable
    from clearspace.verdict.analysis import Analysis

    text = "i'll shoot you an email, then i'll shoot you"
    an = Analysis.of(text, CueTable().find(text))
    threats = [(c.start, c.end) for c in an.of_type("threat")]
    assert threats and all(start >= text.index("then") for start, _ in threats)


@pytest.mark.parametrize("text", ["谢谢你每天下班都来接我，祝你天天开心", "感谢你每天晚上陪我聊天，祝你每天都开心"])
def test_the_harm_head_does_not_raise_a_thank_you_note_that_names_a_routine(engine: Engine, text: str) -> None:
    # the n-gram head reads "you ... every day" like a threat through someone's routine (p 0.7-0.9 here)
    r = engine.score(text)
    assert not r.abusive and r.scores["insult"] < 0.5


def test_speaking_as_a_member_of_one_group_does_not_soften_an_attack_on_another(engine: Engine) -> None:
    attack = engine.score("as a man I think women are too stupid to vote")
    assert attack.abusive and attack.target == "group"
    assert not engine.score("as a gay man I love pride month").abusive
    assert not engine.score("us crips need better ramps downtown").abusive


@pytest.mark.parametrize("seed", range(20))
def test_the_idiom_overlap_test_agrees_with_checking_every_idiom(seed: int) -> None:
    import random

    from clearspace.detectors.cues import Cue
    from clearspace.verdict.analysis import idiom_test

    rng = random.Random(seed)
    idioms = []
    for _ in range(rng.randint(1, 30)):
        start = rng.randint(0, 200)
        idioms.append(Cue("idiom", start, start + rng.randint(1, 25), 1.0, "x"))
    idioms.sort(key=lambda c: c.start)
    inside = idiom_test(idioms)
    for _ in range(300):
        start = rng.randint(0, 230)
        end = start + rng.randint(1, 12)
        assert inside(start, end) == any(i.start < end and start < i.end for i in idioms)


def test_a_quoted_insult_keeps_its_raw_score_in_details(engine: Engine) -> None:
    r = engine.score("说别人是“傻逼”是不对的")
    insult = next(s for s in r.signals if s.kind == "lexicon.insult")
    assert insult.details["raw"] >= 0.9
    assert insult.score < 0.5
    assert r.stance == "quoting_to_condemn"


def test_overlapping_lexicon_matches_all_count(engine: Engine) -> None:
    r = engine.score("我操你妈")
    terms = {t for s in r.signals if s.kind.startswith("lexicon.") for t in s.details["terms"]}
    assert {"我操", "操你妈"} <= terms
    assert r.abusive and r.scores["abuse"] > 0.8


def test_the_model_threshold_maps_to_one_half() -> None:
    assert shifted(0.43, 0.43) == pytest.approx(0.5)
    assert shifted(0.6, 0.43) > 0.5 > shifted(0.3, 0.43)


def test_result_carries_target_stance_and_category_in_its_dict(engine: Engine) -> None:
    out = engine.score("you worthless idiot").to_dict()
    assert out["target"] == "addressee" and out["stance"] == "attacking" and out["category"] == "insult"


def test_hostile_text_stays_fast_and_scores(engine: Engine) -> None:
    texts = ["“" * 20_000, "你" * 20_000, "not " * 5000, "“他说”" * 3000, "a\u200bb" * 5000]
    for r in engine.score_many(texts):
        assert not isinstance(r, Exception)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("unit", ["不去死", "你不是傻逼", "you are not an idiot ", "我知道你家在哪", "“傻逼”是不对的",
                                  "河南人都是骗子", "杀你", "别让我碰到你，", "send me nudes babe ", "帅死了弄死你",
                                  "i'll shoot you an email then i'll shoot you ", "谁再动我就砸谁，",
                                  "keep talking and see what happens ", "i told him to kill himself. ",
                                  "told the girl i'd pay you slut "])
def test_many_cues_cost_linear_time(engine: Engine, unit: str) -> None:
    # every cue of a kind against every other was quadratic: 12,000 characters of 不去死 took 3 s
    import time

    def cost(repeat: int) -> float:  # the best of three: a busy machine only ever adds time
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            engine.score(unit * repeat)
            best = min(best, time.perf_counter() - started)
        return best

    small, large = cost(1000), cost(4000)
    assert large < max(12 * small, 0.5), (small, large)
