"""The abuse model at inference time: hashed n-grams and optional embeddings, linear heads.

Weights live in one ``.npz`` file with a JSON ``meta`` entry (see :func:`save_model`).
Each head ``h`` (``abuse``, ``insult``, ...) scores a text as::

    z_ngram = x @ coef[:, h] + intercept[h]                 # sparse hashed n-grams
    z_embed = e @ emb_coef[:, h] + emb_intercept[h]         # only with an encoder
    p = sigmoid(stack[h] . [z_ngram, z_embed, 1])           # calibrated probability

Without an encoder the model uses ``stack_fast[h] . [z_ngram, 1]``. The ``abuse`` head
has a decision threshold per configuration and language, chosen on held-out data at
training time. ``routes`` names, for a head, the column that scores mostly-Latin texts
(``abuse`` -> ``abuse_en``): Chinese and English abuse are learnt separately.
"""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from clearspace.errors import ModelError
from clearspace.language import mostly_latin
from clearspace.model.features import Hashed, NgramHasher
from clearspace.text.tables import data_path

FORMAT = "clearspace-abuse/1"
DEFAULT_MODEL = "models/abuse.npz"
FloatArray = npt.NDArray[np.float32]


def sigmoid(z: npt.NDArray[Any]) -> FloatArray:
    out: FloatArray = (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).astype(np.float32)
    return out


@dataclass
class AbuseModel:
    """Weights and metadata of a trained model; see the module docstring for the maths."""

    heads: list[str]  # every column; the English columns of ``routes`` included
    hasher: NgramHasher
    coef: FloatArray  # (n_features, H), dense in memory
    intercept: FloatArray  # (H,)
    stack_fast: FloatArray  # (H, 2)
    thresholds: dict[str, dict[str, float]]  # configuration -> language (zh, en) -> cut
    encoder: str | None = None
    emb_coef: FloatArray | None = None  # (dim, H)
    emb_intercept: FloatArray | None = None
    stack_embed: FloatArray | None = None  # (H, 3)
    meta: dict[str, Any] = field(default_factory=dict)
    routes: dict[str, str] = field(default_factory=dict)  # head -> its column for mostly-Latin texts

    @property
    def public_heads(self) -> list[str]:
        """The heads callers see (English route columns are folded into their head)."""
        hidden = set(self.routes.values())
        return [h for h in self.heads if h not in hidden]

    def column(self, head: str, english: npt.NDArray[np.bool_]) -> tuple[int, int]:
        """Column of ``head`` for Chinese texts and for mostly-Latin texts."""
        own = self.heads.index(head)
        return own, self.heads.index(self.routes[head]) if head in self.routes else own

    @property
    def has_embed(self) -> bool:
        return self.emb_coef is not None and self.stack_embed is not None

    def predict(self, texts: Sequence[str], embeddings: FloatArray | None = None) -> FloatArray:
        """Calibrated probabilities, shape ``(len(texts), len(public_heads))``."""
        if not texts:
            return np.zeros((0, len(self.public_heads)), dtype=np.float32)
        english = np.fromiter((mostly_latin(t) for t in texts), dtype=bool, count=len(texts))
        return self.route(self.predict_hashed(self.hasher.hashed(texts), embeddings), english)

    def predict_hashed(self, hashed: Hashed, embeddings: FloatArray | None = None) -> FloatArray:
        """Probabilities of every column on n-grams hashed already (callers reuse them for evidence)."""
        z = self.logits(hashed)
        return self.fast_probs(z) if embeddings is None else self.embed_probs(z, embeddings)

    def logits(self, hashed: Hashed) -> FloatArray:
        """The n-gram logit of every column."""
        return hashed.project(self.coef) + self.intercept

    def fast_probs(self, z: FloatArray) -> FloatArray:
        """Calibrated probabilities from n-gram logits alone."""
        return sigmoid(z * self.stack_fast[:, 0] + self.stack_fast[:, 1])

    def embed_probs(self, z: FloatArray, embeddings: FloatArray) -> FloatArray:
        """Calibrated probabilities from n-gram logits stacked with the embedding head."""
        if self.emb_coef is None or self.stack_embed is None or self.emb_intercept is None:
            raise ModelError("this model has no embedding head; score without an encoder")
        ze = embeddings @ self.emb_coef + self.emb_intercept
        s = self.stack_embed
        return sigmoid(z * s[:, 0] + ze * s[:, 1] + s[:, 2])

    def route(self, probs: FloatArray, english: npt.NDArray[np.bool_]) -> FloatArray:
        """Per-column probabilities to per-head ones: mostly-Latin texts read their English columns."""
        out = []
        for head in self.public_heads:
            zh, en = self.column(head, english)
            out.append(np.where(english, probs[:, en], probs[:, zh]))
        return np.column_stack(out).astype(np.float32)

    def threshold(self, embedded: npt.NDArray[np.bool_] | bool, english: npt.NDArray[np.bool_]
                  ) -> npt.NDArray[np.float32]:
        """The ``abuse`` decision threshold of each text (per configuration and language)."""
        fast, embed = self.thresholds["fast"], self.thresholds["embed"]
        fast_cut = np.where(english, fast["en"], fast["zh"])
        embed_cut = np.where(english, embed["en"], embed["zh"])
        return np.where(embedded, embed_cut, fast_cut).astype(np.float32)


def save_model(model: AbuseModel, path: str | Path) -> None:
    """Write a model compactly: only non-zero n-gram rows, quantized to int8 per head."""
    Path(path).write_bytes(model_bytes(model))


def model_bytes(model: AbuseModel) -> bytes:
    """The model file's bytes (what :func:`save_model` writes)."""
    rows = np.flatnonzero(np.any(model.coef != 0, axis=1)).astype(np.int32)
    kept = model.coef[rows]
    scale = np.maximum(np.abs(kept).max(axis=0), 1e-12) / 127.0
    idf = model.hasher.idf_ if model.hasher.idf_ is not None else np.ones(model.hasher.n_features, np.float32)
    idf_rows = np.flatnonzero(idf).astype(np.int32)
    meta = {
        **model.meta,
        "format": FORMAT,
        "heads": model.heads,
        "ngram_range": list(model.hasher.ngram_range),
        "n_features": model.hasher.n_features,
        "thresholds": model.thresholds,
        "encoder": model.encoder,
        "routes": model.routes,
    }
    arrays: dict[str, Any] = {
        "meta": np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8),
        "rows": rows,
        "coef": np.round(kept / scale).astype(np.int8),
        "coef_scale": scale.astype(np.float32),
        "intercept": model.intercept,
        "stack_fast": model.stack_fast,
        "idf_rows": idf_rows,
        "idf": idf[idf_rows].astype(np.float16),
    }
    if model.has_embed:
        arrays |= {"emb_coef": model.emb_coef, "emb_intercept": model.emb_intercept, "stack_embed": model.stack_embed}
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def load_model(path: str | Path | None = None) -> AbuseModel:
    """Load a model file (the shipped one by default); ModelError when it is not a model file."""
    source = Path(path) if path is not None else data_path(DEFAULT_MODEL)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ModelError(f"cannot read model {source}: {exc.strerror or exc}") from exc
    return load_model_bytes(data, str(source))


def load_model_bytes(data: bytes, source: str = "model") -> AbuseModel:
    """A model from the bytes of a model file (``source`` names it in errors)."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError, EOFError, TypeError, AttributeError, zipfile.BadZipFile, zlib.error) as exc:
        raise ModelError(f"cannot read model {source}: not a clearspace model file ({exc})") from exc
    if not isinstance(arrays, dict) or "meta" not in arrays:
        raise ModelError(f"cannot read model {source}: not a clearspace model file (no 'meta' entry)")
    try:
        meta = json.loads(arrays["meta"].tobytes().decode())
        if meta.get("format") != FORMAT:
            raise ModelError(f"{source}: format {meta.get('format')!r}, expected {FORMAT!r}")
        n_features = int(meta["n_features"])
        lo, hi = meta["ngram_range"]
        hasher = NgramHasher((int(lo), int(hi)), n_features)
        idf = np.zeros(n_features, dtype=np.float32)
        idf[arrays["idf_rows"]] = arrays["idf"]
        hasher.idf_ = idf
        coef = np.zeros((n_features, len(meta["heads"])), dtype=np.float32)
        coef[arrays["rows"]] = arrays["coef"].astype(np.float32) * arrays["coef_scale"]
        model = AbuseModel(
            heads=list(meta["heads"]),
            hasher=hasher,
            coef=coef,
            intercept=arrays["intercept"].astype(np.float32),
            stack_fast=arrays["stack_fast"].astype(np.float32),
            thresholds={k: {lang: float(c) for lang, c in v.items()} for k, v in meta["thresholds"].items()},
            routes=dict(meta.get("routes", {})),
            encoder=meta.get("encoder"),
            emb_coef=arrays.get("emb_coef"),
            emb_intercept=arrays.get("emb_intercept"),
            stack_embed=arrays.get("stack_embed"),
            meta=meta,
        )
    except KeyError as exc:
        raise ModelError(f"{source}: missing entry {exc}") from exc
    except (ValueError, TypeError, IndexError, AttributeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{source}: malformed model file ({exc})") from exc
    _check_shapes(model, source)
    return model


def _check_shapes(model: AbuseModel, source: str) -> None:
    """ModelError unless the arrays fit the heads and the ``abuse`` head has its thresholds."""
    h = len(model.heads)
    problems = []
    if "abuse" not in model.heads:
        problems.append("no 'abuse' head")
    if model.intercept.shape != (h,) or model.stack_fast.shape != (h, 2):
        problems.append(f"intercept {model.intercept.shape} / stack_fast {model.stack_fast.shape} do not fit {h} heads")
    fast = model.thresholds.get("fast", {})
    if not {"zh", "en"} <= set(fast) or "embed" not in model.thresholds:
        problems.append("thresholds need 'fast' and 'embed' cuts for zh and en")
    if any(route not in model.heads for route in model.routes.values()):
        problems.append("a route names an unknown head")
    if problems:
        raise ModelError(f"{source}: malformed model file: {'; '.join(problems)}")
