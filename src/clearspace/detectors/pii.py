"""Personal information (PII) and doxxing detection.

:class:`PiiDetector` looks for personal information in the normalized text of a
:class:`~clearspace.text.document.Document` and maps every hit back into the original text:

============  ==========================================================================
type          what is matched
============  ==========================================================================
id_card       Chinese resident ID: 18 digits with a valid ISO 7064 MOD 11-2 check
              character and birth date, or the old 15-digit form with a valid date
phone         mainland mobile (+86/0086, spaces, dashes), landline (0xx-xxxxxxxx),
              400/800 service numbers, international ``+44 20 ...`` and ``(555) 555-0123``
email         ``local@domain.tld``
bank_card     13-19 digits, Luhn valid, optionally grouped with spaces or dashes
plate         Chinese licence plate (京A12345, 粤B·D12345)
address       Chinese street address with a number (幸福路12号, 3栋2单元501室) or English
              (123 Main Street, Apt 4B)
qq            a 5-11 digit number introduced by QQ/扣扣/企鹅
wechat        a WeChat ID introduced by 微信/v信/vx/wx/wechat
============  ==========================================================================

Every hit becomes a ``pii.<type>`` signal whose details hold ``type``, ``subtype`` and a
``masked`` value; the raw value is never put in a signal. When any PII is present the
detector also emits one ``doxxing`` signal whose score says how likely the post exposes a
third party: about 0.9 and above for 人肉/开盒 with an ID, phone or address, 0.5-0.7 for a
third party's phone or address without a hostile cue, below 0.5 when it is unclear whose the
details are, and below 0.2 when the author shares their own details or a business number.

The cue phrases live in ``clearspace/data/pii_cues.txt`` (see its header); operators add
their own with ``PiiDetector(extra_cue_paths=[...])``. Nothing is loaded at import time.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

from clearspace.detectors.phrases import is_word_char, phrase_pattern
from clearspace.errors import LexiconError
from clearspace.text.document import Document
from clearspace.types import Signal, Span

__all__ = ["PiiDetector"]

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_ZH_UNIT = r"(?:号楼|号院|号|栋|幢|座|单元|室|弄|楼|层|户)"
_ZH_UNIT_RX = re.compile(_ZH_UNIT)
_PLATE_SEP = re.compile(r"[ ·・.\-]")
_LAYOUT = re.compile(r"[0-9一二三四五六]厅")  # 3室2厅: a flat's layout
_EN_STREET = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|"
    r"terrace|crescent|close|square|sq|parkway|pkwy|highway|hwy"
)
_WECHAT_CUE = (
    r"(?:微信号?|v(?<![a-z]v)信|威信|薇信|w(?<![a-z]w)(?:echat|eixin|x)(?: ?id)?(?![a-z])"
    r"|v(?<![a-z]v)x(?: ?id)?(?![a-z]))"
)

# The patterns run on lowercased text. Most start with a character (class) and put their
# "no digit before me" check in a lookbehind after it, so that the regex engine can skip
# ahead to candidate characters instead of trying every position.
_PATTERNS: dict[str, str] = {
    # every item needs a digit, an e-mail's "x@" or a WeChat cue (gate_wechat)
    "gate_digits": r"[0-9@](?:(?<=[0-9])|(?<=[a-z0-9._%+\-]@))",
    "gate_wechat": r"微信|v信|威信|薇信|wechat|weixin|vx|wx",
    "id18": r"[1-9](?<![0-9].)[0-9]{5} ?(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])"
    r"(?:0[1-9]|[12][0-9]|3[01]) ?[0-9]{3}[0-9x](?![0-9])",
    "card": r"[1-9](?<![0-9+].)(?:[0-9]{12,18}|[0-9]{3}(?:[ \-][0-9]{4}){2}[ \-][0-9]{1,7}"
    r"(?:[ \-][0-9]{1,4})?|[0-9]{3}[ \-][0-9]{6}[ \-][0-9]{5})(?![0-9])",
    "id15": r"[1-8](?<![0-9].)[0-9]{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}(?![0-9])",
    "mobile_cc": r"(?:\((?:\+|00)86\)|\+86|0(?<![0-9]0)086)[ \-]?1[3-9][0-9](?:[ \-]?[0-9]{4}){2}"
    r"(?![0-9])",
    "mobile": r"1(?<![0-9]1)[3-9][0-9](?:[ \-]?[0-9]{4}){2}(?![0-9])",
    "service": r"[48](?<![0-9].)00[ \-]?[0-9]{3}[ \-]?[0-9]{4}(?![0-9])",
    "intl": r"\+(?<![0-9a-z+]\+)[1-9][0-9 ().\-]{5,22}[0-9](?![0-9])",
    "landline": r"(?:\(0[1-9][0-9]{1,2}\)|0(?<![0-9]0)[1-9][0-9]{1,2})[ \-]?"
    r"[2-9][0-9]{2,3}[ \-]?[0-9]{4}(?![0-9])",
    "nanp": r"(?:\([2-9][0-9]{2}\) ?|[2-9](?<![0-9].)[0-9]{2}[ .\-])[2-9][0-9]{2}[ .\-][0-9]{4}"
    r"(?![0-9])",
    "qq": r"(?:q(?<![a-z]q)q|q(?<![a-z]q)号|扣扣|企鹅)(?:号码|号|账号)?([^0-9\n]{0,5})"
    r"([1-9][0-9]{4,10})(?![0-9])",
    "wechat": rf"{_WECHAT_CUE}(?:id)?[ :：是为\-]{{0,4}}([a-z][a-z0-9_\-]{{5,19}})(?![a-z0-9_\-])",
    "wxid": r"w(?<![a-z0-9_]w)xid_[a-z0-9_\-]{4,24}(?![a-z0-9_\-])",
    "plate": rf"[{_PROVINCES}][a-hj-np-z][ ·・.\-]?(?:[a-hj-np-z0-9]{{4}}[挂学警港澳领]"
    r"|[a-hj-np-z0-9]{5,6})(?![a-z0-9])",
    "addr_zh": rf"[0-9](?<![0-9第].)[0-9]{{0,4}}[a-z]?{_ZH_UNIT}[\-#]?"
    rf"(?:[0-9]{{1,5}}[a-z]?{_ZH_UNIT}[\-#]?){{0,5}}",
    "addr_en": r"[0-9](?<![0-9a-z].)[0-9]{0,4}[a-z]?(?: [a-z0-9]+\.?){1,4} "
    rf"(?:{_EN_STREET})(?![a-z])\.?"
    r"(?:,? (?:apt|apartment|suite|unit|flat|#)\.? ?#?[0-9]{1,5}[a-z]?(?![0-9a-z]))?",
    "apt": r"(?:a(?<![a-z]a)pt|a(?<![a-z]a)partment|s(?<![a-z]s)uite)\.? ?#? ?[0-9]{1,5}[a-z]?"
    r"(?![0-9a-z])",
    "email_local": r"[a-z0-9._%+\-]{1,64}\Z",
    "email_domain": r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]{0,61}"
    r"[a-z0-9])?){1,8}",
    "digit": r"[0-9]",
    "digit_run": r"[0-9](?:[ \-.()]?[0-9]){4}",
}

# fmt: off
_ZH_PLACE_END = (  # longest first: 小区 before 区
    "胡同", "小区", "花园", "公寓", "大厦", "广场", "社区", "家园", "新村", "中心", "大道", "大街",
    "路", "街", "道", "巷", "弄", "里", "村", "院", "苑", "园", "城", "庄", "区", "镇", "坊",
    "湾", "府", "省", "市", "县", "乡",
)
_ZH_ADMIN = ("省", "市", "区", "县", "镇", "乡")
_NOT_NAME_CHARS = frozenset("了去来的在是到和与跟从往我你他她们说住家就也都还又把被给对向于址这那哪号栋幢座室楼层户")
_ZH_STRONG_UNITS = ("栋", "幢", "单元", "室", "号楼", "号院")
_EN_STOPWORDS = frozenset((
    "the", "a", "an", "of", "to", "in", "on", "at", "down", "up", "my", "his", "her", "your",
    "our", "their", "and", "or", "for", "with", "from", "by", "miles", "mile", "km", "minutes",
    "hours", "times", "years", "days", "people", "is", "was", "are", "be",
))
_WECHAT_STOPWORDS = frozenset((
    "account", "group", "groups", "official", "message", "messages", "contact", "public",
    "payment", "payments", "support", "please", "number", "channel", "moments", "friend",
))
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_SENSITIVITY = {
    "id_card": 0.62, "bank_card": 0.6, "address": 0.56, "phone": 0.55,
    "email": 0.45, "wechat": 0.47, "qq": 0.47, "plate": 0.45,
}
_SECTIONS = (
    "ignore", "self", "business", "exposure", "action", "framing", "hostile", "pronoun",
    "third_subject", "self_subject", "pii_noun",
)
# fmt: on
_THIRD = ("framing", "action", "pronoun", "exposure")
_BENIGN = ("self", "business")
_MAX_SPANS = 200
_EMAIL_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._%+-")
"""What ``email_local`` allows; an e-mail address needs one right before its ``@``."""


@dataclass(frozen=True, slots=True)
class _Item:
    """One piece of PII found in the normalized text."""

    type: str
    subtype: str
    start: int
    end: int
    score: float
    masked: str


@dataclass(frozen=True, slots=True)
class _Cue:
    """One cue phrase found in the normalized text."""

    category: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Assessment:
    """Whose details an item is and how strongly the post exposes them."""

    item: _Item
    reason: str
    score: float
    categories: frozenset[str]
    cues: tuple[_Cue, ...]


# --- validation and masking -------------------------------------------------------------


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2099


def _id18_valid(value: str) -> bool:
    """ISO 7064 MOD 11-2 check character and a real birth date."""
    total = sum(int(c) * w for c, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17].upper():
        return False
    return _valid_date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def _id15_valid(value: str) -> bool:
    return _valid_date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))


def _luhn(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _mask(value: str, head: int, tail: int) -> str:
    """Keep ``head`` and ``tail`` characters of ``value`` and star out the rest."""
    hidden = len(value) - head - tail
    if hidden < 2:
        return "*" * len(value)
    return value[:head] + "*" * hidden + (value[-tail:] if tail else "")


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


# --- cue lists ------------------------------------------------------------------------


def _parse_cues(text: str, source: str, into: dict[str, list[str]]) -> None:
    """Parse one cue file (``[section]`` headers, one phrase a line) into ``into``."""
    section: str | None = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            if section not in _SECTIONS:
                raise LexiconError(f"{source}:{lineno}: unknown section [{section}]; use one of {', '.join(_SECTIONS)}")
            continue
        if section is None:
            raise LexiconError(f"{source}:{lineno}: phrase {line!r} before any [section] header")
        into.setdefault(section, []).append(line.lower())


def _cue_table(cues: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Phrase -> category; a phrase listed in two sections keeps the first one in order."""
    nouns = cues.get("pii_noun", ())
    combos = {
        "self": _combos(cues.get("self_subject", ()), nouns),
        "framing": _combos(cues.get("third_subject", ()), nouns),
    }
    table: dict[str, str] = {}
    for category in ("ignore", "self", "business", "exposure", "action", "framing", "hostile", "pronoun"):
        for phrase in (*cues.get(category, ()), *combos.get(category, ())):
            table.setdefault(phrase, category)
    return table


def _combos(subjects: Sequence[str], nouns: Sequence[str]) -> list[str]:
    """``subject (的| )? noun`` phrases: 他的电话, 她手机号, his address."""
    out: list[str] = []
    for subject in subjects:
        joiners = (" ",) if is_word_char(subject[-1]) else ("", "的")
        out.extend(subject + j + noun for j in joiners for noun in nouns)
    return out


# --- the detector ------------------------------------------------------------------------


class PiiDetector:
    """Find personal information and decide whether a post is doxxing.

    ``extra_cue_paths`` name cue files in the format of ``clearspace/data/pii_cues.txt``
    whose phrases are added to the built-in ones; ``window`` is how many characters either
    side of a piece of PII a cue may be to count for it.
    """

    name = "pii"
    version = "1"
    kinds = ("pii.*", "doxxing")
    regexes_: dict[str, re.Pattern[str]]
    cues_: tuple[re.Pattern[str], dict[str, str]]

    def __init__(self, extra_cue_paths: Sequence[str | PathLike[str]] = (), window: int = 100) -> None:
        self.extra_cue_paths = tuple(extra_cue_paths)
        self.window = window

    # lazily built state -------------------------------------------------------------------

    @property
    def _rx(self) -> dict[str, re.Pattern[str]]:
        compiled: dict[str, re.Pattern[str]] | None = getattr(self, "regexes_", None)
        if compiled is None:
            compiled = {k: re.compile(v) for k, v in _PATTERNS.items()}
            self.regexes_ = compiled
        return compiled

    @property
    def _cues(self) -> tuple[re.Pattern[str], dict[str, str]]:
        loaded: tuple[re.Pattern[str], dict[str, str]] | None = getattr(self, "cues_", None)
        if loaded is None:
            cues: dict[str, list[str]] = {}
            builtin = resources.files("clearspace") / "data" / "pii_cues.txt"
            _parse_cues(builtin.read_text(encoding="utf-8"), "pii_cues.txt", cues)
            for path in self.extra_cue_paths:
                try:
                    text = Path(path).read_text(encoding="utf-8")
                except OSError as exc:
                    raise LexiconError(f"{path}: cannot read cue file: {exc}") from exc
                _parse_cues(text, str(path), cues)
            table = _cue_table(cues)
            loaded = (re.compile(phrase_pattern(table)), table)
            self.cues_ = loaded
        return loaded

    # detection ----------------------------------------------------------------------------

    def detect(self, doc: Document, context: Mapping[str, Any]) -> list[Signal]:
        """Return ``pii.<type>`` signals and, when PII was found, one ``doxxing`` signal."""
        text = _lower(doc.text)
        rx = self._rx
        if not text or not (rx["gate_digits"].search(text) or rx["gate_wechat"].search(text)):
            return []
        items = self._find_items(text)
        if not items:
            return []
        detector = f"{self.name}@{self.version}"
        signals = [
            Signal(
                kind=f"pii.{it.type}",
                score=it.score,
                spans=(doc.to_original(it.start, it.end),),
                detector=detector,
                details={"type": it.type, "subtype": it.subtype, "masked": it.masked},
            )
            for it in items
        ]
        cues = self._find_cues(text)
        starts = [c.start for c in cues]
        assessments = [self._assess(it, cues, starts, context) for it in items]
        signals.append(self._doxxing_signal(doc, assessments, context, detector))
        return signals

    def _find_items(self, text: str) -> list[_Item]:
        """Run the finders that can match in priority order; drop hits overlapping earlier ones."""
        rx = self._rx
        finders: list[Callable[[str], Iterator[_Item]]] = []
        long_number = rx["digit_run"].search(text) is not None
        if long_number:
            finders += [self._ids, self._cards, self._phones]
        if "@" in text:
            finders.append(self._emails)
        if long_number:
            finders.append(self._qq)
        if rx["gate_wechat"].search(text):
            finders.append(self._wechat)
        if long_number or rx["digit"].search(text):  # plates and addresses all need a digit
            finders += [self._plates, self._zh_addresses, self._en_addresses]
        claimed = bytearray(len(text))
        items: list[_Item] = []
        for finder in finders:
            for item in finder(text):
                if claimed.find(1, item.start, item.end) != -1:
                    continue
                claimed[item.start : item.end] = b"\x01" * (item.end - item.start)
                items.append(item)
        items.sort(key=lambda it: (it.start, it.end))
        return items

    def _ids(self, text: str) -> Iterator[_Item]:
        for m in self._rx["id18"].finditer(text):
            value = m.group().replace(" ", "").upper()
            if _id18_valid(value):
                yield _Item("id_card", "resident_id", m.start(), m.end(), 0.97, _mask(value, 3, 2))

    def _cards(self, text: str) -> Iterator[_Item]:
        for m in self._rx["card"].finditer(text):
            digits = _digits(m.group())
            if 13 <= len(digits) <= 19 and _luhn(digits):
                known = digits[0] in "3456" and len(digits) in (15, 16, 19)
                yield _Item("bank_card", "card", m.start(), m.end(), 0.8 if known else 0.55, _mask(digits, 0, 4))
        for m in self._rx["id15"].finditer(text):
            if _id15_valid(m.group()):
                yield _Item("id_card", "resident_id_15", m.start(), m.end(), 0.6, _mask(m.group(), 3, 2))

    def _phones(self, text: str) -> Iterator[_Item]:
        rx = self._rx
        for kind in ("mobile_cc", "mobile"):
            for m in rx[kind].finditer(text):
                national = _digits(m.group())[-11:]
                yield _Item("phone", "mobile", m.start(), m.end(), 0.9, _mask(national, 3, 4))
        for m in rx["service"].finditer(text):
            yield _Item("phone", "service", m.start(), m.end(), 0.9, _mask(_digits(m.group()), 3, 4))
        for m in rx["intl"].finditer(text):
            end = _trim_international(text, m.start(), m.end())
            if end:
                masked = "+" + _mask(_digits(text[m.start() : end]), 2, 4)
                yield _Item("phone", "international", m.start(), end, 0.75, masked)
        for kind, score in (("landline", 0.7), ("nanp", 0.6)):
            for m in rx[kind].finditer(text):
                yield _Item("phone", kind, m.start(), m.end(), score, _mask(_digits(m.group()), 3, 4))

    def _emails(self, text: str) -> Iterator[_Item]:
        at = text.find("@")
        while at != -1:
            item = _email_at(self._rx, text, at)
            if item is not None:
                yield item
            at = text.find("@", at + 1)

    def _qq(self, text: str) -> Iterator[_Item]:
        for m in self._rx["qq"].finditer(text):
            group = "群" in m.group(1)
            yield _Item(
                "qq",
                "group" if group else "account",
                m.start(2),
                m.end(2),
                0.6 if group else 0.85,
                _mask(m.group(2), 2, 2),
            )

    def _wechat(self, text: str) -> Iterator[_Item]:
        for m in self._rx["wechat"].finditer(text):
            value = m.group(1)
            plain = value.isalpha()
            if plain and value in _WECHAT_STOPWORDS:
                continue
            yield _Item("wechat", "id", m.start(1), m.end(1), 0.55 if plain else 0.8, _mask(value, 2, 1))
        for m in self._rx["wxid"].finditer(text):  # default IDs need no cue: wxid_...
            yield _Item("wechat", "id", m.start(), m.end(), 0.85, _mask(m.group(), 5, 1))

    def _plates(self, text: str) -> Iterator[_Item]:
        for m in self._rx["plate"].finditer(text):
            value = _PLATE_SEP.sub("", m.group()).upper()
            if len(_digits(value)) >= 3:
                yield _Item("plate", "cn", m.start(), m.end(), 0.8, _mask(value, 2, 2))

    def _zh_addresses(self, text: str) -> Iterator[_Item]:
        for m in self._rx["addr_zh"].finditer(text):
            found = _zh_address(text, m.start(), m.end())
            if found is not None:
                start, score = found
                masked = self._rx["digit"].sub("*", text[start : m.end()])
                yield _Item("address", "zh", start, m.end(), score, masked)

    def _en_addresses(self, text: str) -> Iterator[_Item]:
        star = self._rx["digit"]
        for m in self._rx["addr_en"].finditer(text):
            words = m.group().replace(".", "").replace(",", "").split()
            if any(w in _EN_STOPWORDS for w in words[1:-1]):
                continue
            yield _Item("address", "en", m.start(), m.end(), 0.65, star.sub("*", m.group()))
        for m in self._rx["apt"].finditer(text):
            yield _Item("address", "unit", m.start(), m.end(), 0.4, star.sub("*", m.group()))

    # doxxing ------------------------------------------------------------------------------

    def _find_cues(self, text: str) -> list[_Cue]:
        pattern, table = self._cues
        found = []
        for m in pattern.finditer(text):
            category = table.get(m.group(), "ignore")
            if category != "ignore":
                found.append(_Cue(category, m.start(), m.end()))
        return found

    def _assess(
        self, item: _Item, cues: Sequence[_Cue], starts: Sequence[int], context: Mapping[str, Any]
    ) -> _Assessment:
        lo = bisect_left(starts, item.start - self.window - 64)
        hi = bisect_left(starts, item.end + self.window)
        near = tuple(
            c
            for c in cues[lo:hi]
            if c.end > item.start - self.window and not (c.start < item.end and c.end > item.start)
        )
        categories = frozenset(c.category for c in near)
        reason = _reason(item, near)
        score = _doxxing_score(item, reason, categories, context)
        return _Assessment(item, reason, score, categories, near)

    def _doxxing_signal(
        self, doc: Document, found: Sequence[_Assessment], context: Mapping[str, Any], detector: str
    ) -> Signal:
        top = max(found, key=lambda a: a.score)
        chosen = [a for a in found if a.reason == top.reason]
        wanted = _BENIGN if top.reason in _BENIGN else ("exposure", "action", "framing", "hostile")
        spans: set[Span] = set()  # in normalized text; mapped once at the end
        for a in chosen:
            spans.add((a.item.start, a.item.end))
            spans.update((c.start, c.end) for c in a.cues if c.category in wanted)
        mapped = tuple(sorted({doc.to_original(s, e) for s, e in sorted(spans)[:_MAX_SPANS]}))
        details = {
            "reason": top.reason,
            "pii_types": sorted({a.item.type for a in found}),
            "cues": sorted({c for a in chosen for c in a.categories}),
            "minor": bool(context.get("minor")),
        }
        return Signal("doxxing", round(top.score, 4), mapped, detector, details)


# --- helpers used by the finders and the doxxing decision --------------------------------


def _lower(text: str) -> str:
    """``text`` lowercased, unless lowercasing would change its length (and so its offsets)."""
    low = text.lower()
    return low if len(low) == len(text) else text


def _trim_international(text: str, start: int, end: int) -> int:
    """End of a plausible ``+cc ...`` number (8-15 digits), dropping trailing groups; 0 if none."""
    value = text[start:end]
    if "  " in value or "--" in value:
        return 0
    while len(_digits(value)) > 15 and " " in value:
        value = value.rsplit(" ", 1)[0].rstrip(" -.(")
    count = len(_digits(value))
    if not 8 <= count <= 15 or not value[-1].isdigit():
        return 0
    return start + len(value)


def _email_at(rx: Mapping[str, re.Pattern[str]], text: str, at: int) -> _Item | None:
    """The e-mail address around the ``@`` at index ``at``, if there is one."""
    if at == 0 or text[at - 1] not in _EMAIL_LOCAL_CHARS:  # "@user": no local part
        return None
    local = rx["email_local"].search(text, max(0, at - 64), at)
    domain = rx["email_domain"].match(text, at + 1, at + 300)
    if local is None or domain is None:
        return None
    name = local.group().lstrip(".")
    labels = domain.group().split(".")
    while len(labels) > 1 and not labels[-1].isalpha():
        labels.pop()
    if len(labels) < 2 or len(labels[-1]) < 2 or not name:
        return None
    host = ".".join(labels)
    return _Item("email", "email", at - len(name), at + 1 + len(host), 0.95, f"{name[0]}***@{host}")


def _zh_address(text: str, start: int, end: int) -> tuple[int, float] | None:
    """Start and confidence of a Chinese address whose number part is ``text[start:end]``."""
    if _LAYOUT.match(text, end, end + 2):
        return None  # 3室2厅 describes a flat's layout, not where it is
    chain = text[start:end]
    units = len(_ZH_UNIT_RX.findall(chain))
    strong = any(u in chain for u in _ZH_STRONG_UNITS)
    place_start, admin = _place_start(text, start)
    if place_start == start and not (units >= 2 and strong):
        return None
    score = 0.55 + (0.15 if units >= 2 else 0.0) + (0.15 if admin else 0.0) + (0.1 if strong else 0.0)
    return (place_start, min(score, 0.95))


def _place_start(text: str, start: int) -> tuple[int, bool]:
    """Walk back over place-name segments (北京市 朝阳区 建国路) that end right at ``start``.

    Returns where the first segment starts (``start`` when there is none) and whether an
    administrative division (省/市/区/县/镇/乡) was among them. The segment nearest the number
    needs a name (幸福路, not 这里) unless its keyword is two characters long (小区).
    """
    pos, admin = start, False
    for index in range(6):
        if not text.endswith(_ZH_PLACE_END, 0, pos):
            break
        keyword = next(k for k in _ZH_PLACE_END if text.endswith(k, 0, pos))
        end = pos - len(keyword)
        name_start = end
        while (
            end - name_start < 4
            and name_start > 0
            and _is_name_char(text[name_start - 1])
            and not text.endswith(_ZH_PLACE_END, 0, name_start)
        ):
            name_start -= 1
        if index == 0 and name_start == end and len(keyword) == 1:
            return start, False
        admin = admin or keyword in _ZH_ADMIN
        pos = name_start
    return pos, admin


def _is_name_char(ch: str) -> bool:
    """A character that can be part of a place name (not 在/了/的, not a digit or 号)."""
    return ("\u4e00" <= ch <= "\u9fff" or "a" <= ch <= "z") and ch not in _NOT_NAME_CHARS


def _distance(cue: _Cue, item: _Item) -> int:
    return cue.start - item.end if cue.start >= item.end else item.start - cue.end


def _reason(item: _Item, near: Sequence[_Cue]) -> str:
    """Whose details these are: ``business``, ``self``, ``third_party`` or ``unclear``."""
    if item.subtype in ("service", "group"):
        return "business"
    if any(c.category == "exposure" for c in near):
        return "third_party"
    benign = [c for c in near if c.category in _BENIGN]
    third = [c for c in near if c.category in _THIRD]
    nearest_benign = min(benign, key=lambda c: _distance(c, item), default=None)
    nearest_third = min(third, key=lambda c: _distance(c, item), default=None)
    if nearest_benign is not None and (
        nearest_third is None or _distance(nearest_benign, item) <= _distance(nearest_third, item)
    ):
        return nearest_benign.category
    return "third_party" if nearest_third is not None else "unclear"


def _doxxing_score(item: _Item, reason: str, categories: frozenset[str], context: Mapping[str, Any]) -> float:
    grave = item.type in ("id_card", "bank_card")
    if reason == "business":
        return 0.05
    if reason == "self":
        return 0.15 if grave else 0.1
    hostile = "hostile" in categories
    minor = 0.1 if context.get("minor") else 0.0
    sensitivity = _SENSITIVITY[item.type]
    if reason == "unclear":
        base = 0.4 if grave else sensitivity / 2
        aimed = hostile or bool(context.get("target_user"))
        return min(base + (0.15 if aimed else 0.0) + minor / 2, 0.49)
    score = sensitivity + (0.1 if "framing" in categories else 0.05 if "pronoun" in categories else 0.0)
    score += (0.2 if "action" in categories else 0.0) + (0.35 if "exposure" in categories else 0.0)
    score += (0.15 if hostile else 0.0) + minor
    if grave:
        score = max(score, 0.75)
    return min(score, 0.99)
