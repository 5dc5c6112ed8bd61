"""Cue phrases: who a text speaks of, how it speaks, and the phrases of threats and harassment.

One Aho-Corasick pass over the normalized text finds every cue phrase of the shipped tables
(``data/cues/zh.tsv`` and ``en.tsv``, ``phrase<TAB>type[<TAB>weight]``), overlapping matches
included, so that the threat and harassment detectors and the target/stance analysis
(:mod:`clearspace.verdict`) share one scan. ASCII phrases match whole words only.

Cue types:

=============  ====================================================================
``you``        the addressee (你, 你们, you, your)
``third``      a third person (他, 她, this guy, her)
``self``       the speaker (我, I, me)
``we``         the speaker's group (我们, we, us)
``group``      an identity group (女人, 河南人, immigrants, gay people)
``neg``        a negator (不, 没, not, never)
``condemn``    condemnation (不对, 要不得, is wrong, stop calling)
``meta``       speech about speech (说别人, 被骂, calling someone, the word)
``report``     reporting (记者, 报道, 警方, according to, police)
``bias``       discrimination named as such (歧视, 地域黑, racism)
``support``    support and equality (人人平等, 抱抱, stand with, everyone deserves)
``praise``     praise and thanks (谢谢, 厉害, thank you, awesome)
``exclaim``    exclamations that carry profanity without a target (卧槽, holy shit)
``threat``     an explicit threat (弄死你, i will kill you)
``implied``    an implied threat (我知道你家在哪, watch your back)
``death``      a death wish or self-harm encouragement (去死, kys)
``harass``     sexual harassment (私房照, send nudes)
``verb``       a violent verb (杀, 砍, kill, stab) — a threat with a speaker and a target
``intent``     intent or future (要, 会, will, gonna)
``dehumanize`` a dehumanising predicate (蟑螂, 不配做人, vermin, should be exterminated)
``rhetoric``   a rhetorical question whose negator negates nothing (信不信, 是不是, or not)
``conduct``    what someone did or runs (政策, 售后, 偷税, should resign, customers): criticism
``ingroup``    speaking as a member of a group (作为一个, 打工人, as a, pride): reclaimed words
``dieact``     a way to die or self-harm (跳下去, 找根绳子, 暴毙, end it, cut deeper)
``wish``       a wish or suggestion (建议你, 怎么还没, 赶紧, 吧, hope, should just, next time)
``hurtact``    bodily harm (揍, 进医院, 一把火, breaking your, getting jumped, bleeding)
``menace``     a menacing frame (放学别走, 多看看身后, 很快就会见面, just saying, on my way)
``private``    private-life details (小区, 几栋, 下班, 车牌, 你女儿, your kids, leave the office)
``know``       the speaker knows or saw something (我知道, 我记下, i saw, i know)
``sexual``     sexual content (没穿衣服, 陪你睡, 一晚多少钱, top off, bra size, in bed)
``comeon``     a come-on to the reader (美女, 哥哥, 私我, 我出钱, babe, dm me, i'll donate)
``passive``    passive voice (被, 挨, got, was): the speaker suffers the harm named after it
``selfdesc``   the speaker describing themselves (我真是, 我太, i'm such, silly me)
``poss``       the speaker's own (my, our, 我的): a word after it names the speaker's people
``contrast``   a turn (但是, 可是, but, however): what comes after it outweighs what came before
``role``       a person named by a role (referee, landlord, 裁判, 房东): a victim a violent verb can be aimed at
``idiom``      an everyday idiom with a violent or deathly word (砍一刀, 帅死了, shoot you an email, killed it,
               beat you at chess, drop dead gorgeous): the harm cues inside it are dropped
               (:class:`~clearspace.verdict.analysis.Analysis`) and the model's probability is capped
=============  ====================================================================

A combination of cues makes a detection (a way to die with a wish, harm with a victim and a
menace, private details with a menace, sexual content with a come-on): see
:mod:`clearspace.detectors.harm`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from clearspace.errors import LexiconError
from clearspace.text.automaton import automaton
from clearspace.text.tables import data_path, read_tsv

CUE_TYPES = frozenset({
    "you", "third", "self", "we", "group", "neg", "condemn", "meta", "report", "bias", "support",
    "praise", "exclaim", "threat", "implied", "death", "harass", "verb", "intent", "dehumanize", "rhetoric",
    "conduct", "ingroup", "dieact", "wish", "hurtact", "menace", "private", "know", "sexual", "comeon", "passive",
    "contrast", "selfdesc", "poss", "idiom", "role",
})
DEFAULT_CUE_FILES = ("cues/zh.tsv", "cues/en.tsv")
_CLAUSE_BREAK = re.compile(r"[，,。！？!?；;\n…~～:：]|\.(?!\S)")
_SENTENCE_BREAK = re.compile(r"[。！？!?；;\n…]|\.(?!\S)")  # a full stop ends an English sentence before a space
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'")
"""Characters that continue an ASCII word: an ASCII phrase next to one is part of a longer word."""
_START = itemgetter(1)
OWNER_KINDS = frozenset({"role", "private", "you"})  # cue types that stand before a possessive 's
"""The scan reports matches by where they end, so a stable sort by start orders them by (start, end)."""


class Cue(NamedTuple):
    """One cue phrase found at ``[start, end)`` of the normalized text (a tuple: the scan makes one
    per match, and a tuple is the cheapest immutable record to make)."""

    type: str
    start: int
    end: int
    weight: float
    phrase: str


_new_cue = tuple.__new__


def load_cue_entries(paths: Iterable[str | Path]) -> list[tuple[str, str, float]]:
    """``(phrase, type, weight)`` rows of cue files; a phrase may have several types."""
    rows: dict[tuple[str, str], float] = {}
    for path in paths:
        for number, cols in read_tsv(path, 2):
            phrase, kind = cols[0].lower(), cols[1]
            if kind not in CUE_TYPES:
                valid = ", ".join(sorted(CUE_TYPES))
                raise LexiconError(f"{path}:{number}: unknown cue type {kind!r} (valid: {valid})")
            try:
                weight = float(cols[2]) if len(cols) > 2 and cols[2] else 1.0
            except ValueError:
                raise LexiconError(f"{path}:{number}: weight {cols[2]!r} is not a number") from None
            if not 0.0 <= weight <= 1.0:
                raise LexiconError(f"{path}:{number}: weight {weight} outside [0, 1]")
            rows[(phrase, kind)] = weight
    return [(phrase, kind, weight) for (phrase, kind), weight in rows.items()]


class CueTable:
    """Finds every cue phrase in a normalized text (loads the tables on first use)."""

    def __init__(self, paths: Sequence[str | Path] | None = None) -> None:
        self.paths = paths
        self._ready = False

    def _setup(self) -> None:
        if self._ready:
            return
        paths = list(self.paths) if self.paths is not None else [data_path(f) for f in DEFAULT_CUE_FILES]
        phrases: dict[str, list[tuple[str, float]]] = {}
        for phrase, kind, weight in load_cue_entries(paths):
            phrases.setdefault(phrase, []).append((kind, weight))
        self.phrases_ = list(phrases)
        self.kinds_ = [tuple((kind, weight, p) for kind, weight in phrases[p]) for p in self.phrases_]
        self.ascii_ = [p.isascii() for p in self.phrases_]
        # a role may stand before a possessive 's (that landlord's house): the victim of harm to what they own; so may
        # the reader's people and places (your little girl's ballet class, your daughter's school)
        self.owner_ = [any(kind in OWNER_KINDS for kind, _ in phrases[p]) for p in self.phrases_]
        self.matcher_ = automaton(self.phrases_, dfa=False)  # as a DFA: 15 MB (clearspace.text.automaton)
        self._ready = True

    def find(self, text: str) -> list[Cue]:
        """Every cue in ``text`` (overlapping ones included), ordered by start then end."""
        if not self._ready:
            self._setup()
        out: list[Cue] = []
        matches = self.matcher_.find_matches_as_indexes(text, overlapping=True)
        if not matches:
            return out
        n = len(text)
        ascii_, kinds, word, new, owner = self.ascii_, self.kinds_, _WORD_CHARS, _new_cue, self.owner_
        for idx, start, end in matches:
            if ascii_[idx] and ((start > 0 and text[start - 1] in word) or (end < n and text[end] in word)):
                if not (owner[idx] and _possessive(text, start, end, n)):
                    continue
                # that landlord's house: the role alone, the owner of what is harmed
                out.extend(new(Cue, (k, start, end, w, p)) for k, w, p in kinds[idx] if k in OWNER_KINDS)
                continue
            for kind, weight, phrase in kinds[idx]:
                out.append(new(Cue, (kind, start, end, weight, phrase)))
        out.sort(key=_START)
        return out


def _possessive(text: str, start: int, end: int, n: int) -> bool:
    """Whether a phrase at ``[start, end)`` is a whole word followed by a possessive 's (that landlord's)."""
    return ((start == 0 or text[start - 1] not in _WORD_CHARS) and text.startswith("'s", end)
            and (end + 2 == n or text[end + 2] not in _WORD_CHARS))


def clause_bounds(text: str) -> list[int]:
    """Start offsets of the clauses of ``text`` (split at commas, full stops and the like)."""
    return [0, *(m.end() for m in _CLAUSE_BREAK.finditer(text))]


def sentence_bounds(text: str) -> list[int]:
    """Start offsets of the sentences of ``text``."""
    return [0, *(m.end() for m in _SENTENCE_BREAK.finditer(text))]
