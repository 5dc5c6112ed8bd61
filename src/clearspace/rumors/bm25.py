"""An incremental BM25 index over passages (add documents without a rebuild).

Postings grow in Python lists and are frozen into numpy arrays lazily, per term, the first
time a query touches the term after it changed. Scores are normalised by the query's best
attainable score (the sum of its terms' ``idf * (k1 + 1)``), so they fall in ``[0, 1]`` and
mean the same thing across queries: a threshold can be calibrated on them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


class BM25Index:
    """BM25 (Okapi) over token lists; ``k1``, ``b`` as usual."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self._postings: dict[str, tuple[list[int], list[int]]] = {}
        self._frozen: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]] = {}
        self._lengths: list[int] = []
        self._lengths_np: npt.NDArray[np.float32] = np.zeros(0, dtype=np.float32)
        self._total = 0
        self._mass: list[float] = []
        self._mass_np: npt.NDArray[np.float32] = np.zeros(0, dtype=np.float32)
        self._mass_at = 0
        self._docs: list[tuple[str, ...]] = []

    def __len__(self) -> int:
        return len(self._lengths)

    def add(self, docs: Sequence[Sequence[str]]) -> None:
        """Append documents (token lists); they get the next ids in order."""
        for doc in docs:
            doc_id = len(self._lengths)
            self._lengths.append(len(doc))
            self._docs.append(tuple(set(doc)))
            self._total += len(doc)
            for term, tf in Counter(doc).items():
                ids, tfs = self._postings.setdefault(term, ([], []))
                ids.append(doc_id)
                tfs.append(tf)
                self._frozen.pop(term, None)
        self._lengths_np = np.asarray(self._lengths, dtype=np.float32)
        if len(self._lengths) > 1.25 * self._mass_at + 100:
            self._mass = [sum(self.idf(t) for t in d) or 1.0 for d in self._docs]
            self._mass_at = len(self._lengths)
        else:
            self._mass.extend(sum(self.idf(t) for t in d) or 1.0 for d in self._docs[len(self._mass):])
        self._mass_np = np.asarray(self._mass, dtype=np.float32)

    def idf(self, term: str) -> float:
        n = len(self._postings.get(term, ((), ()))[0])
        return math.log(1.0 + (len(self._lengths) - n + 0.5) / (n + 0.5))

    def _posting(self, term: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        frozen = self._frozen.get(term)
        if frozen is None:
            ids, tfs = self._postings[term]
            frozen = (np.asarray(ids, dtype=np.int64), np.asarray(tfs, dtype=np.float32))
            self._frozen[term] = frozen
        return frozen

    def score(self, query: Sequence[str]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """``(doc_ids, scores)`` of every document sharing a term with ``query``, scores in [0, 1]."""
        ids, scores, _ = self.score_and_coverage(query)
        return ids, scores

    def score_and_coverage(self, query: Sequence[str]) -> tuple[
            npt.NDArray[np.int64], npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """Also the *coverage* of each document: the share of its idf mass found in ``query``.

        Coverage is near 1 when a post contains a passage (a copy of the claim), whatever else
        the post says; BM25 normalised by the query is near 1 when the post is all claim.
        """
        empty = np.zeros(0, dtype=np.float32)
        if not self._lengths:
            return np.zeros(0, dtype=np.int64), empty, empty
        counts = Counter(query)
        avgdl = self._total / len(self._lengths) or 1.0
        ids_parts: list[npt.NDArray[np.int64]] = []
        score_parts: list[npt.NDArray[np.float32]] = []
        idf_parts: list[npt.NDArray[np.float32]] = []
        best = 0.0
        for term, qtf in counts.items():
            weight = math.log1p(qtf)  + 1.0
            idf = self.idf(term)
            best += weight * idf * (self.k1 + 1.0)
            if term not in self._postings:
                continue
            ids, tfs = self._posting(term)
            norm = self.k1 * (1.0 - self.b + self.b * self._lengths_np[ids] / avgdl)
            ids_parts.append(ids)
            idf_parts.append(np.full(len(ids), idf, dtype=np.float32))
            score_parts.append(((weight * idf) * tfs * (self.k1 + 1.0) / (tfs + norm)).astype(np.float32))
        if not ids_parts:
            return np.zeros(0, dtype=np.int64), empty, empty
        all_ids = np.concatenate(ids_parts)
        unique, inverse = np.unique(all_ids, return_inverse=True)
        totals = np.zeros(len(unique), dtype=np.float32)
        np.add.at(totals, inverse, np.concatenate(score_parts))
        covered = np.zeros(len(unique), dtype=np.float32)
        np.add.at(covered, inverse, np.concatenate(idf_parts))
        coverage = np.minimum(covered / self._mass_np[unique], 1.0)
        return unique, totals / np.float32(best or 1.0), coverage
