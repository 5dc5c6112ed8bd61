"""Plug-in tests build their own tiny ONNX models and run a local stand-in chat server (127.0.0.1 only)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from standin import StandIn  # noqa: E402
from tiny_models import write_model  # noqa: E402


@pytest.fixture
def tiny_model(tmp_path: Path) -> Path:
    return write_model(tmp_path / "tiny")


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server
