"""Active learning: which unlabelled texts a moderator should label next.

Two criteria, both needed (the most uncertain texts of a community are often near-copies of
each other, and labelling twenty copies teaches the model one thing):

1. **Uncertainty**: ``u = 1 - |p - t| / max(t, 1 - t)``, 1 for a probability ``p`` exactly at the
   decision threshold ``t``, 0 at the far ends. The most uncertain texts (``pool_factor`` times the
   number asked for) form the candidate pool.
2. **Diversity**: the candidates' hashed n-gram features (the model's own tf-idf vectors) are
   reduced to ``dims`` dimensions (truncated SVD) and clustered into as many groups as picks asked
   for (k-means, seeded); each group gives its most uncertain text. Near-duplicates fall into one
   group, so they are not all picked; a group of one unusual text competes only on uncertainty.

Picks come most uncertain first. (On TweetEval hate, 2,000 texts picked this way taught the model
more than 2,000 random ones, where uncertainty with k-center greedy did not; see MODEL_CARD.md.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Pick:
    """One text to label: its index in the pool, its uncertainty and the size of its group."""

    index: int
    uncertainty: float
    group_size: int

    def reason(self, probability: float, threshold: float) -> str:
        near = f"probability {probability:.2f} near the threshold {threshold:.2f}"
        if self.group_size <= 1:
            return f"{near}; unlike the other candidates"
        return f"{near}; the most uncertain of {self.group_size} similar candidates"


def uncertainty(probs: npt.NDArray[np.floating], thresholds: npt.NDArray[np.floating]) -> FloatArray:
    """1 at the threshold, falling linearly to 0 at probability 0 or 1."""
    p, t = np.asarray(probs, dtype=np.float64), np.asarray(thresholds, dtype=np.float64)
    span = np.maximum(np.maximum(t, 1 - t), 1e-9)
    out: FloatArray = np.clip(1.0 - np.abs(p - t) / span, 0.0, 1.0)
    return out


def _embed(x: sparse.csr_matrix, dims: int, seed: int) -> FloatArray:
    """Unit-length rows of a truncated SVD of ``x`` (or of ``x`` itself, dense, when tiny)."""
    from sklearn.decomposition import TruncatedSVD

    k = min(dims, x.shape[0] - 1, x.shape[1] - 1)
    z = np.asarray(TruncatedSVD(k, random_state=seed).fit_transform(x) if k >= 2 else x.toarray(), dtype=np.float64)
    norms = np.linalg.norm(z, axis=1, keepdims=True)
    out: FloatArray = z / np.maximum(norms, 1e-12)
    return out


def select(probs: npt.NDArray[np.floating], thresholds: npt.NDArray[np.floating], features: sparse.csr_matrix,
           n: int, *, pool_factor: int = 3, min_pool: int = 200, dims: int = 64, seed: int = 0) -> list[Pick]:
    """Up to ``n`` picks from the pool (rows of ``features``), most uncertain first."""
    total = features.shape[0]
    if n <= 0 or total == 0:
        return []
    u = uncertainty(probs, thresholds)
    pool = np.argsort(-u, kind="stable")[:min(total, max(pool_factor * n, min_pool, n))]
    if len(pool) <= n:
        return [Pick(int(i), float(u[i]), 1) for i in pool]
    from sklearn.cluster import MiniBatchKMeans

    z = _embed(features[pool].tocsr(), dims, seed)
    groups = MiniBatchKMeans(n_clusters=n, random_state=seed, n_init=1, batch_size=2048).fit_predict(z)
    picks = []
    for g in np.unique(groups):
        members = np.flatnonzero(groups == g)
        best = members[int(np.argmax(u[pool[members]]))]  # pool is sorted by uncertainty: ties keep that order
        picks.append(Pick(int(pool[best]), float(u[pool[best]]), int(len(members))))
    if len(picks) < n:  # k-means left groups empty (identical texts): fill with texts unlike the picks
        picks += _fill(z, pool, u, {p.index for p in picks}, n - len(picks))
    picks.sort(key=lambda p: -p.uncertainty)
    return picks


def _fill(z: FloatArray, pool: npt.NDArray[np.intp], u: FloatArray, taken: set[int], missing: int,
          max_similarity: float = 0.95) -> list[Pick]:
    """Up to ``missing`` more candidates, most uncertain first, each unlike every pick so far."""
    chosen = [int(np.flatnonzero(pool == i)[0]) for i in taken]
    out: list[Pick] = []
    for j in range(len(pool)):
        if len(out) >= missing:
            break
        if int(pool[j]) in taken or (chosen and float(np.max(z[chosen] @ z[j])) > max_similarity):
            continue
        chosen.append(j)
        out.append(Pick(int(pool[j]), float(u[pool[j]]), 1))
    return out
