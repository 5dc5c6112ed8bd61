"""Aho-Corasick automata for the phrase tables scanned on every post.

Every table (cues, lexicon, its pinyin codes, the incitement gate, the normalizer's aliases, the
homophone codes) is built as a DFA: it costs a few milliseconds and a few MB more to build than the
library's default (a contiguous NFA for large tables), and scans 20-45% faster (the cue table: 2.6 to
2.1 µs a post of the benchmark mix, the lexicon 1.3 to 0.7), with the same matches.
"""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick_rs


def automaton(patterns: Iterable[str],
              matchkind: ahocorasick_rs.MatchKind = ahocorasick_rs.MatchKind.Standard) -> ahocorasick_rs.AhoCorasick:
    """An automaton over ``patterns`` (none empty) with ``matchkind``, as a DFA."""
    return ahocorasick_rs.AhoCorasick(list(patterns), matchkind=matchkind,
                                      implementation=ahocorasick_rs.Implementation.DFA)
