"""The contract every detector follows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from clearspace.text.document import Document
from clearspace.types import Signal


@runtime_checkable
class Detector(Protocol):
    """A named, versioned function from a document and its context to signals.

    Detectors are pure: the same document and context always give the same signals. A
    detector should declare the signal kinds it emits in a ``kinds`` tuple (``PREFIX*``
    patterns allowed) so that policies naming other kinds are refused at load time.
    ``__init__`` only stores parameters; anything loaded from disk is loaded lazily and
    kept in attributes whose names end in ``_``.
    """

    name: str
    version: str

    def detect(self, doc: Document, context: Mapping[str, Any]) -> list[Signal]:
        """Return the signals seen in ``doc`` (an empty list when nothing was seen)."""
        ...


def detector_kinds(detector: Detector) -> tuple[str, ...] | None:
    """The signal kinds ``detector`` declares in its ``kinds`` attribute (``PREFIX*`` allowed), or
    ``None`` when it declares none (a policy cannot then be checked against it)."""
    kinds = getattr(detector, "kinds", None)
    return tuple(kinds) if kinds is not None else None


def detector_id(detector: Detector) -> str:
    """``name@version``, as recorded in every signal and decision."""
    return f"{detector.name}@{detector.version}"
