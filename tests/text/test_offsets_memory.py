"""The offsets of a long text whose length changes under normalization are kept compactly.

A 20,000-character hostile text (random code points, ligatures, separators) used to keep two
Python ints per character in its :class:`~clearspace.text.document.Document` (about 40,000
objects, held while its batch is scored): heaps of small objects that fragment a long-running
server's memory.
"""

from __future__ import annotations

import gc
import random
import sys

import pytest

from clearspace.text.normalize import Normalizer

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
