"""Lexicon detector: Aho-Corasick over the normalized text and over its pinyin form.

Lexicons are TSV data files (``term<TAB>category<TAB>severity[<TAB>flags]``); the defaults
ship in ``clearspace/data/lexicons`` and operators add their own with ``extra_paths``.
A term flagged ``pinyin`` also matches its homophones (``沙比`` for ``傻逼``), found by
matching the pinyin-encoded text, at a slightly lower score.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clearspace.errors import LexiconError
from clearspace.text.automaton import automaton
from clearspace.text.document import Document
from clearspace.text.normalize import DEFAULT_MAX_CHARS, Normalizer
from clearspace.text.pinyin import PinyinTable
from clearspace.text.tables import data_path, read_tsv
from clearspace.types import Signal, Span

CATEGORIES = ("insult", "slur", "sexual", "threat", "self_harm", "profanity", "harassment")
HOMOPHONE_DISCOUNT = 0.8
# an insult spelled with digits or symbols (1d10t, st*pid, l0ser) was spelled to get past a filter: it is meant
MASKED_BONUS, MASKED_MAX = 0.15, 0.9
_MASK_CHARS = frozenset("*013457@$!")
DEFAULT_FILES = ("lexicons/zh.tsv", "lexicons/en.tsv")


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon term."""

    term: str
    category: str
    severity: float
    pinyin: bool = False


def _word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def load_entries(paths: Iterable[str | Path]) -> list[Entry]:
    """Read lexicon files; later files override earlier ones for the same term."""
    entries: dict[str, Entry] = {}
    for path in paths:
        for number, cols in read_tsv(path, 3):
            term = unicodedata.normalize("NFKC", cols[0]).lower()
            category = cols[1]
            if category not in CATEGORIES:
                raise LexiconError(f"{path}:{number}: unknown category {category!r} (valid: {', '.join(CATEGORIES)})")
            try:
                severity = float(cols[2])
            except ValueError:
                raise LexiconError(f"{path}:{number}: severity {cols[2]!r} is not a number") from None
            if not 0.0 <= severity <= 1.0:
                raise LexiconError(f"{path}:{number}: severity {severity} outside [0, 1]")
            flags = {f.strip() for f in cols[3].split(",")} if len(cols) > 3 else set()
            entries[term] = Entry(term, category, severity, pinyin="pinyin" in flags)
    return list(entries.values())


class LexiconDetector:
    """Finds lexicon terms; one signal per category (``lexicon.insult`` ...)."""

    name = "lexicon"
    version = "3"  # 2: overlapping matches all count; a hit inside a longer one is dropped; 3: masked insults
    kinds = tuple(f"lexicon.{c}" for c in CATEGORIES)

    def __init__(
        self,
        paths: Sequence[str | Path] | None = None,
        extra_paths: Sequence[str | Path] = (),
        pinyin: PinyinTable | None = None,
        match_pinyin: bool = True,
    ) -> None:
        self.paths = paths
        self.extra_paths = tuple(extra_paths)
        self.pinyin = pinyin
        self.match_pinyin = match_pinyin
        self._ready = False

    def entries(self) -> list[Entry]:
        """All loaded entries (loads the files on first use)."""
        self._setup()
        return self.entries_

    def homophone_terms(self) -> list[str]:
        """Terms whose homophones should be matched (and may be rewritten by the normalizer)."""
        return [e.term for e in self.entries() if e.pinyin]

    def masked_terms(self) -> list[str]:
        """Latin one-word terms a masked spelling may be read back to (1d10t, st*pid): four letters or more."""
        return [e.term for e in self.entries() if len(e.term) >= 4 and e.term.isascii() and e.term.isalpha()]

    def _setup(self) -> None:
        if self._ready:
            return
        paths = list(self.paths) if self.paths is not None else [data_path(f) for f in DEFAULT_FILES]
        self.entries_ = load_entries([*paths, *self.extra_paths])
        # every match counts, overlapping ones too: 我操你妈 holds 我操 (profanity 0.35) and 操你妈 (0.95)
        self.matcher_ = automaton(e.term for e in self.entries_)
        self.pinyin_ = self.pinyin or PinyinTable()
        self.pinyin_entries_ = [e for e in self.entries_ if e.pinyin and self.match_pinyin]
        codes = [self.pinyin_.encode(e.term) for e in self.pinyin_entries_]
        self.pinyin_matcher_ = (
            automaton(codes) if codes else None
        )
        self._ready = True

    def detect(self, doc: Document, context: Mapping[str, Any]) -> list[Signal]:
        self._setup()
        text = doc.text
        hits: dict[Span, tuple[Entry, float, bool]] = {}
        for idx, start, end in self.matcher_.find_matches_as_indexes(text, overlapping=True):
            entry = self.entries_[idx]
            severity = entry.severity
            if entry.term.isascii():
                end = _word_end(text, start, end)
                if end < 0:
                    continue
                if entry.category == "insult" and _masked(doc, start, end):
                    severity = min(MASKED_MAX, severity + MASKED_BONUS)
            hits[(start, end)] = (entry, severity, False)
        if self.pinyin_matcher_ is not None and not text.isascii():
            code = self.pinyin_.encode(text)
            for idx, start, end in self.pinyin_matcher_.find_matches_as_indexes(code, overlapping=True):
                if (start, end) not in hits:
                    entry = self.pinyin_entries_[idx]
                    hits[(start, end)] = (entry, entry.severity * HOMOPHONE_DISCOUNT, True)
        return self._signals(doc, _drop_contained(hits)) if hits else []

    def _signals(self, doc: Document, hits: Mapping[Span, tuple[Entry, float, bool]]) -> list[Signal]:
        by_category: dict[str, list[tuple[Span, Entry, float, bool]]] = {}
        for span, (entry, score, via_pinyin) in sorted(hits.items()):
            by_category.setdefault(entry.category, []).append((span, entry, score, via_pinyin))
        signals = []
        for category, items in by_category.items():
            signals.append(
                Signal(
                    kind=f"lexicon.{category}",
                    score=max(score for _, _, score, _ in items),
                    spans=tuple(doc.to_original(*span) for span, _, _, _ in items),
                    detector=f"{self.name}@{self.version}",
                    details={
                        "terms": [entry.term for _, entry, _, _ in items],
                        "homophone": [via for _, _, _, via in items],
                    },
                )
            )
        return signals


def _masked(doc: Document, start: int, end: int) -> bool:
    """Whether the original spelling of the normalized word at ``[start, end)`` masks it with digits or symbols."""
    o_start, o_end = doc.to_original(start, end)
    return not _MASK_CHARS.isdisjoint(doc.original[o_start:o_end])


def _drop_contained(hits: dict[Span, tuple[Entry, float, bool]]) -> dict[Span, tuple[Entry, float, bool]]:
    """Hits without those lying inside a longer hit (傻 inside 傻逼); overlapping ones all stay."""
    if len(hits) < 2:
        return hits
    spans = sorted(hits, key=lambda s: (s[0], -s[1]))
    kept: dict[Span, tuple[Entry, float, bool]] = {}
    reach = -1
    for start, end in spans:
        if end <= reach and (start, end) not in kept:
            continue
        kept[(start, end)] = hits[(start, end)]
        reach = max(reach, end)
    return kept


def _word_end(text: str, start: int, end: int) -> int:
    """Where an ASCII term found at ``[start, end)`` ends as a whole word, or -1.

    A plural ``s`` or ``es`` may follow the term and becomes part of the hit.
    """
    if start > 0 and _word_char(text[start - 1]):
        return -1
    for suffix in ("", "s", "es"):
        stop = end + len(suffix)
        if text.startswith(suffix, end) and (stop == len(text) or not _word_char(text[stop])):
            return stop
    return -1


def lexicon_normalizer(lexicon: LexiconDetector | None = None, max_chars: int = DEFAULT_MAX_CHARS) -> Normalizer:
    """The normalizer that reads evasions back to ``lexicon``'s terms (the shipped lexicon by default):
    homophones of its Chinese terms, masked spellings of its Latin words. Scoring and training use the same."""
    lexicon = lexicon or LexiconDetector()
    return Normalizer(homophone_terms=lexicon.homophone_terms(), masked_terms=lexicon.masked_terms(),
                      max_chars=max_chars)
