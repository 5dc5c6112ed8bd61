"""The suite itself: a hung test fails (pytest-timeout) rather than stalling CI."""

from __future__ import annotations

import pytest


def test_every_test_has_a_time_limit(request: pytest.FixtureRequest) -> None:
    assert request.config.pluginmanager.hasplugin("timeout"), "pytest-timeout is not installed (dev extra)"
    assert float(request.config.getini("timeout")) > 0


def test_pathological_input_tests_have_tighter_limits() -> None:
    from pathlib import Path

    root = Path(__file__).parent
    for path in (root / "detectors" / "test_pii.py", root / "detectors" / "test_incitement.py"):
        text = path.read_text(encoding="utf-8")
        before = text.split("def test_pathological_inputs_complete")[0].rsplit("\n\n\n", 1)[-1]
        assert "pytest.mark.timeout(" in before, f"{path.name}: pathological-input test without a timeout"
