"""Tokens for BM25: jieba words plus character bigrams for Chinese, word stems for English.

Text is NFKC-folded, lower-cased and converted to simplified Chinese first, so traditional
and simplified copies of a rumor share their tokens. URLs and @handles are dropped: they
identify a copy, not a claim.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

_URL = re.compile(r"(https?://|www\.|pic\.twitter\.com/)\S*", re.IGNORECASE)
_HANDLE = re.compile(r"@[\w\-]+")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

_EN_STOPWORDS = (
    "a an the and or but if of at by for with about against between into through during before after "
    "above below to from up down in out on off over under again further then once here there when where "
    "why how all any both each few more most other some such no nor not only own same so than too very "
    "s t can will just don should now i me my we our you your he him his she her it its they them their "
    "what which who whom this that these those am is are was were be been being have has had having do "
    "does did doing would could rt via amp"
)
EN_STOPWORDS = frozenset(_EN_STOPWORDS.split())
_ZH_STOPWORDS = (
    "的 了 是 在 和 与 及 或 也 都 就 而 被 把 让 给 对 从 向 于 以 之 其 这 那 这个 那个 一个 有 没有 "
    "我 你 他 她 它 我们 你们 他们 吗 呢 吧 啊 呀 哦 嗯 着 过 还 又 很 更 最 等"
)
ZH_STOPWORDS = frozenset(_ZH_STOPWORDS.split())


@lru_cache(maxsize=1)
def _t2s() -> Callable[[str], str]:
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a dependency
        return lambda s: s
    return opencc.OpenCC("t2s").convert  # type: ignore[no-any-return,unused-ignore]


@lru_cache(maxsize=1)
def _jieba() -> Callable[[str], list[str]] | None:
    try:
        import rjieba
    except ImportError:
        return None
    return rjieba.cut  # type: ignore[no-any-return,unused-ignore]


def fold(text: str) -> str:
    """NFKC, lower case, simplified Chinese, URLs and handles removed."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    if _CJK_RUN.search(text):
        text = _t2s()(text)
    return text


_SIGNATURE = re.compile(r"((?:[^—–\s][^—–\n]{0,79}?)?)\s{0,10}\(@[\w\-]{1,50}\)\s{0,10}[A-Z][a-z]{1,20}\.? "
                        r"\d{1,2}, \d{4}\Z")
"""The signature of an embedded tweet (``— Name (@handle) Month D, YYYY``) after its dashes and spaces, up to
the end of the post (:func:`_signature` finds where to try it). Every repetition is bounded, so even
searched from every position it stays linear; the first version (unbounded runs of spaces and dashes,
searched for, anchored at the end) made a post of 20,000 spaces or dashes take seconds."""
_DASHES = "—–"
_WS = re.compile(r"\s+")
_HASHTAG = re.compile(r"#([^\W_][\w\-]*)#?")
_MENTION = re.compile(r"@([\w\-]+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z0-9])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[0-9])(?=[A-Za-z])")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "`": "'"})


def split_camel(word: str) -> str:
    """``DefundTheCBC`` → ``Defund The CBC``, ``real_Donald_Trump`` → ``real Donald Trump``."""
    return _CAMEL.sub(" ", word.replace("_", " ").replace("-", " "))


def clean_post(text: str) -> str:
    """A post as the matcher reads it (tokens *and* embeddings).

    Links go; the signature of an embedded tweet (``— Name (@handle) Month D, YYYY``) keeps
    the name only (who said it is part of many claims); ``#hashtags`` (also Weibo's ``#topic#``)
    and ``@mentions`` become their words (``#DefundTheCBC`` → ``Defund The CBC``,
    ``@realDonaldTrump`` → ``real Donald Trump``); curly quotes become straight ones.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _URL.sub(" ", text)
    signature = _signature(text)
    if signature is not None:
        text = text[: signature[0]] + " " + signature[1]
    text = _HASHTAG.sub(lambda m: " " + split_camel(m.group(1)) + " ", text)
    text = _MENTION.sub(lambda m: " " + split_camel(m.group(1)) + " ", text)
    return _WS.sub(" ", text).strip()


def _signature(text: str) -> tuple[int, str] | None:
    """Where the signature of an embedded tweet starts (the spaces before its dashes) and the name
    in it; None when the post does not end with one. Linear: one match after the last dash."""
    end = len(text.rstrip())
    dash = max(text.rfind(_DASHES[0], 0, end), text.rfind(_DASHES[1], 0, end))
    if dash < 0:
        return None
    begin = dash + 1
    while begin < end and text[begin].isspace():
        begin += 1
    found = _SIGNATURE.match(text, begin, end)
    if found is None:
        return None
    start = dash
    while start > 0 and text[start - 1] in _DASHES:
        start -= 1
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return start, found.group(1)


def stem(word: str) -> str:
    """A light English stemmer: enough to join plurals and -ing/-ed forms."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: -len(suffix)] + keep
    return word


def tokens(text: str) -> list[str]:
    """BM25 tokens of ``text`` (already folded or not)."""
    text = fold(text)
    out: list[str] = []
    cut = _jieba()
    for run in _CJK_RUN.findall(text):
        if cut is not None and len(run) > 1:
            out.extend("w:" + w for w in cut(run) if len(w) > 1 and w not in ZH_STOPWORDS)
        if len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    out.extend(stem(w) for w in _WORD.findall(text) if w not in EN_STOPWORDS)
    return out
