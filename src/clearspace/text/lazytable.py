"""A ``str.translate`` table that fills itself in as characters are first seen."""

from __future__ import annotations

from collections.abc import Callable


class LazyTable(dict[int, int]):
    """Code point to code point; a code point not yet in the table is computed once.

    ``str.translate`` looks every character up with ``[]``, so a character seen for the
    first time calls ``compute`` (through ``__missing__``) and later ones are plain dict
    hits. That is cheaper than letting misses fall through: ``str.translate`` pays for a
    ``KeyError`` on every character its table lacks. Only code points ``keep`` accepts are
    stored (default: all), so hostile text cannot grow the table past the ones worth keeping.
    """

    __slots__ = ("_compute", "_keep")

    def __init__(self, compute: Callable[[int], int], keep: Callable[[int], bool] | None = None) -> None:
        super().__init__()
        self._compute = compute
        self._keep = keep

    def __missing__(self, key: int) -> int:
        value = self._compute(key)
        if self._keep is None or self._keep(key):
            self[key] = value
        return value
