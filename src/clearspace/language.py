"""A cheap language guess: enough to route between Chinese and English."""

from __future__ import annotations

import re

_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile("[a-zA-Z]")
# runs, not characters: counting by runs makes one string per run instead of one per character
_CJK_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_RUN = re.compile("[a-zA-Z]+")


def guess_language(text: str) -> str:
    """``zh`` when the text has Chinese characters, ``en`` for Latin text, else ``und``."""
    if not text.isascii() and _CJK.search(text):
        return "zh"
    if _LATIN.search(text):
        return "en"
    return "und"


def mostly_latin(text: str) -> bool:
    """True when Chinese characters are under 30% of the text's Chinese and Latin letters.

    The abuse model routes such texts to its English columns.
    """
    if text.isascii() or _CJK.search(text) is None:
        return True
    cjk = sum(map(len, _CJK_RUN.findall(text)))
    latin = sum(map(len, _LATIN_RUN.findall(text)))
    return cjk < 0.3 * (cjk + latin)
