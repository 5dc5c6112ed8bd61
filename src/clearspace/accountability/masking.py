"""Masking personal information out of a typical-case announcement (典型案例).

Every span the PII detector finds (phone numbers, ID numbers, addresses, accounts ...) becomes
``***``, and every account name the case involves becomes a neutral label (``用户A`` / ``User A``)
so that an announcement tells what happened without naming or exposing anybody.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from string import ascii_uppercase

from clearspace.detectors.pii import PiiDetector
from clearspace.text.document import Document

MASK = "***"
LABELS = {"zh": "用户", "en": "User "}


def alias(index: int, lang: str) -> str:
    letter = ascii_uppercase[index % 26] + (str(index // 26) if index >= 26 else "")
    return f"{LABELS.get(lang, LABELS['en'])}{letter}"


def mask(text: str, names: Sequence[str], lang: str = "zh", detector: PiiDetector | None = None) -> str:
    """``text`` with personal information masked and each of ``names`` replaced by its alias."""
    found = (detector or PiiDetector()).detect(Document(text, text), {})
    spans = sorted({span for s in found if s.kind.startswith("pii.") for span in s.spans}, reverse=True)
    for start, end in spans:
        text = text[:start] + MASK + text[end:]
    for i, name in sorted(enumerate(names), key=lambda item: -len(item[1])):
        if name:  # a Latin name only as a whole word ("lin" stays inside "online")
            text = re.sub(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", alias(i, lang), text)
    return text
