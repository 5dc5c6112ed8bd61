"""The training recipe's own data: the shipped stance set and weighted corpora (no datasets needed)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from clearspace.errors import DatasetError
from clearspace.evaluation import datasets as ds
from clearspace.evaluation.harness import stance_details
from clearspace.model.train import HEADS, UNDEFINED, Corpus, TrainConfig, _add_own_sentences


def test_stance_set_has_safe_and_abusive_texts_on_the_same_topics() -> None:
    data = ds.stance()
    assert len(data.texts) >= 300 and len(set(data.texts)) == len(data.texts)
    by = Counter(zip(data.extra["lang"], data.labels.tolist(), strict=True))
    assert min(by[("zh", 0)], by[("zh", 1)], by[("en", 0)], by[("en", 1)]) >= 10
    for topic in ("region", "gender", "race", "lgbt", "disability"):
        labels = {int(y) for y, t, lang in zip(data.labels, data.extra["topic"], data.extra["lang"], strict=True)
                  if t == topic and lang == "zh"}
        assert labels == {0, 1}, topic
    # the kind agrees with the label: only abusive texts are labelled 1
    assert all((k == "abusive") == bool(y) for k, y in zip(data.extra["kind"], data.labels, strict=True))


@pytest.mark.parametrize("line", ["2\tzh\tregion\tanti_bias\t文本", "0\tfr\tregion\tanti_bias\ttexte",
                                  "0\tzh\tregion\tpoem\t文本"])
def test_malformed_stance_rows_are_rejected(tmp_path: Path, line: str) -> None:
    bad = tmp_path / "stance.tsv"
    bad.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="stance.tsv:1"):
        ds.stance(bad)


def test_stance_details_separate_the_kinds() -> None:
    data = ds.Labelled("s", "zh+en", ["a", "b", "c", "d"], np.array([0, 0, 0, 1]),
                       {"kind": ["anti_bias", "anti_bias", "report", "abusive"]})
    m = stance_details(data, np.array([1, 0, 0, 1]))
    assert m == {"fpr_anti_bias": 0.5, "fpr_other_safe": 0.0, "recall_abusive": 1.0}


def test_corpus_keeps_one_weight_per_text() -> None:
    corpus = Corpus.empty()
    corpus.add(["a", "b"], {"abuse": np.array([0, 1])}, "x")
    corpus.add(["c"], {"abuse_en": np.array([1])}, "y", weight=5.0)
    assert corpus.weights.tolist() == [1.0, 1.0, 5.0]
    assert corpus.labels.shape == (3, len(HEADS))
    assert corpus.labels[2, HEADS.index("abuse")] == UNDEFINED


def test_the_shipped_recipe_leaves_the_stance_set_out() -> None:
    assert TrainConfig().stance_weight == 0.0


def test_own_sentences_join_the_abuse_column_of_their_language_only() -> None:
    corpus = Corpus.empty()
    _add_own_sentences(corpus, TrainConfig().own_weights)  # the shipped recipe: English at 1, Chinese left out
    assert len(corpus.texts) > 1000
    en, zh = HEADS.index("abuse_en"), HEADS.index("abuse")
    assert set(corpus.labels[:, en].tolist()) == {0, 1}  # attacks and near misses
    assert (corpus.labels[:, zh] == UNDEFINED).all()
    assert all(not any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in corpus.texts[:200])
    other = [h for h in range(len(HEADS)) if h != en]
    assert (corpus.labels[:, other] == UNDEFINED).all()  # the category heads never see them
    assert set(corpus.weights.tolist()) == {1.0}


def test_own_sentences_take_each_columns_weight() -> None:
    corpus = Corpus.empty()
    _add_own_sentences(corpus, {"abuse": 0.5, "abuse_en": 0.0})
    zh = HEADS.index("abuse")
    assert (corpus.labels[:, zh] != UNDEFINED).all()
    assert set(corpus.weights.tolist()) == {0.5}
    empty = Corpus.empty()
    _add_own_sentences(empty, {})
    assert empty.texts == []
