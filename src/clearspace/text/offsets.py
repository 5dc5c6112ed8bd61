"""Rewriting text while keeping, for every output character, the input range it came from.

An *offset map* is a pair ``(starts, ends)`` of equal-length lists: output character ``i``
came from input ``[starts[i], ends[i])``. ``None`` stands for the identity map, which is
what most texts get: the cheap path allocates nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

OffsetMap = tuple[list[int], list[int]]


def identity(n: int) -> OffsetMap:
    """The offset map of an unchanged text of length ``n``."""
    return list(range(n)), list(range(1, n + 1))


def sub_with_map(
    pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str], text: str
) -> tuple[str, OffsetMap] | None:
    """Like ``pattern.sub(repl, text)``, but also returns the offset map.

    Returns ``None`` (and does no work beyond one search) when nothing matches or every
    replacement equals its match. A replacement of the same length maps character to
    character; any other replacement maps each of its characters to the whole match.
    """
    first = pattern.search(text)
    if first is None:
        return None
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    changed = False
    for m in pattern.finditer(text, first.start()):
        a, b = m.span()
        new = repl(m)
        if new == m.group(0):
            continue
        changed = True
        pieces.append(text[pos:a])
        starts.extend(range(pos, a))
        ends.extend(range(pos + 1, a + 1))
        pieces.append(new)
        if len(new) == b - a:
            starts.extend(range(a, b))
            ends.extend(range(a + 1, b + 1))
        else:
            starts.extend([a] * len(new))
            ends.extend([b] * len(new))
        pos = b
    if not changed:
        return None
    n = len(text)
    pieces.append(text[pos:])
    starts.extend(range(pos, n))
    ends.extend(range(pos + 1, n + 1))
    return "".join(pieces), (starts, ends)


def compose(outer: OffsetMap | None, inner: OffsetMap | None) -> OffsetMap | None:
    """Chain maps: ``outer`` maps text B into text A, ``inner`` maps text C into B.

    The result maps C straight into A. ``None`` is the identity on either side.
    """
    if inner is None:
        return outer
    if outer is None:
        return inner
    o_starts, o_ends = outer
    i_starts, i_ends = inner
    if len(i_starts) != len(i_ends):
        raise ValueError(f"offset map with {len(i_starts)} starts and {len(i_ends)} ends")
    n = len(o_starts)
    if not i_starts or (min(i_starts) >= 0 and max(i_starts) < n and min(i_ends) > 0):
        # the common case, looked up without a Python-level loop
        starts = list(map(o_starts.__getitem__, i_starts))
        ends = list(map(o_ends.__getitem__, map((-1).__add__, i_ends)))
    else:
        past_end = o_ends[-1] if o_ends else 0
        before_start = o_starts[0] if o_starts else 0
        starts = [o_starts[s] if s < n else past_end for s in i_starts]
        ends = [o_ends[e - 1] if e > 0 else before_start for e in i_ends]
    # A deleted-only stretch can make an empty range collapse below its start: keep order.
    return starts, list(map(max, starts, ends))
