"""What a text denies of someone: the predicate after a negated copula (you're not a fraud, you are NOT a waste of
a uniform, older people are not furniture, 你一点都不丑, 外地人不是什么蝗虫).

The model reads the denied words as if they were said (fraud, waste, 丑), so the engine also scores the text
without them (:meth:`clearspace.engine.Engine._rereadings`) and the verdict takes the lower reading. Denials
that are themselves attacks are left alone: not human, not worth the air, not welcome, not safe, 不是人, 不是东西,
一点都不要脸.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from clearspace.types import Span

_NOT_A_DENIAL_EN = (r"(?!(?:even\s{1,2})?(?:a\s{1,2})?(?:human|person|people|man|woman|worth|fit|welcome|wanted|real|"
                    r"normal|needed|good\s{1,2}enough|smart\s{1,2}enough|loved|safe|going|gonna|getting|allowed|one\s{1,2}"
                    r"of\s{1,2}us|alone|sorry|kidding|joking|done|finished|leaving|the\s{1,2}only)\b)")
_DENIED_EN = re.compile(r"\b(?:you're|youre|you\s{1,2}are|ur|u\s{1,2}r|he's|he\s{1,2}is|she's|she\s{1,2}is|they're|"
                        r"they\s{1,2}are|are|is|was|were)\s{1,2}(?:not|never)\s{1,2}" + _NOT_A_DENIAL_EN +
                        r"((?:(?:a|an|some|just|even|remotely)\s{1,2})?[a-z][^,.;:!?\n]{0,40})")
# nobody thinks you're a fraud: what nobody thinks of someone is denied
_NOBODY_THINKS_EN = re.compile(r"\b(?:nobody|no\s{1,2}one)\s{1,2}(?:thinks|believes|says|thought)\s{1,2}"
                               r"(?:that\s{1,2})?(?:you're|youre|you\s{1,2}are|ur|he's|he\s{1,2}is|she's|she\s{1,2}is|they're)\s{1,2}"
                               r"((?:(?:a|an|some|just)\s{1,2})?[a-z][^,.;:!?\n]{0,40})")
_DENIED_ZH = re.compile(r"(?:不是什么|根本不是|才不是|并不是|绝对不是|一点(?:都|也)不(?:是)?)"
                        r"(?!人|个人|东西|个东西|好东西|要脸|像人|配|得好死)([^，,。！？!?；;\n]{1,12})")
MAX_DENIALS: Final = 8  # denials looked at: bounds the work on hostile text


def denied_stretches(text: str) -> list[Span]:
    """The stretches of ``text`` (normalized: lower case) that a negated copula denies."""
    out: list[Span] = []
    for pattern in (_DENIED_EN, _NOBODY_THINKS_EN) if text.isascii() else (_DENIED_EN, _NOBODY_THINKS_EN, _DENIED_ZH):
        for m in pattern.finditer(text):
            out.append(m.span(1))
            if len(out) >= MAX_DENIALS:
                return sorted(out)
    return sorted(out)


def without(text: str, stretches: Sequence[Span]) -> str:
    """``text`` with ``stretches`` (sorted, possibly overlapping) left out: its denials, or its quotes."""
    parts, last = [], 0
    for start, end in stretches:
        if end <= last:
            continue
        parts.append(text[last:max(start, last)])
        last = end
    parts.append(text[last:])
    return "".join(parts)
