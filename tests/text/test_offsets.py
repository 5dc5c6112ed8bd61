from __future__ import annotations

import re

from clearspace.text.offsets import compose, sub_with_map


def test_no_match_returns_none() -> None:
    assert sub_with_map(re.compile("x"), lambda m: "", "abc") is None


def test_deletion_keeps_neighbours_in_place() -> None:
    res = sub_with_map(re.compile("-"), lambda m: "", "a-b")
    assert res is not None
    text, (starts, ends) = res
    assert text == "ab"
    assert list(zip(starts, ends, strict=True)) == [(0, 1), (2, 3)]


def test_expansion_maps_every_new_char_to_the_whole_match() -> None:
    res = sub_with_map(re.compile("ab"), lambda m: "xyz", "_ab_")
    assert res is not None
    text, (starts, ends) = res
    assert text == "_xyz_"
    assert list(zip(starts, ends, strict=True))[1:4] == [(1, 3)] * 3


def test_compose_chains_two_rewrites() -> None:
    first = sub_with_map(re.compile("-"), lambda m: "", "a-bc")  # "abc"
    assert first is not None
    second = sub_with_map(re.compile("bc"), lambda m: "Z", first[0])  # "aZ"
    assert second is not None
    starts, ends = compose(first[1], second[1])  # type: ignore[misc]
    assert (starts[1], ends[1]) == (2, 4)
