from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from clearspace.language import guess_language, mostly_latin

_CJK_CHAR = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_CHAR = re.compile("[a-zA-Z]")


def _by_characters(text: str) -> bool:
    """The definition, one character at a time."""
    cjk = len(_CJK_CHAR.findall(text))
    latin = len(_LATIN_CHAR.findall(text))
    return cjk == 0 or cjk < 0.3 * (cjk + latin)


def test_routing_of_plain_texts() -> None:
    assert mostly_latin("you are great")
    assert not mostly_latin("你这个人真是太好了")
    assert mostly_latin("lol 笑死 this is so funny haha")  # 2 of 20 letters are Chinese
    assert not mostly_latin("今天天气不错 ok")
    assert mostly_latin("😀 123 !!")  # no letters at all: the English side
    assert guess_language("你好 hi") == "zh"
    assert guess_language("hi") == "en"
    assert guess_language("123 😀") == "und"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "Z", "你", "㐀", "豈", " ", "1", "é", "😀", "ab", "好人"]), max_size=40))
def test_mostly_latin_counts_like_the_definition(parts: list[str]) -> None:
    text = "".join(parts)
    assert mostly_latin(text) == _by_characters(text)
