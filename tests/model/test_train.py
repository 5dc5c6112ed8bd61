"""The training recipe's own data: the shipped stance set and weighted corpora (no datasets needed)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from clearspace.errors import DatasetError
from clearspace.model.train import HEADS, UNDEFINED, Corpus, stance_rows


def test_stance_set_has_safe_and_abusive_texts_on_the_same_topics() -> None:
    rows = stance_rows()
    assert len(rows) >= 300
    assert len({text for *_, text in rows}) == len(rows)
    by = Counter((lang, label) for label, lang, _, _ in rows)
    assert min(by[("zh", 0)], by[("zh", 1)], by[("en", 0)], by[("en", 1)]) >= 10
    for topic in ("region", "gender", "race", "lgbt", "disability"):
        labels = {label for label, lang, t, _ in rows if t == topic and lang == "zh"}
        assert labels == {0, 1}, topic


def test_malformed_stance_rows_are_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "stance.tsv"
    bad.write_text("2\tzh\tregion\tanti_bias\t文本\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="label must be 0/1"):
        stance_rows(bad)


def test_corpus_keeps_one_weight_per_text() -> None:
    corpus = Corpus.empty()
    corpus.add(["a", "b"], {"abuse": np.array([0, 1])}, "x")
    corpus.add(["c"], {"abuse_en": np.array([1])}, "y", weight=5.0)
    assert corpus.weights.tolist() == [1.0, 1.0, 5.0]
    assert corpus.labels.shape == (3, len(HEADS))
    assert corpus.labels[2, HEADS.index("abuse")] == UNDEFINED
