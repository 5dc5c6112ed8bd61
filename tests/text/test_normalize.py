from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearspace.errors import InputError
from clearspace.text.normalize import Normalizer

EVASIONS = [
    ("你真是個傻-逼！！！！", "你真是个傻逼!!"),
    ("傻 逼", "傻逼"),
    ("傻.逼", "傻逼"),
    ("ＳＢ你好", "傻逼你好"),
    ("nmsl", "你妈死了"),
    ("cnm滚", "操你妈滚"),
    ("tmd真烦", "他妈的真烦"),
    ("f u c k you", "fuck you"),
    ("s.b.", "sb."),
    ("b1tch", "bitch"),
    ("fuuuuuck", "fuck"),
    ("哈哈哈哈哈哈", "哈哈"),
    ("hello\u200bworld", "helloworld"),
    ("a\u202eb", "ab"),
    ("wоrld", "world"),  # Cyrillic o
    ("你🐴死了", "你妈死了"),
    ("草泥馬", "操你妈"),
    ("你就是个沙比", "你就是个傻逼"),
]


@pytest.mark.parametrize(("raw", "expected"), EVASIONS)
def test_evasions_are_undone(normalizer: Normalizer, raw: str, expected: str) -> None:
    assert normalizer.normalize(raw).text == expected


@pytest.mark.parametrize("text", ["a b test", "call 138 1234 5678", "mp3 and h264", "i am here", "sb"])
def test_ordinary_text_is_left_alone(normalizer: Normalizer, text: str) -> None:
    assert normalizer.normalize(text).text == text


@pytest.mark.parametrize(("raw", "expected"), [
    ("你再阴阳怪气一句 我直接上门揍你一顿 说到做到", "你再阴阳怪气一句，我直接上门揍你一顿，说到做到"),
    ("哈哈哈哈 笑死我了 你真的太逗了", "哈哈，笑死我了，你真的太逗了"),
    ("你就是一个傻 逼玩意儿", "你就是一个傻逼玩意儿"),  # a lexicon term spans the space: evasion
    ("你就是一个沙 比玩意儿", "你就是一个傻逼玩意儿"),  # ... or its homophone
    ("你是个 傻逼", "你是个傻逼"),  # fewer than four characters on a side
    ("今天天气 真好", "今天天气真好"),
])
def test_a_space_between_long_chinese_runs_is_a_clause_break(normalizer: Normalizer, raw: str,
                                                              expected: str) -> None:
    assert normalizer.normalize(raw).text == expected


def test_offsets_point_back_at_the_evasion(normalizer: Normalizer) -> None:
    doc = normalizer.normalize("我说 n m s l 啊")
    start = doc.text.index("你妈死了")
    s, e = doc.to_original(start, start + 4)
    assert doc.original[s:e] == "n m s l"


def test_full_width_digits_map_one_to_one(normalizer: Normalizer) -> None:
    doc = normalizer.normalize("电话１３８")
    assert doc.text == "电话138"
    assert doc.to_original(2, 5) == (2, 5)


def test_rejects_non_strings_and_oversize(normalizer: Normalizer) -> None:
    with pytest.raises(InputError, match="must be a string"):
        normalizer.normalize(b"bytes")  # type: ignore[arg-type]
    small = Normalizer(max_chars=10)
    with pytest.raises(InputError, match="limit is 10"):
        small.normalize("x" * 11)


def test_empty_text(normalizer: Normalizer) -> None:
    doc = normalizer.normalize("")
    assert doc.text == ""
    assert doc.to_original(0, 0) == (0, 0)


texts = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("傻逼沙比 -.·*sbnmslSB１２ａ\u200b\u202e哈哈🐴f u c k1!")),
    ),
    max_size=60,
)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_offsets_stay_inside_the_original(normalizer: Normalizer, text: str) -> None:
    doc = normalizer.normalize(text)
    n = len(doc.text)
    for i in range(n):
        s, e = doc.to_original(i, i + 1)
        assert 0 <= s <= e <= len(text)
    s, e = doc.to_original(0, n)
    assert 0 <= s <= e <= len(text)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_normalization_is_idempotent(normalizer: Normalizer, text: str) -> None:
    once = normalizer.normalize(text).text
    assert normalizer.normalize(once).text == once


def test_words_spelt_letter_by_letter_keep_the_spaces_between_them() -> None:
    n = Normalizer()
    assert n.normalize("i'll b.r.e.a.k y.o.u.r l.e.g.s").text == "i'll break your legs"
    assert n.normalize("k.y.s now").text == "kys now"
    assert n.normalize("a b testing").text == "a b testing"  # two letters and spaces: ambiguous in English


def test_two_spaced_letters_among_chinese_are_joined() -> None:
    assert Normalizer().normalize("经理 s  b 一个").text == "经理傻逼一个"  # then the alias of sb
