"""The hostile-input suite runs on both backends (``store_url``, tests/conftest.py: a fresh SQLite
file and an emptied PostgreSQL database; skipped with the reason shown when no server is reachable,
a failure under ``CI=true``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store

ROLES = ("ingest", "moderator", "senior_moderator", "auditor", "admin")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))


@pytest.fixture
def service(store_url: str, clock: ManualClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    monkeypatch.chdir(tmp_path)  # the evidence key file lands here, never in the checkout
    svc = Service(open_store(store_url), engine=KeywordEngine(), clock=clock, ids=IdFactory())
    yield svc
    svc.store.close()


@pytest.fixture
def h(service: Service) -> dict[str, dict[str, str]]:
    """Request headers per role: ``headers=h["moderator"]``; ``h["other"]`` is a second ingest client."""
    out = {role: {"Authorization": f"Bearer {service.admin.create_key(role, name=role)[1]}"} for role in ROLES}
    out["other"] = {"Authorization": f"Bearer {service.admin.create_key('ingest', name='other')[1]}"}
    return out


@pytest.fixture
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(create_app(service), raise_server_exceptions=False) as c:
        yield c
