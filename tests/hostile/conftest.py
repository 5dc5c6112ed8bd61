"""The hostile-input suite runs on both backends: the PostgreSQL fixtures of tests/store/conftest.py
(one throw-away database per run; skipped with the reason shown when no server is reachable, a
failure under ``CI=true``) and a fresh SQLite file."""

from __future__ import annotations

import importlib.util
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

_spec = importlib.util.spec_from_file_location("hostile_store_conftest",
                                               Path(__file__).resolve().parents[1] / "store" / "conftest.py")
assert _spec is not None and _spec.loader is not None
_store = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_store)
postgres_database = _store.postgres_database
_postgres_migrated = _store._postgres_migrated
postgres_url = _store.postgres_url

ROLES = ("ingest", "moderator", "senior_moderator", "auditor", "admin")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "hostile.db")
    url: str = request.getfixturevalue("postgres_url")
    return url


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
