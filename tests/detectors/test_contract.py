"""One contract for every detector (the engine's and any a user plugs in): the same tests run over
each of them, so a new detector gets them by being listed in ``DETECTORS``.

* it follows the :class:`Detector` protocol, declares the kinds it emits and ``__init__`` only
  stores parameters;
* it is pure (the same document and context give the same signals);
* every signal has a declared kind, a score in ``[0, 1]``, ``name@version`` and spans inside the
  original text, also through an offset map (property-tested);
* hostile text (empty, a megabyte, long runs of one character class, nested quotes, mixed
  scripts, control characters) is scored without error.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearspace.detectors.base import Detector, detector_id, detector_kinds
from clearspace.detectors.harm import HarmDetector
from clearspace.detectors.incitement import IncitementDetector
from clearspace.detectors.lexicon import LexiconDetector
from clearspace.detectors.pii import PiiDetector
from clearspace.signals import is_known
from clearspace.text.document import Document

DETECTORS: dict[str, Callable[[], Detector]] = {
    "lexicon": LexiconDetector,
    "pii": PiiDetector,
    "incitement": IncitementDetector,
    "harm": HarmDetector,
}
SAMPLES = [
    "你这个傻逼，赶紧滚", "我知道你家在哪，晚上出门小心点", "大家去骂他，冲烂他评论区",
    "他的电话是13800138000，住在幸福小区3栋",
    "go kill yourself", "send me nudes babe", "immigrants are vermin", "everyone report this account",
    "说别人是“废物”是不对的", "今天天气很好", "",
]
HOSTILE = [
    "", " " * 50_000, "—" * 50_000, "“" * 20_000, "”“" * 10_000, "你" * 50_000, "a" * 50_000, "1" * 50_000,
    "不" * 20_000, "not " * 10_000, "@" * 20_000, "“他说“她说“你说”””" * 2_000, "\u200b\u202e" * 10_000,
    "傻逼" * 10_000, "you " * 10_000, "😀" * 10_000, "\x00\x01\x7f" * 5_000, "𠀀" * 10_000,
    ("今天天气很好，" * 20_000) + "你这个傻逼" + ("今天天气很好，" * 20_000),
]


@pytest.fixture(params=sorted(DETECTORS), scope="module")
def detector(request: pytest.FixtureRequest) -> Detector:
    return DETECTORS[request.param]()


def plain(text: str) -> Document:
    return Document(text, text.lower())


def test_protocol_kinds_and_lazy_init(detector: Detector) -> None:
    assert isinstance(detector, Detector)
    assert detector_id(detector) == f"{detector.name}@{detector.version}"
    assert detector_kinds(detector), "a detector must declare the signal kinds it emits"
    fresh = DETECTORS[detector.name]()
    assert not [k for k in vars(fresh) if k.endswith("_")], "__init__ only stores parameters"


@pytest.mark.parametrize("text", SAMPLES)
def test_pure_and_well_formed(detector: Detector, text: str) -> None:
    d = plain(text)
    first = detector.detect(d, {"target_user": "u1"})
    assert first == detector.detect(d, {"target_user": "u1"})
    kinds = detector_kinds(detector) or ()
    for sig in first:
        assert is_known(sig.kind, kinds), (sig.kind, kinds)
        assert 0.0 <= sig.score <= 1.0
        assert sig.detector == detector_id(detector)
        assert all(0 <= a <= b <= len(text) for a, b in sig.spans)


def test_hostile_text_is_scored_without_error(detector: Detector) -> None:
    for text in HOSTILE:
        for sig in detector.detect(plain(text), {}):
            assert 0.0 <= sig.score <= 1.0


_PIECES = st.sampled_from(
    list("你他她我们的不是傻逼去死，。！？“”\" @x😀𠀀\u200b138 ")
    + ["兄弟们", "大家去骂", "傻逼", "去死吧", "杀了你", "私房照", "知道你家", "蟑螂", "河南人", "13800138000",
       "you ", "kill ", "nudes", "everyone report", "not ", "vermin", "immigrants", "watch your back"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_PIECES, _PIECES), max_size=30), st.booleans(), st.sampled_from(sorted(DETECTORS)))
def test_spans_stay_inside_the_original(pairs: list[tuple[str, str]], identity: bool, name: str) -> None:
    if identity:
        text = "".join(a for a, _ in pairs)
        d = plain(text)
    else:
        original, normalized, starts, ends = "", "", [], []
        for orig, norm in pairs:
            start = len(original)
            original += orig
            for ch in norm:
                normalized += ch
                starts.append(start)
                ends.append(len(original))
        d = Document(original, normalized, tuple(starts), tuple(ends))
    for sig in DETECTORS[name]().detect(d, {"target_user": "u"}):
        assert 0.0 <= sig.score <= 1.0
        for start, end in sig.spans:
            assert 0 <= start <= end <= len(d.original)


@pytest.mark.parametrize("name", ["cues/zh.tsv", "cues/en.tsv", "lexicons/zh.tsv", "lexicons/en.tsv"])
def test_tables_have_no_duplicate_rows(name: str) -> None:
    # a later row silently overrides an earlier one for the same phrase: keep each once
    from collections import Counter

    from clearspace.text.tables import data_path, read_tsv

    rows = [cols for _, cols in read_tsv(data_path(name), 2)]
    keys = Counter((cols[0].lower(), cols[1]) if name.startswith("cues") else cols[0].lower() for cols in rows)
    assert [k for k, n in keys.items() if n > 1] == []
