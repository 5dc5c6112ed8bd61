"""A cheap language guess: enough to route between Chinese and English."""

from __future__ import annotations

import re

_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile("[a-zA-Z]")


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
    if text.isascii():
        return True
    cjk = len(_CJK.findall(text))
    if not cjk:
        return True
    latin = len(_LATIN.findall(text))
    return cjk < 0.3 * (cjk + latin)
