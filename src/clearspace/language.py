"""A cheap language guess: enough to route between Chinese and English."""

from __future__ import annotations

import re

_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile("[a-zA-Z]")


def guess_language(text: str) -> str:
    """``zh`` when Chinese characters are present in number, ``en`` for Latin text, else ``und``."""
    cjk = len(_CJK.findall(text[:2000]))
    if cjk >= 2 or (cjk and len(text) < 8):
        return "zh"
    if _LATIN.search(text):
        return "en"
    return "und"
