"""Pinyin from a precomputed table, encoded so that homophones compare as equal strings.

:meth:`PinyinTable.encode` maps every Chinese character to one private-use character that
stands for its toneless reading (``傻`` and ``沙`` both become the code of ``sha``) and leaves
every other character alone. The encoded text has exactly the length of its input, so a
match found in it has the same offsets in the text it came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

_CODE_BASE = 0xF0000  # Supplementary Private Use Area-A: never in normalized input.
_BMP = 0x10000


class PinyinTable:
    """Toneless pinyin readings of Chinese characters, loaded from a TSV table."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = path
        self._readings: dict[str, str] | None = None
        self._encode_table: list[int] | None = None
        self._syllables: dict[str, int] = {}

    def _load(self) -> dict[str, str]:
        if self._readings is None:
            source = Path(self.path) if self.path else files("clearspace") / "data" / "pinyin.tsv"
            readings: dict[str, str] = {}
            for line in source.read_text(encoding="utf-8").splitlines():
                if not line or line.startswith("#"):
                    continue
                ch, _, reading = line.partition("\t")
                readings[ch] = reading.split(",")[0].strip()
            self._readings = readings
        return self._readings

    def reading(self, ch: str) -> str | None:
        """The toneless reading of one character, or ``None`` if it is not Chinese."""
        return self._load().get(ch)

    def romanize(self, text: str) -> list[str]:
        """Readings of the Chinese characters of ``text`` (other characters are skipped)."""
        table = self._load()
        return [table[c] for c in text if c in table]

    def _code(self, syllable: str) -> int:
        code = self._syllables.get(syllable)
        if code is None:
            code = _CODE_BASE + len(self._syllables)
            self._syllables[syllable] = code
        return code

    def encode(self, text: str) -> str:
        """Replace each Chinese character by the code of its reading; length is preserved."""
        if self._encode_table is None:
            codes = {ord(ch): self._code(r) for ch, r in sorted(self._load().items())}
            # A list indexed by code point is the fastest table for str.translate. Characters
            # without a reading map to themselves; those past its end make translate see an
            # IndexError, which also leaves them as they are.
            table = list(range(max(_BMP, max(codes, default=0) + 1)))
            for point, code in codes.items():
                table[point] = code
            self._encode_table = table
        return text.translate(self._encode_table)

    def encode_syllables(self, syllables: Iterable[str]) -> str | None:
        """Encode a reading given as syllables (``["sha", "bi"]``); ``None`` if one is unknown."""
        self.encode("")
        out = []
        for s in syllables:
            code = self._syllables.get(s)
            if code is None:
                return None
            out.append(chr(code))
        return "".join(out)
