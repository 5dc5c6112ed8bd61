"""Threats, death wishes, sexual harassment and dehumanisation, in Chinese and English.

:class:`HarmDetector` emits up to four signals, each with the spans of its phrases and the
person it is aimed at (``details["target"]``: addressee, third_person, group, self, none):

``threat``            explicit threats (弄死你, i'll kill you), a speaker with a violent verb aimed
                      at a person (我要砍了你, we will hurt him) and implied threats that name
                      where someone lives or works or tell them to watch out (我知道你家在哪,
                      晚上出门小心点, watch your back, be a shame if something happened)
``death_wish``        telling someone to die or hurt themselves (去死, 你怎么不去死, kys, drink bleach)
``sexual_harassment`` unwanted sexual requests and remarks, also dressed as flirting (发点私房照给哥
                      看看, 多少钱一晚, send nudes, nice tits)
``dehumanization``    a group called vermin, disease or less than human, or wished away
                      (河南人都是骗子, 这些人都是蟑螂, immigrants are parasites, should be exterminated)

A phrase loses most of its score when a negator comes shortly before it in the same clause
(我不会打你, I would never hurt you), when the speaker speaks of themselves (我真想去死 is not
a death wish at anyone) and, for the weaker phrases, when nobody is named near it. Whether the
text quotes, reports or condemns such words is decided later, by the verdict
(:mod:`clearspace.verdict`), which sees every detector's signals.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clearspace.detectors.cues import Cue, CueTable
from clearspace.text.document import Document
from clearspace.types import Signal, Span
from clearspace.verdict.analysis import Analysis

KINDS = ("threat", "death_wish", "sexual_harassment", "dehumanization")
_PHRASE_KIND = {"threat": "threat", "implied": "threat", "death": "death_wish", "harass": "sexual_harassment"}
NEGATED = 0.2
SELF_AIMED = 0.3
UNAIMED = 0.65
IMPLIED_MAX = 0.85  # an implied threat goes to review (threat-review), not straight to removal
VERB_REACH_ZH, VERB_REACH_EN = 4, 12
SPEAKER_REACH_ZH, SPEAKER_REACH_EN = 8, 24
PREDICATE_REACH_ZH, PREDICATE_REACH_EN = 14, 40


class HarmDetector:
    """Phrase- and pattern-based detector of threats, death wishes, harassment and dehumanisation."""

    name = "harm"
    version = "1"
    kinds = KINDS

    def __init__(self, cues: CueTable | None = None) -> None:
        self.cues = cues

    def _table(self) -> CueTable:
        if self.cues is None:
            self.cues = CueTable()
        return self.cues

    def detect(self, doc: Document, context: Mapping[str, Any]) -> list[Signal]:
        return self.detect_analysed(doc, Analysis.of(doc.text, self._table().find(doc.text)))

    def detect_analysed(self, doc: Document, an: Analysis) -> list[Signal]:
        """The signals of ``doc`` from an analysis already made (the engine shares one per text)."""
        if not an.has("threat", "implied", "death", "harass", "verb", "dehumanize"):
            return []
        hits: dict[str, list[tuple[float, Span, str]]] = {}
        for cue in an.of_type("threat", "implied", "death", "harass"):
            kind = _PHRASE_KIND[cue.type]
            score, target = _phrase_score(an, cue)
            hits.setdefault(kind, []).append((score, (cue.start, cue.end), target))
        for score, span, target in _verb_threats(an):
            hits.setdefault("threat", []).append((score, span, target))
        for score, span, target in _dehumanising(an):
            hits.setdefault("dehumanization", []).append((score, span, target))
        return [self._signal(doc, kind, items) for kind, items in hits.items() if items]

    def _signal(self, doc: Document, kind: str, items: list[tuple[float, Span, str]]) -> Signal:
        items.sort(key=lambda h: -h[0])
        best = items[0]
        spans = sorted({doc.to_original(*span) for score, span, _ in items if score >= 0.5 * best[0]})
        return Signal(kind=kind, score=round(best[0], 4), spans=tuple(spans), detector=f"{self.name}@{self.version}",
                      details={"target": best[2]})


def _phrase_score(an: Analysis, cue: Cue) -> tuple[float, str]:
    score = cue.weight
    person = an.person_near(cue.start, cue.end)
    target = "none" if person is None else {"you": "addressee", "third": "third_person", "group": "group"}.get(
        person.type, "self")
    if cue.type == "implied":
        score = min(score, IMPLIED_MAX)
    if cue.type == "harass" and target in ("self", "none"):
        target = "addressee"  # a sexual request or remark (发照片给哥, send me nudes) is made to the reader
    if an.negated(cue.start):
        score *= NEGATED
    elif target == "self":
        score *= SELF_AIMED
    elif target == "none" and cue.weight < 0.9:
        score *= UNAIMED
    return score, target


def _verb_threats(an: Analysis) -> list[tuple[float, Span, str]]:
    """A violent verb with a speaker or intent before it and a person right after it."""
    out = []
    for verb in an.of_type("verb"):
        ascii_ = an.text[verb.start:verb.end].isascii()
        lo, hi = an.clause_of(verb.start)
        reach = VERB_REACH_EN if ascii_ else VERB_REACH_ZH
        victim = next((c for c in an.of_type("you", "third") if verb.end <= c.start <= verb.end + reach
                       and c.end <= hi), None)
        if victim is None:
            continue
        speaker_reach = SPEAKER_REACH_EN if ascii_ else SPEAKER_REACH_ZH
        speaker = [c for c in an.of_type("self", "we", "intent") if lo <= c.start and c.end <= verb.start
                   and verb.start - c.end <= speaker_reach]
        if not speaker:
            continue
        score = verb.weight
        if an.negated(verb.start):
            score *= NEGATED
        target = "addressee" if victim.type == "you" else "third_person"
        out.append((score, (min(c.start for c in speaker), victim.end), target))
    return out


def _dehumanising(an: Analysis) -> list[tuple[float, Span, str]]:
    """A dehumanising predicate said of a group named shortly before it in the same sentence."""
    out = []
    groups = an.of_type("group")
    if not groups:
        return out
    for pred in an.of_type("dehumanize"):
        ascii_ = an.text[pred.start:pred.end].isascii()
        reach = PREDICATE_REACH_EN if ascii_ else PREDICATE_REACH_ZH
        lo, _ = an.sentence_of(pred.start)
        subject = [g for g in groups if lo <= g.start and g.end <= pred.start and pred.start - g.end <= reach]
        if not subject:
            continue
        score = pred.weight * max(g.weight for g in subject)
        if an.negated(pred.start):
            score *= NEGATED
        out.append((score, (subject[-1].start, pred.end), "group"))
    return out

