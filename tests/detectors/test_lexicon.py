from __future__ import annotations

from pathlib import Path

import pytest

from clearspace.detectors.lexicon import LexiconDetector
from clearspace.errors import LexiconError
from clearspace.text.normalize import Normalizer


def spans(lexicon: LexiconDetector, normalizer: Normalizer, text: str) -> dict[str, list[str]]:
    doc = normalizer.normalize(text)
    return {s.kind: [text[a:b] for a, b in s.spans] for s in lexicon.detect(doc, {})}


def test_hits_carry_spans_in_the_original(lexicon: LexiconDetector, normalizer: Normalizer) -> None:
    assert spans(lexicon, normalizer, "你真是個傻-逼！") == {"lexicon.insult": ["傻-逼"]}
    assert spans(lexicon, normalizer, "nmsl") == {"lexicon.insult": ["nmsl"]}
    assert spans(lexicon, normalizer, "I will kill you") == {"lexicon.threat": ["I will kill you"]}


def test_homophones_match_through_pinyin(lexicon: LexiconDetector) -> None:
    plain = Normalizer()  # no homophone rewriting: the lexicon's pinyin pass must find it
    doc = plain.normalize("你就是个沙比")
    (signal,) = lexicon.detect(doc, {})
    assert signal.kind == "lexicon.insult"
    assert doc.original[slice(*signal.spans[0])] == "沙比"
    assert signal.details["homophone"] == [True]
    assert signal.score < 0.9


def test_english_terms_need_word_boundaries(lexicon: LexiconDetector, normalizer: Normalizer) -> None:
    assert spans(lexicon, normalizer, "idiots everywhere") == {"lexicon.insult": ["idiots"]}
    assert spans(lexicon, normalizer, "Scunthorpe and classic shitake") == {}


def test_clean_text_has_no_hits(lexicon: LexiconDetector, normalizer: Normalizer) -> None:
    assert spans(lexicon, normalizer, "今天天气很好，我们去公园散步") == {}


def test_operators_can_extend_the_lexicon(tmp_path: Path, normalizer: Normalizer) -> None:
    extra = tmp_path / "extra.tsv"
    extra.write_text("# local slang\n菜狗\tinsult\t0.6\n", encoding="utf-8")
    detector = LexiconDetector(extra_paths=[extra])
    (signal,) = detector.detect(normalizer.normalize("你个菜狗"), {})
    assert signal.kind == "lexicon.insult" and signal.score == pytest.approx(0.6)


def test_bad_lexicon_files_say_where(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("ok\tinsult\t0.5\nbroken\tnot_a_category\t0.5\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"bad.tsv:2: unknown category 'not_a_category'"):
        LexiconDetector(paths=[bad]).entries()
    bad.write_text("term\tinsult\thigh\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="is not a number"):
        LexiconDetector(paths=[bad]).entries()
