"""A cheap language guess: enough to route between Chinese and English."""

from __future__ import annotations

import re

_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile("[a-zA-Z]")


def guess_language(text: str) -> str:
    """``zh`` when the text has Chinese characters, ``en`` for Latin text, else ``und``."""
    if _CJK.search(text):
        return "zh"
    if _LATIN.search(text):
        return "en"
    return "und"
