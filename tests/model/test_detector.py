from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest

from clearspace.model.detector import ModelDetector, _by_row_then_weight
from clearspace.text.document import Document


class CountingEncoder:
    """A stand-in encoder that records which texts it was asked to embed."""

    name = "counting"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.seen.extend(texts)
        rng = np.random.RandomState(len(self.seen))
        v = rng.randn(len(texts), 512).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


TEXTS = ["今天天气很好，我们去公园", "你就是个傻逼，滚", "thanks for the help", "you are a worthless idiot",
         "这个观点我不太同意", "河南人都是骗子"]


def docs() -> list[Document]:
    return [Document(original=t, text=t.lower()) for t in TEXTS]


def test_cascade_embeds_only_the_unsure_texts() -> None:
    fast = ModelDetector().run(docs())
    fast_abuse = [signals[0].score for signals, _ in fast]
    encoder = CountingEncoder()
    ModelDetector(encoder=encoder, embed_band=0.1).run(docs())
    cut = ModelDetector().model.thresholds["fast"]
    unsure = {t for t, p in zip(TEXTS, fast_abuse, strict=True)
              if abs(p - cut["en" if t.isascii() else "zh"]) < 0.1}
    assert set(encoder.seen) == unsure


def test_full_band_embeds_everything_and_changes_scores() -> None:
    encoder = CountingEncoder()
    out = ModelDetector(encoder=encoder, embed_band=1.0).run(docs())
    assert encoder.seen == TEXTS
    fast = ModelDetector().run(docs())
    assert [s[0].score for s, _ in out] != [s[0].score for s, _ in fast]
    assert all(0.0 <= s.score <= 1.0 for signals, _ in out for s in signals)


def test_evidence_spans_come_with_abusive_decisions() -> None:
    for (signals, abusive), d in zip(ModelDetector().run(docs()), docs(), strict=True):
        abuse = signals[0]
        assert abuse.kind == "abuse"
        assert bool(abuse.spans) == abusive
        for s, e in abuse.spans:
            assert 0 <= s < e <= len(d.original)


def test_heads_carry_what_the_signals_carry() -> None:
    detector = ModelDetector()
    scored = detector.run_scored(docs())
    for (heads, hit, cut, _), (signals, hit2, cut2, _) in zip(detector.run_heads(docs()), scored, strict=True):
        assert [(h.kind, h.score, h.spans, h.detector) for h in heads] == [
            (s.kind, s.score, s.spans, s.detector) for s in signals]
        assert (hit, cut) == (hit2, cut2)
    assert any(s.spans for signals, _, _, _ in scored for s in signals)  # the evidence is compared too


@pytest.mark.parametrize("seed", range(40))
def test_candidate_order_is_row_then_heaviest_then_position(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 3000))
    rows = rng.integers(0, int(rng.integers(1, 600)), n).astype(np.int64)
    # few distinct weights in half the cases: ties must keep their positions' order
    weight = (rng.choice(np.array([0.1, 0.5, 1.25], np.float32), n) if seed % 2
              else (rng.random(n) + 1e-6).astype(np.float32))
    expected = np.lexsort((np.arange(n), -weight.astype(np.float64), rows))
    assert np.array_equal(_by_row_then_weight(rows, weight), expected)


def test_candidate_order_falls_back_when_keys_would_not_fit_64_bits() -> None:
    rows = np.array([1 << 40, 0, 1 << 40, 0], dtype=np.int64)
    weight = np.array([0.5, 0.5, 2.0, 1.0], dtype=np.float32)
    assert _by_row_then_weight(rows, weight).tolist() == [3, 1, 2, 0]
