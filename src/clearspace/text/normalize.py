"""Normalization against evasion, keeping an offset map back to the original text.

Steps, in order (each keeps offsets):

1. characters: NFKC (full-width to half-width), lower case, traditional to simplified,
   emoji stand-ins (``🐴`` to ``妈``), zero-width, bidi and control characters removed;
2. confusable letters (Cyrillic/Greek look-alikes) inside Latin words;
3. leetspeak digits and symbols between letters (``b1tch`` to ``bitch``), and a word masked at its edges
   or with asterisks read back where it spells a Latin lexicon word (``1d10t``, ``st*pid``);
4. separators stuffed inside words (``傻-逼``, ``傻 逼``, ``s.b``, ``f u c k``);
5. runs of one character (three or more Latin letters become one, anything else two;
   digits and whitespace are left alone);
6. Latin spellings of Chinese abuse (``nmsl``, ``sb``, ``cnm``, ``caonima``);
7. homophones of lexicon terms (``沙比`` to ``傻逼``), through the precomputed pinyin table.

Steps 4 to 6 can create new opportunities for each other, so they are repeated until the
text stops changing; :meth:`Normalizer.normalize` is therefore idempotent.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

import ahocorasick_rs

from clearspace.errors import InputError
from clearspace.text.automaton import automaton
from clearspace.text.charmap import CharMap
from clearspace.text.document import Document
from clearspace.text.offsets import OffsetMap, compose, sub_with_map
from clearspace.text.pinyin import PinyinTable
from clearspace.text.tables import data_path, read_mapping

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SEP = r"[\s\-_.·•*/\\|~^+=#'\"`]"
# Several patterns test the character they match first and look behind afterwards: a pattern
# that starts with a plain character or class lets the regex engine skip ahead quickly. The
# comments give the original form; tests/text/test_fast_patterns.py checks they agree.
# between Chinese characters a straight quotation mark opens or closes a quote (对方称"我知道你住哪"), it
# separates nothing
_CJK_SEP_CHAR = r"[\s\-_.·•*/\\|~^+=#`]"
# (?<=[CJK])SEP{1,3}(?=[CJK])
_CJK_SEP = re.compile(rf"{_CJK_SEP_CHAR}(?<=[{CJK}][\s\S]){_CJK_SEP_CHAR}{{0,2}}(?=[{CJK}])")
_LATIN_SPACED = re.compile(rf"\b([a-z])\1*(?:{_SEP}{{1,3}}([a-z])\2*)+\b", re.ASCII)
_CONTRACTION = re.compile(r"'(?:[mstd]|ll|re|ve)(?![a-z])", re.ASCII)
_RUN = re.compile(r"(.)\1\1(?<![\d\s]..)\1*", re.DOTALL)  # ([^\d\s])\1\1+
_LEET = re.compile(r"[013457@$!](?<=[a-z].)(?=[a-z])")  # (?<=[a-z])[013457@$!](?=[a-z])
_LEET_MAP = str.maketrans("013457@$!", "oieastasi")
_HAS_CJK = re.compile(f"[{CJK}]")
CLAUSE_RUN = 4  # Chinese characters on each side of a space that make it a clause break
_CLAUSE_RUN = re.compile(f"[{CJK}]{{{CLAUSE_RUN}}}")
_STRADDLE = 3  # characters each side of a clause break checked for a lexicon term spanning it
# a Latin word spelled with digits or an asterisk (1d10t, st*pid, 5h1t): the whole word, from its start; the gate
# (a digit or asterisk next to a letter) keeps the word-by-word pass off the few texts without one
_MASKED_GATE = re.compile(r"[013457*](?:(?<=[a-z].)|(?=[a-z]))")
_MASKED = re.compile(r"(?<![a-z0-9*'])[a-z0-9*]*?[013457*][a-z0-9*]*")
_MASK_VOWELS = "aeiou"
MAX_STARS = 2  # asterisks a masked word may hold (each one stands for a vowel): at most 25 spellings tried
_LATIN = re.compile("[a-z]")
_LETTERS = re.compile("[a-z]+")
_DOTTED = re.compile(r"[a-z](?:[.\-_*·•]{1,3}[a-z])+")  # one word spelt letter by letter with marks between
_NOT_LETTER_OR_SPACE = re.compile(r"[^a-z\s]")
_CONFUSABLES = {
    "а": "a",
    "в": "b",
    "е": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "і": "i",
    "ј": "j",
    "ѕ": "s",
    "ԁ": "d",
    "ɡ": "g",
    "ո": "n",
    "α": "a",
    "β": "b",
    "ε": "e",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "ı": "i",
}
_CONF_CLASS = "".join(_CONFUSABLES)
_CONF_RUN = re.compile(rf"[a-z{_CONF_CLASS}]+")
"""A run of Latin letters and confusables; one that mixes both is a disguised word. (A single pattern
that asks for the mix, ``[a-zC]*(?:[a-z][a-zC]*[C]|...)``, rescans the run from every start: quadratic.)"""
_CONF_TABLE = str.maketrans(_CONFUSABLES)
_CONF_ANY = re.compile(f"[{_CONF_CLASS}]")
_SHORT_ALIAS = 3
DEFAULT_MAX_CHARS = 2_000_000

Step = Callable[[str], "tuple[str, OffsetMap] | None"]
Gate = Callable[[str], Any]
"""Cheap test run before a step: when its result is falsy, the step would change nothing."""


def _opencc_t2s() -> Callable[[str], str]:
    import opencc

    convert: Callable[[str], str] = opencc.OpenCC("t2s").convert
    return convert


class Normalizer:
    """Turns text into a :class:`Document` whose ``text`` is normalized against evasion.

    ``aliases`` and ``emoji`` are TSV files (defaults ship with the package);
    ``homophone_terms`` are Chinese lexicon terms whose homophones are rewritten to them;
    ``masked_terms`` are Latin lexicon words a masked spelling is read back to when it spells one of them
    (``1d10t`` to ``idiot``, ``st*pid`` to ``stupid``: a word with digits at its edges or an asterisk,
    which the leetspeak step leaves alone since ``10am`` and ``a*b`` are not words to rewrite);
    ``t2s`` turns traditional into simplified Chinese (OpenCC by default).
    """

    name = "normalize"
    version = "1"

    def __init__(
        self,
        *,
        aliases: str | Path | None = None,
        emoji: str | Path | None = None,
        homophone_terms: Iterable[str] = (),
        homophone_exceptions: Iterable[str] = (),
        masked_terms: Iterable[str] = (),
        pinyin: PinyinTable | None = None,
        t2s: Callable[[str], str] | None = None,
        max_chars: int = DEFAULT_MAX_CHARS,
        max_passes: int = 4,
    ) -> None:
        self.aliases = aliases
        self.emoji = emoji
        self.homophone_terms = tuple(homophone_terms)
        self.homophone_exceptions = frozenset(homophone_exceptions)
        self.masked_terms = frozenset(masked_terms)
        self.pinyin = pinyin
        self.t2s = t2s
        self.max_chars = max_chars
        self.max_passes = max_passes
        self._ready = False

    def _setup(self) -> None:
        emoji = read_mapping(self.emoji or data_path("emoji.tsv"))
        self.charmap_ = CharMap(t2s=self.t2s or _opencc_t2s(), extra=emoji)
        aliases = read_mapping(self.aliases or data_path("aliases.tsv"))
        self.aliases_ = aliases
        self.long_alias_re_ = _alias_regex(a for a in aliases if len(a) > _SHORT_ALIAS)
        self.short_alias_re_ = _alias_regex(a for a in aliases if len(a) <= _SHORT_ALIAS)
        # an alias can only match where one of them occurs as a substring
        self.alias_gate_ = automaton(aliases).find_matches_as_indexes if aliases else None
        self.steps_ = {(latin, cjk): self._steps(latin, cjk) for latin in (False, True) for cjk in (False, True)}
        self.homophones_ = None
        self.straddle_: ahocorasick_rs.AhoCorasick | None = None  # lexicon terms by their sound
        if self.homophone_terms:
            self.pinyin_ = self.pinyin or PinyinTable()
            self.straddle_ = automaton({self.pinyin_.encode(t) for t in self.homophone_terms if len(t) >= 2})
            from clearspace.text.homophones import HomophoneRewriter

            self.homophones_ = HomophoneRewriter(
                self.homophone_terms, self.pinyin_, self.homophone_exceptions
            )
        self._ready = True

    def normalize(self, text: str) -> Document:
        """Normalize ``text``; raises :class:`InputError` if it is not a ``str`` or too long."""
        if not isinstance(text, str):
            raise InputError(f"text must be a string, got {type(text).__name__}")
        if len(text) > self.max_chars:
            raise InputError(f"text has {len(text)} characters; the limit is {self.max_chars}")
        if not self._ready:
            self._setup()
        out, omap = self.charmap_.apply(text)
        cjk = False
        for _ in range(self.max_passes):
            latin = _LATIN.search(out) is not None
            cjk = not out.isascii() and _HAS_CJK.search(out) is not None
            if latin:
                out = _one_to_one(out)
            changed = False
            for gate, step in self.steps_[latin, cjk]:
                if not gate(out):
                    continue
                res = step(out)
                if res is not None:
                    out, step_map = res
                    omap = compose(omap, step_map)
                    changed = True
            if not changed:
                break  # nothing changed since cjk was computed (one-to-one steps keep CJK as is)
        else:
            cjk = _HAS_CJK.search(out) is not None
        if latin and self.masked_terms and _MASKED_GATE.search(out) is not None:  # once: the passes make none
            out = _MASKED.sub(self._unmask, out)
        if self.homophones_ is not None and cjk:
            out = self.homophones_.rewrite(out)
        if omap is None:
            return Document(text, out)
        return Document(text, out, array("i", omap[0]), array("i", omap[1]))  # compact: see Document

    def _steps(self, latin: bool, cjk: bool) -> tuple[tuple[Gate, Step], ...]:
        """The length-changing steps worth running on a text with these scripts, each with its gate."""
        steps: list[tuple[Gate, Step]] = []
        if cjk:
            steps.append((_CJK_SEP.search, partial(sub_with_map, _CJK_SEP, self._drop_or_break)))
        if latin:
            join = partial(_join_letters, cjk=cjk, terms=self.masked_terms)
            steps.append((_LATIN_SPACED.search, partial(sub_with_map, _LATIN_SPACED, join)))
        steps.append((_RUN.search, partial(sub_with_map, _RUN, _shorten_run)))
        if latin and self.alias_gate_ is not None:
            steps.append((self.alias_gate_, partial(self._aliases, cjk=cjk)))
        return tuple(steps)

    def _drop_or_break(self, m: re.Match[str]) -> str:
        """A separator between Chinese characters: dropped (``傻 逼``), except whitespace between two runs of
        :data:`CLAUSE_RUN` or more characters that no lexicon term or homophone spans: a clause break, as in a
        voice transcript (``你再阴阳怪气一句 我直接上门揍你``), read as a comma."""
        s, a, b = m.string, m.start(), m.end()
        if not (m.group(0).isspace() and _CLAUSE_RUN.fullmatch(s, max(0, a - CLAUSE_RUN), a)
                and _CLAUSE_RUN.match(s, b)):
            return ""
        if self.straddle_ is not None:
            code = self.pinyin_.encode(s[a - _STRADDLE:a] + s[b:b + _STRADDLE])
            if any(start < _STRADDLE < end
                   for _, start, end in self.straddle_.find_matches_as_indexes(code, overlapping=True)):
                return ""
        return "，"

    def _unmask(self, m: re.Match[str]) -> str:
        """A masked word as the lexicon word it spells, letter for letter; else unchanged."""
        word = m.group(0)
        if len(word) < 4 or not any("a" <= ch <= "z" for ch in word):
            return word
        plain = word.translate(_LEET_MAP)
        stars = plain.count("*")
        if not stars:
            return plain if plain in self.masked_terms else word
        if stars > MAX_STARS:
            return word
        candidates = [plain]
        for _ in range(stars):
            candidates = [c.replace("*", v, 1) for c in candidates for v in _MASK_VOWELS]
        return next((c for c in candidates if c in self.masked_terms), word)

    def _expand(self, m: re.Match[str]) -> str:
        return self.aliases_[m.group(0)]

    def _aliases(self, text: str, cjk: bool) -> tuple[str, OffsetMap] | None:
        """Latin spellings of Chinese abuse; short ones only in texts that contain Chinese."""
        expand = self._expand
        res = sub_with_map(self.long_alias_re_, expand, text) if self.long_alias_re_ else None
        if self.short_alias_re_ is None or not (cjk or res is not None):
            return res
        current = res[0] if res else text
        short = sub_with_map(self.short_alias_re_, expand, current)
        if short is None:
            return res
        return short[0], compose(res[1] if res else None, short[1])  # type: ignore[return-value]


def _one_to_one(text: str) -> str:
    """Steps that replace characters one for one: confusables, then leetspeak."""
    if not text.isascii() and _CONF_ANY.search(text):
        text = _CONF_RUN.sub(_unconfuse, text)
    if _LEET.search(text) is None:
        return text
    return _LEET.sub(lambda m: m.group(0).translate(_LEET_MAP), text)


def _unconfuse(m: re.Match[str]) -> str:
    """A run that mixes Latin letters and confusables, in Latin letters; any other run unchanged."""
    word = m.group(0)
    if word.isascii() or _LATIN.search(word) is None:
        return word
    return word.translate(_CONF_TABLE)


def _alias_regex(forms: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted(set(forms), key=lambda f: (-len(f), f))
    if not ordered:
        return None
    return re.compile(r"\b(?:" + "|".join(map(re.escape, ordered)) + r")\b", re.ASCII)


def _drop(m: re.Match[str]) -> str:
    return ""


def _join_letters(m: re.Match[str], cjk: bool = False, terms: frozenset[str] = frozenset()) -> str:
    whole = m.group(0)
    words = whole.split(" ")
    if len(words) > 1 and any(_DOTTED.fullmatch(w) for w in words):
        # b.r.e.a.k y.o.u.r l.e.g.s: each word spelt out on its own, the spaces between words kept
        return " ".join("".join(_LETTERS.findall(w)) if _DOTTED.fullmatch(w) else w for w in words)
    if _CONTRACTION.search(whole):
        return whole  # "i'm a", "it's a": an English contraction, not a word spelt out letter by letter
    runs = _LETTERS.findall(whole)
    letters = "".join(runs)
    if len(runs) == 2 and not cjk and not _NOT_LETTER_OR_SPACE.search(whole):
        return whole  # "a b": two letters and only spaces is too ambiguous in English (not among Chinese: s  b 一个)
    if runs[:2] in (["u", "r"], ["r", "u"]) and letters not in terms:
        # "u r a pathetic little man", "u r a b i t c h": texting shorthand (you are a), then what is spelt out
        rest = "".join(runs[2:])
        if rest in terms:
            return f"{runs[0]} {runs[1]} {rest}"
        if rest[:1] == "a" and rest[1:] in terms:
            return f"{runs[0]} {runs[1]} a {rest[1:]}"
        return whole
    if runs[0] in ("a", "i") and letters not in terms and letters[1:] in terms:
        return f"{runs[0]} {letters[1:]}"  # such a f a g g o t: the article stays a word of its own
    return letters


def _shorten_run(m: re.Match[str]) -> str:
    ch = m.group(1)
    return ch if "a" <= ch <= "z" else ch * 2
