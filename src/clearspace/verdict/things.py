"""Whether an insulting word is said of a thing or an act rather than of a person.

"这sb系统又崩了", "煞笔天气", "这破游戏真sb", "it was a disgrace", "my boiler is a piece of shit": swearing at a
system, the weather, a game or what was done insults nobody. The test is narrow: the word right before a noun for
a thing (系统, 天气, 游戏 ...), or right after one with at most a degree word between (游戏真sb, 系统真他妈sb),
or after 这破 and a noun that names no person (这破匹配机制真他妈傻逼, not 这破主播), also exclaimed later in its
sentence (这破打印机又卡纸了，真他妈sb); in English, after
"it is / it was" (it was a disgrace), after a noun for a thing as the clause's subject (my boiler is a piece of
shit; not "the guy who fixed my car is ...") or right before one (piece of shit trail cam).
A person noun in the same place (sb玩家, sb策划) is not a thing.

Two more ways an English insulting word names nobody: inside a capitalised place name (the Blind Pig), and as an
oath opening a sentence that speaks to nobody (son of a bitch, I dropped my glasses down the drain).
"""

from __future__ import annotations

import re

from clearspace.types import Span
from clearspace.verdict.analysis import Analysis

# things people swear at: software and sites, devices, the weather, traffic, games and their parts, rules and tests
_THINGS_ZH = ("系统|天气|游戏|软件|app|APP|网站|网速|网络|电脑|手机|平台|机器|打印机|服务器|路况|交通|导航|客户端|页面|"
              "程序|bug|BUG|考试|作业|规定|剧情|结局|版本|更新|补丁|电梯|快递柜|自助机|售票机|密码锁|门锁|空调|冰箱|"
              "洗衣机|热水器|路由器|耳机|键盘|鼠标|充电器|插座|微波炉|投影仪|复印机|打卡机|扫描仪|收银机|取款机|"
              "试卷|卷子|题目|文档|表格|ppt|PPT|word|excel|wifi|WiFi")
_THING_AFTER_ZH = re.compile(r"的?破?(?:抢票|报名|预约|挂号|选课)?(?:" + _THINGS_ZH + ")")
_DEGREE_ZH = r"(?:真|太|好|也太|真的|是真的|简直|就是|纯纯)?(?:是个|是一个|一个|个)?(?:他妈的?|tm|TM)?(?:的)?$"
_THING_BEFORE_ZH = re.compile(r"(?:" + _THINGS_ZH + r")(?:是)?" + _DEGREE_ZH)
# 这破匹配机制真他妈傻逼, 什么破活动: 破 before a noun makes it a thing (破游戏, 破系统, 破车)
_BROKEN_THING_ZH = re.compile(r"(?:这|那|什么|啥)破([\u4e00-\u9fffa-z]{1,6}?)" + _DEGREE_ZH)
# 这破打印机又卡纸了，真他妈sb: the word exclaimed (after a degree word) later in the sentence 这破 opened
# (the clause may name no person anywhere: 这破主播又迟到了，真他妈sb is about the streamer)
_BROKEN_CLAUSE_ZH = re.compile(r"(?:这|那)破([^。！？!?\n你他她，,]{2,18})[，,]"
                               r"(?:真|太|好|也太|真的|是真的|简直)(?:他妈的?|tm|TM)?$")
# ... not a person (这破主播, 那破司机, 这破队友)
_PERSON_END_ZH = re.compile(r".*(?:人|主播|博主|男|女|哥|姐|妹|弟|爷|婆|妈|爸|员|师|生|友|子|客|手|孩|娃|"
                            r"东西|玩意儿?|货|老板|领导|司机|医生|护士|警察|up主|up)$")
# a person named anywhere in such a clause (word by word: 手 of 选手 is not 手 of 手机)
_PERSON_IN_ZH = re.compile(r"人|主播|博主|男的|女的|哥|姐|妹|弟|爷|婆|妈|爸|员|老师|学生|同学|队友|室友|朋友|网友|"
                           r"选手|对手|孩|娃|东西|玩意|货|老板|领导|司机|医生|护士|警察|up主|up|客服|店家|商家|家长")
# "it was a disgrace", "it's pathetic": the word judges what was done, the clause's subject is no person
_IT_WAS = re.compile(r"(?:^|[\s,.!?;:])it(?:'s|\s{1,2}(?:is|was|were|has been))\s{1,2}"
                     r"(?:(?:an?|such an?|absolutely|absolute|a total|a complete|a bloody|frankly|just|so|really)"
                     r"\s{1,2}){0,2}$")
# English things people swear at (my boiler is a piece of shit, piece of shit trail cam, parking here is a total bitch)
_THINGS_EN = (r"(?:apps?|phones?|laptops?|computers?|pc|printers?|boiler|car|truck|van|bike|game|update|patch|wifi|"
              r"wi-fi|internet|router|modem|weather|traffic|parking|commute|cam|camera|tv|remote|microwave|fridge|oven|"
              r"dishwasher|washing machine|kettle|toaster|website|site|software|server|engine|mower|lawnmower|drill|"
              r"controller|console|keyboard|headset|charger|battery|elevator|lift|vending machine|tablet|ipad|iphone|"
              r"heater|furnace|thermostat|zipper|umbrella|tent|stove|grill|blender|printer|scanner|sat ?nav|gps|"
              r"fryer|radio|radios|cams|freezer|dryer|vacuum|hoover|scooter|mic|microphone|speaker|projector|till|"
              r"card machine|coffee machine|espresso machine|treadmill|tractor|chainsaw|generator|pump|trailer|"
              r"lockbox|lock|padlock|door|gate|keypad|"
              r"dog|cat|puppy|kitten|hamster|parrot|rabbit|bunny|goldfish|"  # and pets (my dog has one brain cell)
              r"hangover|night|day|week|morning|shift|weekend|monday|"  # and times (race day hangover is a bastard)
              r"call|decision|move|idea|plan|strategy|tactic|policy|rule|rules)")  # and acts (brainless call)
_THING_SUBJECT_EN = re.compile(r"(?:^|[\s,.!?;:])"
                               r"(?:(?:my|this|the|that|our|these|those|stupid|damn|dang)\s{1,2})?"
                               r"(?:[a-z-]{1,15}\s{1,2}){0,2}?" + _THINGS_EN +
                               r"(?:\s{1,2}(?:near|at|in|on|around|by|for|from|outside)\s{1,2}"
                               r"(?:the\s{1,2}|my\s{1,2})?[a-z-]{1,15})?"
                               r"(?:\s{1,2}(?:is|was|are|were|has been|has|had)|'s)\s{1,2}"
                               r"(?:(?:a|an|such a|total|totally|absolute|absolutely|complete|real|fucking|bloody|"
                               r"utter|pure|just|literally|useless|worthless|cheap|crappy|shitty|damn|goddamn)"
                               r"\s{1,2}){0,3}$")
_RELATIVE = re.compile(r"\b(?:who|whose|whom|(?:guy|man|woman|person|dude|bloke|girl|lady|kid|one)\s{1,2}that)\b")
_THING_AFTER_EN = re.compile(r"\s{1,2}(?:(?!to\s)[a-z-]{1,12}\s{1,2})?" + _THINGS_EN + r"\b")  # not "dumb to plan"
# "absolute c*nt of a night", "a bitch of a week": the word describes a stretch of time
_OF_A_TIME_EN = re.compile(r"\s{1,2}of\s{1,2}an?\s{1,2}(?:[a-z-]{1,12}\s{1,2})?"
                           r"(?:night|day|week|morning|evening|shift|weekend|year|month|season|commute|drive|trip)\b")
REACH = 40  # characters before the word the tests read


def said_of_thing(text: str, start: int, end: int) -> bool:
    """Whether the insulting word at ``text[start:end]`` is said of a thing or an act (see the module)."""
    lo = max(0, start - REACH)
    if text[start:end].isascii():
        # the thing after "the iq of a" is what the person is compared with (the IQ of a traffic cone)
        compares = text.endswith((" of a", " of an"), start, end)
        if _IT_WAS.search(text, lo, start) is not None or (not compares and _THING_AFTER_EN.match(text, end)) \
                or _OF_A_TIME_EN.match(text, end):
            return True
        # not "the guy who fixed my car is a piece of shit": the subject is the person the clause opens with
        subject = _THING_SUBJECT_EN.search(text, lo, start)
        return subject is not None and _RELATIVE.search(text, lo, start) is None
    if _THING_AFTER_ZH.match(text, end) is not None or _THING_BEFORE_ZH.search(text, lo, start) is not None:
        return True
    broken = _BROKEN_THING_ZH.search(text, lo, start)
    if broken is not None and _PERSON_END_ZH.match(broken.group(1)) is None:
        return True
    clause = _BROKEN_CLAUSE_ZH.search(text, lo, start)
    return clause is not None and _PERSON_IN_ZH.search(clause.group(1)) is None


# a lowercase article or preposition, then a capitalised word right before the word (the Blind Pig, at Mad Dog's)
_NAME_BEFORE = re.compile(r"\b(?:the|at|to|from|in)\s([A-Z][a-z]{1,15})\s$")
NOT_A_NAME = frozenset({"You", "Your", "He", "She", "They", "His", "Her", "Their", "Stupid", "Fucking", "Little",
                        "Dumb", "Fat", "Big", "Old", "Ugly", "Lazy", "Filthy", "Dirty"})
# oaths that open a sentence as an exclamation (son of a bitch, I dropped my glasses)
INTERJECTIONS = frozenset({"son of a bitch", "sonofabitch", "motherfucker", "mother fucker", "fucking hell",
                           "bloody hell", "jesus christ", "christ almighty", "god damn it", "goddammit", "goddamnit"})


def in_a_name(original: str, span: Span) -> bool:
    """Whether an insulting word at ``span`` of the original text is capitalised inside a name of capitalised
    words after "the", "at" or "to" (the Blind Pig, at Mad Dog's): a bar's or a shop's name."""
    start, end = span
    if not original[start:start + 1].isupper() or not original[start:end].isascii():
        return False
    m = _NAME_BEFORE.search(original, max(0, start - 40), start)
    return m is not None and m.group(1) not in NOT_A_NAME


_OATH_KEYS = ("son", "mother", "hell", "christ", "god")  # a word each oath holds
_OATH_OPENS = re.compile(r"(?:^|[.!?]\s{1,2})(" + "|".join(sorted(INTERJECTIONS, key=len, reverse=True)) +
                         r")(?=\s{0,2}(?:,|!|\.\.\.|…))")


def opens_with_oath(an: Analysis) -> bool:
    """Whether a sentence of the text opens with an oath on its own (son of a bitch, a creeper just blew up my
    farm) that names no addressee (:func:`interjects`)."""
    text = an.text
    if not any(key in text for key in _OATH_KEYS):
        return False  # most texts: no oath to look for
    return any(interjects(an, m.start(1), m.end(1)) for m in _OATH_OPENS.finditer(text))


def interjects(an: Analysis, start: int, end: int) -> bool:
    """Whether an oath (son of a bitch, motherfucker) opens its sentence on its own, followed by a comma or an
    exclamation mark, and the sentence names no addressee: an exclamation, not a name for anyone."""
    lo, hi = an.sentence_of(start)
    if an.text[start:end] not in INTERJECTIONS or an.text[lo:start].strip(" \"'(") \
            or not an.text.startswith((",", "!", " !", "...", "…"), end):
        return False
    return not any(lo <= c.start < hi for c in an.of_type("you"))


# 我们这次跟团的导游就是个废物: the speaker's 的 and a noun make the subject the word describes, not the speaker (the
# speaker's pet, child, work or thing stays theirs: 我家的狗真是个笨蛋, 我写的东西就是垃圾)
_OWNED_SUBJECT_ZH = re.compile(r"(?:我|我们|咱们|咱)[^，,。！？!?；;:：]{0,8}?(?<![真目别])的"
                               r"(?![话时候就是也真确都还又])([\u4e00-\u9fff]{1,4}?)(?:就|也|真|简直|纯纯|完全|绝对|妥妥|可真|真的|确实)?(?:就)?"
                               r"(?:是|算)(?:个|一个|一)?$")
_OWN_FAMILY_ZH = re.compile(r"(?:狗|猫|狗狗|猫猫|猫咪|宠物|宝宝|娃|崽|小孩|孩子|儿子|女儿|闺女|脑子|脑袋|东西|作品|"
                            r"文章|代码|稿子|小说|视频|歌|画|字|水平|成绩|技术|命|运气|人生|生活|日子|工作|"
                            + _THINGS_ZH + ")$")


def owned_subject(text: str, lo: int, start: int) -> bool:
    """Whether the word at ``start`` (its clause opening at ``lo``) is said of someone the speaker's 的 names as the
    subject (我们这次跟团的导游就是个, 我们公司的前台真是个): a person of the speaker's, not the speaker."""
    m = _OWNED_SUBJECT_ZH.search(text, max(lo, start - 24), start)
    return m is not None and m.end() == start and _OWN_FAMILY_ZH.search(m.group(1)) is None
