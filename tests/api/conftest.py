from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store

ROLES = ("ingest", "moderator", "senior_moderator", "auditor", "admin")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))


@pytest.fixture
def service(tmp_path: Path, clock: ManualClock) -> Service:
    """A service over a fresh database, scoring with the model-free keyword engine and the real policy."""
    store = open_store(tmp_path / "api.db")
    return Service(store, engine=KeywordEngine(), clock=clock, ids=IdFactory(counter_token()))


@pytest.fixture
def keys(service: Service) -> dict[str, str]:
    return {role: service.admin.create_key(role, name=role)[1] for role in ROLES}


@pytest.fixture
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(create_app(service)) as c:
        yield c


@pytest.fixture
def h(keys: dict[str, str]) -> dict[str, dict[str, str]]:
    """Request headers per role: ``headers=h["moderator"]``."""
    return {role: {"Authorization": f"Bearer {key}"} for role, key in keys.items()}
