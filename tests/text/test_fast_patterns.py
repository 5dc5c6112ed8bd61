"""The normalizer's rewritten regular expressions match exactly what the originals matched."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from clearspace.text import normalize as nz
from clearspace.text.charmap import CharMap
from clearspace.text.offsets import OffsetMap, compose
from clearspace.text.pinyin import PinyinTable

# The patterns as first written; the module now uses faster equivalents.
REFERENCE_RUN = re.compile(r"([^\d\s])\1\1+")
REFERENCE_LEET = re.compile(r"(?<=[a-z])[013457@$!](?=[a-z])")
REFERENCE_CJK_SEP = re.compile(rf"(?<=[{nz.CJK}]){nz._CJK_SEP_CHAR}{{1,3}}(?=[{nz.CJK}])")

chars = st.one_of(st.characters(codec="utf-8"), st.sampled_from(list("azb 1\n\t013457@$!x哈傻。\uffff٣\u3000-.·*/|")))
runs = st.lists(st.tuples(chars, st.integers(1, 4)), max_size=20).map(lambda rs: "".join(c * k for c, k in rs))
texts = st.one_of(runs, st.text(alphabet="azyq013457@$! \n٣哈傻逼-.*·_/\t", max_size=30))


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@settings(max_examples=1000, deadline=None)
@given(texts)
def test_run_pattern_matches_like_the_original(text: str) -> None:
    assert spans(nz._RUN, text) == spans(REFERENCE_RUN, text)


@settings(max_examples=1000, deadline=None)
@given(texts)
def test_leet_pattern_matches_like_the_original(text: str) -> None:
    assert spans(nz._LEET, text) == spans(REFERENCE_LEET, text)


@settings(max_examples=1000, deadline=None)
@given(texts)
def test_cjk_separator_pattern_matches_like_the_original(text: str) -> None:
    assert spans(nz._CJK_SEP, text) == spans(REFERENCE_CJK_SEP, text)


def reference_apply(charmap: CharMap, text: str) -> tuple[str, tuple[list[int], list[int]] | None]:
    """Character by character, with offsets whenever lengths change."""
    pieces = [charmap.lookup(ch) for ch in text]
    if all(len(p) == 1 for p in pieces):
        return "".join(pieces), None
    starts = [i for i, p in enumerate(pieces) for _ in p]
    ends = [i + 1 for i, p in enumerate(pieces) for _ in p]
    return "".join(pieces), (starts, ends)


@settings(max_examples=800, deadline=None)
@given(texts)
def test_charmap_apply_matches_character_by_character(text: str) -> None:
    charmap = CharMap(extra={"🐴": "妈", "x": "", "\uffff": "\uffff"})
    assert charmap.apply(text) == reference_apply(charmap, text)
    assert charmap.apply(text) == reference_apply(charmap, text)  # second time from the table


def reference_compose(outer: OffsetMap | None, inner: OffsetMap | None) -> OffsetMap | None:
    """compose as first written, one character at a time."""
    if outer is None or inner is None:
        return outer if inner is None else inner
    out: OffsetMap = ([], [])
    for s, e in zip(*inner, strict=True):
        start = outer[0][s] if s < len(outer[0]) else (outer[1][-1] if outer[1] else 0)
        end = outer[1][e - 1] if e > 0 else (outer[0][0] if outer[0] else 0)
        out[0].append(start)
        out[1].append(max(start, end))
    return out


@st.composite
def offset_maps(draw: st.DrawFn, source: int) -> OffsetMap:
    """An offset map into a text of ``source`` characters, like the normalizer's steps make."""
    n = draw(st.integers(0, 12))
    starts = sorted(draw(st.lists(st.integers(0, source), min_size=n, max_size=n)))
    ends = [min(source, s + draw(st.integers(0 if s == source else 1, 2))) for s in starts]
    return starts, ends


@st.composite
def outer_and_inner(draw: st.DrawFn) -> tuple[OffsetMap, OffsetMap]:
    """Two maps that chain: the inner one points into the outer one's text."""
    outer = draw(offset_maps(draw(st.integers(0, 10))))
    return outer, draw(offset_maps(len(outer[0])))


@settings(max_examples=1000, deadline=None)
@given(outer_and_inner())
def test_compose_matches_the_original(maps: tuple[OffsetMap, OffsetMap]) -> None:
    outer, inner = maps
    assert compose(outer, inner) == reference_compose(outer, inner)
    assert compose(None, inner) == reference_compose(None, inner)
    assert compose(outer, None) == reference_compose(outer, None)


PINYIN = PinyinTable()


@settings(max_examples=500, deadline=None)
@given(texts)
def test_pinyin_encode_maps_each_character(text: str) -> None:
    expected = []
    for ch in text:
        reading = PINYIN.reading(ch)
        expected.append(ch if reading is None else PINYIN.encode_syllables([reading]) or "?")
    assert PINYIN.encode(text) == "".join(expected)
