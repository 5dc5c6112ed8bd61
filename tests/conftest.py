"""Shared fixtures: one engine and one normalizer per test session (they load tables)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from clearspace.detectors.lexicon import LexiconDetector
from clearspace.text.normalize import Normalizer

# Timing is not behaviour: CI machines are shared, so property tests get no deadline.
settings.register_profile("clearspace", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("clearspace")

DATASETS = Path(os.environ.get("CLEARSPACE_DATASETS", Path(__file__).resolve().parents[2] / "shared" / "datasets"))


@pytest.fixture(scope="session")
def lexicon() -> LexiconDetector:
    return LexiconDetector()


@pytest.fixture(scope="session")
def normalizer(lexicon: LexiconDetector) -> Normalizer:
    return Normalizer(homophone_terms=lexicon.homophone_terms())


@pytest.fixture(scope="session")
def engine():  # type: ignore[no-untyped-def]
    from clearspace.engine import Engine

    return Engine().warm_up()


@pytest.fixture(scope="session")
def datasets() -> Path:
    if not (DATASETS / "cold" / "train.csv").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"datasets not found at {DATASETS} (set CLEARSPACE_DATASETS)")
        pytest.skip(f"datasets not found at {DATASETS}")
    return DATASETS
