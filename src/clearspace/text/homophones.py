"""Rewriting homophones of lexicon terms (``沙比`` to ``傻逼``) through the pinyin table."""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick_rs
import rjieba

from clearspace.text.automaton import automaton
from clearspace.text.pinyin import PinyinTable


class HomophoneRewriter:
    """Replaces any run of Chinese characters that *sounds* like a term with the term.

    The replacement has the term's length, so offsets do not move. ``exceptions`` are
    ordinary words that share a term's reading and must be left alone.
    """

    def __init__(self, terms: Iterable[str], pinyin: PinyinTable, exceptions: Iterable[str] = ()) -> None:
        self.pinyin = pinyin
        self.exceptions = frozenset(exceptions)
        encoded: dict[str, str] = {}
        for term in terms:
            code = pinyin.encode(term)
            if len(term) >= 2 and code != term and code not in encoded:
                encoded[code] = term
        self._codes = list(encoded)
        self._terms = [encoded[c] for c in self._codes]
        self._matcher = (
            automaton(self._codes, ahocorasick_rs.MatchKind.LeftmostLongest)
            if self._codes
            else None
        )

    def rewrite(self, text: str) -> str:
        """``text`` with every homophone of a term replaced by the term."""
        if self._matcher is None:
            return text
        code = self.pinyin.encode(text)
        if code == text:
            return text
        pieces: list[str] = []
        pos = 0
        for idx, start, end in self._matcher.find_matches_as_indexes(code):
            found = text[start:end]
            term = self._terms[idx]
            if found == term or found in self.exceptions or not _word_aligned(text, start, end):
                continue
            pieces.append(text[pos:start])
            pieces.append(term)
            pos = end
        if not pieces:
            return text
        pieces.append(text[pos:])
        return "".join(pieces)


def _word_aligned(text: str, start: int, end: int) -> bool:
    """Whether ``[start, end)`` starts and ends on word boundaries of its neighbourhood: 去四川 is
    去 + 四川, not a homophone of 去死 (the segmenter runs only on the rare candidates)."""
    lo = max(0, start - 4)
    window = text[lo:end + 4]
    cuts = {lo}
    pos = lo
    for token in rjieba.cut(window):
        pos += len(token)
        cuts.add(pos)
    return start in cuts and end in cuts
