"""Incitement to pile on or mass-report someone (网暴动员, 刷举报).

:class:`IncitementDetector` emits one ``incitement`` signal when a post calls on others to
attack, flood or mass-report a target: 大家去骂他, 兄弟们冲, 一起举报, 给我往死里骂, 帝吧出征,
"everyone report this account", "let's flood her mentions".

A hostile verb (骂, 冲, 举报, 爆破, 挂, report, flood, raid ...) scores on its own only a little;
the score rises with a call to action nearby (大家, 兄弟们, 一起, 都去, everyone, let's, go), a
target (他, 她, 这个人, @someone, this account, her mentions) and an imperative (去, 给我).
Fixed phrases (往死里骂, 让他社死, 帝吧出征, mass report, dogpile) score high by themselves.

Five things keep counter-speech and ordinary reporting quiet:

* a call inside quotation marks (有人在评论区喊“人肉她”) is someone else's: the verdict weighs the
  quoted words with the rest of the text;
* a negator earlier in the same clause (不要网暴, 别骂了, 请大家理性, "don't pile on") cancels
  the verb;
* a first-person subject without a call to action in its own clause (我已经举报了, 大家别跟风，我已经举报了,
  "I will report it") is one person's own action, not incitement;
* a third person right before the verb with no call to action (他骂她) is narration;
* a call to action followed in its clause by a plea for restraint (大家嘴下留情, "everyone, be kind")
  calls for calm, so it does not count.

Cue spans point into the original text. Nothing happens at import time; the patterns are
compiled on first use and kept in ``compiled_``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from clearspace.detectors.phrases import phrase_pattern
from clearspace.text.automaton import automaton
from clearspace.text.document import Document
from clearspace.types import Signal, Span
from clearspace.verdict.analysis import quoted_stretches

__all__ = ["IncitementDetector"]

# fmt: off
_STRONG: dict[str, float] = {
    "往死里骂": 0.85, "往死里喷": 0.85, "往死里打": 0.8, "骂到他删号": 0.8, "骂到她删号": 0.8,
    "让他社死": 0.8, "让她社死": 0.8, "让ta社死": 0.8, "帝吧出征": 0.9, "出征": 0.5,
    "冲了": 0.45, "冲啊": 0.45, "冲冲冲": 0.5, "冲爆": 0.6, "冲烂": 0.6, "冲塌": 0.6,
    "集体举报": 0.7, "批量举报": 0.7, "网暴他": 0.55, "网暴她": 0.55, "爆破评论区": 0.6,
    "mass report": 0.8, "mass-report": 0.8, "mass reporting": 0.7, "dogpile": 0.6,
    "dogpiling": 0.6, "brigade": 0.5, "brigading": 0.5,
    "人肉": 0.75, "人肉这个": 0.85, "全挖出来": 0.6, "扒出": 0.5, "扒出他": 0.6, "扒出她": 0.6,
    "给他点颜色看看": 0.85, "给她点颜色看看": 0.85, "点颜色看看": 0.7, "让他公司": 0.65, "让她公司": 0.65,
    "刷差评": 0.7, "退网为止": 0.8, "刷到他退网": 0.85, "刷到她退网": 0.85, "拉横幅": 0.55,
    "问候一下": 0.55, "去他评论区": 0.65, "去她评论区": 0.65, "粉丝们集合": 0.75, "弹幕里刷屏": 0.65,
    "you know what to do": 0.8, "go say hi": 0.65, "dox him": 0.9, "dox her": 0.9, "dox them": 0.85,
    "doxx him": 0.9, "doxx her": 0.9, "one-star reviews": 0.65, "1-star reviews": 0.65, "ruin her business": 0.75,
    "ruin his business": 0.75, "ruin her life": 0.75, "ruin his life": 0.75, "raid his": 0.7, "raid her": 0.7,
    "spam his": 0.65, "spam her": 0.65, "spam the chat": 0.6, "blow up her phone": 0.8, "blow up his phone": 0.8,
    "flood his": 0.7, "flood her": 0.7, "make her regret": 0.6, "make him regret": 0.6,
    # 3: one-star bombing, the target's family and employer called en masse, the drill everyone knows
    "全员去": 0.7, "全员出动": 0.65, "打一星": 0.6, "刷一星": 0.7, "都打一星": 0.7, "全部打一星": 0.75,
    "找他家里人": 0.7, "找她家里人": 0.7, "去找他家里人": 0.8, "去找她家里人": 0.8, "一起打电话": 0.65,
    "轮流打电话": 0.75, "打爆他电话": 0.8, "打爆她电话": 0.8, "去他单位": 0.7, "去她单位": 0.7,
    "给他单位打电话": 0.75, "给她单位打电话": 0.75,
    # 10: calls to the employer and complaints until someone is fired
    "打到她单位": 0.75, "打到他单位": 0.75, "她单位电话": 0.6, "他单位电话": 0.6, "投到他被开除": 0.8,
    "投到她被开除": 0.8, "被开除为止": 0.7, "让她领导": 0.55, "让他领导": 0.55,
    "you know the drill": 0.8, "you know the deal": 0.7, "one star on every": 0.7, "1 star on every": 0.7,
    "review bomb": 0.7, "review-bomb": 0.7, "getting him off the internet": 0.65,
    "getting her off the internet": 0.65, "make his life hell": 0.75, "make her life hell": 0.75,
    "fill his inbox": 0.7, "fill her inbox": 0.7, "call his boss": 0.7, "call her boss": 0.7,
    "email his boss": 0.7, "email her boss": 0.7, "tell his employer": 0.65, "tell her employer": 0.65,
    # 6: turning up where the target works or lives, finding out where they live, their other accounts
    "show up at his work": 0.75, "show up at her work": 0.75, "show up at his job": 0.75,
    "show up at her job": 0.75, "show up at his house": 0.8, "show up at her house": 0.8,
    "show up at his office": 0.75, "show up at her office": 0.75, "find out where he lives": 0.75,
    "find out where she lives": 0.75, "find out where this": 0.6, "post his address": 0.85,
    "post her address": 0.85, "under every single one of": 0.5, "去她小号": 0.65, "去他小号": 0.65,
    "小号底下刷": 0.7, "一块儿刷": 0.6, "一起刷": 0.6,
    # 15: going to the target's home or photos (大家有空可以上去找她“聊聊”, 去她自拍底下留言)
    "上去找她": 0.6, "上去找他": 0.6, "上门找她": 0.7, "上门找他": 0.7, "去她自拍底下": 0.7, "去他自拍底下": 0.7,
    "去她朋友圈": 0.65, "去他朋友圈": 0.65,
    # 19: a comment section made unusable, every review one-starred, a home posted in the replies
    "comment section unusable": 0.75, "one-star every": 0.7, "1-star every": 0.7, "post her home": 0.8,
    "post his home": 0.8, "rally the troops": 0.5,
    # 20: raids and comment floods, turning up at someone's door (组团上门, 堵他家门), opening someone's box (开盒:
    # exposing their identity) and exposing them to the whole web
    "call him nonstop": 0.8, "call her nonstop": 0.8, "hate raid": 0.8, "let's show her": 0.6, "let's show him": 0.6,
    "blow it up till": 0.7, "blow it up until": 0.7,
    "冲她评论区": 0.8, "冲他评论区": 0.8, "给我刷满": 0.75, "笔记底下": 0.6, "底下刷": 0.7, "组团上门": 0.8,
    "上门给她": 0.7, "上门给他": 0.7, "堵他家门": 0.75, "堵她家门": 0.75,
    "开盒": 0.7, "盒开了": 0.75, "开他的盒": 0.8, "开她的盒": 0.8, "全网曝光他": 0.75, "全网曝光她": 0.75,
}
# verb -> (base score, needs a target to count)
_VERBS: dict[str, tuple[float, bool]] = {
    "骂": (0.35, False), "喷": (0.3, False), "怼": (0.3, False), "冲": (0.35, False),
    "举报": (0.3, False), "爆破": (0.35, False), "挂": (0.25, True), "网暴": (0.3, False),
    "攻击": (0.25, False), "轰炸": (0.3, False), "刷屏": (0.25, False), "围攻": (0.4, False),
    "集合": (0.2, False), "人身攻击": (0.3, False), "投诉": (0.25, True),
    "report": (0.3, False), "attack": (0.25, False), "flood": (0.3, False), "spam": (0.3, False),
    "harass": (0.4, False), "go after": (0.35, False), "pile on": (0.4, False),
    "raid": (0.3, False), "ratio": (0.3, True), "tear apart": (0.3, False), "swarm": (0.35, False),
    "bombard": (0.3, False), "堵门": (0.3, False), "打过去": (0.3, True), "打电话过去": (0.3, True),
}
# verbs that, with nobody to go after, are as often cheering as a call (姐妹们冲, 兄弟们冲！ under a shopping haul or a
# road trip): without a target they score this much less, under what the verdict counts as an attack by itself
_UNTARGETED_PENALTY: dict[str, float] = {"冲": 0.15}
_CTA = (
    "大家", "兄弟们", "姐妹们", "家人们", "集美们", "各位", "大伙", "大伙儿", "朋友们", "老铁们",
    "一起", "都去", "都来", "都给我", "全体", "所有人", "我们去", "我们一起", "咱们", "跟我",
    "走起", "每人", "每个人", "everyone", "everybody", "all of you", "y'all", "yall", "let's", "lets", "let us",
    "guys", "folks", "go",
)
_IMPERATIVE = ("去", "快去", "赶紧", "给我", "速去", "立刻", "马上")
_TARGETS = (
    "他", "她", "ta", "他们", "她们", "这个人", "此人", "这人", "这货", "这b", "这狗", "这个号",
    "这个账号", "这博主", "该博主", "这主播", "评论区", "微博", "主页", "直播间", "超话", "账号", "放这了", "放这儿了",
    "him", "her", "them", "this account", "this guy", "this user", "this person", "this woman",
    "this man", "his mentions", "her mentions", "their mentions", "mentions", "his profile",
    "her profile", "his account", "her account", "the comments", "her stream", "his stream",
)
# targets that are places, never the subject of a verb after them (去他微博底下刷)
_PLACES = frozenset({"评论区", "微博", "主页", "直播间", "超话", "账号", "这个号", "这个账号", "放这了", "放这儿了"})
_NEGATORS = (
    "不要", "不许", "不准", "不能", "不可以", "不应该", "不该", "不去", "不想", "不会", "没必要",
    "别", "请勿", "勿", "切勿", "禁止", "停止", "拒绝", "反对", "抵制", "何必", "理性", "谴责",
    "没", "莫",
    "don't", "dont", "do not", "stop", "never", "no need to", "shouldn't", "should not",
    "against", "condemn", "not", "quit", "refuse to",
)
# pleas for restraint: a call to action whose clause holds one (大家嘴下留情, "everyone, be kind") calls for calm
_CALM = (
    "嘴下留情", "口下留德", "留点口德", "积点口德", "手下留情", "放过他", "放过她", "放过孩子", "善良一点", "冷静",
    "少说两句", "别太过分", "给他留点", "给她留点", "别跟风", "不要跟风", "别带节奏", "不要带节奏", "别转发",
    "不要转发", "别扩散", "不要扩散", "别起哄", "不要起哄", "be kind", "be nice", "calm down", "leave him alone",
    "leave her alone", "leave them alone", "go easy on", "cool it", "take it easy",
    # 16: advice for when it happens to the reader (姐妹们遇到这种直接举报): report it, not a pile-on
    "遇到这种", "遇到这样的", "碰到这种", "碰到这样的", "遇到类似", "if this happens to you", "if it happens to you",
    # 20: leave to scold the speaker (本人菜狗一只…大家随便骂); a report to an authority ("let's all report ChopDash's
    # unpaid wages to the labour ministry") is no pile-on
    "随便骂", "尽管骂", "随便喷", "尽管喷", "to the labour ministry", "to the labor board", "to the authorities",
    "to the police", "to the regulator", "to the ombudsman", "to trading standards", "to the ministry",
)
_IGNORE = (
    "其他", "吉他", "他人", "别人", "别的", "特别", "区别", "分别", "级别", "类别", "告别", "性别",
    "识别", "个别", "辨别", "差别", "别墅", "鉴别", "不要脸", "没想到", "没事", "没错",
    "冲突", "冲动", "冲浪", "冲锋", "冲洗", "冲击", "冲刺", "冲凉", "冲泡", "冲量", "冲破",
    "冲澡", "冲厕", "冲水", "冲奶", "冲印", "冲淡", "冲销", "冲账", "冲抵", "缓冲", "冲天",
    "冲上热搜", "冲榜", "对冲", "要冲", "冲着", "首当其冲", "怒发冲冠", "冲咖啡", "冲了个凉",
    "挨骂", "被骂", "骂名", "谩骂", "笑骂", "举报电话", "举报中心", "举报入口", "举报渠道",
    "举报方式", "举报邮箱", "举报按钮", "举报功能", "被举报", "举报人", "举报者", "举报信",
    "挂号", "挂机", "挂科", "挂断", "挂念", "挂钩", "牵挂", "挂件", "挂面", "挂历", "挂失",
    "挂靠", "挂牌", "挂彩", "挂帅", "外挂", "挂名", "挂职", "挂账", "集合体", "爆破音",
    "人肉是", "人肉都是", "人肉搜索类", "人肉类", "人肉属于", "人肉行为", "人肉违法", "人肉犯法", "人肉这种", "人肉的",
    "一起刷题", "一起刷剧", "一块儿刷题", "刷题", "刷剧", "刷副本", "刷步数", "刷夜",
    "骂醒我", "骂醒自己", "骂醒她", "骂醒他",
    # 20: what everyone thinks is no call (大家都觉得恶心); 开盒 named as an act
    "大家都觉得", "大家都说", "大家都知道", "开盒是", "开盒行为", "被开盒", "开盒的", "开盒违法", "开盒犯法",
    "开盒这种",
    # 19: abuse named as a noun (评论区涌入大量辱骂留言), not a call to abuse
    "辱骂留言", "辱骂评论", "辱骂信息", "辱骂私信", "辱骂短信", "辱骂电话", "辱骂性", "骂声", "骂战",
    "report card", "news report", "weather report", "bug report", "spam filter",
    "spam folder", "flood warning", "heart attack", "panic attack", "not only",
)
# fmt: on
_MENTION = r"(?<![a-z0-9._%+\-])@[^\s@，,。:：!！?？;；]{1,30}"
_CLAUSE = r"[，,、。！？!?；;\n…~～]"
_SENTENCE = r"[。！？!?；;\n…]"
_FIRST_PERSON = r"(?<!给)我(?!们)|已|(?<![a-z])i(?:'(?:ll|ve|m|d))?(?![a-z'])"
_NARRATION_OK = "把给去冲让往对向找骂"  # 把他挂出来 is not narration
_PASSIVE = re.compile(r"(?:被|挨|遭)[\u4e00-\u9fff]{0,4}$")  # 被骂, 又是被导师骂的一天: the speaker is the one scolded
_NEAR_CTA = 24
_NEAR_TARGET_AFTER = 16
_NEAR_TARGET_BEFORE = 12
_MAX_SPANS = 200


@dataclass(frozen=True, slots=True)
class _Tok:
    """One cue found in the normalized text."""

    cat: str
    start: int
    end: int
    word: str


@dataclass(frozen=True, slots=True)
class _Hit:
    """A verb or fixed phrase that counts, with its score and the cues behind it."""

    score: float
    toks: tuple[_Tok, ...]
    cta: bool
    target: bool


class _Index:
    """Cue tokens grouped by category and sorted by position, for range look-ups."""

    def __init__(self, toks: Sequence[_Tok]) -> None:
        self._toks: dict[str, list[_Tok]] = {}
        for tok in sorted(toks, key=lambda t: t.start):
            self._toks.setdefault(tok.cat, []).append(tok)
        self._starts = {cat: [t.start for t in ts] for cat, ts in self._toks.items()}

    def of(self, cat: str) -> list[_Tok]:
        return self._toks.get(cat, [])

    def within(self, cat: str, lo: int, hi: int) -> list[_Tok]:
        """Tokens of ``cat`` that start in ``[lo, hi)``."""
        starts = self._starts.get(cat, [])
        return self.of(cat)[bisect_left(starts, lo) : bisect_left(starts, hi)]

    def last_before(self, cat: str, pos: int) -> _Tok | None:
        """The last token of ``cat`` that starts before ``pos``."""
        i = bisect_left(self._starts.get(cat, []), pos)
        return self.of(cat)[i - 1] if i else None


@dataclass(frozen=True, slots=True)
class _Compiled:
    """Patterns and the phrase table, built on first use.

    ``has_gate_phrase`` finds the gate's phrases as plain substrings: where it finds none,
    the gate pattern cannot match, and the cheaper test comes first.
    """

    has_gate_phrase: Callable[[str], list[tuple[int, int, int]]]
    gate: re.Pattern[str]
    cues: re.Pattern[str]
    mention: re.Pattern[str]
    clause: re.Pattern[str]
    sentence: re.Pattern[str]
    first_person: re.Pattern[str]
    category: dict[str, str]


def _compile() -> _Compiled:
    table: dict[str, str] = {}  # phrase -> category; on a clash the earlier category wins
    for category, phrases in (
        ("ign", _IGNORE),
        ("strong", tuple(_STRONG)),
        ("neg", _NEGATORS),
        ("calm", _CALM),
        ("verb", tuple(_VERBS)),
        ("cta", _CTA),
        ("imp", _IMPERATIVE),
        ("tgt", _TARGETS),
    ):
        for phrase in phrases:
            table.setdefault(phrase, category)
    gate_phrases = (*_STRONG, *_VERBS)
    return _Compiled(
        has_gate_phrase=automaton(gate_phrases).find_matches_as_indexes,
        gate=re.compile(phrase_pattern(gate_phrases)),
        cues=re.compile(phrase_pattern(table)),
        mention=re.compile(_MENTION),
        clause=re.compile(_CLAUSE),
        sentence=re.compile(_SENTENCE),
        first_person=re.compile(_FIRST_PERSON),
        category=table,
    )


def _lower(text: str) -> str:
    """``text`` lowercased, unless lowercasing would change its length (and so its offsets)."""
    low = text.lower()
    return low if len(low) == len(text) else text


def _calls_for_calm(index: _Index, cta: _Tok, clauses: Sequence[int]) -> bool:
    """Whether a call to action is followed, in its own clause, by a plea for restraint (大家嘴下留情,
    "everyone, be kind"): it calls for calm, not for an attack. (A negator there may negate anything:
    大家不要怂 still calls on everyone.)"""
    i = bisect_right(clauses, cta.start)
    end = clauses[i] if i < len(clauses) else cta.end + 64
    return bool(index.within("calm", cta.end, end))


def _bounds(marks: Sequence[int], pos: int, length: int) -> Span:
    """The ``[start, end)`` of the stretch between punctuation marks that holds ``pos``."""
    i = bisect_right(marks, pos - 1)
    start = marks[i - 1] + 1 if i else 0
    end = marks[i] if i < len(marks) else length
    return start, end


class IncitementDetector:
    """Detect calls to pile on, flood or mass-report a target.

    ``min_score`` is the lowest score that is reported; below it no signal is emitted.
    """

    name = "incitement"
    # 2: more pile-on phrases (人肉, 刷差评, dox him, you know what to do); 3: 打一星, 找他家里人, you know the drill;
    # 4: a call to action followed by a plea for restraint (大家嘴下留情) is no call to attack
    # 5: a call to action in another clause does not make the speaker's own act (我已经举报) a call;
    # a call inside quotation marks (有人喊“人肉她”) is someone else's
    # 7: a passive with its agent (被导师骂), leave to scold the speaker (大家随便骂)
    version = "7"
    kinds = ("incitement",)
    compiled_: _Compiled

    def __init__(self, min_score: float = 0.45) -> None:
        self.min_score = min_score

    @property
    def _rx(self) -> _Compiled:
        compiled: _Compiled | None = getattr(self, "compiled_", None)
        if compiled is None:
            compiled = _compile()
            self.compiled_ = compiled
        return compiled

    def detect(self, doc: Document, context: Mapping[str, Any]) -> list[Signal]:
        """Return one ``incitement`` signal, or nothing."""
        text = _lower(doc.text)
        rx = self._rx
        if not text or not rx.has_gate_phrase(text) or rx.gate.search(text) is None:
            return []
        index = _Index(self._tokens(text))
        clauses = [m.start() for m in rx.clause.finditer(text)]
        sentences = [m.start() for m in rx.sentence.finditer(text)]
        fired = []
        quotes = quoted_stretches(text)
        for tok in (*index.of("verb"), *index.of("strong")):
            if quotes and any(qs <= tok.start and tok.end <= qe for qs, qe in quotes):
                continue  # 有人喊“人肉她”: a call in quotation marks is someone else's, which the verdict weighs
            hit = self._score(
                text, tok, index, _bounds(clauses, tok.start, len(text)), _bounds(sentences, tok.start, len(text)),
                clauses,
            )
            if hit is not None and hit.score >= self.min_score:
                fired.append(hit)
        return [self._signal(doc, fired)] if fired else []

    def _tokens(self, text: str) -> list[_Tok]:
        rx = self._rx
        toks = []
        for m in rx.cues.finditer(text):
            category = rx.category[m.group()]
            if category != "ign":
                toks.append(_Tok(category, m.start(), m.end(), m.group()))
        if "@" in text:
            toks += [_Tok("tgt", m.start(), m.end(), m.group()) for m in rx.mention.finditer(text)]
        return toks

    def _score(self, text: str, tok: _Tok, index: _Index, clause: Span, sentence: Span,
               clauses: Sequence[int]) -> _Hit | None:
        """Score one verb or fixed phrase, or ``None`` when it does not count."""
        negator = index.last_before("neg", tok.start)
        if negator is not None and negator.start >= clause[0]:
            return None
        cta = [t for t in index.within("cta", max(sentence[0], tok.start - _NEAR_CTA),
                                       min(sentence[1], tok.start + _NEAR_CTA + 1))
               if not _calls_for_calm(index, t, clauses)]
        imp = [
            t
            for t in index.within("imp", max(clause[0], tok.start - 8), tok.start)
            if t.end <= tok.start and tok.start - t.end <= 6
        ]
        targets = [
            t
            for t in index.within(
                "tgt",
                max(sentence[0], tok.start - _NEAR_TARGET_BEFORE - 32),
                min(sentence[1], tok.end + _NEAR_TARGET_AFTER + 1),
            )
            if 0 <= t.start - tok.end <= _NEAR_TARGET_AFTER or 0 <= tok.start - t.end <= _NEAR_TARGET_BEFORE
        ]
        # a call to action in another clause does not make the speaker's own act a call (大家别跟风，我已经举报)
        own_clause = [t for t in cta if clause[0] <= t.start < clause[1]]
        if not own_clause and self._is_own_or_narrated(text, tok, targets, clause, bool(imp), bool(cta)):
            return None
        if tok.cat == "strong":
            score = _STRONG[tok.word] + (0.1 if cta else 0.0) + (0.05 if targets else 0.0)
        else:
            base, needs_target = _VERBS[tok.word]
            if needs_target and not targets:
                return None
            score = base + (0.3 if cta else 0.0) + (0.2 if targets else 0.0) + (0.1 if imp else 0.0)
            if not targets:
                score -= _UNTARGETED_PENALTY.get(tok.word, 0.0)
        return _Hit(min(score, 0.99), (tok, *cta[:2], *targets[:2], *imp[:1]), bool(cta), bool(targets))

    def _is_own_or_narrated(
        self, text: str, tok: _Tok, targets: Sequence[_Tok], clause: Span, imperative: bool, called: bool = False
    ) -> bool:
        """我已经举报了 (one's own act), 他骂她 (narration) or 被骂 (passive); where a call to action stands in
        another clause (``called``), only the speaker's own act or the passive."""
        window = text[max(clause[0], tok.start - 12) : tok.start]
        if self._rx.first_person.search(window) or _PASSIVE.search(window):
            return True
        if called:
            return False
        subject = next((t for t in targets if t.end == tok.start and t.start >= clause[0] and t.word not in _PLACES),
                       None)  # 每条微博底下刷: a place is where the call points, not who acts
        if subject is None or imperative:
            return False
        prev = text[subject.start - 1] if subject.start > clause[0] else ""
        return prev == "" or prev not in _NARRATION_OK

    def _signal(self, doc: Document, fired: Sequence[_Hit]) -> Signal:
        spans = sorted({doc.to_original(t.start, t.end) for h in fired for t in h.toks})
        cues = sorted({t.word for h in fired for t in h.toks if t.cat in ("verb", "strong", "cta")})
        details = {
            "cues": cues,
            "call_to_action": any(h.cta for h in fired),
            "target": any(h.target for h in fired),
        }
        score = max(h.score for h in fired)
        return Signal("incitement", round(score, 4), tuple(spans[:_MAX_SPANS]), f"{self.name}@{self.version}", details)
