"""The harm head's say in the verdict (:mod:`clearspace.model.harm_head` reads how attacks are worded).

:func:`consult` weighs it in after the words, the detectors and the stance: it can raise a text no word gave
away (a threat that never says "kill"), lower one the model flagged on its own words alone, clear a flag in a
text that talks about speech when it is sure there is no attack (any text when it is surer still), and raise
through the caps of criticism and praise when it is sure there is one. The cues decide where it may not speak:
a text about the speaker alone, a negation, an idiom, a member's speech, swearing at nobody, thanks without a
cue of harm; and what it may not clear: the speaker's own dehumanising finding, quoted word, word said to
the reader's face or death wish told in a sentence that talks about no speech.
:func:`bounded` keeps a cleared text's findings from still claiming an attack.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from clearspace.fastinit import fast_init
from clearspace.text.document import Document
from clearspace.types import Signal
from clearspace.verdict.analysis import Analysis
from clearspace.verdict.harm_scorer import HARM_CUES, HarmOpinion
from clearspace.verdict.reasons import (
    ATTACK_MIN,
    CONDUCT_REASON,
    EXCLAIM_REASON,
    FEW,
    HARM_HEAD,
    IDIOM_REASON,
    MEMBER_REASON,
    PRAISE_REASON,
    SELF_REASONS,
)
from clearspace.verdict.stance import quoted_words
from clearspace.verdict.things import said_of_thing

# a finding the head may not clear in a text about speech when it stands outside quotation marks: a group called
# vermin and then endorsed (农村人都是蟑螂，有人说得一点没错) reads to the n-grams like the talk that objects to it
UNCLEARED_KINDS = frozenset({"dehumanization"})
UNCLEARED_MIN = 0.6  # a weaker finding (黑人球员被看台学猴子叫: a word of an animal near a group) may be cleared
# the harm head clears a flag, whatever raised it, in a text that talks about speech (quotes it, condemns it,
# reports it, names discrimination or supports someone) when it is this sure there is no attack: the model and
# the words read the quoted abuse (弹幕里一堆“nmsl”刷屏骂主播, 把“娘炮”挂嘴边的请自重), the head reads the whole.
# Chosen on the read suites of rounds 10-13 (0.05 / 0.1 / 0.15: zh 5145 / 5148 / 5149, en 5847 / 5848 / 5849 of
# 5184 / 5904; 5135 / 5845 without it; 5148 / 5847 at 0.15 once dehumanisation is kept, below), COLD (0.766
# either way) and OLID (0.662 -> 0.661). 0.2 since round 18's head (trained on the read files of rounds 16-18): it
# reads 一个家暴视频下面清一色“建议直接跳楼”…劝人去死不是正义 at 0.167; 0.15 / 0.2 flat on the development suite, read
# suites +1 en at 0.2 (MODEL_CARD.md, round 18)
TALK_CLEAR = 0.2
# and in any text when it is surer still, unless the speaker's own dehumanising finding stands: the words and the
# model read a report's or a guide's quoted abuse (... users have started writing 'unalive yourself' to slip past
# filters; 某餐厅员工在网上称农村老人是“蝗虫”引发争议). Chosen (0.005 / 0.01 / 0.02 / 0.03 / 0.05) on the suites no head
# was trained on, the development suite and the read files of rounds 16 and 17 (zh 1620 -> 1621 at each, en 1612 ->
# 1613 / 1614 / 1615 / 1617 / 1616 of 1656), with COLD (0.7653 -> 0.7656) and OLID (0.6592 -> 0.6595) (MODEL_CARD.md,
# round 17)
SURE_CLEAR = 0.03
TALK_CUES = ("meta", "condemn", "report", "bias", "support")
HARM_CUE_MIN = 0.5  # a cue of harm this strong lets the harm head raise a text the verdict held back
# caps the harm head may not undo: its n-grams read a violent idiom as violence, and a thank-you note that
# names the reader's routine (谢谢你每天…, 祝你每天…) like a threat through someone's routine; its n-grams
# also read "you're stupid" in "nobody thinks you're stupid": it may not undo a negation or a
# self-description the cues found
HEAD_MAY_NOT_RAISE = frozenset({IDIOM_REASON, PRAISE_REASON, *SELF_REASONS})
# ... unless the head is this sure: then it raises through the caps the cues set for criticism of conduct and for
# praise (客服你是不是听不懂人话…就你这智商, 那个卖过期药的药店老板，祝他吃自己的药吃死, "lovely analysis love, now
# what colour is your underwear"); never through the speaker talking about themselves, swearing at nobody, an
# idiom or a member's speech, where its n-grams mislead it. Chosen on the read suites (0.9 / 0.95 / 0.97 with
# those four caps as well: zh +7 / +5 / +3, en +8 / +5 / +3; 0.9 loses a shipped case, "This CEO laid off 2,000
# people ... Shameless."; the two caps alone at 0.95: zh +5, en +4), COLD and OLID (see MODEL_CARD.md, round 16)
SURE_RAISE = 0.95
SURE_OVERRIDES = frozenset({CONDUCT_REASON, PRAISE_REASON})
# ... but not through thanks or congratulations with no cue of an act of harm: its n-grams read thanks that name
# the reader's evenings (感谢你每天晚上陪我聊天，祝你每天都开心: 0.955 with round 18's head) like a threat through a
# routine, and congratulations that name where the news was seen ("congrats on the new job, saw it on your
# linkedin": 0.967) like stalking; the time words and the profile are all the cues find there
_THANKS = re.compile(r"感谢|谢谢|多谢|恭喜|祝贺|thank|\bthx\b|\bty\b|congrat")
UNGROUPED_HARM_CUES = tuple(k for k in HARM_CUES if k != "dehumanize")
ACT_CUES = ("sexual", "dieact", "menace", "hurtact", "harass", "threat", "death", "dehumanize")


@fast_init
@dataclass(frozen=True, slots=True)
class HeadSay:
    """What the verdict is after the harm head: ``heard`` when the cues let it speak, ``cleared`` when it
    took back a flag."""

    abuse: float
    why: str
    cleared: bool = False
    heard: bool = False


def consult(doc: Document, an: Analysis, harm: HarmOpinion, abuse: float, attack: float, why: str,
            weighed: Sequence[Signal]) -> HeadSay:
    """The verdict's ``abuse`` and reason once the harm head is weighed in (``attack``: the strongest attack
    found; ``why``: the reason the cues gave)."""
    if (abuse < 0.5 and harm.p >= SURE_RAISE and why in SURE_OVERRIDES and not about_speaker_only(an)
            and not thanks_only(an, why)):
        abuse, why = harm.p - harm.margin, HARM_HEAD  # the head is sure: a cap of the cues gives way
    if why in HEAD_MAY_NOT_RAISE:
        return HeadSay(abuse, why)
    # the speaker's own finding matters only where the head would clear the text (looked for only then)
    clears = abuse >= 0.5 and harm.p < max(TALK_CLEAR, SURE_CLEAR)
    after, why = with_harm_head(abuse, harm, attack, why, an, clears and detected_own(doc, an, weighed))
    return HeadSay(after, why, cleared=abuse >= 0.5 > after, heard=True)


def thanks_only(an: Analysis, why: str) -> bool:
    """Whether the verdict capped thanks or congratulations that hold no cue of an act of harm (see
    :data:`ACT_CUES`)."""
    return why == PRAISE_REASON and _THANKS.search(an.text) is not None and not harm_cue(an, ACT_CUES)


def about_speaker_only(an: Analysis) -> bool:
    """Whether the speaker is the only one the text names (I'm clearly unemployable, 我这人就是废物): the
    harm head reads how attacks are worded, not whom they are aimed at, so it may not raise such a text."""
    # a cue of harm lets the head raise it (给我跳一遍，私下的: a come-on whose addressee is a vocative the
    # tables do not know)
    return an.has("self", "selfdesc") and not an.has("you", "third", "group", *HARM_CUES)


def head_held_back(an: Analysis, why: str) -> bool:
    """Whether the text criticises someone's conduct, the speaker speaks as a member of the group it
    names, or it swears at nobody (the verdict capped it for that), and it holds no cue of harm: the harm
    head reads sharp words about conduct (Shameless., the hypocrisy is staggering), a group's own name (we
    autistics) and swearing at a thing (this damn fog) like an attack, so it may not raise such a text; a
    threat or come-on among them still lets it."""
    if why == EXCLAIM_REASON and not an.has("group"):
        # fucking trash luck: swearing at nobody calls no group trash; rates jumped again?? what the fuck: a weak cue
        # of harm (jumped) does not make it a threat
        return not any(c.weight > HARM_CUE_MIN for c in an.of_type(*UNGROUPED_HARM_CUES))
    if why == CONDUCT_REASON and an.has("dehumanize"):
        # 垃圾系统: a word of the dehumanising table said of a thing is no cue of harm (not 老板本人就是个垃圾)
        return not any(c.weight >= HARM_CUE_MIN
                       and not (c.type == "dehumanize" and said_of_thing(an.text, c.start, c.end))
                       for c in an.of_type(*HARM_CUES))
    return why in (CONDUCT_REASON, MEMBER_REASON, EXCLAIM_REASON) and not harm_cue(an)


def harm_cue(an: Analysis, kinds: Sequence[str] = HARM_CUES) -> bool:
    """Whether the text holds a cue of harm (of ``kinds``) that is more than a hint (body, 腿 and 睡 alone are
    not)."""
    return an.has(*kinds) and any(c.weight >= HARM_CUE_MIN for c in an.of_type(*kinds))


def with_harm_head(abuse: float, harm: HarmOpinion, attack: float, why: str, an: Analysis,
                    detected: bool = False) -> tuple[float, str]:
    """Weigh in the harm head: it can raise a text no word gave away (a threat that never says "kill")
    and lower one the model flagged on its own words alone; a detector's finding stands, and so does a word
    aimed at someone that the model read the same way (u are a burden to everyone here), except in a text about
    speech that the head is sure attacks nobody (:data:`TALK_CLEAR`), or any text it is surer still of
    (:data:`SURE_CLEAR`)."""
    if abuse < 0.5 <= harm.p - harm.margin and not about_speaker_only(an) and not head_held_back(an, why):
        return max(abuse, harm.p - harm.margin), HARM_HEAD
    if abuse >= 0.5 and attack < ATTACK_MIN and harm.p < harm.clear:
        return min(abuse, 0.5 - (harm.clear - harm.p)), HARM_HEAD
    if abuse >= 0.5 and harm.clear > 0.0 and not detected:
        limit = TALK_CLEAR if an.has(*TALK_CUES) else SURE_CLEAR  # talk about abuse is not abuse
        if harm.p < limit:
            return min(abuse, 0.5 - (limit - harm.p)), HARM_HEAD
    return abuse, why


def detected_own(doc: Document, an: Analysis, weighed: Sequence[Signal]) -> bool:
    """Whether a finding of :data:`UNCLEARED_KINDS` stands outside quotation marks, or a word of the lexicon
    stands in the quotation marks of the speaker's own saying (I said you're a 'moron' and I meant it: the head
    reads the quote as someone else's) or is said to the reader's face (这破打印机又卡纸了，你真他妈sb: the head
    reads the printer): the speaker's own."""
    for s in weighed:
        if s.score < UNCLEARED_MIN:
            continue
        spans = [doc.to_normalized(*span) for span in s.spans[:FEW]]
        if s.kind in UNCLEARED_KINDS and any(not quoted_words(an, *span) for span in spans):
            return True
        if s.kind.startswith("lexicon.") and any(
                an.speaker_said(*span) or (s.details.get("raw", 0.0) >= CALLED_MIN and _called(an, *span))
                for span in spans):
            return True
        if s.kind in TOLD_KINDS and s.score >= TOLD_MIN and any(_told(an, *span) for span in spans):
            return True
    return False


TOLD_KINDS = frozenset({"lexicon.self_harm", "death_wish"})
TOLD_MIN = 0.8


def _told(an: Analysis, start: int, end: int) -> bool:
    """Whether a death wish at ``[start, end)`` is told outside quotation marks in a sentence that talks about no
    speech (you're posting a 900 cal 'what I eat in a day' and calling it healthy? kys honestly: the talk is in
    another sentence): the speaker's own."""
    if quoted_words(an, start, end):
        return False
    lo, hi = an.sentence_of(start)
    return not any(lo <= c.start < hi for c in an.of_type(*TALK_CUES)[:FEW])


CALLED_MIN = 0.7  # a word this strong of the lexicon (傻逼, bitch; not creep, idiot) said to the reader's face
# the reader called the word outright: 你真他妈sb, 你个傻逼, you stupid bitch, you're a fucking idiot
_CALLED = re.compile(r"(?:你|\byou(?:\s{1,2}are|'re|\s{1,2}r)?)\s{0,2}"
                     r"(?:真|就是|是个|个|这个|真是个|他妈的?|真他妈|tm|such\s{1,2}an?|an?|absolute|fucking|stupid|little|\s)"
                     r"{0,4}$")


def _called(an: Analysis, start: int, end: int) -> bool:
    """Whether the word at ``[start, end)`` is said to the reader's face, outside quotation marks."""
    return _CALLED.search(an.text, max(0, start - 24), start) is not None and not quoted_words(an, start, end)


def bounded(sig: Signal, abuse: float) -> Signal:
    """An attack signal of a text the harm head cleared, bounded by the verdict's abuse."""
    if sig.score <= abuse:
        return sig
    details = {**sig.details, "raw": sig.details.get("raw", sig.score), "weighed": "cleared by the harm head"}
    return Signal(sig.kind, math.floor(abuse * 10_000) / 10_000, sig.spans, sig.detector, details)
