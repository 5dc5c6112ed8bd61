"""A ``str.translate`` table that fills itself in as characters are first seen."""

from __future__ import annotations

from collections.abc import Callable


class LazyTable(dict[int, int]):
    """Code point to code point; a code point not yet in the table is computed once.

    ``str.translate`` looks every character up with ``[]``, so a character seen for the
    first time calls ``compute`` (through ``__missing__``) and later ones are plain dict
    hits. That is cheaper than letting misses fall through: ``str.translate`` pays for a
    ``KeyError`` on every character its table lacks.
    """

    __slots__ = ("_compute",)

    def __init__(self, compute: Callable[[int], int]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, key: int) -> int:
        value = self._compute(key)
        self[key] = value
        return value
