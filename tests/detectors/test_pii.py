"""Behaviour of the PII / doxxing detector.

All personal data here is synthetic: ID numbers use the non-existent region code 999999 and
are generated with their check character, bank cards use made-up digits with a computed Luhn
digit, phone numbers are runs of zeros and ones, e-mails use example.com.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clearspace.detectors.base import Detector
from clearspace.detectors.phrases import phrase_pattern
from clearspace.detectors.pii import PiiDetector
from clearspace.errors import LexiconError
from clearspace.text.document import Document
from clearspace.types import Signal

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
PHONE = "13800001111"


def make_id(birth: str = "19900101", seq: str = "001", region: str = "999999") -> str:
    """A synthetic 18-character resident ID with a correct check character."""
    body = region + birth + seq
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True)) % 11]


def bad_check(id_number: str) -> str:
    """The same ID with a wrong check character."""
    last = "0" if id_number[-1] != "0" else "1"
    return id_number[:-1] + last


def luhn_complete(prefix: str) -> str:
    """``prefix`` plus the digit that makes it pass the Luhn check."""
    for d in "0123456789":
        total = 0
        for i, c in enumerate(reversed(prefix + d)):
            n = int(c)
            if i % 2:
                n = n * 2 - 9 if n > 4 else n * 2
            total += n
        if total % 10 == 0:
            return prefix + d
    raise AssertionError("unreachable")


def doc(s: str) -> Document:
    return Document(original=s, text=s)


def mapped(pieces: list[tuple[str, str]]) -> Document:
    """A document from ``(original chunk, normalized chunk)`` pieces with an offset map."""
    original, text, starts, ends = "", "", [], []
    for orig, norm in pieces:
        start = len(original)
        original += orig
        for ch in norm:
            text += ch
            starts.append(start)
            ends.append(len(original))
    return Document(original=original, text=text, starts=tuple(starts), ends=tuple(ends))


@pytest.fixture(scope="module")
def detector() -> PiiDetector:
    return PiiDetector()


def run(detector: PiiDetector, s: str | Document, **context: object) -> list[Signal]:
    return detector.detect(s if isinstance(s, Document) else doc(s), context)


def pii(signals: list[Signal], kind: str | None = None) -> list[Signal]:
    return [s for s in signals if s.kind.startswith("pii.") and (kind is None or s.kind == kind)]


def dox(signals: list[Signal]) -> Signal:
    found = [s for s in signals if s.kind == "doxxing"]
    assert len(found) == 1, signals
    return found[0]


def texts(original: str, signal: Signal) -> list[str]:
    return [original[a:b] for a, b in signal.spans]


# --- contract ------------------------------------------------------------------------------


def test_follows_detector_protocol() -> None:
    det = PiiDetector()
    assert isinstance(det, Detector)
    assert (det.name, det.version) == ("pii", "1")


def test_init_only_stores_parameters_and_loads_lazily(tmp_path: Path) -> None:
    det = PiiDetector(extra_cue_paths=[tmp_path / "missing.txt"], window=50)
    assert set(vars(det)) == {"extra_cue_paths", "window"}
    det.detect(doc("nothing here"), {})  # no PII: cue files are not even read
    assert not hasattr(det, "cues_")


def test_empty_and_plain_text(detector: PiiDetector) -> None:
    assert run(detector, "") == []
    assert run(detector, "今天天气真好，我们去公园散步吧") == []
    assert run(detector, "2024年3月5日我买了3个苹果，花了12块钱") == []
    assert run(detector, "the 3 of us walked 5 miles down the road") == []


def test_signal_shape(detector: PiiDetector) -> None:
    signals = run(detector, f"他的电话是{PHONE}")
    (phone,) = pii(signals, "pii.phone")
    assert phone.detector == "pii@1"
    assert phone.details == {"type": "phone", "subtype": "mobile", "masked": "138****1111"}
    assert 0 < phone.score <= 1
    assert dox(signals).detector == "pii@1"


# --- resident ID numbers ---------------------------------------------------------------


def test_valid_id_number(detector: PiiDetector) -> None:
    number = make_id()
    s = f"身份证{number}"
    (sig,) = pii(run(detector, s), "pii.id_card")
    assert texts(s, sig) == [number]
    assert sig.details["subtype"] == "resident_id"
    assert number not in str(sig.details)


def test_id_number_with_x_check_character(detector: PiiDetector) -> None:
    number = next(n for n in (make_id(seq=f"{i:03d}") for i in range(200)) if n.endswith("X"))
    for written in (number, number.lower()):
        assert pii(run(detector, f"号码 {written} 。"), "pii.id_card")


def test_invalid_checksum_is_not_an_id(detector: PiiDetector) -> None:
    assert not pii(run(detector, f"编号{bad_check(make_id())}"), "pii.id_card")


@pytest.mark.parametrize("birth", ["19901301", "19900230", "18000101", "19900100"])
def test_impossible_birth_date_is_not_an_id(detector: PiiDetector, birth: str) -> None:
    assert not pii(run(detector, f"编号{make_id(birth=birth)}"), "pii.id_card")


def test_id_number_inside_longer_digit_run_is_ignored(detector: PiiDetector) -> None:
    assert not pii(run(detector, f"9{make_id()}9"), "pii.id_card")


def test_old_15_digit_id(detector: PiiDetector) -> None:
    (sig,) = pii(run(detector, "旧身份证 700000900101001"), "pii.id_card")
    assert sig.details["subtype"] == "resident_id_15"
    assert not pii(run(detector, "旧身份证 700000901301001"), "pii.id_card")


# --- bank cards ----------------------------------------------------------------------------


def test_luhn_valid_card(detector: PiiDetector) -> None:
    card = luhn_complete("620000000012345")
    s = f"卡号{card}"
    (sig,) = pii(run(detector, s), "pii.bank_card")
    assert texts(s, sig) == [card]
    assert sig.details["masked"] == "*" * 12 + card[-4:]


def test_grouped_card(detector: PiiDetector) -> None:
    card = luhn_complete("620000000012345")
    grouped = " ".join(card[i : i + 4] for i in range(0, 16, 4))
    s = f"card: {grouped}."
    (sig,) = pii(run(detector, s), "pii.bank_card")
    assert texts(s, sig) == [grouped]
    nineteen = luhn_complete("622848001234567890")
    dashed = "-".join([nineteen[:4], nineteen[4:8], nineteen[8:12], nineteen[12:16], nineteen[16:]])
    assert texts(dashed, pii(run(detector, dashed), "pii.bank_card")[0]) == [dashed]


def test_luhn_invalid_card(detector: PiiDetector) -> None:
    card = luhn_complete("620000000012345")
    wrong = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert not pii(run(detector, f"卡号{wrong}"), "pii.bank_card")


def test_id_number_is_not_reported_as_card(detector: PiiDetector) -> None:
    signals = run(detector, make_id())
    assert [s.kind for s in pii(signals)] == ["pii.id_card"]


# --- phones ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        PHONE,
        "138 0000 1111",
        "138-0000-1111",
        "+8613800001111",
        "+86 138 0000 1111",
        "0086-13800001111",
        "(+86)13800001111",
    ],
)
def test_mobile_formats(detector: PiiDetector, number: str) -> None:
    s = f"电话：{number}，"
    (sig,) = pii(run(detector, s), "pii.phone")
    assert texts(s, sig) == [number]
    assert sig.details["subtype"] == "mobile"
    assert sig.details["masked"] == "138****1111"


@pytest.mark.parametrize("text", ["12800001111", "1380000111", "138000011112", "订单号2138000011113"])
def test_not_a_mobile(detector: PiiDetector, text: str) -> None:
    assert not [s for s in pii(run(detector, text), "pii.phone") if s.details["subtype"] == "mobile"]


@pytest.mark.parametrize(
    ("number", "subtype"),
    [
        ("010-62345678", "landline"),
        ("0755 8765 4321", "landline"),
        ("(021)62345678", "landline"),
        ("+44 20 7946 0958", "international"),
        ("+1 (555) 555-0123", "international"),
        ("(555) 555-0123", "nanp"),
        ("400-123-4567", "service"),
        ("8001234567", "service"),
    ],
)
def test_other_phone_formats(detector: PiiDetector, number: str, subtype: str) -> None:
    s = f"call {number} now"
    (sig,) = pii(run(detector, s), "pii.phone")
    assert texts(s, sig) == [number]
    assert sig.details["subtype"] == subtype


def test_short_public_numbers_are_not_pii(detector: PiiDetector) -> None:
    assert run(detector, "有事打110、120、12345或者10086") == []


# --- other kinds ---------------------------------------------------------------------------


def test_email(detector: PiiDetector) -> None:
    s = "邮箱test.user+tag@mail.example.com。"
    (sig,) = pii(run(detector, s), "pii.email")
    assert texts(s, sig) == ["test.user+tag@mail.example.com"]
    assert sig.details["masked"] == "t***@mail.example.com"
    assert pii(run(detector, "@someone hello, a@b, x@y.z"), "pii.email") == []


@pytest.mark.parametrize("plate", ["京A12345", "粤B·D12345", "沪C1234学", "苏E 5F678"])
def test_plates(detector: PiiDetector, plate: str) -> None:
    s = f"车牌{plate}的车"
    (sig,) = pii(run(detector, s), "pii.plate")
    assert texts(s, sig) == [plate]


def test_plate_needs_digits(detector: PiiDetector) -> None:
    assert not pii(run(detector, "新apples 123"), "pii.plate")


@pytest.mark.parametrize(
    ("s", "address"),
    [
        ("他家住在北京市朝阳区建国路88号3栋2单元501室。", "北京市朝阳区建国路88号3栋2单元501室"),
        ("地址：幸福路12号", "幸福路12号"),
        ("阳光小区3栋2单元", "阳光小区3栋2单元"),
        ("送到5号楼301室", "5号楼301室"),
    ],
)
def test_chinese_addresses(detector: PiiDetector, s: str, address: str) -> None:
    (sig,) = pii(run(detector, s), "pii.address")
    assert texts(s, sig) == [address]
    assert "*" in sig.details["masked"]
    assert not any(ch.isdigit() for ch in sig.details["masked"])


@pytest.mark.parametrize("s", ["3月15号见", "他在这里3号", "3室2厅出租", "第3单元的作业", "群里说5号开会", "地铁3号线"])
def test_not_chinese_addresses(detector: PiiDetector, s: str) -> None:
    assert not pii(run(detector, s), "pii.address")


def test_english_addresses(detector: PiiDetector) -> None:
    s = "she lives at 123 Main Street, Apt 4B."
    (sig,) = pii(run(detector, s), "pii.address")
    assert texts(s, sig) == ["123 Main Street, Apt 4B"]
    (unit,) = pii(run(detector, "knock on apt 4b"), "pii.address")
    assert unit.details["subtype"] == "unit"


def test_qq_and_wechat_need_their_cue(detector: PiiDetector) -> None:
    s = "QQ号：12345678，微信:test_user01"
    signals = run(detector, s)
    (qq,) = pii(signals, "pii.qq")
    (wx,) = pii(signals, "pii.wechat")
    assert texts(s, qq) == ["12345678"]
    assert texts(s, wx) == ["test_user01"]
    assert run(detector, "编号12345678") == []
    assert not pii(run(detector, "test_user01"), "pii.wechat")
    assert not pii(run(detector, "wechat account is nice"), "pii.wechat")
    assert pii(run(detector, "vx: abc12345"), "pii.wechat")
    (wxid,) = pii(run(detector, "找wxid_abcd1234"), "pii.wechat")
    assert wxid.details["masked"] == "wxid_*******4"


def test_raw_values_never_in_details(detector: PiiDetector) -> None:
    values = [make_id(), luhn_complete("620000000012345"), PHONE, "test.user@example.com", "abc_12345"]
    s = "，".join([f"身份证{values[0]}", f"卡{values[1]}", f"电话{values[2]}", values[3], f"微信{values[4]}"])
    signals = run(detector, s)
    assert len(pii(signals)) == 5
    for sig in signals:
        for value in values:
            assert value not in repr(sig.details)


# --- offsets ---------------------------------------------------------------------------


def test_full_width_digits_map_back_to_original(detector: PiiDetector) -> None:
    full = "１３８００００１１１１"
    d = mapped([("他的電話：", "他的电话:"), *[(c, chr(ord(c) - 0xFEE0)) for c in full], ("！", "!")])
    assert d.text == f"他的电话:{PHONE}!"
    (sig,) = pii(detector.detect(d, {}), "pii.phone")
    assert texts(d.original, sig) == [full]


def test_removed_characters_inside_number(detector: PiiDetector) -> None:
    pieces = [("电话", "电话"), ("138", "138"), ("\u200b", ""), ("0000", "0000"), ("\u200d", ""), ("1111", "1111")]
    d = mapped(pieces)
    (sig,) = pii(detector.detect(d, {}), "pii.phone")
    assert texts(d.original, sig) == ["138\u200b0000\u200d1111"]


def test_non_bmp_characters_before_pii(detector: PiiDetector) -> None:
    s = f"😀🎉𠀀他的电话{PHONE}🙂"
    (sig,) = pii(run(detector, s), "pii.phone")
    assert texts(s, sig) == [PHONE]


# --- doxxing ---------------------------------------------------------------------------


def test_renrou_with_id_is_high(detector: PiiDetector) -> None:
    number = make_id()
    s = f"人肉出来了，这个人的身份证号是{number}，大家去找他"
    sig = dox(run(detector, s))
    assert sig.score >= 0.9
    assert sig.details["reason"] == "third_party"
    assert {"人肉", number} <= set(texts(s, sig))


@pytest.mark.parametrize(
    "s",
    [
        f"开盒：她的手机号{PHONE}",
        f"扒出来了，他家住在幸福路12号3栋501室，电话{PHONE}",
        f"doxxed him lol, his number is {PHONE}",
    ],
)
def test_exposure_cues_are_high(detector: PiiDetector, s: str) -> None:
    assert dox(run(detector, s)).score >= 0.9


@pytest.mark.parametrize(
    "s",
    [
        f"他的电话是{PHONE}",
        "她家住在幸福路12号",
        "his address is 123 Main Street",
        "here's where she lives: 123 Main Street",
        f"this guy's number is {PHONE}",
    ],
)
def test_third_party_without_hostility_is_medium(detector: PiiDetector, s: str) -> None:
    sig = dox(run(detector, s))
    assert 0.5 <= sig.score <= 0.7, sig
    assert sig.details["reason"] == "third_party"


def test_hostile_cue_raises_score(detector: PiiDetector) -> None:
    calm = dox(run(detector, f"他的电话是{PHONE}")).score
    hostile = dox(run(detector, f"他的电话是{PHONE}，这个垃圾去死吧")).score
    assert hostile > calm


def test_action_cue_raises_score(detector: PiiDetector) -> None:
    calm = dox(run(detector, f"他的电话是{PHONE}")).score
    action = dox(run(detector, f"他的电话是{PHONE}，大家去电话轰炸")).score
    assert action > calm
    assert dox(run(detector, f"everyone call him at {PHONE}")).score > 0.7


def test_third_party_id_or_card_is_doxxing_grade(detector: PiiDetector) -> None:
    assert dox(run(detector, f"他的身份证{make_id()}")).score >= 0.75
    assert dox(run(detector, f"她的银行卡{luhn_complete('620000000012345')}")).score >= 0.75


@pytest.mark.parametrize(
    "s",
    [
        f"我的电话是{PHONE}，有事联系我",
        "加我微信abc_12345",
        f"本人手机{PHONE}",
        f"call me at {PHONE}",
        "my email is test.user@example.com",
        "DM me, my number is +44 20 7946 0958",
    ],
)
def test_self_shared_is_low(detector: PiiDetector, s: str) -> None:
    sig = dox(run(detector, s))
    assert sig.score < 0.2
    assert sig.details["reason"] == "self"
    assert pii(run(detector, s))  # the pii signal is still there


@pytest.mark.parametrize(
    "s",
    [
        "客服热线400-123-4567",
        "门店电话010-62345678，营业时间9点到21点",
        "订餐电话：13800001111",
        "customer service hotline +44 20 7946 0958",
        "QQ群：12345678",
    ],
)
def test_business_is_low(detector: PiiDetector, s: str) -> None:
    sig = dox(run(detector, s))
    assert sig.score < 0.2
    assert sig.details["reason"] == "business"


def test_unclear_owner_is_below_medium(detector: PiiDetector) -> None:
    sig = dox(run(detector, f"电话{PHONE}"))
    assert sig.details["reason"] == "unclear"
    assert sig.score < 0.5


def test_nearest_cue_decides_whose_number(detector: PiiDetector) -> None:
    s = f"我的电话是13900002222，他的电话是{PHONE}"
    assert dox(run(detector, s)).details["reason"] == "third_party"


def test_pronoun_inside_other_words_is_not_a_third_party(detector: PiiDetector) -> None:
    assert dox(run(detector, f"其他问题请打{PHONE}")).details["reason"] == "unclear"


def test_minor_and_target_raise_score(detector: PiiDetector) -> None:
    s = f"她的电话是{PHONE}"
    assert run(detector, s, minor=True)[-1].score > run(detector, s)[-1].score
    assert dox(run(detector, s, minor=True)).details["minor"] is True
    unclear = f"电话{PHONE}"
    assert run(detector, unclear, target_user="u1")[-1].score > run(detector, unclear)[-1].score


def test_doxxing_spans_include_cues(detector: PiiDetector) -> None:
    s = f"人肉结果：他的电话是{PHONE}"
    assert texts(s, dox(run(detector, s))) == ["人肉", "他的电话", PHONE]


# --- operator cue files ------------------------------------------------------------------


def test_extra_cue_file_is_merged(tmp_path: Path) -> None:
    extra = tmp_path / "cues.txt"
    extra.write_text("# site slang\n[exposure]\n挖坟\n", encoding="utf-8")
    s = f"挖坟挖到了，{PHONE}"
    assert dox(PiiDetector().detect(doc(s), {})).score < 0.5
    assert dox(PiiDetector(extra_cue_paths=[extra]).detect(doc(s), {})).score >= 0.8


def test_bad_cue_file_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("[exposure]\nok\n[nonsense]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"bad\.txt:3: unknown section"):
        PiiDetector(extra_cue_paths=[bad]).detect(doc(PHONE), {})
    orphan = tmp_path / "orphan.txt"
    orphan.write_text("人肉\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"orphan\.txt:1:"):
        PiiDetector(extra_cue_paths=[orphan]).detect(doc(PHONE), {})
    with pytest.raises(LexiconError, match="cannot read"):
        PiiDetector(extra_cue_paths=[tmp_path / "missing.txt"]).detect(doc(PHONE), {})


def test_phrase_pattern_prefers_longest_and_respects_word_boundaries() -> None:
    import re

    rx = re.compile(phrase_pattern(["他", "他的电话", "he", "her"]))
    assert [m.group() for m in rx.finditer("他的电话 he her the hero")] == ["他的电话", "he", "her"]
    assert re.compile(phrase_pattern([])).search("anything") is None


# --- size and robustness ---------------------------------------------------------------


@pytest.mark.parametrize(
    "s",
    [
        "1" * 100_000,
        "人肉" * 50_000,
        "1 " * 50_000,
        "a@" * 50_000,
        "@" * 100_000,
        "+1" * 50_000,
        "幸福路" * 30_000,
        "1234 " * 20_000,
        "微信" * 50_000,
        "123 a " * 20_000,
        "x" * 1_000_000,
    ],
)
@pytest.mark.timeout(60)  # a hang on hostile input fails here rather than stalling CI
def test_pathological_inputs_complete(detector: PiiDetector, s: str) -> None:
    run(detector, s)


@pytest.mark.timeout(60)  # a hang on hostile input fails here rather than stalling CI
def test_one_megabyte_post(detector: PiiDetector) -> None:
    filler = "今天天气很好，我们一起去公园散步，然后回家吃饭。" * 40_000
    s = filler + f"他的电话是{PHONE}" + filler
    signals = run(detector, s)
    (sig,) = pii(signals, "pii.phone")
    assert texts(s, sig) == [PHONE]
