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

    def signals(self, doc: Document, probs: FloatArray) -> list[Signal]:
        """One signal per head; the ``abuse`` signal carries evidence spans when it is high."""
        model = self.model
        ident = f"{self.name}@{self.version}"
        out = []
        for h, head in enumerate(model.heads):
            spans: tuple[Span, ...] = ()
            if head == "abuse" and probs[h] >= self.threshold():
                spans = tuple(doc.to_original(s, e) for s, e in self.evidence(doc.text, h))
            out.append(Signal(kind=head, score=float(probs[h]), spans=spans, detector=ident))
        return out

    def evidence(self, text: str, head: int) -> list[Span]:
        """Up to three spans of ``text`` whose n-grams push the head's score up the most."""
        model = self.model
        grams = model.hasher.ngrams_with_positions(text)
        if not grams:
            return []
        idf = model.hasher.idf_ if model.hasher.idf_ is not None else np.ones(model.hasher.n_features, np.float32)
        cols = np.fromiter((c for _, _, c in grams), dtype=np.int64, count=len(grams))
        weight = model.coef[cols, head] * idf[cols]
        order = np.argsort(-weight)
        chosen: list[Span] = []
        for i in order[: 4 * MAX_EVIDENCE * 4]:
            if weight[i] <= 0 or len(chosen) >= MAX_EVIDENCE:
                break
            s, e, _ = grams[i]
            if e - s < 2 and len(text) > 2:
                continue
            if any(s < ce and cs < e for cs, ce in chosen):
                continue
            chosen.append((s, e))
        return sorted(chosen)
