"""Character n-gram features hashed into a fixed-width sparse matrix, vectorized with numpy.

A whole batch of texts is turned into one array of code points; the hash of every n-gram
is computed at once with integer arithmetic, and n-grams that would cross from one text
into the next are dropped. This is an order of magnitude faster than building n-gram
strings in Python, which matters on the scoring hot path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

IntArray = npt.NDArray[np.int64]
_MULT = np.uint64(0x9E3779B97F4A7C15)
_MIX = np.uint64(0xBF58476D1CE4E5B9)
_ORDER_SALT = np.uint64(0x94D049BB133111EB)
_BOUNDARY = 0x110000  # one past the last code point: never a real character


def codepoints(texts: Sequence[str]) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """All texts as one array of code points with a boundary marker before each, and offsets."""
    joined = "".join(f"\x00{t}" for t in texts)
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate(([0], np.cumsum(lengths)))
    cps[starts[:-1]] = _BOUNDARY
    return cps, starts


SEGMENT = 512
"""The keys of a batch are sorted text by text in runs of at most this many, side by side as the rows of
one padded matrix: numpy sorts 32-bit runs of up to 512 keys with a sorting network in registers (about
1.5 ns a key), and longer runs with a quicksort that costs 5 to 25 ns a key depending on the machine's
caches and vector units (a batch's 170,000 keys at once: 24 ns a key on one machine, about 6 on another)."""
_PAD = 0xFFFFFFFF  # above every key: padding sorts to the end of its row


def sorted_keys(rows: IntArray, cols: IntArray, n_texts: int, width: int
                ) -> npt.NDArray[np.int64] | npt.NDArray[np.uint32]:
    """``np.sort(rows * width + cols)`` for ``rows`` below ``n_texts`` and ``cols`` below ``width``.

    Below ``2**32`` (a batch of 512 texts over ``2**20`` columns) the keys are 32-bit and are sorted
    text by text: grouped by row (a stable sort of the small row numbers, which arrive as a few
    ascending runs), each text's keys laid out in rows of :data:`SEGMENT` of a padded matrix, the rows
    sorted at once, the padding dropped, and the few texts longer than one row merged (a stable sort of
    two or three sorted runs). The keys carry the row, so the result is the batch's sorted keys."""
    if n_texts * width > _PAD:
        return np.sort(rows * width + cols)
    keys = (rows * width + cols).astype(np.uint32)
    if len(keys) <= SEGMENT:
        keys.sort()
        return keys
    counts = np.bincount(rows, minlength=n_texts)
    order = np.argsort(rows, kind="stable")
    pieces = -(-counts // SEGMENT)  # rows of the padded matrix per text
    ends = np.cumsum(counts)
    starts = ends - counts
    # a key's place in the padded matrix: its text's first row, plus its own place within the text
    place = (np.cumsum(pieces) - pieces) * SEGMENT - starts
    where = place[rows[order]]
    where += np.arange(len(keys))
    padded = np.full(int(pieces.sum()) * SEGMENT, _PAD, dtype=np.uint32)
    padded[where] = keys[order]
    padded.reshape(-1, SEGMENT).sort(axis=1)
    out: npt.NDArray[np.uint32] = padded[padded != _PAD]
    long_texts = pieces > 1
    for start, end in zip(starts[long_texts].tolist(), ends[long_texts].tolist(), strict=True):
        out[start:end].sort(kind="stable")
    return out


def _log1p_counts(counts: IntArray) -> npt.NDArray[np.float64]:
    """``np.log1p(counts)`` for small counts, from a table of the few values there are (most are 1)."""
    if not len(counts):
        return np.log1p(counts)
    return np.log1p(np.arange(int(counts.max()) + 1, dtype=counts.dtype))[counts]


@dataclass(frozen=True, slots=True)
class Hashed:
    """The n-gram occurrences of a batch (text row, column, span) and the batch's feature matrix."""

    n_texts: int
    rows: npt.NDArray[np.int64]
    cols: npt.NDArray[np.int64]
    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]
    matrix: sparse.csr_matrix  # the normalized features, one row per text (canonical CSR)

    def project(self, w: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """``x @ w`` for a weight matrix ``w`` of shape ``(n_features, k)``."""
        return np.asarray(self.matrix @ w, dtype=np.float32)


class NgramHasher:
    """Hashes character n-grams of ``ngram_range`` into ``n_features`` columns.

    Each row holds ``log(1 + count) * idf_`` per column, scaled to unit length. A virtual
    boundary character precedes each text, so n-grams also see how a text starts; spaces in
    the text mark word boundaries.
    """

    def __init__(self, ngram_range: tuple[int, int] = (1, 4), n_features: int = 2**20) -> None:
        self.ngram_range = ngram_range
        self.n_features = n_features
        self.idf_: npt.NDArray[np.float32] | None = None

    def hashes(self, texts: Sequence[str]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Row index and column index of every n-gram occurrence in the batch."""
        rows, cols, _, _ = self.hashes_with_spans(texts)
        return rows, cols

    def hashes_with_spans(self, texts: Sequence[str]) -> tuple[IntArray, IntArray, IntArray, IntArray]:
        """Row, column and ``[start, end)`` within its text of every n-gram occurrence."""
        cps, starts = codepoints(texts)
        total = len(cps)
        lengths = np.diff(starts)
        # the row of each position: which text it belongs to
        row_of = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        is_boundary = cps == _BOUNDARY
        rows_all: list[npt.NDArray[np.int64]] = []
        cols_all: list[npt.NDArray[np.int64]] = []
        begin_all: list[npt.NDArray[np.int64]] = []
        end_all: list[npt.NDArray[np.int64]] = []
        # position of each array index inside its own text (the boundary marker is -1)
        local = np.arange(total, dtype=np.int64) - np.repeat(starts[:-1], lengths) - 1
        lo, hi = self.ngram_range
        width_mask = np.uint64(self.n_features - 1) if self.n_features & (self.n_features - 1) == 0 else None
        h = np.zeros(total, dtype=np.uint64)
        crosses = np.zeros(total, dtype=bool)
        with np.errstate(over="ignore"):
            for n in range(1, hi + 1):
                # n-gram starting at i covers i .. i+n-1
                width = total - n + 1
                if width <= 0:
                    break
                h = h[:width] * _MULT
                h += cps[n - 1 : n - 1 + width]
                h += np.uint64(n) * _ORDER_SALT
                if n > 1:
                    crosses = crosses[:width] | is_boundary[n - 1 : n - 1 + width]
                if n < lo:
                    continue
                # unigram boundary markers are not features; longer n-grams may start
                # at a boundary (a text start) but never contain one past their first char
                keep = ~is_boundary[:width] if n == 1 else ~crosses
                kept = h[keep]
                mixed = kept >> np.uint64(31)
                mixed ^= kept
                mixed *= _MIX
                mixed ^= mixed >> np.uint64(29)
                if width_mask is not None:
                    mixed &= width_mask
                else:
                    mixed %= np.uint64(self.n_features)
                cols_all.append(mixed.view(np.int64))  # below n_features: the same bits as int64
                rows_all.append(row_of[:width][keep])
                first = local[:width][keep]
                begin_all.append(np.maximum(first, 0))
                first += n
                end_all.append(first)
        empty = np.zeros(0, dtype=np.int64)

        def cat(parts: list[npt.NDArray[np.int64]]) -> npt.NDArray[np.int64]:
            return np.concatenate(parts) if parts else empty

        return cat(rows_all), cat(cols_all), cat(begin_all), cat(end_all)

    def counts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Raw n-gram counts per text and column."""
        rows, cols = self.hashes(texts)
        data = np.ones(len(rows), dtype=np.float32)
        m = sparse.csr_matrix((data, (rows, cols)), shape=(len(texts), self.n_features), dtype=np.float32)
        m.sum_duplicates()
        return m

    def hashed(self, texts: Sequence[str]) -> Hashed:
        """Every n-gram occurrence of the batch, and the normalized feature matrix.

        A column seen ``c`` times in a text weighs ``log(1 + c) * idf`` (sublinear term
        frequency); each row is scaled to unit length. Sorting the ``(row, column)`` keys
        once gives the matrix in canonical CSR form directly.
        """
        rows, cols, starts, ends = self.hashes_with_spans(texts)
        width = self.n_features
        keys = sorted_keys(rows, cols, len(texts), width)
        if len(keys):
            first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
            uniq = keys[first].astype(np.int64)
            counts = np.diff(np.append(first, len(keys)))
        else:
            uniq = counts = np.zeros(0, dtype=np.int64)
        if width & (width - 1) == 0:  # a power of two: shift and mask instead of dividing
            u_rows, u_cols = uniq >> (width.bit_length() - 1), uniq & (width - 1)
        else:
            u_rows, u_cols = uniq // width, uniq % width
        idf_u = self.idf_[u_cols] if self.idf_ is not None else np.ones(len(uniq), np.float32)
        total = _log1p_counts(counts) * idf_u
        norm = np.sqrt(np.bincount(u_rows, weights=total**2, minlength=len(texts)))
        norm[norm == 0] = 1.0
        per_row = np.bincount(u_rows, minlength=len(texts))
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(per_row, out=indptr[1:])
        values = (total / np.repeat(norm, per_row)).astype(np.float32)  # u_rows are sorted
        matrix = sparse.csr_matrix((values, u_cols, indptr), shape=(len(texts), self.n_features))
        matrix.has_canonical_format = True
        return Hashed(len(texts), rows, cols, starts, ends, matrix)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Sublinear tf-idf features, L2-normalized: ``log(1 + count) * idf``, one row per text."""
        return self.hashed(texts).matrix

    def fit_idf(self, texts: Sequence[str], min_df: int = 2) -> NgramHasher:
        """Learn smoothed idf weights from a corpus; columns seen in fewer than ``min_df`` texts get 0."""
        m = self.counts(texts)
        df = np.bincount(m.indices, minlength=self.n_features).astype(np.float64)
        n = m.shape[0]
        idf = np.log((1 + n) / (1 + df)) + 1.0
        idf[df < min_df] = 0.0
        self.idf_ = idf.astype(np.float32)
        return self
