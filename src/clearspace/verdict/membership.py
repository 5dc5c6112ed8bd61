"""Whether the speaker names themselves by a word: a reclaimed slur said by a member of the group.

"We're the loud fags at the back of the pub quiz", "I'm a proud old dyke", "being a bit of a poofter
myself", "us crips": the word describes the speaker (or the speaker's group) and attacks nobody. The test
is narrow on purpose: only a first-person copula (I'm, we're, us, as a, fellow) followed by at most
``MAX_BETWEEN`` words that describe (articles, quantities, a few adjectives) and then the word, the word
followed by "myself", or a post that opens with it ("just a dyke with a toolbox"). "I hate fags", "we don't
want dykes here" and "I'm sick of these queers" put a verb or a negator between the speaker and the word and
are not self-descriptions. A sentence that opens "As one of the (three) ..." or "As the family's resident ..."
says what the speaker is among ("as the" elsewhere is often a verb's complement: treat them as the animals they
are). Chinese: 我就是个娘炮, 我们这些死肥宅, 作为一个死肥宅, 我这个死胖子, 我是真的蠢, 自己就是个丑八怪
(not 我这个傻逼室友: the word said of the person named right after it), 娘炮本炮 and 瘸子本瘸 ("the X
himself"), 本菜狗 at the start of a clause, 屌丝一枚 (the speaker introducing themselves, unless someone
else is named before it) and 死肥宅俱乐部 (the community the word's members run). English posts that open by
introducing the speaker ("autistic weirdo here, ...", a profile's "dyke, 29, ...") and "your favourite fag" (a streamer
inviting viewers) count too.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MAX_BETWEEN = 4  # words between the copula and the slur
REACH = 48  # characters before the slur the test reads
# words that may stand between "we're" and the slur they describe themselves by: articles, quantities,
# degree, and adjectives of the kind people put before a reclaimed word
DESCRIBING = _words("""
a an the all just such so proud loud big old little bunch of couple two three four some resident token local
only bit total huge giant angry happy friendly neighbourhood neighborhood fellow gay queer butch femme black
fat disabled autistic trans bi lesbian tiny mad mighty own certified professional card-carrying raging
flaming out and young baby lil ol' loudest proudest biggest oldest happiest real whole
""")
# words that set the speaker apart from what follows; a word outside DESCRIBING and this list passes when
# it does not look like a verb form (the rowdy, a bunch of sweaty)
APART = _words("""
not no never these those them that this sick tired done fed afraid scared terrified wary against than like
with by to from about for at on in hate hates despise want need ban kick
""")
COLLECTIVE = _words("bunch couple bit lot one pair group pack gang team squad crew")
VERB_ENDINGS = ("ing", "ed", "n't")
_COPULA = re.compile(r"(?:^|[^\w'])(i'm|im|i am|i was|i've been|ive been|we're|we are|and i are|us|as an?|fellow|"
                     r"growing up(?: as)?|me and my [\w'-]+ are|signed,? an?|"
                     r"your favou?rite)\s+"
                     r"((?:[\w'-]+\s+){0,8})$")
# a sentence that opens with what the speaker is among (As one of the three fags in this choir, As the family's
# resident dyke): "as the" elsewhere is often a verb's complement (treat them as the animals they are)
_AS_ONE = re.compile(r"(?:^|[.!?]\s{1,3})as\s{1,3}(?:one\s{1,3}of\s{1,3}(?:the|us|our|my)?|the)\s{1,3}"
                     r"((?:[\w'-]+\s{1,3}){0,5})$")
# 我就是个娘炮, 我们这些死肥宅, 作为一个死肥宅: the speaker right before the word, with at most a copula and a
# measure word; 本人 after someone named (CEO本人) is that person
_COPULA_ZH = re.compile(r"(?:我|我们|咱们|作为|身为|(?<![你他她它])自己|(?:^|(?<=[，,。！？!?；;：:\s]))本人?)"
                        r"(?:这个|这种|这)?(?:就|也|真|本来就|确实|真的|简直|果然|可真|纯纯|妥妥)?(?:就)?(?:是|算)?"
                        r"(?:真的|真|就)?(?:个|一个|一名|这种|这些|这群|这帮|这伙|几个|这几个|俩|两个|仨)?"
                        r"(?:资深|老|大龄|一介|区区|小小的?)?[“\"「]?$")
# 老瘸子我今天复健走了五百米: the word opening a clause with the speaker right after it names the speaker
_APPOSITIVE_ZH = re.compile(r"(?:^|[，,。！？!?；;\s])(?:老|小|大龄|资深)?$")
# 我这个傻逼室友: the word describes the person named right after it, not the speaker
_PERSON_AFTER_ZH = re.compile(r"(?:室友|舍友|同事|同学|老板|领导|上司|老公|老婆|男朋友|女朋友|男友|女友|对象|"
                              r"前任|前男友|前女友|邻居|朋友|老师|婆婆|公公|妈|爸|儿子|女儿|弟弟|哥哥|姐姐|妹妹|"
                              r"队友|客户|房东|租客|亲戚|老板娘|"
                              r"师傅|司机|孩子|娃)")
# 本菜狗今天又坑了队友: a clause that opens with 本 and the word is the speaker calling themselves by it
GROUP_COPULAS = frozenset({"we're", "we are", "and i are", "us", "fellow", "as a", "as an"})
# a post that opens with what the speaker is, the subject left out ("just a fat girl who ran her first 5k")
_INTRO = re.compile(r"\s{0,3}just\s{1,3}an?\s{1,3}((?:[\w'-]+\s{1,3}){0,4})$")  # not "only a retard would"
# an age, not a count (you are a pathetic loser, 10 years driving)
_AGE_AFTER = re.compile(r"\s{0,2},\s{0,2}\d{2}\b"
                        r"(?!\s{0,2}(?:years?|yrs?|months?|weeks?|days?|hours?|minutes?|mins?|times|%))")
AGE_REACH = 24  # a profile's opening words before the word and the age
_MYSELF = re.compile(r"\s{0,3}(?:myself|ourselves)\b")
# "Autistic weirdo here, ...", "old faggot trucker here.": a post that opens by introducing the speaker
_HERE_BEFORE = re.compile(r"\s{0,3}((?:[\w'-]+\s{1,3}){0,3})$")
_HERE_AFTER = re.compile(r"(?:\s{1,3}[\w'-]+){0,3}\s{1,3}here\s{0,2}(?:[,.!:;]|—|–|- )")
# 屌丝一枚: "one X (, that's me)", the speaker introducing themselves, unless someone else is named before it
_ONE_OF = "一枚"
_OTHERS_ZH = ("你", "他", "她", "这", "那")
# 穷逼猫奴互助群, 瘸子俱乐部: the word naming its members' own community
_COMMUNITY_ZH = re.compile(r"[\u4e00-\u9fff]{0,2}?"
                           r"(?:互助群|交流群|互助会|联盟|俱乐部|之家|协会|小分队|大本营|聚会|茶话会)")
INDEFINITE = ("a", "an")
# "as one faggot to the rest of you lot", "from one fatty to another": one of the kind speaking to the others
_ONE_BEFORE = re.compile(r"(?:^|[^\w'])(?:as|from)\s{1,2}one\s{1,2}(?:[a-z'-]{1,15}\s{1,2})?$")
_TO_OTHERS = re.compile(r"\s{1,2}to\s{1,2}(?:another|the\s{1,2}rest|all\s{1,2}the\s{1,2}other|the\s{1,2}other)\b")
# "my dumb ass", "my lazy ass": the speaker's own
_MY_ASS = re.compile(r"(?:^|[^\w'])my\s{1,2}$")
# "dykes like us deserve better", "a fat girl like me": the word names the speaker's kind
_LIKE_US = re.compile(r"\s{1,2}like\s{1,2}(?:us|me|myself|ourselves)\b")
# "me and the other fags in the theatre department", "the rest of us dykes": the speaker among the word's people
_AMONG_US = re.compile(r"(?:^|[^\w'])(?:me\s{1,2}and\s{1,2}the\s{1,2}other|us\s{1,2}other|"
                       r"the\s{1,2}rest\s{1,2}of\s{1,2}us)\s{1,2}(?:[a-z'-]{1,15}\s{1,2})?$")


def self_named(text: str, start: int, end: int, *, group_only: bool = False) -> bool:
    """Whether the word at ``text[start:end]`` names the speaker or the speaker's group (see the module);
    with ``group_only``, only the speaker's group (we're, us, fellow, as a: my fellow weirdos)."""
    before = text[max(0, start - REACH):start]
    found = _COPULA.search(before)
    if found is not None and (not group_only or found.group(1) in GROUP_COPULAS or found.group(1).startswith("me and")):
        between = found.group(2).split()
        if len(between) <= MAX_BETWEEN and _describes(between):
            return True
    opening = _AS_ONE.search(before)
    if opening is not None and (opening.start() > 0 or start <= REACH) and not group_only \
            and _describes(opening.group(1).split()):
        return True
    if not before.isascii() and _COPULA_ZH.search(before) and not _PERSON_AFTER_ZH.match(text, end):
        return not group_only or not before.endswith(("我是个", "我就是个", "我是一个"))
    if not before.isascii() and text.startswith("我", end) and not text.startswith(("我们", "我家"), end) \
            and _APPOSITIVE_ZH.search(before) and not group_only and "你" not in _clause_after(text, end):
        return True  # 老瘸子我今天… (not 傻逼我告诉你: a vocative, then the speaker talking to the reader)
    if _ONE_BEFORE.search(text, max(0, start - REACH), start) and _TO_OTHERS.match(text, end):
        return True  # as one faggot to the rest of you lot
    if not group_only and text[start:end].endswith("ass") and _MY_ASS.search(text, max(0, start - 4), start):
        return True  # my dumb ass filled out the form wrong
    if _AMONG_US.search(text, max(0, start - REACH), start):
        return True  # me and the other fags in the theatre department
    if _LIKE_US.match(text, end) and (not group_only or text.startswith(" like us", end)):
        return True  # dykes like us deserve better
    if _COMMUNITY_ZH.match(text, end):
        return True  # 穷逼猫奴互助群: a community named by its members' word
    if text.startswith(_ONE_OF, end) and not group_only \
            and not any(w in _clause_before(text, start) for w in _OTHERS_ZH):
        return True  # 屌丝一枚，攒了三年终于提了车
    if group_only:
        return False
    intro = _INTRO.match(text[:start]) if start <= REACH else None
    if intro is not None and _describes(intro.group(1).split()):
        return True  # "just a faggot in a cardigan making soup": a post that opens by saying who the speaker is
    if start <= AGE_REACH and _AGE_AFTER.match(text, end) and _describes(text[:start].split()):
        return True  # "dyke, 29, fluent in IKEA furniture": a profile that opens with who the speaker is and their age
    here = _HERE_BEFORE.fullmatch(text, 0, start) if start <= REACH else None
    if here is not None and _HERE_AFTER.match(text, end) and _describes(here.group(1).split()) \
            and not any(w in ("you", "your", "you're", "ur", "u") for w in here.group(1).split()):
        return True  # "autistic weirdo here, ...": a post that opens by introducing the speaker
    echo = text[end + 1:end + 2]
    if end - start >= 2 and text.startswith("本", end) and echo and ord(echo) >= 0x3400 and echo in text[start:end]:
        return True  # 娘炮本炮, 瘸子本瘸, 剩女本剩: "the X himself", the speaker's name for themselves
    return _MYSELF.match(text, end) is not None and _is_described(text, start)


def _describes(words: list[str]) -> bool:
    """Whether ``words`` only describe what follows (the loud, a bunch of rowdy): no verb, negator or
    relation word (sick of, afraid of, not, these, surrounded by) that puts the speaker apart from it."""
    for i, w in enumerate(words):
        if w in DESCRIBING:
            if w == "of" and (i == 0 or words[i - 1] not in COLLECTIVE):
                return False
            continue
        if w.endswith("'s") and w[:-2].isalpha():
            continue  # the family's resident, the team's token
        if w in APART or not w.isalpha() or w.endswith(VERB_ENDINGS):
            return False
    return True


def _is_described(text: str, start: int) -> bool:
    """"(being) a bit of a poofter myself", "a proud dyke myself": an indefinite article shortly before the
    word with only describing words after it, not a verb's object such as "I told the fag myself"."""
    words = text[max(0, start - REACH):start].split()[-3:]
    for i in range(len(words) - 1, -1, -1):
        if words[i] in INDEFINITE:
            return all(w in DESCRIBING for w in words[i + 1:])
    return False


def _clause_before(text: str, start: int) -> str:
    """The text of the clause before ``start`` (back to the last punctuation mark)."""
    lo = max(text.rfind(p, 0, start) for p in "，,。！？!?；;：:\n")
    return text[lo + 1:start]


def _clause_after(text: str, end: int) -> str:
    """The text of the clause after ``end`` (up to the next punctuation mark, at most ``REACH`` characters)."""
    tail = text[end:end + REACH]
    cut = min((i for i in (tail.find(p) for p in "，,。！？!?；;：:\n") if i >= 0), default=len(tail))
    return tail[:cut]
