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

import re
from collections.abc import Callable, Mapping, Sequence
from itertools import islice
from typing import Any

from clearspace.detectors.cues import Cue, CueTable
from clearspace.text.document import Document
from clearspace.types import Signal, Span
from clearspace.verdict.analysis import TARGET_OF, Analysis

KINDS = ("threat", "death_wish", "sexual_harassment", "dehumanization")
_PHRASE_KIND = {"threat": "threat", "implied": "threat", "death": "death_wish", "harass": "sexual_harassment"}
# someone pointed at, then a relative clause (that broker who, the guy that): the person the sentence is about
_POINTED_WHO = re.compile(r"\b(?:that|this|the)\s{1,2}[a-z-]{2,20}\s{1,2}(?:who|that)\s{1,2}[a-z']{2,20}\s{1,2}$")
NEGATED = 0.2
SELF_AIMED = 0.3
UNAIMED = 0.65
IMPLIED_MAX = 0.85  # an implied threat goes to review (threat-review), not straight to removal
MENACES_MIN = 1.6  # two warnings to the reader that weigh this much together make an implied threat
VERB_REACH_ZH, VERB_REACH_EN = 4, 12
SPEAKER_REACH_ZH, SPEAKER_REACH_EN = 8, 24
PREDICATE_REACH_ZH, PREDICATE_REACH_EN = 14, 40
CONTEST_VERBS = frozenset({"beat", "crush", "destroy", "thrash", "whoop", "smash", "wreck", "demolish", "own"})
_CONTEST_AFTER = re.compile(r"(?:'s)?\s{1,3}(?:at|in)\s{1,3}(?!(?:the|your|his|her|their|my)\s{1,3}"
                            r"(?:face|head|sleep|throat|neck|"
                            r"chest|back|stomach|gut|mouth|teeth|kneecaps?|ribs|skull|jaw|nose|eye|eyes)\b)")


class HarmDetector:
    """Phrase- and pattern-based detector of threats, death wishes, harassment and dehumanisation."""

    name = "harm"
    version = "2"  # 2: overlapping private-detail and menace cues count once (round 14)
    kinds = KINDS

    def __init__(self, cues: CueTable | None = None) -> None:
        self.cues = cues

    def _table(self) -> CueTable:
        if self.cues is None:
            self.cues = CueTable()
        return self.cues

    def detect(self, doc: Document, context: Mapping[str, Any]) -> list[Signal]:
        return self.detect_analysed(doc, Analysis.of(doc.text, self._table().find(doc.text), doc))

    def detect_analysed(self, doc: Document, an: Analysis) -> list[Signal]:
        """The signals of ``doc`` from an analysis already made (the engine shares one per text)."""
        combinations: tuple[Combination, ...] = _COMBINATIONS
        if not an.has(*_TRIGGERS):  # most texts: only 谁再… and "see what happens" open patterns of their own
            combinations = tuple(c for c, marker in _MARKED if marker in an.text)
            if not combinations:
                return []
        hits: dict[str, list[tuple[float, Span, str]]] = {}
        for cue in an.of_type("threat", "implied", "death", "harass"):
            kind = _PHRASE_KIND[cue.type]
            score, target = _phrase_score(an, cue)
            hits.setdefault(kind, []).append((score, (cue.start, cue.end), target))
        for kind, finder in combinations:
            for score, span, target in finder(an):
                hits.setdefault(kind, []).append((score, span, target))
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
    target = "none" if person is None else TARGET_OF[person.type]
    if cue.type == "implied":
        score = min(score, IMPLIED_MAX)
    if cue.type == "harass" and (target == "self" or (target == "none" and (cue.weight >= 0.9 or an.has("comeon")))):
        # a sexual request or remark (发照片给哥, send me nudes, hey beautiful ... send pics?) is made to the reader
        target = "addressee"
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
        victim = next((c for c in an.of_type("you", "third", "role") if verb.end <= c.start <= verb.end + reach
                       and c.end <= hi), None)
        if victim is None or _contest(an.text, verb, victim):
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


# 谁再…, 谁敢…: a condition on whoever does something, which the speaker's act then aims at (谁再动我的座位牌，我就拿
# 圆规扎谁); the acts a violent verb's cue table leaves out for being everyday (扎针, 划线) count only here
_WHOEVER_ZH = re.compile(r"谁(?:要是|要再|再敢|还敢|以后再|他妈再|特么再|再|敢)")
_WHOEVER_ACT_ZH = re.compile(r"(?:扎|戳|划|砸|烧|泼)[^，,。！？!?\s]{0,3}谁")
WHOEVER_REACH = 6
WHOEVER_WINDOW = 40  # characters after 谁再 in which the speaker's act is looked for
WHOEVER_MAX = 8
WHOEVER_SCORE = 0.85


def _whoever_threats(an: Analysis) -> list[tuple[float, Span, str]]:
    """A condition on whoever does something, then the speaker hurting that person (谁再造谣我就弄死谁, 谁再乱停车
    我就扎谁轮胎): 谁 after the act is the victim the cue tables cannot name."""
    out: list[tuple[float, Span, str]] = []
    text = an.text
    for cond in islice(_WHOEVER_ZH.finditer(text), WHOEVER_MAX):  # bounded: hostile text repeats 谁再 at will
        hi = min(an.sentence_of(cond.start())[1], cond.end() + WHOEVER_WINDOW)
        speakers = [c for c in an.of_type("self", "we") if cond.end() <= c.start and c.end <= hi][:WHOEVER_MAX]
        if not speakers:
            continue
        acts = [(c.start, c.end, c.weight) for c in an.of_type("verb", "hurtact") if cond.end() <= c.start
                and c.end <= hi and "谁" in text[c.end:c.end + WHOEVER_REACH]]
        acts += [(m.start(), m.end(), WHOEVER_SCORE) for m in _WHOEVER_ACT_ZH.finditer(text, cond.end(), hi)]
        for start, end, weight in acts[:WHOEVER_MAX]:
            if an.negated(start) or not any(0 <= start - c.end <= SPEAKER_REACH_ZH for c in speakers):
                continue
            out.append((min(weight, WHOEVER_SCORE), (cond.start(), end), "third_person"))
    return out


def _contest(text: str, verb: Cue, victim: Cue) -> bool:
    """Whether a verb of beating is a contest (beat my brother at mario kart, crush the ref in a quiz), not
    harm: the victim is followed by "at" or "in" and no part of the body."""
    return text[verb.start:verb.end] in CONTEST_VERBS and _CONTEST_AFTER.match(text, victim.end) is not None


_MIGHT_AS_WELL = re.compile(r"\s{0,2}(?:might|may)\s{1,2}as\s{1,2}well\b")


def _dehumanising(an: Analysis) -> list[tuple[float, Span, str]]:
    """A dehumanising predicate said of a group named shortly before it in the same sentence."""
    out: list[tuple[float, Span, str]] = []
    groups = an.of_type("group")
    if not groups:
        return out
    for pred in an.of_type("dehumanize"):
        ascii_ = an.text[pred.start:pred.end].isascii()
        reach = PREDICATE_REACH_EN if ascii_ else PREDICATE_REACH_ZH
        lo, _ = an.sentence_of(pred.start)
        if lo and _MIGHT_AS_WELL.match(an.text, lo):
            lo = an.sentence_of(lo - 1)[0]  # Gypsies at a wedding? Might as well invite a pack of stray dogs
            reach += PREDICATE_REACH_EN
        subject = [g for g in groups if lo <= g.start and g.end <= pred.start and pred.start - g.end <= reach]
        if not subject:
            continue
        score = pred.weight * (0.7 + 0.3 * max(g.weight for g in subject))
        if an.negated(pred.start):
            score *= NEGATED
        out.append((score, (subject[-1].start, pred.end), "group"))
    return out



def _in_sentence(an: Analysis, pos: int, *types: str) -> list[Cue]:
    lo, hi = an.sentence_of(pos)
    return [c for c in an.of_type(*types) if lo <= c.start and c.end <= hi]


def _aim(an: Analysis, cue: Cue) -> str:
    """Who a combination at ``cue`` is aimed at: the nearest person in its clause, else its sentence; not the
    speaker named inside a relative clause about someone pointed at (that broker who stiffed me ... gets cancer)."""
    person = an.person_near(cue.start, cue.end) or next(iter(_in_sentence(an, cue.start, "you", "third")), None)
    if person is None:
        return "none"
    if person.type == "self" and _POINTED_WHO.search(an.text, an.sentence_of(cue.start)[0], person.start):
        return "third_person"
    return TARGET_OF[person.type]


# someone told or asked to kill themselves: the act alone (he tried to kill himself) is no wish; the span starts at the
# act, so that whoever did the telling decides the stance (I told him to: the speaker's own; she told him to: a report)
_ORDERED_DEATH_EN = re.compile(r"\b(?:told|tell|tells|telling|asked|ask|begged|dared|want|wanted)\s{1,2}"
                               r"(?:him|her|them)\s{1,2}to\s{1,2}(?:go\s{1,2}|just\s{1,2})?((?:kill|off|hang|unalive)\s{1,2}"
                               r"(?:himself|herself|themselves))\b")
ORDERED_DEATH = 0.85


def _death_wishes(an: Analysis) -> list[tuple[float, Span, str]]:
    """A way to die or self-harm with a wish or suggestion in the same sentence (建议你直接跳下去,
    怎么还没暴毙, 赶紧找根绳子吧, should just end it, cut deeper next time), or someone told to kill themselves."""
    out = [(ORDERED_DEATH * (NEGATED if an.negated(m.start()) else 1.0), m.span(1), "third_person")
           for m in _ORDERED_DEATH_EN.finditer(an.text)] if "self" in an.text else []
    for act in an.of_type("dieact"):
        # a wish phrase that holds the act is not a wish for it (better off: you'd be better off if you sold it)
        wishes = [c for c in _in_sentence(an, act.start, "wish")
                  if c.weight >= 0.5 and not (c.start <= act.start and act.end <= c.end)]
        if not wishes:
            continue
        target = _aim(an, act)
        score = 0.55 + 0.3 * act.weight * max(c.weight for c in wishes)
        score += 0.1 if target in ("addressee", "third_person") else 0.0
        if an.negated(act.start):
            score *= NEGATED
        elif target == "self":
            score *= SELF_AIMED
        elif target == "none" and act.weight < 0.8:
            score *= UNAIMED
        out.append((min(score, 0.9), (min(c.start for c in [act, *wishes]), act.end), target))
    return out


def _harm_threats(an: Analysis) -> list[tuple[float, Span, str]]:
    """Bodily harm with a victim (the reader or a third person) and a speaker, intent or menace in the
    same sentence (放学别走…揍到你跪下, 我先砸了你的车, next time I see you I'm breaking your jaw)."""
    out = []
    for act in an.of_type("hurtact"):
        victims = _in_sentence(an, act.start, "you", "third", "role")
        drivers = _in_sentence(an, act.start, "menace", "know")
        if act.weight >= 0.7:
            drivers += _in_sentence(an, act.start, "intent")
        if act.weight >= 0.8:
            drivers += _in_sentence(an, act.start, "self", "we")
        if not victims or not drivers:
            continue
        if any(0 <= act.start - c.end <= 3 for c in an.of_type("passive")):
            continue  # 我被他揍了: the speaker is the one hurt
        menace = any(c.type == "menace" for c in drivers)
        score = 0.5 + 0.4 * act.weight * max(c.weight for c in drivers)
        if an.negated(act.start) and not menace:
            score *= NEGATED
        target = "addressee" if any(v.type == "you" for v in victims) else "third_person"
        out.append((min(score, 0.9), (act.start, act.end), target))
    return out


# a dare to do it again, then "see what happens": the speaker promises a consequence (keep doing jokes about my family
# and see what happens; not "keep stirring and see what happens", advice)
_DARE_EN = re.compile(r"\b(?:do\s{1,2}(?:it|that|this)\s{1,2}again|say\s{1,2}(?:it|that)\s{1,2}(?:again|one more time)|"
                      r"try\s{1,2}me|test\s{1,2}me|one\s{1,2}more\s{1,2}(?:time|word)|"
                      r"keep\s{1,2}(?:it\s{1,2}up|talking|running\s{1,2}your\s{1,2}mouth|pushing|testing\s{1,2}me|"
                      r"messing\s{1,2}with|(?:talking|joking|posting|lying)\s{1,2}about|"
                      r"(?:doing|making|telling)\s{1,2}jokes\s{1,2}about))"
                      r"[^.!?]{0,50}?\band\s{1,2}see\s{1,2}what\s{1,2}happens\b")


def _implied_threats(an: Analysis) -> list[tuple[float, Span, str]]:
    """Private details of the reader's life with a menace or the speaker's knowledge (我知道你家住哪个
    小区, 你女儿在…好好照顾她哦, you leave the office around 6 every day. just saying), or a strong
    menace on its own (多看看身后, we'll see how brave you are when we meet)."""
    menace = an.of_type("menace", "know")
    private = an.of_type("private")
    strong = [c for c in an.of_type("menace") if c.weight >= 1.0 and not an.negated(c.start)]
    out: list[tuple[float, Span, str]] = []
    if private and an.has("you"):
        p_sum = _cluster_weight(private)
        m_sum = _cluster_weight(menace)
        if (p_sum >= 0.8 and m_sum >= 0.6) or p_sum >= 2.0:
            score = min(IMPLIED_MAX, 0.5 + 0.15 * p_sum + 0.2 * m_sum)
            first = min(c.start for c in private)
            out.append((score, (first, max(c.end for c in private)), "addressee"))
    for cue in strong:
        out.append((0.75, (cue.start, cue.end), "addressee"))
    dare = _DARE_EN.search(an.text) if "see what happens" in an.text else None
    if dare is not None and not an.negated(dare.start()):
        out.append((0.75, dare.span(), "addressee"))  # keep running your mouth and see what happens
    if not strong and an.has("you"):
        # two warnings together (tenants who cross me don't stay comfortable for long. think real hard before
        # you do it again): each alone is ordinary advice
        warnings = _apart([c for c in an.of_type("menace") if not an.negated(c.start)])
        if len(warnings) >= 2 and sum(c.weight for c in warnings) >= MENACES_MIN:
            out.append((0.7, (warnings[0].start, warnings[-1].end), "addressee"))
    return out


def _cluster_weight(cues: Sequence[Cue]) -> float:
    """The summed weight of cues, overlapping ones counted once at the weight of the strongest (你住的小区门口
    is one detail, not 你住的 + 小区 + 小区门口)."""
    total, end, best = 0.0, -1, 0.0
    for c in sorted(cues, key=lambda c: (c.start, -c.end)):
        if c.start >= end:
            total += best
            best, end = c.weight, c.end
        else:
            best, end = max(best, c.weight), max(end, c.end)
    return total + best


def _apart(cues: list[Cue]) -> list[Cue]:
    """The cues that do not overlap an earlier, longer one (think hard before / hard before), in text order."""
    kept: list[Cue] = []
    for c in sorted(cues, key=lambda c: (c.start, -c.end)):
        if not kept or c.start >= kept[-1].end:
            kept.append(c)
    return kept


def _sexual_advances(an: Analysis) -> list[tuple[float, Span, str]]:
    """Sexual content said to someone: with a come-on or a person named (美女，一晚多少钱, 哥今晚去你家
    陪你睡, 想升职的话，今晚来我房间, stream with your top off and I'll donate)."""
    out: list[tuple[float, Span, str]] = []
    come_on = max((c.weight for c in an.of_type("comeon")), default=0.0)
    you = 0.7 if an.has("you") else 0.0
    third = 0.5 if an.has("third") else 0.0
    aim = max(come_on, you, third)
    if aim == 0.0:
        return out
    for cue in an.of_type("sexual"):
        if cue.weight < (0.6 if come_on else 0.75):
            continue  # body words alone (摸清楚, 抱大腿) say little without a come-on
        score = 0.45 + 0.45 * cue.weight * aim
        if an.negated(cue.start):
            score *= NEGATED
        target = "third_person" if third and not you and not come_on else "addressee"
        out.append((score, (cue.start, cue.end), target))
    return out


_TRIGGERS = ("threat", "implied", "death", "harass", "verb", "dehumanize", "dieact", "hurtact", "menace", "private",
             "sexual")
Combination = tuple[str, Callable[[Analysis], list[tuple[float, Span, str]]]]
# the combinations that open a pattern with a marker of their own, tried on a text without any trigger cue
_MARKED: tuple[tuple[Combination, str], ...] = ((("threat", _whoever_threats), "谁"),
                                                (("threat", _implied_threats), "see what happens"))
_COMBINATIONS = (
    ("threat", _verb_threats),
    ("threat", _harm_threats),
    ("threat", _whoever_threats),
    ("threat", _implied_threats),
    ("death_wish", _death_wishes),
    ("sexual_harassment", _sexual_advances),
    ("dehumanization", _dehumanising),
)
