"""Dataset readers and quality floors of the shipped model (need ../shared/datasets)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from clearspace.engine import Engine
from clearspace.evaluation import datasets as ds
from clearspace.evaluation.harness import Row, binary_metrics, cold_details, render_table


def test_olid_holdout_is_seeded_and_disjoint(datasets: Path) -> None:
    train, held = ds.olid(datasets)
    again_train, again_held = ds.olid(datasets)
    assert held.texts == again_held.texts
    assert len(held.texts) == round(0.1 * (len(train.texts) + len(held.texts)))
    assert len(set(held.texts) & set(train.texts)) < 10  # only a few tweets repeat verbatim


def test_cold_public_test_has_fine_grained_labels(datasets: Path) -> None:
    test = ds.cold(datasets, "test_public")
    assert set(test.extra["fine"]) == {"0", "1", "2", "3"}
    assert set(np.unique(test.labels)) == {0, 1}


def test_shipped_model_quality_floor(datasets: Path, engine: Engine) -> None:
    """Regression guard: the shipped model must stay well above chance on held-out data."""
    test = ds.cold(datasets, "test_public")
    pred = np.array([int(r.abusive) for r in engine.score_many(test.texts)])  # type: ignore[union-attr]
    m = binary_metrics(test.labels, pred) | cold_details(test, pred)
    assert m["macro_f1"] >= 0.76  # 0.766 in round 9 (the harm head may not raise criticism of conduct: -0.003)
    _, held = ds.olid(datasets)
    pred = np.array([int(r.abusive) for r in engine.score_many(held.texts)])  # type: ignore[union-attr]
    # 0.662 in round 9; 0.659 in round 12 (the harm head learnt the read functional suites: -0.006 for +12 cases
    # of the never-read round-12 suites)
    assert binary_metrics(held.labels, pred)["macro_f1"] >= 0.655


def test_render_table_lists_every_system() -> None:
    row = Row("set-a", 10, "note", {"clearspace-fast": {"accuracy": 0.9, "macro_f1": 0.8}, "baseline": {
        "accuracy": 0.7, "macro_f1": 0.6}})
    table = render_table([row])
    assert "clearspace-fast acc / F1" in table and "baseline acc / F1" in table
    assert "0.900 / 0.800" in table and "0.700 / 0.600" in table


def test_render_table_puts_anti_bias_rates_in_the_cold_row() -> None:
    m = {"accuracy": 0.8, "macro_f1": 0.79, "fpr_anti_bias": 0.6, "fpr_other_safe": 0.11}
    table = render_table([Row("cold-test_public", 5, "", {"clearspace-fast": m})])
    assert "0.800 / 0.790 (FPR 0.60/0.11)" in table
