"""Approximate nearest neighbours over unit vectors (hnswlib, inner product).

The index grows in place (``resize_index``), so adding debunks never rebuilds it. Below
``exact_below`` vectors a plain matrix product is used instead: exact, and faster at that size.
:meth:`VectorIndex.delete` removes vectors without a rebuild either (hnswlib ``mark_deleted``;
zeroed rows in the exact matrix); their slots are reclaimed only when the index is built anew.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


class VectorIndex:
    """Inner-product search; ``ef`` trades recall for speed, ``m`` is HNSW's graph degree."""

    def __init__(self, dim: int, m: int = 16, ef_construction: int = 100, ef: int = 64,
                 exact_below: int = 20000, seed: int = 0) -> None:
        self.dim = dim
        self.m = m
        self.ef_construction = ef_construction
        self.ef = ef
        self.exact_below = exact_below
        self.seed = seed
        self._vectors: list[npt.NDArray[np.float32]] = []
        self._matrix: npt.NDArray[np.float32] | None = None
        self._hnsw: object | None = None
        self._count = 0
        self._deleted: set[int] = set()
        self._dead: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)

    def __len__(self) -> int:
        """How many vectors are searchable (deleted ones do not count)."""
        return self._count - len(self._deleted)

    def delete(self, ids: npt.NDArray[np.int64] | list[int]) -> None:
        """Remove vectors from every later search (ids that are unknown or already deleted are ignored)."""
        fresh = sorted({int(i) for i in ids if 0 <= int(i) < self._count} - self._deleted)
        if not fresh:
            return
        self._deleted.update(fresh)
        self._dead = np.asarray(sorted(self._deleted), dtype=np.int64)
        if self._hnsw is None:
            matrix = self._full_matrix()
            matrix[np.asarray(fresh, dtype=np.int64)] = 0.0
        else:
            for i in fresh:
                self._hnsw.mark_deleted(i)  # type: ignore[attr-defined]

    def _full_matrix(self) -> npt.NDArray[np.float32]:
        if self._matrix is None:
            self._matrix = np.vstack(self._vectors)
            self._vectors = [self._matrix]
        return self._matrix

    def add(self, vectors: npt.NDArray[np.float32]) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.dim:
            raise ValueError(f"expected vectors of shape (n, {self.dim}), got {vectors.shape}")
        start = self._count
        self._count += len(vectors)
        if self._hnsw is None and self._count < self.exact_below:
            self._vectors.append(vectors)
            self._matrix = None
            return
        if self._hnsw is None:
            self._start_hnsw()
            pending = np.vstack([*self._vectors, vectors])
            self._vectors = []
            self._matrix = None
            self._insert(pending, 0)
            for i in sorted(self._deleted):
                self._hnsw.mark_deleted(i)  # type: ignore[attr-defined]
        else:
            self._insert(vectors, start)

    def _start_hnsw(self) -> None:
        import hnswlib

        index = hnswlib.Index(space="ip", dim=self.dim)
        index.init_index(max_elements=max(1024, 2 * self._count), ef_construction=self.ef_construction,
                         M=self.m, random_seed=self.seed)
        index.set_ef(self.ef)
        self._hnsw = index

    def _insert(self, vectors: npt.NDArray[np.float32], start: int) -> None:
        index = self._hnsw
        assert index is not None
        needed = start + len(vectors)
        if needed > index.get_max_elements():  # type: ignore[attr-defined]
            index.resize_index(max(needed, 2 * index.get_max_elements()))  # type: ignore[attr-defined]
        if len(vectors):
            index.add_items(vectors, np.arange(start, needed))  # type: ignore[attr-defined]

    def search(self, query: npt.NDArray[np.float32], k: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """Ids and similarities of the ``k`` nearest vectors to one query vector, best first."""
        k = min(k, len(self))
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        query = np.asarray(query, dtype=np.float32).reshape(1, -1)
        if self._hnsw is None:
            sims = self._full_matrix() @ query[0]
            if len(self._dead):
                sims[self._dead] = -np.inf
            top = np.argpartition(-sims, k - 1)[:k]
            top = top[np.argsort(-sims[top], kind="stable")]
            return top.astype(np.int64), sims[top]
        index = self._hnsw
        ef = max(self.ef, k)
        while True:
            index.set_ef(ef)  # type: ignore[attr-defined]
            try:
                labels, distances = index.knn_query(query, k=k)  # type: ignore[attr-defined]
                break
            except RuntimeError:  # too few live neighbours reachable at this ef (many deleted): widen
                if ef >= self._count:
                    raise
                ef *= 4
        return labels[0].astype(np.int64), (1.0 - distances[0]).astype(np.float32)

    def vectors(self, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        """The stored vectors of ``ids``."""
        if self._hnsw is None:
            return self._full_matrix()[ids]
        return np.asarray(self._hnsw.get_items(ids.tolist()), dtype=np.float32)  # type: ignore[attr-defined]
