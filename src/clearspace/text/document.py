"""A normalized text that remembers where each of its characters came from."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from clearspace.fastinit import fast_init
from clearspace.types import Span


@fast_init
@dataclass(frozen=True, slots=True)
class Document:
    """Original text, its normalized form and an offset map between them.

    ``starts[i]`` and ``ends[i]`` give the ``[start, end)`` range of the original text that
    produced normalized character ``i``. ``starts`` and ``ends`` are ``None`` when the
    normalized text is aligned one-to-one with the original (the common fast path). The
    normalizer gives them as arrays of C ints: a tuple would hold a Python int object per
    character (a 20,000-character hostile text: about 40,000 objects kept while its batch is
    scored, small objects that fragment a long-running server's heap), an array 4 bytes a
    character in one block. They take no part in the hash.
    """

    original: str
    text: str
    starts: Sequence[int] | None = field(default=None, hash=False)
    ends: Sequence[int] | None = field(default=None, hash=False)

    def to_original(self, start: int, end: int) -> Span:
        """Map a ``[start, end)`` span of the normalized text back into the original."""
        n = len(self.text)
        if start < 0 or end > n or start > end:
            raise ValueError(f"span [{start}, {end}) outside normalized text of length {n}")
        if self.starts is None or self.ends is None:
            return (start, end)
        if start == end:
            pos = self.starts[start] if start < n else len(self.original)
            return (pos, pos)
        return (self.starts[start], self.ends[end - 1])

    def to_normalized(self, start: int, end: int) -> Span:
        """The normalized-text range of an original-text span (the inverse of :meth:`to_original`)."""
        if self.starts is None or self.ends is None:
            return (start, end)
        return bisect_right(self.ends, start), bisect_left(self.starts, end)
