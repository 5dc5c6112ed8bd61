"""The verdict: one abusive decision from the model, the detectors, the target and the stance.

The model's n-gram heads know which words abuse tends to use, not who they are aimed at or
whether the speaker is using them, quoting them or reporting them. The verdict adds that:

1. Each word-level signal (lexicon hits, threats, death wishes, harassment, dehumanisation) is
   weighed by its target: an insult aimed at the addressee or a third person counts more than its
   word's severity, one the speaker aims at themselves (我真是个傻逼, I'm such an idiot) or at
   nobody (傻逼游戏, this movie is fucking awesome) much less, and a negated one (你一点也不蠢, you're
   not an idiot) hardly at all. Profanity counts only when it is itself aimed (操你妈, fuck you).
2. The stance (:mod:`clearspace.verdict.stance`) discounts words that are quoted to condemn them
   or reported, and caps the model's probability for counter-speech, reports and speech against
   discrimination, for texts about the speaker alone, for untargeted exclamations and for thanks.
3. ``abuse`` becomes ``max(model, strongest attack)``, with the model's probability first moved so
   that its own decision threshold sits at 0.5; ``abusive`` is ``abuse >= 0.5``.
4. The category heads are bounded by ``abuse`` (a thank-you note cannot be an insult) and weighed
   by the target (an insult at one person is not identity hate).

Every adjusted signal keeps its detector's score in ``details["raw"]`` and says why it moved.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from math import exp, log

from clearspace.fastinit import fast_init
from clearspace.text.document import Document
from clearspace.types import HeadScore, Signal, Span
from clearspace.verdict.analysis import Analysis
from clearspace.verdict.calibration import HeadCalibration
from clearspace.verdict.harm_rules import bounded, consult
from clearspace.verdict.harm_scorer import HarmOpinion
from clearspace.verdict.membership import self_named
from clearspace.verdict.reasons import (
    ATTACK_MIN,
    CONDEMNED,
    CONDUCT_REASON,
    EXCLAIM_REASON,
    FEW,
    IDIOM_REASON,
    INGROUP_REASON,
    MEMBER_REASON,
    MENTIONED,
    NAME_REASON,
    PRAISE_REASON,
    SELF_REASONS,
)
from clearspace.verdict.stance import PROTECTIVE, quoted_words, settle, stance
from clearspace.verdict.things import in_a_name, interjects, opens_with_oath, owned_subject, said_of_thing

HARM_KINDS = frozenset({"threat", "death_wish", "sexual_harassment", "dehumanization"})
WORD_KINDS = frozenset({"lexicon.insult", "lexicon.slur", "lexicon.sexual", "lexicon.harassment",
                        "lexicon.threat", "lexicon.self_harm", "lexicon.profanity"})
OTHER_ATTACKS = frozenset({"incitement", "doxxing"})
ATTACK_KINDS = HARM_KINDS | WORD_KINDS | OTHER_ATTACKS
AIMED_PROFANITY = 0.8  # profanity this severe names its target itself (操你妈, fuck you)
SELF_FACTOR, NONE_FACTOR, NEGATED_FACTOR, PROTECTED_FACTOR = 0.2, 0.5, 0.2, 0.2
UNADDRESSED_FACTOR = 0.75  # an insult with nobody named (智障一个, what a moron) is still said to someone
CONDUCT_MIN, CONDUCT_CAP = 1.0, 0.35
SHORT_TEXT = 160
TINY = 0.01  # a category score this low is left as the model gave it
MAX_SPANS = 64  # spans of one signal the verdict weighs (the first ones): bounds the work on hostile text
SELF_COPULAS = frozenset({"i'm", "im", "i am"})
SELF_DOWN_P = 0.3  # the model's (shifted) probability above which words about the speaker put them down

PROTECTED_CAP, SELF_CAP_FACTOR, EXCLAIM_FACTOR, PRAISE_FACTOR = 0.3, 0.5, 0.5, 0.6
IDIOM_FACTOR = 0.5
# cues of death or violence: criticism of someone's conduct that holds one is no longer only criticism
VIOLENT_CUES = ("death", "dieact", "threat", "menace")
# insulting adjectives that are as often said of a thing (stupid printer) as of a person, and the person nouns
# after which they insult someone (stupid kid)
THING_ADJECTIVES = frozenset({"stupid", "dumb", "idiotic", "moronic", "pathetic", "useless", "worthless", "lame",
                              "brainless", "dumbest", "stupidest", "crappy", "trashy"})
PERSON_NOUNS = frozenset((
    "kid", "kids", "boy", "boys", "girl", "girls", "man", "men", "woman", "women", "guy", "guys", "dude",
    "dudes", "person", "people", "child", "children", "lady", "ladies", "bloke", "blokes", "fool", "fools",
    "brat", "brats", "kiddo", "mate", "bro", "sis", "son", "daughter", "mom", "dad", "mum", "father",
    "mother", "husband", "wife", "parents", "family", "team", "player", "players", "fans", "fan", "ref",
    "idiot", "moron", "cow", "pig", "dog", "bitch",
))
# words after the adjective that show it is said of whoever was named before (being this dumb and still posting)
NOT_NOUNS = frozenset((
    "and", "or", "but", "nor", "as", "to", "at", "in", "on", "of", "for", "with", "than", "that", "this",
    "then", "enough", "af", "lol", "lmao", "really", "too", "so", "yet", "all", "you", "your", "him", "her",
    "them", "the", "still", "just", "even", "ever",
))
_NEXT_WORD = re.compile(r"\s{1,3}([a-z][a-z'-]{2,})")
# an identity word as the first half of a business or community compound (dyke-owned bakery, queer-run café):
# a description its members give, not a slur aimed at anyone
_OWNED_COMPOUND = re.compile(r"-(?:owned|run|led|founded|operated|friendly)\b")
# an identity word naming a community's event or meeting place (dyke night, queer book club, dyke drivers meetup)
_EVENT_AFTER = re.compile(r"s?(?:\s{1,2}(?!(?:a|an|the|at|in|on|of|to|for|with|from|by|and|or|is|are|was|were|"
                          r"this|that|these|those|my|your|his|her|our|their|last|next|every)\b)"
                          r"(?:bowling|dancing|skating|climbing|running|hiking|reading|writing|drinking|"
                          r"[a-z]+(?<!ing)(?<!ed))){0,2}?"
                          r"\s{1,2}(?:night|nights|meetup|meet-up|meetups|march|brunch|party|"
                          r"social|mixer|potluck|hangout|choir|league|collective|book club|study hall|open mic|"
                          r"support group|prom|lineup|line-up)\b")
# a demonstrative right before a word for a person, not 我这个猪脑子 (the speaker's own)
_VOCATIVE_ZH = re.compile(r"我[^，,。！？!?；;：:\n]{0,6}?你")
_POINTED_AT = re.compile(r"(?<![我你])(?:这个|那个|这位|那位|这|那)$")
# 那个喷我装备的键盘侠: a demonstrative, a relative clause that names the speaker, then the word
_POINTED_THROUGH = re.compile(r"(?<![我你])(?:这个|那个|这位|那位)[^，,。！？!?；;“”\"]{1,10}的$")
THING_REASON, THING_REACH = "said of a thing", 60
# an owner's thing as the subject of the word: X's [up to three words] thing [on/about/for ...] is (a|pure ...)
_OWNED_THING = re.compile(r"(?:^|[\s,.!?;:])((?:[a-z][\w-]*)(?: [a-z][\w-]*){0,1})'s(?: [\w-]+){0,3}? ([a-z]+)"
                          r"(?: (?:on|about|for|of|to|in|after) [\w' -]{1,30}?)? (?:is|are|was|were)"
                          r"(?: (?:a|an|pure|total|absolute|complete|utter|just|such a|so|literally|honestly))*"
                          r"(?: [a-z]{1,12})?\s*$")
# what of a person is the person (Sarah's face is trash) and owners who are people to the tables
PERSONAL_THINGS = frozenset((
    "face", "body", "voice", "hair", "teeth", "nose", "looks", "weight", "skin", "kid", "kids", "son", "daughter",
    "wife", "husband", "mom", "mum", "dad", "mother", "father", "family", "brain", "personality", "character",
    "sister", "brother", "girlfriend", "boyfriend", "gf", "bf", "partner", "fiance", "fiancee", "ex", "friend",
    "cousin", "aunt", "uncle", "grandma", "grandpa", "niece", "nephew", "boss", "manager", "teacher", "coach",
    "sis", "bro", "stepmom", "stepdad", "roommate", "flatmate", "neighbour", "neighbor", "missus", "mate",
    "fella", "feller", "bloke", "guy", "man", "woman", "lad", "girl", "boy", "hubby", "wifey", "lodger", "tenant",
    "landlord", "landlady", "date", "match", "crush",
))
PERSON_OWNERS = frozenset(("he", "she", "his", "her", "your", "you", "my", "their", "our", "this", "that", "the"))
IDIOM_WORD_KINDS = frozenset({"lexicon.threat", "lexicon.self_harm", "lexicon.insult"})  # word hits an idiom can hold
MEMBER_MIN = 0.9  # an in-group cue this strong: the speaker speaks as a member (we autistics, we queers)
_NAMED_TARGETS = (("you", "addressee"), ("third", "third_person"), ("group", "group"), ("self", "self"),
                  ("we", "self"))
PLURAL_THIRD = frozenset({"they", "them", "their", "theirs", "他们", "她们", "它们", "这些人", "那些人"})
PERSON_KINDS = ("you", "third", "group", "self", "we", "ingroup")  # cue types that name someone
SELF_ID_REACH = 6  # characters from 我是 / I'm a to the group the speaker names as their own
# who a harmless text is about when it names nobody the tables know: the speaker describing themselves,
# a group's cause, whoever did what is criticised or reported (a company, an official), whoever is thanked
_IMPLIED_TARGETS = (("ingroup", "self"), ("selfdesc", "self"), ("bias", "group"), ("conduct", "third_person"),
                    ("report", "third_person"), ("praise", "addressee"))
CATEGORY_OF = {"threat": "threat", "death_wish": "death_wish", "sexual_harassment": "sexual_harassment",
               "dehumanization": "hate", "lexicon.slur": "hate", "incitement": "incitement", "doxxing": "doxxing",
               "lexicon.threat": "threat", "lexicon.self_harm": "death_wish", "lexicon.sexual": "sexual_harassment"}


@fast_init
@dataclass(frozen=True, slots=True)
class Verdict:
    """The engine's decision on one text, with the signals as the verdict weighed them."""

    abusive: bool
    abuse: float
    target: str
    stance: str
    category: str
    signals: list[Signal]
    why: str = ""


def shifted(p: float, threshold: float) -> float:
    """``p`` moved on the logit scale so that ``threshold`` maps to 0.5."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    t = min(max(threshold, 1e-6), 1 - 1e-6)
    z = math.log(p / (1 - p)) - math.log(t / (1 - t))
    return 1.0 / (1.0 + math.exp(-z))


def to_normalized(doc: Document, span: Span) -> Span:
    """The normalized-text range of an original-text span (inverse of ``Document.to_original``)."""
    return doc.to_normalized(*span)


def decide(doc: Document, an: Analysis, signals: Sequence[Signal], heads: int, threshold: float,
           unquoted: float | None = None, calibration: HeadCalibration | None = None,
           harm: HarmOpinion | None = None, undenied: float | None = None) -> Verdict:
    """Weigh ``signals`` (the model's ``heads`` first) into a verdict for ``doc``.

    ``unquoted`` is the model's probability for the text without its quoted words, given when the
    text quotes someone to object to it or report it; the verdict then uses the lower of the two.
    ``harm`` is the harm head's opinion (:mod:`clearspace.model.harm_head`), when it was asked. ``undenied`` is the
    model's probability for the text without what it denies (:mod:`clearspace.verdict.denials`), when it denies
    something.
    """
    return weigh(doc, an, signals[:heads], signals[heads:], threshold, unquoted, calibration, harm, undenied)


def weigh(doc: Document, an: Analysis, model: Sequence[Signal | HeadScore], detected: Sequence[Signal],
          threshold: float, unquoted: float | None = None, calibration: HeadCalibration | None = None,
          harm: HarmOpinion | None = None, undenied: float | None = None) -> Verdict:
    """:func:`decide` with the model's heads (``abuse`` first) and the detectors' signals apart."""
    p_model = shifted(model[0].score, threshold) if model else 0.0
    if unquoted is not None:
        p_model = min(p_model, shifted(unquoted, threshold))
    denies = False  # the model read what a negator denies (you're not a fraud): nothing else in the text is harmful
    if undenied is not None and model:
        lowered = min(p_model, shifted(undenied, threshold))
        denies, p_model = p_model >= 0.5 > lowered, lowered
    weighed: list[Signal] = list(detected)
    attacks: list[tuple[Span, str]] = []
    any_attack = False
    for i, sig in enumerate(weighed):
        if sig.kind in ATTACK_KINDS:
            weighed[i], found = _weigh_attack(doc, an, sig)
            if _is_attack(weighed[i]):
                any_attack = True
                if weighed[i].score >= ATTACK_MIN:
                    attacks.extend(found)
    harmful = p_model >= 0.5 or (any_attack and any(s.score >= 0.5 for s in weighed if _is_attack(s)))
    st = stance(an, attacks, harmful)
    if any_attack and st in PROTECTIVE:
        weighed = [_protect(an, doc, s, st) if _is_attack(s) else s for s in weighed]
    p, why = _model_probability(an, p_model, st, weighed, any_attack)
    if denies and not why:
        why = SELF_REASONS[0]  # the harm head, which reads the denied words too, may not raise it
    # the strongest attack names the category; a detector's finding beats a bare word on a near tie
    strongest = max((s for s in weighed if _is_attack(s)), key=_rank, default=None) if any_attack else None
    attack = strongest.score if strongest is not None else 0.0
    abuse = 1.0 - (1.0 - p) * (1.0 - attack) if min(p, attack) >= 0.4 else max(p, attack)
    if harm is not None and st not in PROTECTIVE:
        said = consult(doc, an, harm, abuse, attack, why, weighed)
        abuse, why = said.abuse, said.why
        if said.cleared and any_attack:
            # cleared: no finding may still speak for an attack in the categories or the statement of reasons
            weighed = [bounded(s, abuse) if _is_attack(s) else s for s in weighed]
        if said.heard and abuse >= 0.5 and st == "neutral":
            st = "attacking"  # the head found an attack no word gave away: the speaker is the one attacking
    if abuse < 0.5 and (why == CONDUCT_REASON and st in ("attacking", "neutral") or st == "attacking" and (
            "conduct" in an.by_type and an.weight("conduct") >= CONDUCT_MIN)):
        st = "criticizing"
    target = _target(an, strongest, attacks, abuse)
    category = _category(strongest, attack, p, target) if abuse >= 0.5 else ""
    if abuse < 0.5 and st in ("attacking", "neutral"):
        # nothing harmful is left; a speaker running themselves down still "attacks" themselves
        st = "attacking" if target == "self" and _runs_self_down(p_model, weighed, why) else "neutral"
    if abuse < 0.5:
        st = settle(an, st, target, _negates(an, p_model, weighed))
    heads_out = _heads(model, abuse, target, weighed, calibration or {}) if model else []
    return Verdict(abuse >= 0.5, abuse, target, st, category, heads_out + weighed, why)


def _runs_self_down(p_model: float, weighed: Sequence[Signal], why: str) -> bool:
    """Whether a text about the speaker puts them down (我这个猪脑子, I'm such an idiot): an insult aimed at
    the speaker, or the model reading the words as demeaning before the verdict capped it for that."""
    if why in SELF_REASONS or p_model >= SELF_DOWN_P:
        return True
    return any(s.details.get("weighed") == "self" for s in weighed if s.kind in ("lexicon.insult", "lexicon.slur"))


def _negates(an: Analysis, p_model: float, weighed: Sequence[Signal]) -> bool:
    """Whether a text negates an insult: a negated insulting word, or a negator in a text the model read
    as insulting (你根本不是什么赔钱货, nobody thinks you're a weirdo)."""
    if any(s.details.get("weighed") == "negated" for s in weighed if s.kind in WORD_KINDS):
        return True
    return p_model >= SELF_DOWN_P and an.has("neg")


def _rank(sig: Signal) -> float:
    return sig.score + (0.05 if sig.kind in HARM_KINDS else 0.0)


def _describes_speaker(an: Analysis) -> bool:
    """Whether the speaker says what they are (clearly I'm unemployable, 我就是个废物): a first-person
    copula among the cues."""
    return any(an.text[c.start:c.end] in SELF_COPULAS for c in an.by_type.get("self", ())[:FEW])


def _insults_things(an: Analysis, weighed: Sequence[Signal]) -> bool:
    """Whether every insulting word is an adjective said of a thing (stupid printer, what a useless week): the
    word right after it is a plain word, no person the tables know and no other lexicon word."""
    words = [s for s in weighed if s.kind == "lexicon.insult"]
    if not words or any(s.kind in ("lexicon.slur", "lexicon.profanity") for s in weighed):
        return False
    people = {c.start for c in an.of_type(*PERSON_KINDS, "role")[:FEW]}
    for sig in words:
        for term in sig.details.get("terms", ())[:FEW]:
            if term not in THING_ADJECTIVES:
                return False
        for start, end in sig.spans[:FEW]:
            after = _NEXT_WORD.match(an.text, an.doc.to_normalized(start, end)[1] if an.doc else end)
            if after is None or after.start(1) in people or after.group(1) in PERSON_NOUNS \
                    or after.group(1) in NOT_NOUNS:
                return False
    return True


def _swears(weighed: Sequence[Signal]) -> bool:
    """Whether the text swears without aiming it at anyone (fucking hell, shite): profanity the verdict found
    untargeted."""
    return any(s.kind == "lexicon.profanity" and s.details.get("weighed") == "untargeted" for s in weighed)


def _is_attack(sig: Signal) -> bool:
    if sig.kind == "lexicon.profanity":
        return sig.details.get("aimed", False) is True
    if sig.kind in OTHER_ATTACKS:
        return sig.score >= 0.6
    return sig.kind in HARM_KINDS or sig.kind in WORD_KINDS or sig.kind in OTHER_ATTACKS


def _weigh_attack(doc: Document, an: Analysis, sig: Signal) -> tuple[Signal, list[tuple[Span, str]]]:
    """A word-level signal weighed by its target and negation, and the attack spans it gives."""
    if sig.kind in HARM_KINDS:
        target = str(sig.details.get("target", "none"))
        return sig, [(to_normalized(doc, span), target) for span in sig.spans]
    if sig.kind in OTHER_ATTACKS:
        return sig, [(to_normalized(doc, span), "third_person") for span in sig.spans[:3]]
    best, why, found, keep = 0.0, "", [], 1.0
    own_sentences: set[tuple[int, int]] = set()
    # a slur word used elsewhere in the text as a member's own (your favourite fag, Dyke-owned): the text speaks
    # from inside the group, its other slur words too (Queer as hell ..., queer folks welcome)
    member = sig.kind == "lexicon.slur" and len(sig.spans) > 1 and _member_speaks(doc, an, sig.spans[:FEW])
    raw = sig.score
    idioms = sig.kind in IDIOM_WORD_KINDS and "idiom" in an.by_type
    for span in sig.spans[:MAX_SPANS]:
        start, end = to_normalized(doc, span)
        if idioms and an.in_idiom(start, end):
            if not why:
                why = IDIOM_REASON  # the lexicon's "shoot you" in "I'll shoot you an email"
            continue
        if sig.kind == "lexicon.insult" and in_a_name(doc.original, span):
            best, why = max(best, raw * PROTECTED_FACTOR), why or NAME_REASON
            continue  # "first meet at the Blind Pig on Saturday": the word is part of a place's name
        if sig.kind == "lexicon.insult" and interjects(an, start, end):
            best, why = max(best, raw * PROTECTED_FACTOR), why or EXCLAIM_REASON
            continue  # "son of a bitch, I just dropped my glasses down the drain": an oath, aimed at nobody
        if sig.kind == "lexicon.insult" and (_judges_a_thing(an, start) or said_of_thing(an.text, start, end)):
            best, why = max(best, raw * PROTECTED_FACTOR), why or THING_REASON
            continue  # Bumble's new update is trash: the word judges what a company made, not a person
        target = an.target_of_span(start, end)
        if target in ("self", "none") and (_POINTED_AT.search(an.text[max(0, start - 3):start])
                                           or _POINTED_THROUGH.search(an.text, max(0, start - 14), start)):
            target = "third_person"  # 这个狗东西收了定金就拉黑我: the word is the person pointed at, not 我
        elif target == "self" and _VOCATIVE_ZH.match(an.text, end):
            target = "addressee"  # 傻逼我告诉你: a vocative, then the speaker talking to the reader
        elif target == "self" and owned_subject(an.text, an.clause_of(start)[0], start):
            target = "third_person"  # 我们这次跟团的导游就是个废物: the speaker's 的 names the one it describes
        if an.person_near(start, end) is None:
            if _condemns(an, start, end):
                best, why = max(best, raw * PROTECTED_FACTOR), why or CONDEMNED
                continue  # "Immigrants are rats" is under the video... Disgusting.: the word judges what was said
            if _clause_has(an, start, "conduct"):
                target = "none"  # the apology is worthless: words about what was done, not about a person
        score, reason = _word_score(an, sig.kind, raw, start, end, target)
        if member and (reason == "unaddressed" or reason.startswith("aimed at")):
            score, reason = raw * SELF_FACTOR, "in-group"  # Dyke-owned B&B, queer folks welcome: a member speaking
        elif reason == "in-group" and sig.kind == "lexicon.slur":
            member = True  # Dyke March …, your loudest dykes: the word used as a member's own further on
        if (reason == "self" or reason == "in-group") and self_named(an.text, start, end):
            own_sentences.add(an.sentence_of(start))
        elif reason == "unaddressed" and an.sentence_of(start) in own_sentences:
            score, reason = raw * SELF_FACTOR, "self"  # 我是真的蠢，蠢到家了: the speaker's word for themselves, again
        if reason != MENTIONED and reason != "negated":
            found.append(((start, end), target))  # a word named as talk (开盒是违法的) or denied attacks nobody
        if raw >= 0.4:
            keep *= 1.0 - score  # several insults in one text add up (癞蛤蟆…什么德性)
        if score > best or not why:
            best, why = max(best, score), reason
    if sig.kind in ("lexicon.insult", "lexicon.slur") and len(sig.spans) > 1:
        best = max(best, min(0.95, 1.0 - keep))
    details = {**sig.details, "raw": raw, "weighed": why}
    if sig.kind == "lexicon.profanity":
        details["aimed"] = raw >= AIMED_PROFANITY
        if raw < AIMED_PROFANITY:
            found = []
    return Signal(sig.kind, round(best, 4), sig.spans, sig.detector, details), found


def _member_speaks(doc: Document, an: Analysis, spans: Sequence[Span]) -> bool:
    """Whether one of a slur's spans is the speaker's name for themselves or their group (your favourite fag,
    我们基佬)."""
    for span in spans:
        start, end = to_normalized(doc, span)
        if self_named(an.text, start, end) or _owned(an, start):
            return True
    return False


ROLE_AFTER = 8  # characters from a slur to the role it describes (our chinky night manager)


def _owned(an: Analysis, start: int) -> bool:
    """Whether the speaker or the speaker's group stands right before ``start`` (我们瘸子, my niggas)."""
    return any(0 <= start - c.end <= 2 for c in an.of_type("self", "we", "poss")[:FEW])


def _describes_role(an: Analysis, end: int) -> bool:
    """Whether a role follows the word ending at ``end`` closely (our chinky night manager): the word describes
    that person, it is neither the speaker's own word for their group nor a community's event."""
    return any(0 < c.start - end <= ROLE_AFTER for c in an.of_type("role")[:FEW])


def _owned_elsewhere(an: Analysis, start: int, end: int) -> bool:
    """Whether the same word stands elsewhere in the text right after the speaker (我们瘸子也有瘸子的活法): the
    speaker's word for their group, used again."""
    word, text = an.text[start:end], an.text
    pos = text.find(word)
    for _ in range(FEW):
        if pos < 0:
            return False
        if pos != start and _owned(an, pos):
            return True
        pos = text.find(word, pos + 1)
    return False


def _judges_a_thing(an: Analysis, start: int) -> bool:
    """Whether the word at ``start`` is said of something a named owner made or said, the clause's subject
    (DoorDash's new tip display is a clown show, Metro Transit's statement on the crash is pure garbage); not of
    a part of a person (Sarah's face is trash)."""
    lo, _ = an.clause_of(start)
    found = _OWNED_THING.search(an.text, max(lo, start - THING_REACH), start)
    return found is not None and found.group(2) not in PERSONAL_THINGS and PERSON_OWNERS.isdisjoint(
        found.group(1).split())


def _condemns(an: Analysis, start: int, end: int) -> bool:
    """Whether the words at ``[start, end)`` are a condemnation cue of their own (Disgusting., 太恶心了):
    with nobody named in their clause they judge what was said or done, they insult nobody."""
    return any(c.start <= start and end <= c.end for c in an.by_type.get("condemn", ()))


def _clause_has(an: Analysis, pos: int, cue_type: str) -> bool:
    lo, hi = an.clause_of(pos)
    return any(lo <= c.start and c.end <= hi for c in an.of_type(cue_type))


def _word_score(an: Analysis, kind: str, raw: float, start: int, end: int, target: str) -> tuple[float, str]:
    if an.named_as_speech(end) or an.forbidden_name(start, end) or an.reported_word(start, end) \
            or (start < len(an.text) and an.text[start].isascii() and an.said_by_anyone(start)):
        return raw * PROTECTED_FACTOR, MENTIONED  # drop the vermin talk, “废物”这种说法, 别管人家叫瘸子
    if kind == "lexicon.slur":
        if an.negated(start, reach=3, people=True) or an.forbids_calling(start):
            return raw * NEGATED_FACTOR, "negated"
        own = (_owned(an, start) or _owned_elsewhere(an, start, end)) and not _describes_role(an, end)
        lo, hi = an.sentence_of(start)
        member = any(lo <= c.start and c.end <= hi for c in an.of_type("ingroup"))
        named = any(c.start <= start and end <= c.end for c in an.of_type("ingroup"))  # the dyke march
        if own or named or (member and not _clause_has(an, start, "you")) or self_named(an.text, start, end) \
                or _OWNED_COMPOUND.match(an.text, end) or (_EVENT_AFTER.match(an.text, end) and not an.negated(start)
                                                            and not _describes_role(an, end)):
            return raw * SELF_FACTOR, "in-group"  # a reclaimed word (dyke march, my niggas, 我们基佬)
    elif an.negated(start):
        return raw * NEGATED_FACTOR, "negated"
    elif kind == "lexicon.insult" and self_named(an.text, start, end, group_only=True):
        return raw * SELF_FACTOR, "in-group"  # my fellow autistic weirdos, we're such nerds
    elif kind == "lexicon.insult" and self_named(an.text, start, end):
        return raw * SELF_FACTOR, "self"  # 我就是个死胖子, i'm a total idiot: the speaker describes themselves
    if kind == "lexicon.slur" and target in ("none", "self"):
        target = "group"  # a slur names the group it attacks
    if kind == "lexicon.profanity" and raw < AIMED_PROFANITY:
        return raw * NONE_FACTOR, "untargeted"
    if target == "self":
        return raw * SELF_FACTOR, "self"
    if target == "none":
        return raw * UNADDRESSED_FACTOR, "unaddressed"
    boosted = raw + (1.0 - raw) * 0.5 if raw >= 0.5 else raw * 1.3
    return boosted, f"aimed at {target}"


def _protect(an: Analysis, doc: Document, sig: Signal, st: str) -> Signal:
    """Discount an attack signal that is quoted to condemn it, or reported."""
    direct = False
    for span in sig.spans[:MAX_SPANS]:
        start, end = to_normalized(doc, span)
        # a span that ends or starts inside the quote (小区…“我知道你住哪”) holds the quoted words it is about
        quoted = quoted_words(an, start, end)
        if not quoted and an.target_of_span(start, end) == "addressee" and st == "reporting":
            direct = True
    if direct:
        return sig
    details = {**sig.details, "raw": sig.details.get("raw", sig.score), "weighed": st}
    return Signal(sig.kind, round(sig.score * PROTECTED_FACTOR, 4), sig.spans, sig.detector, details)


def _model_probability(an: Analysis, p: float, st: str, weighed: Sequence[Signal],
                       any_attack: bool = True) -> tuple[float, str]:
    """The model's probability, capped where the text's stance or target says it is not an attack,
    and the reason it was capped."""
    if st in PROTECTIVE:
        return min(p, PROTECTED_CAP), st
    if any_attack and any(s.score >= 0.5 for s in weighed if _is_attack(s)):
        return p, ""
    words = [s for s in weighed if s.kind in ("lexicon.insult", "lexicon.slur") and s.details.get("raw", 0) >= 0.3]
    if words and all(s.details.get("weighed") == THING_REASON for s in words):
        return min(p, CONDUCT_CAP), CONDUCT_REASON  # DoorDash's new tip display is a clown show
    if not an.by_type:  # no cue at all: nothing to cap on but swearing at nobody
        swears = _swears(weighed) or _insults_things(an, weighed) or opens_with_oath(an)
        return (p * EXCLAIM_FACTOR, EXCLAIM_REASON) if swears else (p, "")
    # in a long text the model has other reasons than the negated word, unless it names nobody but the speaker
    short = len(an.text) <= SHORT_TEXT or not an.has("you", "third", "group")
    denied = _denied_predicates(an)  # 外地人不是什么蝗虫: a dehumanising word denied
    if (words or denied) and short:
        reasons = {str(s.details.get("weighed")) for s in words} | denied
        if reasons <= {"negated", "self", "in-group", MENTIONED} and (
                reasons != {"self"} or max((s.details["raw"] for s in words), default=0.4) >= 0.4):
            return min(p, PROTECTED_CAP), "negated or self-aimed words"  # 你一点也不蠢, I'm such an idiot
    by_type = an.by_type
    if "conduct" in by_type and an.weight("conduct") >= CONDUCT_MIN and not an.has(*VIOLENT_CUES):
        # 舆论监督 without insulting words; not a threat or death wish over what someone did (the reporter who leaked
        # the name deserves to get hit by a bus)
        return min(p, CONDUCT_CAP), CONDUCT_REASON
    if "praise" in by_type and "ingroup" in by_type and "neg" not in by_type and not an.has(*VIOLENT_CUES):
        return p * PRAISE_FACTOR, PRAISE_REASON  # thank you for ...: that's what community looks like
    we_group = _we_name_our_group(an)
    if ("ingroup" in by_type or we_group) and not _names_another_group(an):
        member = we_group or any(c.weight >= MEMBER_MIN for c in by_type.get("ingroup", ()))
        return p * SELF_CAP_FACTOR, MEMBER_REASON if member else INGROUP_REASON
    aimed = "you" in by_type or "third" in by_type or "group" in by_type
    if not aimed and ("selfdesc" in by_type or _describes_speaker(an)) and "hurtact" not in by_type:
        # not "I'm going to burn this place down with the owner inside it": an act of violence is not about the speaker
        return p * SELF_CAP_FACTOR, "about the speaker"
    if not aimed and ("exclaim" in by_type or _swears(weighed) or _insults_things(an, weighed) or opens_with_oath(an)):
        return p * EXCLAIM_FACTOR, EXCLAIM_REASON  # 卧槽, holy shit, absolute shite weather: swearing at nobody
    if "idiom" in by_type and not an.has("verb", "threat", "death"):
        # hit me up when you land, 帅死了: the model reads the violent word (not "gonna stab that Sharon one …, I'm dead
        # serious": a violent verb, threat or death wish outside the idiom; a bare menace such as "I'm going to" is not)
        return p * IDIOM_FACTOR, IDIOM_REASON
    if "praise" in by_type and "neg" not in by_type:
        return p * PRAISE_FACTOR, PRAISE_REASON
    return p, ""


def _denied_predicates(an: Analysis) -> set[str]:
    """How the text's dehumanising words stand: ``"negated"`` where a negator denies one (外地人不是什么蝗虫,
    immigrants are not vermin), ``"self"`` where the speaker names themselves by it (我是垃圾), ``"used"``
    otherwise; empty without such words."""
    found = an.by_type.get("dehumanize")
    if not found:
        return set()
    return {"negated" if an.negated(c.start) else "self" if self_named(an.text, c.start, c.end) else "used"
            for c in found[:FEW]}


def _target(an: Analysis, strongest: Signal | None, attacks: Sequence[tuple[Span, str]], abuse: float) -> str:
    if strongest is not None and strongest.score >= 0.5:
        if strongest.kind in HARM_KINDS and strongest.details.get("target", "none") != "none":
            return str(strongest.details["target"])
        ranked = [t for _, t in attacks if t != "none"]
        if ranked:
            return ranked[0]
    named = _named_target(an)
    if named:
        return named
    if abuse >= 0.5:
        # an attack that names nobody is said to the reader (kys, go drink bleach, 约吗？发点福利看看),
        # a slur or a dehumanising word names the group it attacks
        group = strongest is not None and strongest.kind in ("lexicon.slur", "dehumanization")
        return "group" if group else "addressee"
    for cue_type, target in _IMPLIED_TARGETS:
        if cue_type in an.by_type and not (cue_type == "praise" and "exclaim" in an.by_type):
            return target  # 牛逼！这个特效…: an exclamation of praise thanks nobody
    return "none"


def _named_target(an: Analysis) -> str:
    """Whom the text names, by the first kind of person cue in ``_NAMED_TARGETS`` it holds, leaving out
    pronouns inside exclamations (我靠, 我的天) and telling a speaker's own group (我是河南人, I'm a Black
    woman; 我们瘸子, us crips) and a group called "they" (跨性别者…请给她们尊重) from a single person."""
    by_type = an.by_type
    present = [t for t in PERSON_KINDS if t in by_type]
    if not present:
        return ""
    shells = by_type.get("exclaim")
    if shells:
        shells = shells[:FEW]
        present = [t for t in present
                   if any(not any(e.start <= c.start and c.end <= e.end for e in shells) for c in by_type[t][:FEW])]
    owners = by_type.get("poss")
    if owners and "we" in present:  # our landlord's nephew: "our" owns someone, it is not the speaker
        spans = {(c.start, c.end) for c in owners[:FEW]}
        if all((c.start, c.end) in spans for c in by_type["we"][:FEW]):
            present.remove("we")
    if "group" in present or "ingroup" in present:
        if "self" in present and _says_who_they_are(an):
            return "self"
        if "we" in present or ("third" in present and "you" not in present and _plural_third(an)):
            return "group"
    for cue_type, target in _NAMED_TARGETS:
        if cue_type in present:
            return target
    return ""


def _says_who_they_are(an: Analysis) -> bool:
    """The speaker names a group as their own: a first-person cue shortly before a group cue."""
    ends = {s.end for s in an.of_type("self", "selfdesc")[:FEW]}
    return any(g.start - d in ends for g in an.of_type("group", "ingroup")[:FEW] for d in range(SELF_ID_REACH + 1))


def _we_name_our_group(an: Analysis) -> bool:
    """Whether "we" or "us" stands right before a group (we autistics, us women, 我们女生): the speaker
    speaks as a member of it."""
    starts = {g.start for g in an.of_type("group")[:FEW]}
    return bool(starts) and any(w.end + d in starts for w in an.of_type("we")[:FEW] for d in (0, 1))


def _names_another_group(an: Analysis) -> bool:
    """Whether the text names a group besides the speaker's own: a group cue neither inside an in-group cue
    nor right after one (as a man ... women, 作为一个男人……女人都是): speaking as a member of one group does
    not soften what is said about another."""
    own = an.of_type("ingroup")[:FEW]
    we_ends = {w.end for w in an.of_type("we")[:FEW]}
    return any(not any(i.start <= g.start and g.start - i.end <= SELF_ID_REACH for i in own)
               and g.start not in we_ends and g.start - 1 not in we_ends
               for g in an.of_type("group")[:FEW])


def _plural_third(an: Analysis) -> bool:
    """Every third-person cue is a plural pronoun (they, them, 他们): the group the text names."""
    thirds = an.of_type("third")[:FEW]
    plural = [c for c in thirds if an.text[c.start:c.end] in PLURAL_THIRD]
    return bool(plural) and all(any(p.start <= c.start and c.end <= p.end for p in plural) for c in thirds)


def _category(strongest: Signal | None, attack: float, p: float, target: str) -> str:
    if strongest is not None and strongest.kind in CATEGORY_OF and (
            attack >= p * 0.9 or (strongest.kind in HARM_KINDS and attack >= 0.5)):
        return CATEGORY_OF[strongest.kind]  # a threat, death wish or come-on found names what the model only rates
    if target == "group":
        return "hate"
    if target in ("addressee", "third_person"):
        return "insult"
    return "abuse"


def _heads(heads: Sequence[Signal | HeadScore], abuse: float, target: str, weighed: Sequence[Signal],
           calibration: HeadCalibration) -> list[Signal]:
    """The model's heads bounded by the final ``abuse``, weighed by the target and recalibrated
    (:func:`~clearspace.verdict.calibration.platt`, written out here: this runs for every head of
    every post)."""
    aimed_at_person = target == "addressee" or target == "third_person"
    best = {s.kind: s.score for s in weighed} if weighed else {}
    out: list[Signal] = []
    append = out.append
    get = calibration.get
    for sig in heads:
        kind = sig.kind
        if kind == "abuse":
            append(Signal("abuse", abuse, sig.spans, sig.detector, {"model": sig.score}))
            continue
        score = sig.score
        if score > abuse:
            score = abuse
        if score < TINY and not aimed_at_person:  # nothing to weigh: the model's own (tiny) score stays
            append(Signal(kind, score, (), sig.detector))
            continue
        if kind == "insult":
            if aimed_at_person:
                aimed = max(best.get("lexicon.insult", 0.0), best.get("lexicon.slur", 0.0)) if best else 0.0
                score = max(score, min(abuse, aimed))
            else:
                score *= 0.6
        elif kind == "identity_attack" or kind == "targeted_group":
            if target == "group":
                group = max(best.get("dehumanization", 0.0), best.get("lexicon.slur", 0.0)) if best else 0.0
                score = max(score, min(abuse, group))
            else:
                score *= 0.35
        elif kind == "targeted_individual":
            score = abuse if aimed_at_person else score * 0.5
        ab = get(kind)
        if ab is not None:
            p = 1e-6 if score < 1e-6 else (1 - 1e-6 if score > 1 - 1e-6 else score)
            platt = 1.0 / (1.0 + exp(-(ab[0] * log(p / (1 - p)) + ab[1])))
            score = platt if platt < abuse else abuse
        append(Signal(kind, score, sig.spans, sig.detector))
    return out
