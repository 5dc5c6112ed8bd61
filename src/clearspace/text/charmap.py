"""The character-level step of normalization, computed lazily one character at a time.

Each character is mapped through NFKC (full-width to half-width and compatibility forms),
lower case, traditional to simplified Chinese (OpenCC ``t2s``) and the emoji table; format
characters (zero-width, bidi controls, variation selectors) and control characters are
removed. Results are cached, so a character costs one computation per process.

Most characters map to exactly one character, which lets :meth:`CharMap.apply` use
``str.translate`` and keep offsets unchanged. The few that map to zero or several
characters are "irregular": the translate table sends them to a marker character, and a
text whose translation contains the marker takes a slower path that records offsets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping

from clearspace.text.lazytable import LazyTable
from clearspace.text.offsets import OffsetMap

_KEEP_CONTROL = "\t\n"
_UNCACHED = frozenset({"Cn", "Co", "Cs"})


def cacheable(ch: str) -> bool:
    """Whether the normal form of ``ch`` is remembered: not for unassigned, private-use or surrogate
    code points (they map to themselves; remembering them would let hostile text that cycles through
    a million code points grow the cache without need)."""
    return unicodedata.category(ch) not in _UNCACHED
_IRREGULAR = "\uffff"
"""What the translate table gives an irregular character (a noncharacter: a text that
really contains it only takes the slow path, which is correct for any text)."""


class CharMap:
    """Per-character normalization with a lazily filled cache.

    ``t2s`` converts a string from traditional to simplified Chinese (injected so tests can
    run without OpenCC); ``extra`` maps characters to replacements (the emoji table).
    """

    def __init__(self, t2s: Callable[[str], str] | None = None, extra: Mapping[str, str] | None = None) -> None:
        self.t2s = t2s
        self.extra = dict(extra or {})
        self._cache: dict[str, str] = {}
        self._irregular: set[str] = set()
        self._table = LazyTable(self._translation, keep=lambda code: cacheable(chr(code)))
        self._ascii_special = self._special_ascii()

    def lookup(self, ch: str) -> str:
        """The normalized form of one character (possibly empty or several characters)."""
        hit = self._cache.get(ch)
        if hit is not None:
            return hit
        out = self._fixpoint(ch)
        if cacheable(ch):
            self._cache[ch] = out
            if len(out) != 1:
                self._irregular.add(ch)
        return out

    def _fixpoint(self, ch: str) -> str:
        out = ch
        for _ in range(4):
            nxt = "".join(self._once(c) for c in out)
            if nxt == out:
                break
            out = nxt
        return out

    def _once(self, ch: str) -> str:
        if ch in self.extra:
            return self.extra[ch]
        cat = unicodedata.category(ch)
        if cat == "Cf" or (cat == "Cc" and ch not in _KEEP_CONTROL) or 0xFE00 <= ord(ch) <= 0xFE0F:
            return ""
        out = unicodedata.normalize("NFKC", ch).lower()
        if self.t2s is not None and any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in out):
            out = self.t2s(out)
        return out

    def _translation(self, code: int) -> int:
        mapped = self.lookup(chr(code))
        return ord(mapped) if len(mapped) == 1 else ord(_IRREGULAR)

    def _special_ascii(self) -> re.Pattern[str] | None:
        """The ASCII characters whose normal form is not just their lower case (controls)."""
        special = [chr(c) for c in range(128) if self.lookup(chr(c)) != chr(c).lower()]
        return re.compile("[" + "".join(map(re.escape, special)) + "]") if special else None

    def apply(self, text: str) -> tuple[str, OffsetMap | None]:
        """Normalize every character of ``text``; the map is ``None`` when lengths match 1:1."""
        if text.isascii() and (self._ascii_special is None or self._ascii_special.search(text) is None):
            return text.lower(), None
        fast = text.translate(self._table)
        if _IRREGULAR not in fast or self._irregular.isdisjoint(text):
            return fast, None
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        done = 0  # text[:done] is handled
        at = fast.find(_IRREGULAR)
        while at != -1:
            ch = text[at]
            if ch in self._irregular:  # else a character that maps to the marker itself
                out = self._cache[ch]
                pieces += (fast[done:at], out)
                starts += range(done, at)
                ends += range(done + 1, at + 1)
                starts += [at] * len(out)
                ends += [at + 1] * len(out)
                done = at + 1
            at = fast.find(_IRREGULAR, at + 1)
        pieces.append(fast[done:])
        starts += range(done, len(text))
        ends += range(done + 1, len(text) + 1)
        return "".join(pieces), (starts, ends)
