"""The offsets of a long text whose length changes under normalization are kept compactly.

A 20,000-character hostile text (random code points, ligatures, separators) used to keep two
Python ints per character in its :class:`~clearspace.text.document.Document` (about 40,000
objects) and built several such lists while normalizing: short-lived heaps of small objects that
fragment a long-running server's memory.
"""

from __future__ import annotations

import gc
import random
import re
import sys
import tracemalloc
from collections.abc import Callable

import pytest

from clearspace.text.normalize import Normalizer
from clearspace.text.offsets import compose, identity, sub_with_map

LENGTH = 20_000


def hostile_texts() -> dict[str, str]:
    rng = random.Random(7)
    codes = (rng.randrange(0x20, 0x2FFFF) for _ in range(LENGTH))
    scattered = "".join(chr(c) for c in codes if not 0xD800 <= c <= 0xDFFF)
    return {"random code points": scattered, "ligatures": "ﬁ" * LENGTH,
            "spaced letters": "f u c k " * (LENGTH // 8), "cjk separators": "傻-逼 " * (LENGTH // 4)}


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    n = Normalizer()
    for text in hostile_texts().values():  # fill the character caches first: they are not what is measured
        n.normalize(text)
    return n


@pytest.mark.parametrize("kind", list(hostile_texts()))
def test_a_document_keeps_its_offsets_in_a_few_objects(normalizer: Normalizer, kind: str) -> None:
    text = hostile_texts()[kind]
    gc.collect()
    before = sys.getallocatedblocks()
    doc = normalizer.normalize(text)
    held = sys.getallocatedblocks() - before
    assert doc.starts is not None and len(doc.starts) == len(doc.text)  # the lengths did change
    assert held < 200  # not one object per character


def peak_per_character(work: Callable[[], object], n: int) -> float:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / n
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("kind", ["random code points", "ligatures"])
def test_mapping_characters_allocates_a_few_bytes_a_character(normalizer: Normalizer, kind: str) -> None:
    text = hostile_texts()[kind]
    assert normalizer.charmap_.apply(text)[1] is not None
    assert peak_per_character(lambda: normalizer.charmap_.apply(text), len(text)) < 40  # about 100 with lists


def test_rewriting_and_composing_allocate_a_few_bytes_a_character() -> None:
    text = "傻-逼 " * (LENGTH // 4)
    rewritten = sub_with_map(re.compile("-"), lambda m: "", text)
    assert rewritten is not None
    assert peak_per_character(lambda: sub_with_map(re.compile("-"), lambda m: "", text), len(text)) < 40
    outer, inner = identity(LENGTH), rewritten[1]
    assert peak_per_character(lambda: compose(outer, inner), LENGTH) < 40  # about 90 with lists
