"""A tiny deterministic encoder so matcher tests need no sentence-embedding model."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest

from clearspace.rumors.tokenize import tokens


class HashEncoder:
    """Bag of hashed BM25 tokens, L2-normalised: similar wording gives similar vectors."""

    name = "hash"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in tokens(text) or [text]:
                out[row, int(hashlib.md5(token.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


@pytest.fixture()
def hash_encoder() -> HashEncoder:
    return HashEncoder()
