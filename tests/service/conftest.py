from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.store import open_store


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))


@pytest.fixture
def service(tmp_path: Path, engine, clock: ManualClock) -> Service:  # type: ignore[no-untyped-def]
    return Service(open_store(tmp_path / "t.db"), engine=engine, clock=clock, ids=IdFactory(counter_token()))
