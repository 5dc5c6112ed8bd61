"""The speaker's stance toward the harmful words in a text.

``attacking``           the words are the speaker's own, aimed at someone
``quoting_to_condemn``  the words are quoted or reported as said to someone, to object to them
                        (说别人是“废物”是不对的, 有人私信骂我傻逼, calling people retards is not ok)
``reporting``           news or an account of abuse (记者报道：主播遭网暴后报警, police arrested a man who ...)
``defending``           speech against discrimination or in support of a person (地域歧视要不得,
                        哪里都有好人, everyone deserves respect, 抱抱你，不是你的错)
``criticizing``         criticism of what someone did or runs, without abuse (售后拖了三个月不退款,
                        the mayor's policy is a disaster and he should resign): set by the verdict
``neutral``             none of these, and nothing harmful
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from clearspace.detectors.cues import Cue
from clearspace.types import Span
from clearspace.verdict.analysis import ATTRIBUTION, PROHIBITIVE_EN, PROHIBITIVE_ZH, Analysis

PROTECTIVE = frozenset({"quoting_to_condemn", "reporting", "defending"})
REPORT_MIN = 1.0
WISH_APART = 4  # characters between talk about abuse and a wish that is the speaker's own
STANCE_CUES = ("meta", "condemn", "report", "bias", "support", "neg")  # without any, a text only attacks or not
SUPPORT_MIN = 1.0
RHETORICAL_WHY = frozenset({"凭什么", "凭啥"})
GROUP_SUPPORT_REACH = 12  # characters from a group to the support it is the subject of (gay players deserve a safe)
BARE_SUPPORT = frozenset({"deserve", "deserves"})
# a group, then "belong(s) in/on/at" a place that is no put-down (trans people belong in comedy; not "women belong in
# the kitchen", "immigrants belong in cages")
_BELONG_EN = re.compile(r"(?:\s{1,2}[a-z-]{2,15}){0,2}?\s{1,2}belongs?\s{1,2}(?:in|on|at)\s{1,2}"
                        r"(?!(?:the\s{1,2}|a\s{1,2}|an\s{1,2}|their\s{1,2}|own\s{1,2})*"
                        r"(?:kitchen|zoo|cages?|prison|jail|camps?|asylum|hell|trash|bin|ditch|gutter|ground|"
                        r"chains|cells?|sea|ocean|ovens?|gas|graves?|mental|institution|basement|dirt|sewer|"
                        r"back|home\b|countr|their own))")
# after what people say: the people who say it
THOSE_WHO = ("的人", "的那些人", "的这些人", "的那几个人", "的那个人", "的那帮人", "的几个人")
SAYING = ("说", "骂", "叫", "讲")
# a clause that opens with someone saying something (有人在群里说…)
_SOMEONE_SAID = re.compile(r"\s{0,2}(?:还)?有人[^，,。！？!?；;“”\"]{0,10}?(?:说|骂|喊|讲|称|留言|评论)")
# saying it at every turn (张口就说, 动不动就骂, 一听到东北口音就说, 化个妆就叫): what others keep saying, held against
# them
_HABITUAL_SAYING = re.compile(r"(?:张口就|张嘴就|动不动就|开口就|一言不合就|一听到[^，,。！？!?；;]{0,10}就|"
                              r"一看到[^，,。！？!?；;]{0,10}就|一见到[^，,。！？!?；;]{0,10}就|"
                              r"[\u4e00-\u9fff]{1,2}个[\u4e00-\u9fff]{1,2}就)(?:说|骂|叫|喊|嚷嚷|扣)")
# a habit or a prohibition before the word and a verb of calling after it (别整天蝗虫蝗虫的叫)
_HABIT_BEFORE = re.compile(r"(?:别|不要|整天|天天|老是|总是|动不动就)")
_CALLED_AFTER = re.compile(r"[^，,。！？!?；;]{0,6}?(?:的|地)?(?:叫|喊|骂)")
# why / how would you say ...: asking someone why they say it, the word theirs
_ASKED_SAYING_EN = re.compile(r"\b(?:why|how)\b[^.!?]{0,20}?\b(?:would|do|does|did|could|can)\s{1,2}"
                              r"(?:you|u|people|they|anyone|someone)\s{1,2}(?:say|call|think)\b")
_CLAUSE_ENDS = frozenset("，,。！？!?；;")
# a group, then "what's wrong with that?" (外地人怎么了？, 胖子点炸鸡怎么了？): the speaker stands up for them
_WHATS_WRONG_ZH = re.compile(r"[^，,。！？!?；;]{0,8}?(?:怎么了|咋了|怎么啦|又怎样|又怎么样)\s{0,2}[？?]")
# a group, then "why can't they …?" (女人怎么就不能搞电商了？, 残疾人凭什么不能当主播？): the speaker stands up for them
_WHY_NOT_ZH = re.compile(r"[^，,。！？!?；;]{0,6}?(?:怎么就不能|凭什么不能|为什么不能|咋就不能|怎么不能|凭啥不能)"
                         r"(?!闭嘴|安分|消停|滚|少说|老实|要点脸|懂点事|正常点|省点心)"  # 女人怎么就不能闭嘴: a jab
                         r"[^，,。！？!?；;]{1,12}?[了吗呢啦]?\s{0,2}[？?]")
PROHIBITIVE = PROHIBITIVE_ZH | PROHIBITIVE_EN
FORBID_REACH = 24  # characters from a prohibition to the bias it forbids (别动不动就排外, don't be so racist)
# 别跟我说什么歧视, don't talk to me about racism: the talk of bias is what is waved away, not the bias
_TALK_BETWEEN = re.compile(r"说|讲|提|扯|谈|\b(?:talk|tell|say|lecture|give)")
_OWN_TALK_EN = re.compile(r"(?:told|texted|messaged|dm'?d|asked|said|wrote|sent)\b")
_OWN_DOING_EN = re.compile(r"(?:commenting|messaging|texting|dming|posting|replying)\b")
_OWN_OFFER_EN = re.compile(r"\bi(?:'d|'ll|\s{1,2}will|\s{1,2}would|\s{1,2}can|\s{1,2}could|'m\s{1,2}gonna)\b")
UNQUOTED_CUES = 16  # cues looked at to tell the speaker's own words from quotes: bounds the work on hostile text


def stance(an: Analysis, attacks: Sequence[tuple[Span, str]], harmful: bool) -> str:
    """The stance of a text, given its attack spans (normalized offsets) and their targets."""
    if not attacks and not an.has(*STANCE_CUES) and not _belongs(an):
        return "attacking" if harmful else "neutral"  # most texts: nothing quoted, reported or defended
    direct = [span for span, target in attacks if target == "addressee" and not quoted_words(an, *span)]
    if not direct and _news(an):
        return "reporting"  # 一男子留言让邻居“去跳河”，被法院判令公开道歉: quoted words in a report
    if (attacks or an.quotes) and _quotes_to_condemn(an, attacks):
        return "quoting_to_condemn"
    if an.weight("report") >= REPORT_MIN and not direct:
        return "reporting"
    if _defends(an, attacks):
        return "defending"
    if harmful or attacks:
        return "attacking"
    if an.has("meta") and an.has("condemn"):
        return "quoting_to_condemn"
    return "neutral"


def _quotes_to_condemn(an: Analysis, attacks: Sequence[tuple[Span, str]]) -> bool:
    """Every attack is quoted or reported speech, and the text objects to it or reports receiving it."""
    objects = an.has("condemn", "meta", "neg", "report", "support", "bias") or _attributed(an, attacks)
    if not objects and not (attacks and all(_said_by_others(an, *span) for span, _ in attacks)):
        return False
    if not attacks:  # only the model objects: quoted words with speech about them and an objection
        return an.has("meta", "bias") and an.has("condemn", "report", "support")
    for (start, end), _ in attacks:
        if quoted_words(an, start, end) or _said_by_others(an, start, end):
            continue
        lo, _ = an.clause_of(start)
        # 被骂两句就受不了的话建议直接上天台跳楼: advice of the speaker's own (直接, you should) well after the
        # talk, not the advice the talk reports (telling someone to go die)
        wishes = [w for w in an.of_type("wish") if not an.quoted(w.start, w.end)]  # not the quoted 'just go die'
        if not any(lo <= c.start and c.end <= start and not _describes_someone(an.text, c.end, start)
                   and not any(c.end + WISH_APART <= w.start <= start for w in wishes) and not _own_talk(an, c, start)
                   for c in an.of_type("meta")):
            return False
    return True


def _own_talk(an: Analysis, cue: Cue, start: int) -> bool:
    """Whether talk about speech is the speaker's own telling of the harmful words at ``start``: "I told", or a
    sentence that opens with the verb and no subject, then an order (told him to) or the speaker's own offer (Told
    the receptionist I'd pay her rent if she sends me nudes; not "told the mods he keeps sending me nudes")."""
    lo, _ = an.sentence_of(cue.start)
    opens = not an.text[lo:cue.start].strip()
    if opens and _OWN_DOING_EN.match(an.text, cue.start):
        return True  # Commenting every day until you send me nudes: the speaker's own doing, no report
    told = (opens and _OWN_TALK_EN.match(an.text, cue.start) is not None) or an.speaker_before(cue.start)
    return told and (cue.phrase.endswith(" to") or _OWN_OFFER_EN.search(an.text, cue.end, start) is not None)


def _describes_someone(text: str, end: int, start: int) -> bool:
    """Whether talk about abuse ending at ``end`` is a relative clause that describes the one the words at ``start``
    are aimed at (那个抢座还骂人的大妈怎么还不死: 骂人的 says what she did, it quotes nothing)."""
    return text.startswith("的", end) and end + 1 < start and text[end + 1] not in _CLAUSE_ENDS


def _said_by_others(an: Analysis, start: int, end: int) -> bool:
    """Whether the words are named as what some people say (说残疾人是社会寄生虫的人, 骂别人废物的那些人):
    a verb of saying before them in their clause and "的人" right after them; or what someone said, their
    clause opening with 有人 and a verb of saying (有人在群里说外地人都是蟑螂)."""
    lo, _ = an.clause_of(start)
    text = an.text
    if _SOMEONE_SAID.match(text, lo, start) or an.reported_word(start, end) \
            or _HABITUAL_SAYING.search(text, lo, start):
        return True  # …or quoted after a verb of saying (被室友骂“垃圾玩意儿”, calls my wife a 'stupid bitch')
    last = an.clause_of(max(start, end - 1))[0]  # a finding's span may run from the group to the word
    if _HABIT_BEFORE.search(text, last, end) and _CALLED_AFTER.match(text, end):
        return True  # 别整天蝗虫蝗虫的叫: a word others keep calling people, the verb after it
    if _ASKED_SAYING_EN.search(text, an.sentence_of(start)[0], start):
        return True  # why tf would u say mexicans breed like roaches??
    if text.startswith("的", end) and text[end + 1:end + 2] in _CLAUSE_ENDS \
            and any(v in text[lo:start] for v in SAYING):
        return True  # 评论区说日本人都是畜生的，…: the clause names those who say it
    # the quote that holds the words, or their last words (说外地保姆是“一群蝗虫”的那位: the finding runs from 保姆)
    closing = next((q_end for q_start, q_end in an.quotes if q_start <= max(start, end - 1) and end <= q_end), -1)
    after = closing + 1 if closing >= 0 else end  # 说“河南人就是一群老鼠”的人
    # 那个说“河南人开车都跟牲口一样”的，先看看你自己: quoted words with 的 after them name the one who said them
    tails = THOSE_WHO + ("的",) if closing >= 0 else THOSE_WHO
    return any(an.text.startswith(tail, after) for tail in tails) and any(v in an.text[lo:start] for v in SAYING)


def _attributed(an: Analysis, attacks: Sequence[tuple[Span, str]]) -> bool:
    """Whether every attack is quoted and a quote is attributed to someone right after it (told a crew member
    to "go kill yourself," the airline said / "..." she wrote): reported speech, not the speaker's own."""
    if not attacks or not all(quoted_words(an, *span) for span, _ in attacks):
        return False
    text = an.text
    return any(ATTRIBUTION.match(text, end) for _, end in an.quotes)


def quoted_words(an: Analysis, start: int, end: int) -> bool:
    """Whether the harmful words of an attack span are quoted: the whole span, its last words (a
    combination's span runs from the person named to the quoted predicate: called migrants "rats") or its
    first (an implied threat's span runs from the quoted 我知道你住哪 to the 小区 of the report around it)."""
    return an.quoted(start, end) or (end > start and (an.quoted(end - 1, end) or an.quoted(start, start + 1)))


def _defends(an: Analysis, attacks: Sequence[tuple[Span, str]]) -> bool:
    """Against discrimination, or for a person, with no direct attack outside quotes."""
    if any(target in ("addressee", "third_person", "group") and not an.quoted(*span) for span, target in attacks):
        return False
    if an.has("contrast") and any(c.phrase not in RHETORICAL_WHY for c in an.of_type("contrast")):
        return False  # 不是歧视，但是…, I'm not racist but…: the second half is the point (凭什么 only asks why)
    prohibitions = _prohibitions(an)
    for bias in an.of_type("bias")[:UNQUOTED_CUES]:
        lo, hi = an.sentence_of(bias.start)
        if any(lo <= c.start and c.end <= hi for c in an.of_type("condemn", "support")):
            return True
        if prohibitions and _forbidden(an, prohibitions, bias.start):
            return True  # 别动不动就排外, don't be racist: forbidding the bias
    if prohibitions and any(_WHATS_WRONG_ZH.match(an.text, c.end) for c in an.of_type("group")[:UNQUOTED_CUES]):
        return True  # 胖子点炸鸡怎么了？…别拿身材评判人
    if "不能" in an.text and any(_WHY_NOT_ZH.match(an.text, c.end) for c in an.of_type("group")[:UNQUOTED_CUES]):
        return True  # 女人怎么就不能搞电商了？: asking why the group may not is standing up for it
    strong_objection = any(c.weight >= 1.0 for c in an.of_type("condemn"))
    if strong_objection and an.has("group", "support"):
        return True  # immigrants built half the businesses here, stop blaming them
    return an.weight("support") >= SUPPORT_MIN or (an.has("group") and _group_supported(an))


def _belongs(an: Analysis) -> bool:
    """Whether a group is said to belong in a place that is no put-down (:data:`_BELONG_EN`)."""
    return "belong" in an.text and any(_BELONG_EN.match(an.text, g.end) for g in an.of_type("group")[:UNQUOTED_CUES])


def _group_supported(an: Analysis) -> bool:
    """Whether a group is said to belong or deserve safety right after it is named (gay climbers belong in every gym,
    trans teachers belong in our schools): the group is the subject of the support (a bare "deserve" says too little:
    they deserve what they get). English only: a Chinese clause puts more between them (男生在遇见gay之前都会
    保持尊重)."""
    if _belongs(an):
        return True
    groups = an.of_type("group")[:UNQUOTED_CUES]
    return bool(groups) and any(
        c.phrase not in BARE_SUPPORT and c.phrase.isascii()
        and any(0 <= c.start - g.end <= GROUP_SUPPORT_REACH and an.clause_of(g.start) == an.clause_of(c.start)
                for g in groups)
        and not an.negated(c.start)
        for c in an.of_type("support")[:UNQUOTED_CUES])


def _prohibitions(an: Analysis) -> list[Cue]:
    """The prohibitive negators of the text (别, 不要, don't; the first ones)."""
    return [n for n in an.of_type("neg")[:UNQUOTED_CUES] if an.text[n.start:n.end] in PROHIBITIVE]


def _forbidden(an: Analysis, prohibitions: Sequence[Cue], start: int) -> bool:
    """Whether one of ``prohibitions`` stands before ``start`` in its clause, forbidding it (别动不动就排外) rather
    than the talk of it (别跟我说什么歧视)."""
    lo, _ = an.clause_of(start)
    lo = max(lo, start - FORBID_REACH)
    return any(lo <= n.start and n.end <= start and _TALK_BETWEEN.search(an.text, n.end, start) is None
               for n in prohibitions)


def unquoted(an: Analysis, *types: str) -> bool:
    """Whether a cue of one of ``types`` stands outside quotation marks (the speaker's own words)."""
    return any(not an.quoted(c.start, c.end) for c in an.of_type(*types)[:UNQUOTED_CUES])


def _news(an: Analysis) -> bool:
    """A report in the third person: report words, and no "I" or "you" of the speaker's own."""
    return an.weight("report") >= REPORT_MIN and not unquoted(an, "self", "you", "we")


def settle(an: Analysis, st: str, target: str, negated: bool) -> str:
    """The stance of a text the verdict found harmless, where :func:`stance` saw nothing to weigh.

    Which position the speaker takes still matters to the reader of a case or a statement of reasons:
    quoting to object (有人留言“去跳河算了”，这种话会压垮一个人), reporting (警方已立案调查), defending a
    person with a negated insult (你不是累赘, he isn't lazy) or a group against a stereotype.
    ``negated`` says whether the text negates an insulting word or the model's reading of one.
    The verdict does not depend on this: it only names the stance of a text already found harmless.
    """
    if st != "neutral":
        return st
    if _news(an):
        return "reporting"  # 女子收到短信称“我知道你住哪”，警方已立案: the quoted 你 is not the reader
    if an.has("meta", "condemn", "neg", "support", "report") and an.quotes:
        return "quoting_to_condemn"
    if an.weight("report") >= REPORT_MIN:
        return "reporting"
    if negated and target in ("addressee", "third_person", "group"):
        return "defending"
    if an.has("bias") or (target == "group" and an.has("condemn", "support", "neg")):
        return "defending"
    return st
