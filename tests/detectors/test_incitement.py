"""Behaviour of the incitement (pile-on / mass-report) detector."""

from __future__ import annotations

import pytest

from clearspace.detectors.base import Detector
from clearspace.detectors.incitement import IncitementDetector
from clearspace.text.document import Document
from clearspace.types import Signal


def doc(s: str) -> Document:
    return Document(original=s, text=s)


@pytest.fixture(scope="module")
def detector() -> IncitementDetector:
    return IncitementDetector()


def run(detector: IncitementDetector, s: str | Document) -> list[Signal]:
    return detector.detect(s if isinstance(s, Document) else doc(s), {})


def score(detector: IncitementDetector, s: str) -> float:
    signals = run(detector, s)
    return signals[0].score if signals else 0.0


def texts(original: str, signal: Signal) -> list[str]:
    return [original[a:b] for a, b in signal.spans]


def test_follows_detector_protocol() -> None:
    det = IncitementDetector()
    assert isinstance(det, Detector)
    assert (det.name, det.version) == ("incitement", "7")
    assert set(vars(det)) == {"min_score"}


# fmt: off
INCITEMENT = [
    "大家去骂他", "兄弟们冲", "冲他", "冲了！", "去他微博骂", "一起举报", "都去举报", "举报他",
    "给我往死里骂", "网暴他", "挂他", "让他社死", "兄弟们集合", "帝吧出征", "爆破他的评论区",
    "大家把他挂出来", "姐妹们一起去@某某 的微博骂她", "冲啊兄弟们", "兄弟们，冲！",
    "everyone report this account", "mass report", "Mass Report her now", "go after him",
    "let's flood her mentions", "let's raid her stream", "dogpile", "ratio him",
    "这家店全部打一星", "我们去找他家里人", "明天一起打电话到他公司", "here's his facebook, you know the drill",
    "one star on every product she sells", "let's make her life hell",
    "谁有他单位电话？大家打到他单位去", "大家一起投诉他，投到他被开除为止",
    "大家一起，去举报他",  # a call in another clause still calls when the verb is not the speaker's own
]

# fmt: on


@pytest.mark.parametrize("s", INCITEMENT)
def test_incitement_fires(detector: IncitementDetector, s: str) -> None:
    (sig,) = run(detector, s)
    assert sig.kind == "incitement"
    assert sig.detector == "incitement@7"
    assert 0.45 <= sig.score <= 1
    assert sig.spans
    assert set(sig.details) == {"cues", "call_to_action", "target"}


# fmt: off
NOT_INCITEMENT = [
    "", "今天天气真不错，我们一起去公园散步吧", "我已经举报了", "我举报他了", "已举报",
    "请大家理性", "不要网暴", "请大家理性，不要网暴他", "大家别骂了", "大家不要去骂他", "拒绝网暴",
    "他骂她", "我去骂他", "网暴是不对的", "我被骂了", "冲突很激烈", "举报电话是12345", "挂号排队",
    "集合时间是八点", "集合！", "他冲了过来", "其他人都在排队", "骂人是不对的",
    "the news report says it rained", "i reported it", "I will report this account",
    "don't pile on her", "please don't report him", "stop the dogpile", "the raid boss dropped loot",
    "flood warning for tonight", "he had a heart attack", "大家一起投诉这家店的售后，太拖了",
    "别去找他家里人，这事和家属无关", "I gave the film one star", "please don't review bomb the game",
    # a call to action in another clause does not make the speaker's own act a call (round 11)
    "大家千万别跟风，我已经举报了", "大家别看了，我已经举报他了",
]
# fmt: on


@pytest.mark.parametrize("s", NOT_INCITEMENT)
def test_counter_speech_and_ordinary_text_do_not_fire(detector: IncitementDetector, s: str) -> None:
    assert run(detector, s) == []


def test_call_to_action_and_target_raise_the_score(detector: IncitementDetector) -> None:
    assert score(detector, "大家去骂他") > score(detector, "骂他") > 0
    assert score(detector, "everyone report this account") > score(detector, "report this account")
    assert score(detector, "大家去骂他") >= 0.9


def test_details(detector: IncitementDetector) -> None:
    (sig,) = run(detector, "兄弟们，大家去骂他")
    assert sig.details["call_to_action"] is True
    assert sig.details["target"] is True
    assert {"兄弟们", "大家", "骂"} <= set(sig.details["cues"])
    (alone,) = run(detector, "帝吧出征")
    assert alone.details == {"cues": ["帝吧出征"], "call_to_action": False, "target": False}


def test_spans_point_at_cues(detector: IncitementDetector) -> None:
    s = "太过分了！大家去骂他"
    (sig,) = run(detector, s)
    assert texts(s, sig) == ["大家", "去", "骂", "他"]


def test_spans_map_through_offset_map(detector: IncitementDetector) -> None:
    # original: traditional characters and a zero-width space inside 大家
    original = "大\u200b家去罵他"
    d = Document(original=original, text="大家去骂他", starts=(0, 2, 3, 4, 5), ends=(1, 3, 4, 5, 6))
    (sig,) = detector.detect(d, {})
    assert texts(original, sig) == ["大\u200b家", "去", "罵", "他"]


def test_negation_is_clause_bound(detector: IncitementDetector) -> None:
    assert run(detector, "不要怂，兄弟们冲")
    assert not run(detector, "兄弟们不要冲")


def test_min_score_parameter() -> None:
    assert IncitementDetector(min_score=0.0).detect(doc("骂他"), {})
    assert not IncitementDetector(min_score=0.99).detect(doc("大家去骂他"), {})


def test_non_bmp_and_emoji(detector: IncitementDetector) -> None:
    s = "😡😡𠀀大家去骂他🔥"
    (sig,) = run(detector, s)
    assert "骂" in texts(s, sig)


def test_uppercase_identity_document(detector: IncitementDetector) -> None:
    assert run(detector, "EVERYONE REPORT THIS ACCOUNT")


@pytest.mark.parametrize(
    "s",
    [
        "骂" * 100_000,
        "人肉" * 50_000,
        "大家去骂他" * 20_000,
        "1" * 100_000,
        "x" * 1_000_000,
        "@a " * 50_000,
        "report " * 50_000,
        "不要" * 50_000,
    ],
)
@pytest.mark.timeout(60)  # a hang on hostile input fails here rather than stalling CI
def test_pathological_inputs_complete(detector: IncitementDetector, s: str) -> None:
    run(detector, s)


@pytest.mark.timeout(60)  # a hang on hostile input fails here rather than stalling CI
def test_one_megabyte_post(detector: IncitementDetector) -> None:
    filler = "今天天气很好，我们一起去公园散步，然后回家吃饭。" * 40_000
    s = filler + "兄弟们冲他！" + filler
    (sig,) = run(detector, s)
    assert texts(s, sig) == ["兄弟们", "冲", "他"]


@pytest.mark.parametrize("s", ["有人在直播间骂那个新人主播，她才第一天上班，大家嘴下留情吧",
                               "评论区好多人骂他，大家冷静一点",
                               "people keep reporting her posts, everyone be kind"])
def test_a_call_to_action_that_pleads_for_restraint_is_no_call_to_attack(detector: IncitementDetector, s: str) -> None:
    signals = run(detector, s)
    assert not signals or signals[0].score < 0.6 and not signals[0].details["call_to_action"]


def test_a_negator_after_the_call_still_calls_on_everyone(detector: IncitementDetector) -> None:
    # 大家不要怂 ("don't chicken out"): the negator negates something else; only pleas for calm cancel the call
    signals = run(detector, "大家不要怂，冲他评论区")
    assert signals and signals[0].details["call_to_action"]


def test_a_call_inside_quotation_marks_is_someone_elses(detector: IncitementDetector) -> None:
    assert run(detector, "群里有人一直喊“大家去人肉她”，这种话千万别当真") == []
    assert run(detector, "大家去人肉她，把她家地址挂出来")  # the same call, the speaker's own


@pytest.mark.parametrize(("text", "fires"), [
    ("又是被导师骂的一天，我这种手残做文物修复真是拖大家后腿。", False),  # passive with its agent
    ("本人菜狗一只，开黑永远是拖后腿的那个，大家随便骂。", False),  # leave to scold the speaker
    ("大家去骂他，被他坑惨了", True),
])
def test_passive_with_agent_and_leave_to_scold(text: str, fires: bool) -> None:
    det = IncitementDetector()
    assert bool(det.detect(Document(text, text), {})) is fires
