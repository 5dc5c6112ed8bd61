from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from clearspace.model.features import NgramHasher


def test_counts_cover_every_ngram_inside_each_text() -> None:
    h = NgramHasher((1, 3), 2**16)
    counts = h.counts(["ab", "abc", ""])
    # "ab": a, b | ^a, ab | ^ab ; "abc": a, b, c | ^a, ab, bc | ^ab, abc ; "": nothing
    assert counts.sum(axis=1).ravel().tolist() == [[5.0, 8.0, 0.0]]


def test_batches_do_not_leak_into_each_other() -> None:
    h = NgramHasher((1, 4), 2**18)
    alone = h.transform(["你好世界"]).toarray()
    together = h.transform(["hello", "你好世界", "x"]).toarray()[1:2]
    assert np.allclose(alone, together)


def test_spans_locate_each_ngram() -> None:
    h = NgramHasher((1, 2), 2**16)
    text = "abc"
    rows, cols, starts, ends = h.hashes_with_spans([text])
    assert sorted(text[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)) == sorted(
        ["a", "b", "c", "a", "ab", "bc"]
    )
    assert (rows == 0).all()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=8))
def test_projection_equals_the_sparse_product(texts: list[str]) -> None:
    h = NgramHasher((1, 3), 2**12)
    h.idf_ = np.random.RandomState(0).rand(2**12).astype(np.float32)
    w = np.random.RandomState(1).randn(2**12, 3).astype(np.float32)
    dense = np.asarray(h.transform(texts) @ w)
    assert np.allclose(h.hashed(texts).project(w), dense, atol=1e-4)
