"""Many phrases as one fast regular expression (shared by the PII and incitement detectors)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any


def phrase_pattern(phrases: Iterable[str]) -> str:
    """A regex source matching any of ``phrases`` (leftmost, then longest), built as a trie.

    A trie keeps matching fast with thousands of phrases, and because every branch starts
    with a literal character the regex engine skips straight to candidate positions. Phrases
    that start or end with an ASCII letter or digit only match at word boundaries. The text
    searched should be lowercased, as the normalizer does.
    """
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        if phrase:
            node[""] = {}
    return _trie_pattern(trie, "") if trie else r"(?!)"


def is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _trie_pattern(node: Mapping[str, Any], prev: str) -> str:
    alternatives = []
    for ch in sorted(k for k in node if k):
        head = re.escape(ch)
        if not prev and is_word_char(ch):
            head += f"(?<![a-z0-9]{head})"
        alternatives.append(head + _trie_pattern(node[ch], ch))
    end = "(?![a-z0-9])" if is_word_char(prev) else ""
    if "" in node:
        alternatives.append(end)
    if len(alternatives) == 1:
        return alternatives[0]
    return "(?:" + "|".join(alternatives) + ")"
