"""Splitting a debunk into passages, each matched on its own (max over passages).

A long fact-check quotes the claim somewhere inside an analysis; one vector for the whole
text drowns the quote. Passages are the claim, every variant, the title, quoted spans of the
long text and its sentences (plus pairs of adjacent sentences, for claims that span two).
"""

from __future__ import annotations

import re

from clearspace.rumors.model import Debunk

_SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])|(?<=[.])\s+")
_QUOTED = re.compile(r"[“「『\"]([^”」』\"]{6,300})[”」』\"]")
_URL = re.compile(r"https?://\S+")

MAX_PASSAGE_CHARS = 400
MAX_PASSAGES = 40


def split_sentences(text: str) -> list[str]:
    text = _URL.sub(" ", text)
    parts = [p.strip() for p in _SENTENCE_END.split(text)]
    return [p for p in parts if len(p) >= 4]


CLAIM, QUOTE, BODY = "claim", "quote", "body"


def passages(debunk: Debunk) -> list[tuple[str, str]]:
    """``(passage, kind)`` for ``debunk``, most important first, without duplicates.

    ``kind`` is :data:`CLAIM` (the claim, its variants, the title), :data:`QUOTE` (a quoted
    span of the long text) or :data:`BODY` (a sentence of the long text, or two adjacent ones).
    """
    out: list[tuple[str, str]] = [(debunk.claim, CLAIM), *((v, CLAIM) for v in debunk.variants)]
    if debunk.title:
        out.append((debunk.title, CLAIM))
    if debunk.text:
        out.extend((m.group(1), QUOTE) for m in _QUOTED.finditer(debunk.text))
        sentences = split_sentences(debunk.text)
        out.extend((s, BODY) for s in sentences)
        pairs = zip(sentences, sentences[1:], strict=False)
        out.extend((a + b, BODY) for a, b in pairs if len(a) + len(b) <= MAX_PASSAGE_CHARS)
    seen: set[str] = set()
    unique: list[tuple[str, str]] = []
    for passage, is_claim in out:
        passage = passage.strip()[:MAX_PASSAGE_CHARS]
        if passage and passage not in seen:
            seen.add(passage)
            unique.append((passage, is_claim))
    return unique[:MAX_PASSAGES]
