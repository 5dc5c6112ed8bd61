from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from clearspace.model.features import NgramHasher, _log1p_counts, sorted_keys


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


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=1500), st.integers(1, 2**20), st.booleans(), st.integers(0, 2**32))
def test_sorted_keys_sort_like_numpy(rows: list[int], width: int, wide: bool, seed: int) -> None:
    """Texts of every length around SEGMENT (one row of the padded matrix or several), batches
    under one segment, and batches whose keys need more than 32 bits."""
    n_texts = (max(rows) + 1 if rows else 1) + (2**13 if wide else 0)
    row_array = np.array(rows, dtype=np.int64)
    cols = np.random.default_rng(seed).integers(0, width, len(rows)).astype(np.int64)
    got = sorted_keys(row_array, cols, n_texts, width)
    assert np.array_equal(np.asarray(got, dtype=np.int64), np.sort(row_array * width + cols))


def test_sorted_keys_with_long_and_short_texts() -> None:
    rng = np.random.default_rng(5)
    lengths = [3, 600, 0, 512, 513, 40, 2000, 1]
    rows = np.repeat(np.arange(len(lengths)), lengths).astype(np.int64)
    rng.shuffle(rows)
    cols = rng.integers(0, 2**20, len(rows)).astype(np.int64)
    cols[:50] = cols[50:100]  # repeated keys
    got = sorted_keys(rows, cols, len(lengths), 2**20)
    assert got.dtype == np.uint32
    assert np.array_equal(got.astype(np.int64), np.sort(rows * 2**20 + cols))


def test_log1p_of_counts_is_numpy_log1p_to_the_bit() -> None:
    counts = np.random.default_rng(3).integers(1, 40, 5000).astype(np.int64)
    for part in (counts, counts[:1], counts[:0]):
        assert np.array_equal(_log1p_counts(part), np.log1p(part))
        assert _log1p_counts(part).dtype == np.log1p(part).dtype


def test_feature_matrix_is_canonical_and_rows_are_unit_length() -> None:
    h = NgramHasher((1, 4), 2**20)
    m = h.hashed(["aaaa aaaa", "你好你好你好", "", "x"]).matrix
    for row in range(m.shape[0]):
        cols = m.indices[m.indptr[row]:m.indptr[row + 1]]
        assert np.all(np.diff(cols) > 0)  # sorted, no repeats
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    assert np.allclose(norms, [1.0, 1.0, 0.0, 1.0], atol=1e-6)
