"""What a text's cues say about one place in it: its clause, the nearest person, negation, quotes."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from clearspace.detectors.cues import Cue, clause_bounds, sentence_bounds
from clearspace.text.document import Document
from clearspace.verdict.names import name_cues

PERSON_TYPES = ("you", "third", "group", "self", "we", "role")
SUBJECT_TYPES = frozenset({"you", "third", "group", "role"})
SPEAKER_TYPES = frozenset({"self", "we"})
AFTER_TYPES = SPEAKER_TYPES | {"role"}  # cues after a word that yield to a subject before it
CLAUSE_OPENERS = frozenset("，,。！？!?；;：:、\n “\"（(")  # what may stand before 本人 meaning the speaker
OWNER_LINKS = ("", "们", "的", "们的", " ")  # what stands between 我 / our and a role the speaker owns
# verbs whose object 我 is the one the addressee should leave alone (离我远点, 别回我, 别烦我): the speaker is not
# the one the words describe; verbs of saying (骂我, 说我) are left out, they report what was said to the speaker
LEAVE_ME_ALONE_VERBS = ("离", "回", "烦", "惹", "碰", "理", "怼", "吓", "管", "删", "拉黑", "艾特", "别跟", "别找",
                        "别教")
TARGET_OF = {"you": "addressee", "third": "third_person", "group": "group", "self": "self", "we": "self",
             "role": "third_person", "name": "third_person"}
_QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", '"': '"', "《": "》", "【": "】"}
_MARKS = re.compile("[" + re.escape("".join(dict.fromkeys([*_QUOTE_PAIRS, *_QUOTE_PAIRS.values()]))) + "'\\n]")
SINGLE_QUOTE_REACH = 120  # characters an ASCII single quote stays open: an apostrophe left open closes nothing far off
NEG_REACH_ZH = 3
WHAT_REACH_ZH = 12  # 不是什么 + a description + the word
# an indefinite determiner shortly before an addressee noun (一名美妆博主): someone reported, not the reader
_INDEFINITE_BEFORE = re.compile(r"(?:(?:一名|一位|一个|某)[^，,。！？!?；;\s]{0,4}|遭|遭到|被)$")
INDEFINITE_REACH = 6
REFLEXIVE = frozenset({"myself", "me", "我自己"})  # the speaker as object: an insult beside it naming nobody is theirs
STRICT_REFLEXIVE = frozenset({"myself", "我自己"})  # the same in any sentence of a text that names nobody else
MAX_PER_TYPE = 256  # cues of one type the analysis keeps (the first ones): bounds the work on hostile text
NEG_REACH_EN = 28
# 别 inside a word: 别人, 别的, 别墅 (after it) and 特别, 区别, 性别, 告别 ... (before it)
_NOT_NEG_AFTER = ("人", "的", "墅", "针", "处", "名", "称", "号")
_NOT_NEG_BEFORE = frozenset("特区分级类告性识个辨差鉴离派道送惜话")
PROHIBITIVE_ZH = frozenset({"别", "不要", "不许"})  # negators that forbid an act (别 + verb), not deny a word
PROHIBITIVE_EN = frozenset({"don't", "dont", "do not"})
_SPEECH_AFTER = re.compile(r"\s{0,3}(?:再)?(?:叫|说|骂|喊|称|call|say|tell)")  # 别叫他…, 不要再说…, don't call her…
_WORD_AT = re.compile(r"[a-z'-]+")
# after "no <word>": a verb, so "no" quantifies over people (no tranny is getting a dress here, no fag will)
_VERB_AFTER = re.compile(r"\s{1,2}(?:is|are|was|will|would|should|shall|can|could|gets?|getting|allowed|welcome|gonna|"
                         r"deserves?|belongs?|needs?|ever|touches|sets? foot|comes?|coming)\b")
_PREPOSITION_PHRASE = re.compile(r"\b(?:with|at|to|for|from|on|by|about|into)\s{1,2}(?:that|this|your|his|her|their|"
                                 r"the|those|these)\b")
_WORD_BEFORE = re.compile(r"([a-z'-]+)\s{1,2}$")
# words before "as a" that introduce the speaker's role (speaking as a nurse, and as a dad); any other word
# makes it a simile (dumb as a rock)
INTRODUCE_ROLE = frozenset({"speaking", "talking", "writing", "and", "but", "even", "so", "me", "myself", "here",
                            "also", "just", "especially", "particularly", "both", "only", "now", "still", "born",
                            "raised", "grew", "living", "working", "identify", "identifies", "out"})
# a role then up to two words of a name and a possessive 's (the ref's call, mayor pettibone's decision)
_OWNER_AFTER = re.compile(r"(?: [a-z-]{1,20}){0,2}'s\b")
# a subject and its verb right after a negator (of course not she is dumb): the negator ended a clause of its own
# 不是废物是什么, 这不是傻子还能是什么: a rhetorical question that asserts the word it seems to deny
_IS_WHAT_ZH = re.compile(r"[^，,。！？!?；;\s]{1,8}?(?:还能|又能|还|又)?是什么(?!意思|原因|时候|东西)")
_BOUNDARY_ZH = frozenset(" ，,。.！!？?～~…；;：:、\n")


def _oath(text: str, start: int, end: int) -> bool:
    """Whether 靠 at ``[start, end)`` stands as an oath (靠，又堵车了, 我靠): at a clause's edge or after 我 / 卧, not
    inside a word or a phrase (靠得住, 靠谱, 还得靠老婆)."""
    before = text[start - 1:start] if start else ""
    after = text[end:end + 1]
    return not before or before in _BOUNDARY_ZH or before in "我卧" or not after or after in _BOUNDARY_ZH
# "keep calling out my brand", "just saying": a phrase with a word of speech in it that talks about no speech
_IDIOMATIC_META = re.compile(r".{0,6}?(?:\b(?:call(?:s|ed|ing)?\s{1,2}(?:(?:me|him|her|them|us|it)\s{1,2})?out\b|"
                             r"just\s{1,2}sayin[g']?\b)|video\s{1,2}call)")  # video call me: a call, no speech
# "is a thick, lying little weasel": an article and one adjective before a comma, inside one noun phrase
_ADJECTIVE_COMMA = re.compile(r"\b(?:is|are|was|were|'s|'re)\s{1,2}(?:a|an|such\s{1,2}an?)\s{1,2}[a-z]{2,15},\s{0,2}$")
ADJECTIVE_REACH = 32
_NEW_SUBJECT = re.compile(r"[\s,.!]{0,3}(?:she|he|they|it|you)(?:'s|'re|\s{1,2}(?:is|are|was|were))\b")
_SPEECH_NOUN = re.compile(r"['\"’”]?\s{1,3}(?:talk|rhetoric|language|narrative|tropes?|jokes?|comments?|nonsense|"
                          r"insults?|slurs?|stereotypes?)\b|['\"’”」]?(?:之类的|这种|这类)?的?(?:说法|言论|字眼|称呼|梗|论调|段子|笑话|谣言)|"
                          r"['\"’”」]?(?:这个|这种|这类)(?:词|字)|"
                          r"是(?:违法|犯罪)|行为")
_CALLED_A = re.compile(r"\b(?:you're|you are|youre|ur|u r|is|he's|she's|are|was|what)\s{1,2}an?\s{1,2}[^.!?,]{0,25}$")
# "nobody wants a psycho like you", "no one asked the fat loser": nobody wanting, needing or asking for someone
# asserts the word of them, it denies nothing (unlike "nobody thinks you're a weirdo")
_NOBODY = frozenset({"nobody", "no one"})
_NOBODY_ASSERTS = re.compile(r"\s{1,3}(?:here\s{1,3})?(?:wants?|needs?|likes?|asked|invited|cares? about|"
                             r"could ever love|would ever (?:love|date|hire|want)|will ever (?:love|date|hire|want)|"
                             r"is listening to|wanna|gonna (?:miss|hire|date))\b")
# "nobody in their right mind would call you ugly": nobody calling or thinking the word of someone, however far
_NOBODY_CALLS = re.compile(r"\s{1,3}(?:[a-z']{1,12}\s{1,3}){0,5}?(?:would|could|will|can|should)\s{1,3}(?:ever\s{1,3})?"
                           r"(?:call|think|say)\s{1,3}(?:you|he|she|him|her|they|them|that)(?:'re|'s|\s{1,3}(?:are|is|was))?"
                           r"\s{1,3}(?:(?:an?|so|that|too)\s{1,3})?")
# 别管…叫瘸子, 请别再把…叫疯子, 不要动不动就骂人家: a prohibition, then whom, then the verb of calling, then the word
_FORBIDDEN_CALLING = re.compile(r"(?:别|不要|不许|不准|请勿|少)(?:再)?(?:动不动就)?(?:管|把|将|对|给)?"
                                r"[^，,。！？!?；;]{0,12}?(?:叫|喊|称|骂)(?:人家|别人|他们|她们|他|她|人)?(?:是|做|为|作)?[“\"'‘]?$")
# don't call him a faggot, stop calling people retards: the speaker forbids the word
_FORBIDDEN_CALLING_EN = re.compile(r"\b(?:don'?t|do not|dont|stop|quit|never|nobody should|no one should)\s{1,3}"
                                   r"(?:ever\s{1,3})?(?:call|calling|say|saying|use|using)\b[^.!?]{0,30}$")
# verbs of saying or writing before a quoted word: the word is what someone said (calls my wife a 'stupid bitch')
_SAYING_EN = re.compile(r"\b(?:calls?|called|calling|(?:used to|would|kept|keeps|always|you|they|people|u) say(?:ing)?|"
                        r"wrote|writes?|typed|"
                        r"said|says|yell(?:s|ed)?|shout(?:s|ed)?|"
                        r"scream(?:s|ed)?|repl(?:y|ies|ied)|comments?|commented|messag(?:es|ed)|texted|tweeted|posted|"
                        r"spray-?painted|sprayed|scrawled|labell?ed|dm(?:'?d|s)?|dming|sent me|"
                        r"(?:the|a|this|that)\s{1,2}(?:message|text|note|caption))\b")
SAYING_REACH = 48  # characters before the quote the verb is looked for
FEW_QUOTES = 8  # quotes looked at for one that reports someone else's words: bounds the work on hostile text
# after a closing quote: who said it (," the airline said / " she wrote / ", according to police / " is what one of
# you wrote)
ATTRIBUTION = re.compile(r"[\"”’']?\s{0,2}[,，]?\s{0,2}(?:(?:[a-z][\w'’-]*\s+){1,5}?"
                         r"(?:said|says|wrote|writes|told|added|claimed|alleged|recalled|testified|posted|tweeted)\b"
                         r"|according to\b)")
# 被室友骂“垃圾玩意儿”, 有人大喊“贱人滚出去”, 私信我“发张腿照”, 截图里那句“…”, 张口闭口“你们乡巴佬”
_SAYING_ZH = re.compile(r"(?:骂|说|喊|叫|称|私信|私聊|留言|评论|回复|写着?|刷|号召|放话|张口闭口|张口就|那句|这句|"
                        r"一句|挂嘴边|骂我|骂他|骂她|骂人家)[了过着]?[^，,。！？!?；;“”\"]{0,4}?"
                        r"(?:[“\"「][^”\"」]{0,16}[”\"」]){0,3}[：:，,]?\s{0,2}[“\"「‘']?$")
# anyone / whoever / people who call or say the word, then the word in the same sentence
_ANYONE_SAYING = re.compile(r"\b(?:anyone|anybody|whoever|those|people|everyone|everybody|the ones?)\s{1,2}"
                            r"(?:who\s{1,2})?"
                            r"(?:call(?:s|ed|ing)?|sa(?:y|ys|id|ying)|think(?:s|ing)?)\b"
                            r"(?:\b(?:sgt|dr|mr|mrs|ms|st|capt|lt|col|prof|rev|jr|sr)\.|[^.!?]){0,40}$")
# the speaker right before the verb of saying: what follows is their own word (I said, I'm calling you, 我就骂他)
_SPEAKER_SAYS = re.compile(r"(?:(?:^|[^a-z'])(?:i|we|i'm|im|i'll|i'd|i've|we're)\s{1,2}(?:(?:just|will|would|always|"
                           r"literally|am|have|had|even|gonna|only)\s{1,2}){0,2}"
                           r"|(?:^|[^被让叫听跟])(?:我|我们)(?:就|直接|还|也|都|要|会|想|一直|今天|当场|偏要)?)$")
SPEAKER_REACH = 30
_THIS_TALK_ZH = re.compile(r"[”\"」]?\s{0,2}(?:——|—|，|,)?\s{0,2}(?:这话|这种话|这句话|这句|这类话|这样的话|之类的话|"
                           r"刷屏|刷了|的弹幕|的评论|的留言|的私信|挂嘴边|挂在嘴边)")
FORBID_REACH = 48  # characters before a word that the prohibitions are looked for in (bounds the work per word)
# 别拿“脑瘫”骂人: the word as the tool of an insult the speaker forbids
_FORBIDDEN_TOOL = re.compile(r"(?:别|不要|不许|不准|请勿)(?:再)?(?:拿|用|把)[“\"'‘]?$")
_USED_TO_INSULT = re.compile(r"[”\"'’]?(?:来|去)?(?:骂|形容|称呼|叫|开玩笑|当)")
_TOOL_QUOTED = re.compile(r"(?:拿|用)[“\"'‘]$")
_USED_AGAINST = re.compile(r"[”\"'’](?:来|去)?(?:一棍子打死|扣帽子|贴标签|说事|攻击|嘲笑|骂|形容|代指|概括)")
_PROHIBITED_ACT = re.compile(r" (?:be|act|get|go|play|sit|hang|stand|talk to|listen to) ")
SHELL_TYPES = ("rhetoric", "wish", "death", "dehumanize", "threat", "implied")
# cues of harm that an everyday idiom holds without meaning it (shoot you an email, 帅死了, beat you at chess)
IDIOM_HIDES = ("threat", "implied", "death", "verb", "hurtact", "dieact", "sexual", "harass")


@dataclass(slots=True)
class Analysis:
    """Cues of one normalized text, with its clauses, sentences and quoted stretches (those three
    are found on first use: most texts never need them)."""

    text: str
    cues: Sequence[Cue]
    by_type: dict[str, list[Cue]] = field(default_factory=dict)
    _clauses: list[int] | None = None
    _sentences: list[int] | None = None
    _quotes: list[tuple[int, int]] | None = None
    _in_idiom: Callable[[int, int], bool] | None = None
    _not_people: frozenset[tuple[str, int]] | None = None
    doc: Document | None = None  # the text's document, where names are looked up (on first use)
    _names: list[Cue] | None = None

    @classmethod
    def of(cls, text: str, cues: Sequence[Cue], doc: Document | None = None) -> Analysis:
        by_type: dict[str, list[Cue]] = {}
        if not cues:
            return cls(text, cues, by_type, doc=doc)
        get = by_type.get
        for cue in cues:
            kept = get(cue.type)
            if kept is None:
                by_type[cue.type] = [cue]
            elif len(kept) < MAX_PER_TYPE:
                kept.append(cue)
        if "selfdesc" in by_type and "third" in by_type:
            _drop_third_inside_selfdesc(by_type)
        if "you" in by_type:
            _indefinite_to_third(text, by_type)
            if "self" in by_type:  # yours truly: the speaker, not the reader
                selves = by_type["self"]
                _keep(by_type, "you", lambda c: not any(s.start <= c.start and c.end <= s.end for s in selves))
        if "本人" in text:
            _drop_in_person(text, by_type)
        if "neg" in by_type and "别" in text:
            _keep(by_type, "neg", lambda c: not _inside_word(text, c))
        if "ingroup" in by_type:
            _keep(by_type, "ingroup", lambda c: not _simile(text, c))
        if "report" in by_type and "role" in by_type:
            _drop_report_inside_pointed_role(text, by_type)
        if not text.isascii():
            _drop_words_inside_words_zh(text, by_type)
        if "meta" in by_type and text.isascii():
            _keep(by_type, "meta", lambda c: _IDIOMATIC_META.match(text, max(0, c.start - 6)) is None)
        if "idiom" in by_type:
            return cls(text, cues, by_type, _in_idiom=_drop_harm_inside_idioms(by_type), doc=doc)
        return cls(text, cues, by_type, doc=doc)

    @property
    def clauses(self) -> list[int]:
        if self._clauses is None:
            self._clauses = clause_bounds(self.text)
        return self._clauses

    @property
    def sentences(self) -> list[int]:
        if self._sentences is None:
            self._sentences = sentence_bounds(self.text)
        return self._sentences

    @property
    def quotes(self) -> list[tuple[int, int]]:
        if self._quotes is None:
            self._quotes = quoted_stretches(self.text)[:MAX_PER_TYPE]
        return self._quotes

    def in_idiom(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps an everyday idiom (``idiom`` cues; see :func:`idiom_test`)."""
        idioms = self.by_type.get("idiom")
        if not idioms:
            return False
        if self._in_idiom is None:
            self._in_idiom = idiom_test(idioms)
        return self._in_idiom(start, end)

    def of_type(self, *types: str) -> list[Cue]:
        out: list[Cue] = []
        for t in types:
            out.extend(self.by_type.get(t, ()))
        return out

    def has(self, *types: str) -> bool:
        return not self.by_type.keys().isdisjoint(types)

    def weight(self, cue_type: str) -> float:
        return sum(c.weight for c in self.by_type.get(cue_type, ()))

    def clause_of(self, pos: int) -> tuple[int, int]:
        clauses = self.clauses
        i = bisect_right(clauses, pos) - 1
        end = clauses[i + 1] if i + 1 < len(clauses) else len(self.text)
        return clauses[i], end

    def sentence_of(self, pos: int) -> tuple[int, int]:
        sentences = self.sentences
        i = bisect_right(sentences, pos) - 1
        end = sentences[i + 1] if i + 1 < len(sentences) else len(self.text)
        return sentences[i], end

    def quoted(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies inside quotation marks."""
        return any(qs <= start and end <= qe for qs, qe in self.quotes)

    def negated(self, start: int, reach: int | None = None, people: bool = False) -> bool:
        """Whether a negator ends shortly before ``start`` in the same clause; ``people``: the word names
        people by who they are (a slur), so "no" before it and a verb keeps them out instead."""
        negators = self.by_type.get("neg")
        if not negators or _IS_WHAT_ZH.match(self.text, start) is not None and not self.text[start:start + 1].isascii():
            return False
        lo, _ = self.clause_of(start)
        if reach is None:
            reach = NEG_REACH_EN if self.text[lo:start].isascii() else NEG_REACH_ZH
        # a negator inside a rhetorical question or a phrase of its own (信不信, 你咋不, 不得好死) negates nothing
        shells = self.of_type(*SHELL_TYPES)
        return any(
            lo <= c.start and c.end <= start
            and (start - c.end <= reach or start - c.end <= WHAT_REACH_ZH and _denies_what(self.text, c.end, start)
                 or self.text[c.start:c.end] in _NOBODY and _NOBODY_CALLS.fullmatch(self.text, c.end, start))
            and not any(r.start <= c.start and c.end <= r.end and r.end - r.start > c.end - c.start for r in shells)
            and not self._prohibits(c, start) and not self._excludes(c, start, people)
            and not (self.text[c.start:c.end] in _NOBODY and _NOBODY_ASSERTS.match(self.text, c.end))
            # 没素质的蠢货, 五音不全的丑八怪: it negates the attribute; 不是什么没人要的loser denies the whole of it
            and ("的" not in self.text[c.end:start] or _denies_what(self.text, c.end, start))
            and _NEW_SUBJECT.match(self.text, c.end, start) is None  # of course not, she is dumb
            # anything you don't ruin with that pathetic little brain: the negator denies the verb, not what follows
            and _PREPOSITION_PHRASE.search(self.text, c.end, start) is None
            for c in negators
        )

    def _excludes(self, negator: Cue, start: int, people: bool) -> bool:
        """Whether "no" right before a plural, or before a word and a verb, keeps people out (no dykes in our
        changing room, no immigrants here, no tranny is getting a dress) rather than denying a word (you're no
        idiot)."""
        if people and _WANT_NONE_ZH.fullmatch(self.text, negator.start, start):
            return True  # 我才不要那个二椅子医生给我看病: not wanting them, the word still names them
        if self.text[negator.start:negator.end] != "no" or not 0 < start - negator.end <= 1:
            return False
        word = _WORD_AT.match(self.text, start)
        if word is None:
            return False
        plural = word.group().endswith("s") and not word.group().endswith(("ss", "us", "is"))  # not talentless, anus
        return plural or people and _VERB_AFTER.match(self.text, word.end()) is not None

    def _prohibits(self, negator: Cue, start: int) -> bool:
        """Whether ``negator`` forbids an act rather than denying a word (别在这恶心人, 别跟那个瘸子一组, don't
        be such a moron: the word still describes someone); a speech verb between them makes it counter-speech
        (别叫他废物, don't call her a cow), which denies the word."""
        word = self.text[negator.start:negator.end]
        english = word in PROHIBITIVE_EN and _PROHIBITED_ACT.match(self.text, negator.end) is not None
        if word not in PROHIBITIVE_ZH and not english:
            return False
        if _SPEECH_AFTER.match(self.text, negator.end):
            return False
        return not any(negator.end <= m.start and m.end <= start for m in self.by_type.get("meta", ()))

    def person_near(self, start: int, end: int, types: Sequence[str] = PERSON_TYPES) -> Cue | None:
        """The person cue of the same clause nearest to ``[start, end)`` (before it preferred); a comma inside a list
        of adjectives (Seller is a thick, lying little weasel) does not end the clause."""
        lo, hi = self.clause_of(start)
        if lo and _ADJECTIVE_COMMA.search(self.text, max(0, lo - ADJECTIVE_REACH), lo):
            lo = self.clause_of(lo - 1)[0]
        best: tuple[float, Cue] | None = None
        not_people = self.not_people
        before: Cue | None = None  # the nearest addressee, third person or group before the words
        for cue in self.of_type(*types):
            if cue.start < lo or cue.end > hi:
                continue
            if not_people and (cue.type, cue.start) in not_people:
                continue
            if cue.start >= start and cue.end <= end:
                distance = -1.0  # the phrase itself names the person (弄死你, kill yourself)
            elif cue.end <= start:
                distance = start - cue.end
            elif cue.start >= end:
                distance = (cue.start - end) + 0.5
            else:
                continue
            if best is None or distance < best[0]:
                best = (distance, cue)
            if distance >= 0 and cue.end <= start and cue.type in SUBJECT_TYPES and (
                    before is None or cue.start > before.start):
                before = cue
        if best is not None and best[1].start >= end and best[1].type in AFTER_TYPES:
            # you are the dumbest person i have ever met, you are the dumbest coworker: the speaker after the word
            # is in a relative clause, a role after it is the predicate that names the subject (also a name:
            # Mark is the dumbest person I have ever worked with)
            subject = before or self._name_before(lo, start) or self._owned_subject(lo, start)
            if subject is not None:
                return subject
        if best is None:
            return self._name_before(lo, start)  # Declan from accounts is the most useless person
        return best[1]

    def _owned_subject(self, lo: int, start: int) -> Cue | None:
        """A first-person possessive in ``[lo, start)`` (Our GM is a spineless little worm who'd sell us out): the
        one the speaker names by what they are to them, a third person, not the speaker."""
        owner = next((c for c in self.by_type.get("poss", ())[:MAX_PER_TYPE] if lo <= c.start and c.end <= start), None)
        return None if owner is None else Cue("role", owner.start, owner.end, owner.weight, owner.phrase)

    def _name_before(self, lo: int, start: int) -> Cue | None:
        """The last name (:mod:`clearspace.verdict.names`, found in ``doc`` on first use) in ``[lo, start)``."""
        if self._names is None:
            self._names = name_cues(self.doc) if self.doc is not None else []
        names = [c for c in self._names if lo <= c.start and c.end <= start]
        return names[-1] if names else None

    @property
    def not_people(self) -> frozenset[tuple[str, int]]:
        """``(type, start)`` of person cues that name nobody the words could be aimed at (found once per
        text): a possessive (our landlord's nephew), a first person owning the role after it (我们组长,
        我的室友) and a role before a possessive 's, also with a name between (the ref's call was a disgrace,
        Mayor Pettibone's decision was a disgrace: it is about what the person owns or did)."""
        if self._not_people is None:
            owners = {(c.start, c.end) for c in self.by_type.get("poss", ())}
            roles = self.by_type.get("role", ())
            role_starts = {c.start for c in roles}
            skipped = {(c.type, c.start) for c in self.of_type("we", "self")
                       if (c.start, c.end) in owners or (role_starts and self._owns_role(c, role_starts))}
            skipped.update(("role", c.start) for c in roles if _OWNER_AFTER.match(self.text, c.end))
            # 死肥宅 离我远点, 楼上的煞笔别回我了: 我 as the object of what the addressee should stop doing
            skipped.update(("self", c.start) for c in self.by_type.get("self", ())[:MAX_PER_TYPE]
                           if self.text[c.start:c.end] == "我"
                           and self.text[max(0, c.start - 2):c.start].endswith(LEAVE_ME_ALONE_VERBS))
            self._not_people = frozenset(skipped)
        return self._not_people

    def _owns_role(self, cue: Cue, role_starts: set[int]) -> bool:
        """Whether a first-person cue is the owner of a role right after it (我们组长, 我的室友, our coach)."""
        return any(cue.end + len(link) in role_starts and self.text.startswith(link, cue.end) for link in OWNER_LINKS)

    def forbidden_name(self, start: int, end: int) -> bool:
        """Whether the words at ``[start, end)`` are a name the speaker tells people to stop calling someone
        (别管腿脚不方便的师傅叫瘸子, 请别再把精神科病人叫疯子, 别拿“脑瘫”骂人): mentioned, not used."""
        lo = max(self.clause_of(start)[0], start - FORBID_REACH)
        if _FORBIDDEN_CALLING.search(self.text, lo, start):
            return True
        tool = _FORBIDDEN_TOOL.search(self.text, lo, start)
        if tool is not None and _USED_TO_INSULT.match(self.text, end) is not None:
            return True
        # 拿“凤凰男”一棍子打死所有农村男生: the quoted word as the tool people brandish against others
        return _TOOL_QUOTED.search(self.text, lo, start) is not None and _USED_AGAINST.match(self.text, end) is not None

    def forbids_calling(self, start: int) -> bool:
        """Whether the speaker tells people to stop calling anyone the word at ``start`` (don't call him a faggot,
        stop calling people retards): a negation of its use that reaches further than a negator before a slur."""
        lo = max(self.clause_of(start)[0], start - FORBID_REACH)
        return _FORBIDDEN_CALLING_EN.search(self.text, lo, start) is not None

    def reported_word(self, start: int, end: int) -> bool:
        """Whether the words at ``[start, end)`` are in quotation marks after a verb of saying or writing in their
        clause (my FIL calls my wife a 'stupid bitch', guys wrote 'dyke' on my locker): what someone else said,
        reported, not the speaker's own word."""
        quote = self._quote_of(start, end)
        if quote is None:
            return False
        verb = self._saying_before(quote[0])
        if verb is not None:
            # the speaker's own saying is no report (I said you're a 'moron', 我就骂他“废物”)
            return not self._speaker_before(verb.start())
        return _THIS_TALK_ZH.match(self.text, quote[1]) is not None  # “女娃就是赔钱货”这话…

    def speaker_said(self, start: int, end: int) -> bool:
        """Whether the words at ``[start, end)`` are in quotation marks after the speaker's own verb of saying (I
        said you're a 'moron', 我就骂他“废物”): the speaker's word, quoted."""
        quote = self._quote_of(start, end)
        verb = None if quote is None else self._saying_before(quote[0])
        return verb is not None and self._speaker_before(verb.start())

    def _quote_of(self, start: int, end: int) -> tuple[int, int] | None:
        return next(((qs, qe) for qs, qe in self.quotes if qs <= start and end <= qe), None)

    def reports_a_quote(self) -> bool:
        """Whether a quote of the text is what someone other than the speaker said or wrote: a verb of saying before
        it in its clause ("Whoever wrote 'someone find out where he lives' under the video", 有人私信我“…”) or an
        attribution after it ("'Do everyone a favor and kill yourself' is what one of you wrote")."""
        for q_start, q_end in self.quotes[:FEW_QUOTES]:
            verb = self._saying_before(q_start)
            if verb is not None and not self._speaker_before(verb.start()) or ATTRIBUTION.match(self.text, q_end) \
                    or _THIS_TALK_ZH.match(self.text, q_end):
                return True
        return False

    def _saying_before(self, quote_start: int) -> re.Match[str] | None:
        """The verb of saying or writing before a quote, in its clause."""
        lo, _ = self.clause_of(quote_start)
        window = max(lo, quote_start - SAYING_REACH)
        return _last(_SAYING_EN, self.text, window, quote_start) or _SAYING_ZH.search(self.text, window, quote_start)

    def speaker_before(self, pos: int) -> bool:
        """Whether the speaker stands right before ``pos`` as the one who says (I told, 我就骂他)."""
        return self._speaker_before(pos)

    def _speaker_before(self, pos: int) -> bool:
        return _SPEAKER_SAYS.search(self.text, max(0, pos - SPEAKER_REACH), pos) is not None

    def said_by_anyone(self, start: int) -> bool:
        """Whether the word at ``start`` is what anyone who says it says (anyone calling Sgt. Okafor a coward
        wasn't there, whoever said Ciarán's a waste of oxygen is dead wrong): the speaker speaks of the sayers."""
        return _ANYONE_SAYING.search(self.text, max(0, start - SAYING_REACH), start) is not None

    def named_as_speech(self, end: int) -> bool:
        """Whether the words ending at ``end`` are named as talk or as a crime (drop the vermin talk, the
        "lazy" trope, “蟑螂”这种说法, 开盒是违法的): mentioned, not used."""
        m = _SPEECH_NOUN.match(self.text, end)
        if m is None:
            return False
        # "you're a talentless joke": after "is a", a joke is what someone is called, not the talk
        return not m.group().endswith(" joke") or _CALLED_A.search(self.text, max(0, end - 40), end) is None

    def target_of_span(self, start: int, end: int) -> str:
        """Who the words at ``[start, end)`` are aimed at: the nearest person in their clause, else
        the nearest in the text (an insult after 楼主, in the next clause, is still aimed at 楼主)."""
        cue = self.person_near(start, end)
        if cue is None:
            cue = self.person_anywhere(start, end)
        if cue is None and (self._speaker_in_sentence(start) or self._only_speaker_acted_on()):
            return "self"  # Such a fucking idiot, locked myself out again: nobody else is named
        return TARGET_OF[cue.type] if cue else "none"

    def _speaker_in_sentence(self, start: int) -> bool:
        """Whether the sentence of ``start`` names the speaker as the one acted on or described (myself,
        me, 我自己) where the text names nobody else."""
        lo, hi = self.sentence_of(start)
        return any(lo <= c.start and c.end <= hi and self.text[c.start:c.end] in REFLEXIVE
                   for c in self.of_type("self", "selfdesc"))

    def _only_speaker_acted_on(self) -> bool:
        """Whether the text names nobody but the speaker, whom it names as the one acted on (locked myself
        out again. Absolute idiot.): an insult in another sentence that names nobody is theirs too."""
        return not self.has("you", "third", "group", "role") and any(
            self.text[c.start:c.end] in STRICT_REFLEXIVE for c in self.of_type("self", "selfdesc"))

    def person_anywhere(self, start: int, end: int) -> Cue | None:
        """The addressee, third person or group of the whole text nearest to ``[start, end)``."""
        best: tuple[int, Cue] | None = None
        for cue in self.of_type("you", "third", "group"):  # the speaker is named only in the same clause
            distance = start - cue.end if cue.end <= start else cue.start - end
            if distance >= 0 and (best is None or distance < best[0]):
                best = (distance, cue)
        return best[1] if best else None


def quoted_stretches(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` stretches between matching quotation marks (one level, linear time).

    ASCII single quotes count where they stand as quotation marks, not apostrophes: one opens before a
    word and after none ('kys' messages, called immigrants 'vermin'), one closes after a word and before
    none, within ``SINGLE_QUOTE_REACH`` characters (you're, dogs' bowls and rock 'n' roll open nothing).
    """
    out: list[tuple[int, int]] = []
    closing = ""
    opened = -1
    for mark in _MARKS.finditer(text):
        i, ch = mark.start(), mark.group()
        if opened >= 0:
            if ch == closing and (ch != "'" or _closes_single(text, i)):
                out.append((opened + 1, i))
                opened = -1
                continue
            if ch == "\n" or (closing == "'" and i - opened > SINGLE_QUOTE_REACH):
                opened = -1
            else:
                continue
        if ch in _QUOTE_PAIRS:
            opened, closing = i, _QUOTE_PAIRS[ch]
        elif ch == "'" and _opens_single(text, i):
            opened, closing = i, "'"
    return out


def _opens_single(text: str, i: int) -> bool:
    return (i == 0 or not _is_word(text[i - 1])) and i + 1 < len(text) and _is_word(text[i + 1])


def _closes_single(text: str, i: int) -> bool:
    return not text[i - 1].isspace() and (i + 1 == len(text) or not _is_word(text[i + 1]))


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _inside_word(text: str, cue: Cue) -> bool:
    """Whether a negator 别 is part of a word that negates nothing (别人, 特别, 区别, 性别 ...)."""
    if cue.phrase != "别":
        return False
    return text.startswith(_NOT_NEG_AFTER, cue.end) or (cue.start > 0 and text[cue.start - 1] in _NOT_NEG_BEFORE)


def _drop_harm_inside_idioms(by_type: dict[str, list[Cue]]) -> Callable[[int, int], bool]:
    """Leave out the cues of harm that overlap an everyday idiom (``idiom`` cues): the violent word of
    "I'll shoot you an email" or "你今天帅死了" threatens nobody. A harm cue outside every idiom stays.
    Returns the overlap test (:func:`idiom_test`), which the analysis keeps."""
    inside = idiom_test(by_type["idiom"])
    for kind in IDIOM_HIDES:
        _keep(by_type, kind, lambda c: not inside(c.start, c.end))
    return inside


def _keep(by_type: dict[str, list[Cue]], kind: str, keep: Callable[[Cue], bool]) -> None:
    """Keep only the cues of ``kind`` that ``keep`` accepts (the type goes when none is left)."""
    found = by_type.get(kind)
    if not found:
        return
    kept = [c for c in found if keep(c)]
    if len(kept) == len(found):
        return
    if kept:
        by_type[kind] = kept
    else:
        del by_type[kind]


def idiom_test(idioms: Sequence[Cue]) -> Callable[[int, int], bool]:
    """Whether ``[start, end)`` overlaps one of ``idioms`` (cues in scan order, sorted by start): a binary
    search over their starts and the furthest end so far, so a hostile text full of idioms stays linear."""
    starts = [i.start for i in idioms]
    reach: list[int] = []
    furthest = -1
    for i in idioms:
        furthest = max(furthest, i.end)
        reach.append(furthest)

    def inside(start: int, end: int) -> bool:
        k = bisect_left(starts, end)  # idioms [0, k) start before the span ends
        return k > 0 and reach[k - 1] > start

    return inside


_GIVE_ME_ORDER = re.compile(r"(?:滚|闭嘴|站住|听好|记住|老实|安分|等着|出去)")
_KEPT_OUT_OF = re.compile(r"\bout\s{1,2}of\s{1,2}(?:our|my|this)\s{1,2}$")
_MONTH = re.compile(r"\b(?:in|since|until|till|by|this|last|next|early|late|mid|of|from|to)[\s-]march\b|"
                    r"\bmarch\s(?:\d|the\b)")


# not wanting or letting people of a kind (才不要那个, 不想让这种): the slur after it names them
_WANT_NONE_ZH = re.compile(r"(?:才|可)?不(?:要|想要|想让|让|准|许|愿意让)(?:那个|这个|那种|这种|那些|这些|什么)?")


def _simile(text: str, cue: Cue) -> bool:
    """Whether an in-group "as a" is the second half of a simile (dumb as a rock, thick as a plank): a word
    before it that does not introduce the speaker's role (speaking as a, and as a, but as a); whether "march"
    is the month (in March, March 3rd), not a march; or whether the cue is where someone is kept out of (stay out
    of our community)."""
    if cue.phrase == "march":
        return _MONTH.search(text, max(0, cue.start - 8), min(len(text), cue.end + 4)) is not None
    if _KEPT_OUT_OF.search(text, max(0, cue.start - 16), cue.start):
        return True  # stay out of our community: keeping someone out names no membership of the speaker's
    if cue.phrase not in ("as a", "as an"):
        return False
    before = _WORD_BEFORE.search(text, max(0, cue.start - 24), cue.start)
    return before is not None and before.group(1) not in INTRODUCE_ROLE


def _denies_what(text: str, end: int, start: int) -> bool:
    """Whether the words between a negator and an insult open with 什么 or 谁的 (不是什么没人要的loser, 哪是什么泼妇,
    不是谁的累赘): the negation denies the whole description, however long."""
    between = text[end:start]
    if between.startswith("是") and between.endswith("的") and "，" not in between and "," not in between:
        return True  # 你一点都不是小组的累赘: 不是 denies the whole "X的 word"
    return between.lstrip("是").startswith(("什么", "谁的"))  # 不是谁的累赘


def _drop_words_inside_words_zh(text: str, by_type: dict[str, list[Cue]]) -> None:
    """Drop cues that are part of another word or phrase: 靠 of 靠得住 (no oath), 抱抱 of 搂搂抱抱 (no
    support), 说 of 听说 (no talk about speech), 腿照 of 腿照样 (no photo), and 自己 after 往 in a text where the
    speaker never says 我
    (见啥都往自己兜里揣: the one talked about, not the speaker)."""
    if "exclaim" in by_type and "靠" in text:
        _keep(by_type, "exclaim", lambda c: text[c.start:c.end] != "靠" or _oath(text, c.start, c.end))
    if "support" in by_type and "搂搂抱抱" in text:
        _keep(by_type, "support", lambda c: c.start < 2 or not text.startswith("搂搂抱抱", c.start - 2))
    if "selfdesc" in by_type and "self" not in by_type and "往自己" in text:
        _keep(by_type, "selfdesc", lambda c: c.start == 0 or text[c.start - 1:c.end] != "往自己")
    if "meta" in by_type and "听说" in text:  # 听说你娃在…: hearing about someone is no talk about speech
        _keep(by_type, "meta", lambda c: c.start == 0 or text[c.start - 1:c.start + 1] != "听说")
    if "self" in by_type and "给我" in text:  # 外地狗都给我滚: 给我 before an order stresses it; 我 is no target
        _keep(by_type, "self", lambda c: not (c.start > 0 and text.startswith("给我", c.start - 1)
                                              and _GIVE_ME_ORDER.match(text, c.end)))
    if "neg" in by_type and "不过" in text:  # 不过是, 不过就是: "merely", no negation (not 不过分, 不过来)
        _keep(by_type, "neg", lambda c: not text.startswith(("不过是", "不过就是"), c.start))
    if "harass" in by_type and "照样" in text:  # 一条腿照样种大棚: 腿照 of 腿 + 照样 is no photo
        _keep(by_type, "harass", lambda c: not text.startswith("照样", c.end - 1))


def _drop_report_inside_pointed_role(text: str, by_type: dict[str, list[Cue]]) -> None:
    """Drop the report cues inside a person pointed at (that reporter, this journalist): the text is about that
    person, not a report."""
    pointed = [c for c in by_type["role"][:MAX_PER_TYPE] if text.startswith(("that ", "this "), c.start)]
    if pointed:
        _keep(by_type, "report", lambda r: not any(c.start <= r.start and r.end <= c.end for c in pointed))


def _drop_in_person(text: str, by_type: dict[str, list[Cue]]) -> None:
    """Drop the speaker cues of 本人 after someone named (她本人, 这个CEO本人就是): "in person" is that person;
    本人 names the speaker only where a clause starts with it."""
    for kind in ("self", "selfdesc"):
        _keep(by_type, kind, lambda c: not (c.phrase.startswith("本人") and c.start > 0
                                            and text[c.start - 1] not in CLAUSE_OPENERS))


def _indefinite_to_third(text: str, by_type: dict[str, list[Cue]]) -> None:
    """Read an addressee noun after an indefinite determiner or a passive marker as a third person
    (一名博主遭网友开盒, 某位主播, 遭读者开盒: a report speaks of someone, the agent of a passive is not the reader)."""
    yours = by_type["you"]
    moved = [c for c in yours if not c.phrase.isascii() and not c.phrase.startswith(("你", "您"))
             and _INDEFINITE_BEFORE.search(text, max(0, c.start - INDEFINITE_REACH), c.start) is not None]
    if not moved:
        return
    _keep(by_type, "you", lambda c: c not in moved)
    third = [*by_type.get("third", ()), *(c._replace(type="third") for c in moved)]
    by_type["third"] = sorted(third, key=lambda c: (c.start, c.end))


def _drop_third_inside_selfdesc(by_type: dict[str, list[Cue]]) -> None:
    """Drop third-person cues inside the speaker's description of themselves (这人 in 我这人, 这种人 in
    我这种人): the speaker is talking about themselves, not pointing at someone else."""
    own = sorted(by_type["selfdesc"], key=lambda c: c.start)
    starts = [c.start for c in own]
    reach: list[int] = []  # the furthest end among the self-descriptions starting up to each one
    for c in own:
        reach.append(max(c.end, reach[-1]) if reach else c.end)

    def inside(c: Cue) -> bool:
        i = bisect_right(starts, c.start) - 1
        return i >= 0 and reach[i] >= c.end

    _keep(by_type, "third", lambda c: not inside(c))


def _last(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    """The last match of ``pattern`` in ``text[start:end]``."""
    found = None
    for found in pattern.finditer(text, start, end):  # noqa: B007 - the last one is wanted
        pass
    return found
