"""Claim matching: which debunks does a post repeat?

Hybrid retrieval over debunk *passages* (see :mod:`.passages`): BM25 on jieba words and
character bigrams (:mod:`.tokenize`), and cosine similarity of multilingual sentence
embeddings, searched through an ANN index (:mod:`.ann`). A debunk's score on each signal is
its best passage; the two are fused linearly::

    score = max(w_embed * cosine + w_lexical * bm25_normalised, w_cross * cross_script_cosine)

BM25 carries same-language copies (and long debunks quoting the claim); the embedding carries
paraphrases and the zh↔en crossing, where BM25 is zero. Sentences of a long debunk text
count ``body_weight`` times their similarity (the claim, variants, title and quoted spans count
fully), and a passage that several debunks share word for word (boilerplate such as a
platform's penalty notice) counts for none of them. Debunks can be added, replaced (a new
version) and removed at any time; nothing is rebuilt (a removed debunk's passages weigh 0 and
leave the ANN index through ``mark_deleted``). ``MATCHER_NAME@MATCHER_VERSION`` is recorded on every label.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from clearspace.errors import InputError
from clearspace.model.embeddings import Encoder
from clearspace.rumors.ann import VectorIndex
from clearspace.rumors.bm25 import BM25Index
from clearspace.rumors.model import Debunk
from clearspace.rumors.passages import BODY, CLAIM, passages, split_sentences
from clearspace.rumors.tokenize import clean_post, fold, tokens
from clearspace.rumors.views import MatchScore

MATCHER_NAME = "claim_match"
MATCHER_VERSION = "1"

Reranker = Callable[[str, Sequence[str]], Sequence[float]]


# the re-ranker's weight, short list and the labelling threshold of re-ranked scores (their precision-0.95
# point on CheckThat! train, 0.95 on dev too; docs/rumors.md); other scores are labelled from ``threshold``
RERANK_WEIGHT = 0.4
RERANK_TOP = 20
RERANK_THRESHOLD = 0.3

MAX_QUERY_UNITS = 8
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_NOT_WORD = re.compile(r"[\W_]+")


def duplicate_key(debunk: Debunk) -> str:
    """Debunks whose claim, variants, title and text are equal up to case, punctuation and script
    are copies of each other (a debunk registered twice, say once with curly quotes)."""
    parts = [debunk.claim, *debunk.variants, debunk.title or "", debunk.text or ""]
    return "|".join(_NOT_WORD.sub("", fold(part)) for part in parts)


def is_cjk(text: str) -> bool:
    """Whether a text is mostly Chinese (two Latin letters weigh about one Chinese character)."""
    return len(_CJK.findall(text)) * 2 >= len(_LATIN.findall(text)) and bool(_CJK.search(text))


def query_units(text: str, sentences: bool) -> list[str]:
    """What to embed for a post: the post, then (optionally) its sentences."""
    if not sentences:
        return [text]
    parts = [p for p in split_sentences(text) if len(p) >= 8]
    return [text, *parts[: MAX_QUERY_UNITS - 1]] if len(parts) > 1 else [text]


@dataclass(frozen=True)
class Match:
    """One debunk matched to a post: the fused ``score`` and its two parts."""

    debunk_id: str
    score: float
    cosine: float
    lexical: float
    rerank: float | None = None
    long_cjk: bool = False  # the post is a long Chinese one (:attr:`ClaimMatcher.threshold_long_cjk` applies)

    def to_dict(self) -> MatchScore:
        return {"debunk_id": self.debunk_id, "score": round(self.score, 4)}


class ClaimMatcher:
    """Matches posts to debunks.

    ``encoder`` embeds texts (``None``: lexical only); ``w_embed``/``w_lexical`` weigh the two
    signals; ``candidates`` / ``ann_candidates`` are how many passages BM25 / the ANN index
    propose; ``threshold`` is the fused score from which a match should label a post
    (calibrated on the shared dev data, see docs/rumors.md), ``rerank_threshold`` the same for a
    re-ranked score and ``threshold_long_cjk`` for a Chinese post longer than ``long_post_chars``
    (chosen on CHECKED's tuning half against real Weibo news posts; :meth:`labelled`).

    ``reranker`` optionally re-scores the ``rerank_top`` best debunks: it is called with the
    post and the claim-like passages of those debunks (claim, variants, title, quoted spans) and
    answers a score in [0, 1] for each passage (see :mod:`.rerank`); a debunk's final score is
    ``(1 - w_rerank) * fused + w_rerank * best passage``. ``clean_posts`` reads posts through
    :func:`~clearspace.rumors.tokenize.clean_post` (links, tweet signatures, hashtags, mentions).

    Copies (:func:`duplicate_key`: equal up to case, punctuation and script) share the best score
    of the group and rank in the order they were added, so the one registered first comes first.

    For Chinese posts, ``claim_coverage_cjk`` times how much of a claim-like passage (claim,
    variant, title, quoted span) the post contains adds to its lexical score: the idf-weighted
    share contained, from ``claim_coverage_floor`` (nothing) to 1 (all). A post that quotes a
    debunk's claim (nearly) whole gains over one that shares only some of its words, however long
    the post (long Weibo posts have small BM25 scores, normalised by the
    post; for short English posts the same bonus hurts). For Chinese posts longer than
    ``long_post_chars`` the embedding also keeps only ``embed_share_cjk`` of its weight, BM25
    getting the rest (USE embeds long Weibo posts poorly; a short paraphrase still needs it);
    the re-ranker weighs ``w_rerank_cjk`` for Chinese posts (e5 does not tell apart the many
    debunks of one Chinese rumor that quote its copies). These defaults were chosen on CHECKED's
    tuning half (docs/rumors.md).
    """

    def __init__(self, encoder: Encoder | None = None, w_embed: float = 0.3, w_lexical: float = 0.7,
                 candidates: int = 100, ann_candidates: int = 40, threshold: float = 0.25,
                 rerank_threshold: float = RERANK_THRESHOLD,
                 reranker: Reranker | None = None, w_rerank: float = 0.5, body_weight: float = 0.8,
                 coverage_mix: float = 0.0,
                 query_sentences: bool = False, w_cross: float = 0.45, ann_exact_below: int = 20000,
                 rerank_top: int = 20, clean_posts: bool = True, claim_coverage_cjk: float = 0.2,
                 claim_coverage_floor: float = 0.5,
                 embed_share_cjk: float = 1 / 3, long_post_chars: int = 60, w_rerank_cjk: float = 0.0,
                 threshold_long_cjk: float = 0.22) -> None:
        self.encoder = encoder
        self.w_embed = w_embed
        self.w_lexical = w_lexical
        self.candidates = candidates
        self.ann_candidates = ann_candidates
        self.threshold = threshold
        self.rerank_threshold = rerank_threshold
        self.threshold_long_cjk = threshold_long_cjk
        self.reranker = reranker
        self.w_rerank = w_rerank
        self.body_weight = body_weight
        self.coverage_mix = coverage_mix
        self.query_sentences = query_sentences
        self.w_cross = w_cross
        self.ann_exact_below = ann_exact_below
        self.rerank_top = rerank_top
        self.clean_posts = clean_posts
        self.claim_coverage_cjk = claim_coverage_cjk
        self.claim_coverage_floor = claim_coverage_floor
        self.embed_share_cjk = embed_share_cjk
        self.long_post_chars = long_post_chars
        self.w_rerank_cjk = w_rerank_cjk
        self.debunks_: list[Debunk] = []
        self.passages_: list[str] = []
        self._passage_debunk: list[int] = []
        self._passage_debunk_np: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._debunk_passages: list[range] = []
        self._passage_weight: npt.NDArray[np.float32] = np.zeros(0, dtype=np.float32)
        self._passage_cjk: npt.NDArray[np.bool_] = np.zeros(0, dtype=bool)
        self._passage_primary: npt.NDArray[np.bool_] = np.zeros(0, dtype=bool)
        self._keys: list[str] = []
        self._copies: dict[str, list[int]] = {}
        self._first_seen: dict[str, int] = {}
        self._positions: dict[str, int] = {}
        self._bm25 = BM25Index()
        self._vectors: VectorIndex | None = None

    def __len__(self) -> int:
        """How many debunks can match (removed ones do not count)."""
        return len(self._positions)

    def __contains__(self, debunk_id: object) -> bool:
        return debunk_id in self._positions

    def remove(self, debunk_ids: Sequence[str]) -> None:
        """Take debunks out of matching, without a rebuild (unknown ids are an InputError).

        Their passages keep their slots but weigh 0 for BM25 and the embedding, and leave the ANN
        index; BM25's document statistics still count them until the matcher is built anew.
        """
        unknown = [d for d in debunk_ids if d not in self._positions]
        if unknown:
            raise InputError(f"unknown debunk {unknown[0]!r}")
        dead: list[int] = []
        for debunk_id in debunk_ids:
            position = self._positions.pop(debunk_id)
            copies = self._copies.get(self._keys[position], [])
            if position in copies:
                copies.remove(position)
            span = self._debunk_passages[position]
            self._passage_weight[span.start : span.stop] = 0.0
            for p in span:
                if self._first_seen.get(self.passages_[p]) == p:
                    del self._first_seen[self.passages_[p]]  # a later copy of this text is not "shared" with it
            dead.extend(span)
        if self._vectors is not None and dead:
            self._vectors.delete(np.asarray(dead, dtype=np.int64))

    def replace(self, debunks: Sequence[Debunk], vectors: npt.NDArray[np.float32] | None = None) -> None:
        """Put new versions of debunks in place of the old ones (ids not present yet are simply added)."""
        self.remove([d.id for d in debunks if d.id in self._positions])
        self.add(debunks, vectors)

    def add(self, debunks: Sequence[Debunk], vectors: npt.NDArray[np.float32] | None = None) -> None:
        """Add debunks (ids must be new). ``vectors``: precomputed passage embeddings, optional."""
        new_passages: list[str] = []
        weights: list[float] = []
        primary: list[bool] = []
        shared: list[int] = []
        for debunk in debunks:
            if debunk.id in self._positions:
                raise InputError(f"debunk {debunk.id!r} is already in the matcher")
            position = len(self.debunks_)
            self._positions[debunk.id] = position
            self.debunks_.append(debunk)
            key = duplicate_key(debunk)
            self._keys.append(key)
            if key:
                self._copies.setdefault(key, []).append(position)
            parts = passages(debunk)
            start = len(self.passages_) + len(new_passages)
            self._debunk_passages.append(range(start, start + len(parts)))
            for offset, (passage, kind) in enumerate(parts):
                first = self._first_seen.setdefault(passage, start + offset)
                if first != start + offset and kind != CLAIM:
                    shared.extend((first, start + offset))
                new_passages.append(passage)
                weights.append(self.body_weight if kind == BODY else 1.0)
                primary.append(kind != BODY)
            self._passage_debunk.extend([position] * len(parts))
        self.passages_.extend(new_passages)
        scripts = np.asarray([is_cjk(p) for p in new_passages], dtype=bool)
        self._passage_cjk = np.concatenate([self._passage_cjk, scripts])
        self._passage_primary = np.concatenate([self._passage_primary, np.asarray(primary, dtype=bool)])
        self._passage_weight = np.concatenate([self._passage_weight, np.asarray(weights, dtype=np.float32)])
        self._passage_weight[np.asarray(shared, dtype=np.int64)] = 0.0
        self._passage_debunk_np = np.asarray(self._passage_debunk, dtype=np.int64)
        self._bm25.add([tokens(p) for p in new_passages])
        if self.encoder is not None and new_passages:
            embedded = vectors if vectors is not None else self.encoder.encode(new_passages)
            if self._vectors is None:
                self._vectors = VectorIndex(embedded.shape[1], exact_below=self.ann_exact_below)
            self._vectors.add(embedded)

    def match(self, texts: Sequence[str], k: int = 5) -> list[list[Match]]:
        """The ``k`` best debunks for each text, best first.

        With ``query_sentences`` set, a post's sentences are embedded too (a claim is often one
        sentence of a longer post) and each debunk keeps its best similarity to any of them.
        """
        texts = [clean_post(t) for t in texts] if self.clean_posts else list(texts)
        if self.encoder is None:
            return [self._match_clean(text, k) for text in texts]
        units = [query_units(t, self.query_sentences) for t in texts]
        flat = [u for group in units for u in group]
        vectors = self.encoder.encode(flat)
        out, start = [], 0
        for text, group in zip(texts, units, strict=True):
            out.append(self._match_clean(text, k, vectors[start : start + len(group)]))
            start += len(group)
        return out

    def match_one(self, text: str, k: int = 5, vector: npt.NDArray[np.float32] | None = None) -> list[Match]:
        """The ``k`` best debunks for one text whose embedding is ``vector`` (if an encoder is set;
        embed :func:`~clearspace.rumors.tokenize.clean_post` of the text, as :meth:`match` does)."""
        return self._match_clean(clean_post(text) if self.clean_posts else text, k, vector)

    def _match_clean(self, text: str, k: int = 5, vector: npt.NDArray[np.float32] | None = None) -> list[Match]:
        if not self._positions or k <= 0:
            return []
        n = len(self.debunks_)
        query_cjk = is_cjk(text)
        long_cjk = query_cjk and len(text) > self.long_post_chars
        lexical = np.zeros(n, dtype=np.float32)
        ids, bm25, coverage = self._bm25.score_and_coverage(tokens(text))
        scores = self.coverage_mix * coverage + (1.0 - self.coverage_mix) * bm25
        if query_cjk and self.claim_coverage_cjk and len(ids):
            floor = self.claim_coverage_floor
            quoted = np.clip((coverage - floor) / (1.0 - floor), 0.0, 1.0)
            scores = scores + self.claim_coverage_cjk * quoted * self._passage_primary[ids]
        if len(ids):
            np.maximum.at(lexical, self._passage_debunk_np[ids], scores * self._passage_weight[ids])
        candidates: set[int] = set()
        if len(ids):
            top = np.argpartition(-lexical, min(self.candidates, n) - 1)[: self.candidates]
            candidates = set(top[lexical[top] > 0].tolist())
        cosine = np.zeros(n, dtype=np.float32)
        cross = np.zeros(n, dtype=np.float32)
        if vector is not None and self._vectors is not None:
            queries = np.asarray(vector, dtype=np.float32).reshape(-1, self._vectors.dim)
            seen: set[int] = set()
            for row in queries:
                pids, sims = self._vectors.search(row, self.ann_candidates)
                np.maximum.at(cosine, self._passage_debunk_np[pids], sims * self._passage_weight[pids])
                other_script = self._passage_cjk[pids] != query_cjk
                other = pids[other_script]
                np.maximum.at(cross, self._passage_debunk_np[other], sims[other_script] * self._passage_weight[other])
                seen.update(self._passage_debunk_np[pids].tolist())
            missing = [d for d in candidates if d not in seen]
            if missing:
                pidx = np.asarray([p for d in missing for p in self._debunk_passages[d]], dtype=np.int64)
                psims = (self._vectors.vectors(pidx) @ queries.T).max(axis=1)
                np.maximum.at(cosine, self._passage_debunk_np[pidx], psims * self._passage_weight[pidx])
            candidates |= seen
        if not candidates:
            return []
        for d in list(candidates):  # copies of a candidate are candidates too
            candidates.update(self._copies.get(self._keys[d], ()))
        order = np.fromiter(candidates, dtype=np.int64)
        final = np.zeros(n, dtype=np.float32)
        final[order] = self._fuse(cosine[order], lexical[order], cross[order], long_cjk)
        self._share_with_copies(order, final)
        order = order[final[order] > 0]
        ranked = order[np.lexsort((order, -final[order]))]
        reranked: dict[int, float] = {}
        if self.reranker is not None and len(ranked):
            ranked, reranked = self._rerank(text, ranked, final, k, query_cjk)
        return [Match(self.debunks_[d].id, float(final[d]), float(cosine[d]), float(lexical[d]), reranked.get(int(d)),
                      long_cjk)
                for d in ranked[:k]]

    def _share_with_copies(self, order: npt.NDArray[np.int64], scores: npt.NDArray[np.float32]) -> None:
        """Each debunk of ``order`` takes the best score of its copies (in place)."""
        best: dict[str, float] = {}
        keyed = [(d, self._keys[d]) for d in order.tolist() if len(self._copies.get(self._keys[d], ())) > 1]
        for d, key in keyed:
            best[key] = max(best.get(key, 0.0), float(scores[d]))
        for d, key in keyed:
            scores[d] = best[key]

    def _fuse(self, cosine: npt.NDArray[np.float32], lexical: npt.NDArray[np.float32],
              cross: npt.NDArray[np.float32], long_cjk: bool = False) -> npt.NDArray[np.float32]:
        """Linear fusion; across scripts (zh post, en passage or back) BM25 cannot help, so the
        cross-script cosine alone, times ``w_cross``, is also a way to reach the threshold."""
        w_embed, w_lexical = self.w_embed, self.w_lexical
        if long_cjk:
            w_embed, w_lexical = w_embed * self.embed_share_cjk, w_lexical + w_embed * (1.0 - self.embed_share_cjk)
        linear = w_embed * cosine + w_lexical * lexical
        fused: npt.NDArray[np.float32] = np.maximum(linear, self.w_cross * cross)
        return fused

    def _rerank(self, text: str, ranked: npt.NDArray[np.int64], scores: npt.NDArray[np.float32], k: int,
                cjk: bool) -> tuple[npt.NDArray[np.int64], dict[int, float]]:
        """Re-score the ``rerank_top`` best (``scores`` is updated in place); the rest keep their order below."""
        assert self.reranker is not None
        w = self.w_rerank_cjk if cjk else self.w_rerank
        if w <= 0:
            return ranked, {}
        head, tail = ranked[: max(k, self.rerank_top)], ranked[max(k, self.rerank_top) :]
        owners: list[int] = []
        texts: list[str] = []
        for d in head.tolist():
            span = self._debunk_passages[d]
            for p in span:
                if self._passage_primary[p]:
                    owners.append(d)
                    texts.append(self.passages_[p])
        extra = np.asarray(self.reranker(text, texts), dtype=np.float32) if texts else np.zeros(0, np.float32)
        best = np.zeros(len(self.debunks_), dtype=np.float32)
        if len(owners):
            np.maximum.at(best, np.asarray(owners, dtype=np.int64), extra)
        scores[head] = (1.0 - w) * scores[head] + w * best[head]
        self._share_with_copies(head, scores)
        if len(tail):  # below the re-ranked head whatever their first-stage score
            scores[tail] = np.minimum(scores[tail], scores[head].min() if len(head) else scores[tail])
        head = head[np.lexsort((head, -scores[head]))]
        return np.concatenate([head, tail]), {int(d): float(best[d]) for d in head}

    def labels(self, text: str, vector: npt.NDArray[np.float32] | None = None, k: int = 3) -> list[Match]:
        """The matches that should label the post (:meth:`labelled`)."""
        return [m for m in self.match_one(text, k, vector) if self.labelled(m)]

    def labelled(self, match: Match) -> bool:
        """Whether a match should label its post: its score is at least :attr:`threshold`,
        :attr:`rerank_threshold` when the re-ranker scored it (Chinese posts are not re-ranked), or
        :attr:`threshold_long_cjk` for a Chinese post longer than ``long_post_chars`` (long Weibo
        posts share a small part of their words with a debunk, so their scores run lower)."""
        if match.rerank is not None:
            return match.score >= self.rerank_threshold
        return match.score >= (self.threshold_long_cjk if match.long_cjk else self.threshold)

    def get(self, debunk_id: str) -> Debunk:
        try:
            return self.debunks_[self._positions[debunk_id]]
        except KeyError:
            raise InputError(f"unknown debunk {debunk_id!r}") from None


def build_matcher(encoder: Encoder | None = None, reranker: Reranker | None = None) -> ClaimMatcher:
    """The matcher as ``clearspace match``, the service and the benchmarks build it: lexical only
    (``encoder`` ``None``: BM25 weighted 1), hybrid (BM25 + the encoder), and with ``reranker``
    (:class:`~clearspace.rumors.rerank.EmbeddingReranker`) re-ranked."""
    w_embed, w_lexical = (0.3, 0.7) if encoder is not None else (0.0, 1.0)
    if reranker is None:
        return ClaimMatcher(encoder=encoder, w_embed=w_embed, w_lexical=w_lexical)
    return ClaimMatcher(encoder=encoder, w_embed=w_embed, w_lexical=w_lexical, reranker=reranker,
                        w_rerank=RERANK_WEIGHT, rerank_top=RERANK_TOP)
