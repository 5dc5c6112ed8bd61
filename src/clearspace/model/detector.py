"""The abuse model as a batch detector: probabilities per head plus evidence spans."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from clearspace.model.abuse import AbuseModel, FloatArray, load_model
from clearspace.model.embeddings import Encoder, load_encoder
from clearspace.text.document import Document
from clearspace.types import Signal, Span

MAX_EVIDENCE = 3


class ModelDetector:
    """Scores documents in batches with the abuse model (and an encoder in ``embed`` mode)."""

    name = "abuse-model"

    def __init__(self, model_path: str | Path | None = None, encoder: str | Encoder | None = None) -> None:
        self.model_path = model_path
        self.encoder = encoder
        self._model: AbuseModel | None = None
        self._encoder: Encoder | None = None

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

    def _get_encoder(self) -> Encoder | None:
        if self.encoder is None:
            return None
        if self._encoder is None:
            self._encoder = load_encoder(self.encoder) if isinstance(self.encoder, str) else self.encoder
        return self._encoder

    def probabilities(self, docs: Sequence[Document]) -> FloatArray:
        texts = [d.text for d in docs]
        encoder = self._get_encoder()
        embeddings = encoder.encode([d.original for d in docs]) if encoder is not None else None
        return self.model.predict(texts, embeddings)

    def threshold(self) -> float:
        return self.model.threshold(self.embed)

    def signals(self, docs: Sequence[Document], probs: FloatArray) -> list[list[Signal]]:
        """One signal per head and document; a high ``abuse`` signal carries evidence spans."""
        model = self.model
        ident = f"{self.name}@{self.version}"
        abuse = model.heads.index("abuse") if "abuse" in model.heads else -1
        flagged = [i for i in range(len(docs)) if abuse >= 0 and probs[i, abuse] >= self.threshold()]
        evidence = self.evidence([docs[i].text for i in flagged], abuse) if flagged else []
        spans_of = {i: tuple(docs[i].to_original(s, e) for s, e in ev) for i, ev in zip(flagged, evidence)}
        out = []
        for i in range(len(docs)):
            row = []
            for h, head in enumerate(model.heads):
                spans = spans_of.get(i, ()) if h == abuse else ()
                row.append(Signal(kind=head, score=float(probs[i, h]), spans=spans, detector=ident))
            out.append(row)
        return out

    def evidence(self, texts: Sequence[str], head: int) -> list[list[Span]]:
        """For each text, up to three spans whose n-grams push the head's score up the most."""
        model = self.model
        rows, cols, starts, ends = model.hasher.hashes_with_spans(texts)
        weight = model.coef[cols, head]
        if model.hasher.idf_ is not None:
            weight = weight * model.hasher.idf_[cols]
        # single characters explain little: prefer longer n-grams
        weight = np.where((ends - starts) >= 2, weight, weight * 0.5)
        order = np.lexsort((-weight, rows))  # by text, best weight first
        bounds = np.searchsorted(rows[order], np.arange(len(texts) + 1)).tolist()
        w, st, en = weight[order].tolist(), starts[order].tolist(), ends[order].tolist()
        out: list[list[Span]] = []
        for t in range(len(texts)):
            chosen: list[Span] = []
            for i in range(bounds[t], min(bounds[t + 1], bounds[t] + 8 * MAX_EVIDENCE)):
                if w[i] <= 0 or len(chosen) >= MAX_EVIDENCE:
                    break
                s, e = st[i], en[i]
                if not any(s < ce and cs < e for cs, ce in chosen):
                    chosen.append((s, e))
            out.append(sorted(chosen))
        return out
