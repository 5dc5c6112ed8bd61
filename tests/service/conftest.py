from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))


@pytest.fixture
def service(tmp_path: Path, clock: ManualClock) -> Service:
    """A service over a fresh database, scoring with the model-free keyword engine and the real policy."""
    store = open_store(tmp_path / "t.db")
    return Service(store, engine=KeywordEngine(), clock=clock, ids=IdFactory(counter_token()))
