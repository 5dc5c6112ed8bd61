"""The service over PostgreSQL: the service suite's ingest and moderation tests and the API's
moderation and rumor tests run again here unchanged (only the fixtures differ), plus concurrency
across two "processes", the HTTP app built from ``CLEARSPACE_DB`` and the CLI with
``--db postgresql://...``."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store

TESTS = Path(__file__).resolve().parents[1]
ROLES = ("ingest", "moderator", "senior_moderator", "auditor", "admin")


def _load(name: str) -> ModuleType:
    """A module of the service or API suite, loaded under another name so its tests collect here too."""
    spec = importlib.util.spec_from_file_location(f"postgres_{name.replace('/', '_')}", TESTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tests(*modules: ModuleType) -> dict[str, Any]:
    return {k: v for m in modules for k, v in vars(m).items() if k.startswith("test_") and callable(v)}


globals().update(_tests(_load("service/test_ingest"), _load("service/test_moderation"),
                       _load("api/test_api_moderation"), _load("api/test_api_rumors"),
                       _load("service/test_training"), _load("api/test_api_learning")))

THREAT = "你就是个傻逼 去死吧"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))


def _service(url: str, clock: ManualClock, ids: IdFactory) -> Service:
    return Service(open_store(url), engine=KeywordEngine(), clock=clock, ids=ids)


@pytest.fixture
def service(postgres_url: str, clock: ManualClock) -> Iterator[Service]:
    """What tests/service/conftest.py builds, over a fresh PostgreSQL schema."""
    svc = _service(postgres_url, clock, IdFactory(counter_token()))
    yield svc
    svc.store.close()


@pytest.fixture
def keys(service: Service) -> dict[str, str]:
    """What tests/api/conftest.py builds: one key per role."""
    return {role: service.admin.create_key(role, name=role)[1] for role in ROLES}


@pytest.fixture
def h(keys: dict[str, str]) -> dict[str, dict[str, str]]:
    return {role: {"Authorization": f"Bearer {key}"} for role, key in keys.items()}


@pytest.fixture
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(create_app(service)) as c:
        yield c


def test_concurrent_ingest_from_two_workers_stores_one_decision_per_event(postgres_url: str,
                                                                           clock: ManualClock) -> None:
    workers = [_service(postgres_url, clock, IdFactory(counter_token(n * 10**6))) for n in (1, 2)]
    events = [{"id": f"e{i}", "author": f"a{i % 3}", "target_user": "victim", "text": THREAT if i % 2 else "hi"}
              for i in range(12)]
    answers: list[dict[str, Any]] = []

    def send(i: int) -> None:  # every thread sends every event, in its own order
        for n in range(0, len(events), 3):
            answers.extend(workers[i % 2].ingest.events(events[n:n + 3] if i % 2 else events[::-1][n:n + 3]))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(answers) == 48
    by_event: dict[str, set[str]] = {}
    for a in answers:
        by_event.setdefault(a["id"], set()).add(a["decision_id"])
    assert all(len(ids) == 1 for ids in by_event.values()) and len(by_event) == 12
    with workers[0].store.read() as tx:
        assert tx.count("decisions") == 12 and tx.count("events") == 12
    result = workers[1].admin.verify_audit()
    assert result.ok, result
    for w in workers:
        w.store.close()


def test_app_from_env_serves_events_end_to_end(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from clearspace.api.server import app_from_env

    monkeypatch.setenv("CLEARSPACE_DB", postgres_url)
    app = app_from_env()  # what 'clearspace serve' and uvicorn --factory run
    service = _service(postgres_url, ManualClock(datetime(2026, 3, 1, tzinfo=UTC)), IdFactory())
    _, key = service.admin.create_key("admin")
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(app) as client:
        r = client.post("/v1/events", json={"id": "p1", "author": "u1", "target_user": "u2", "text": THREAT},
                        headers=headers)
        assert r.status_code == 200, r.text
        assert r.json()["action"] != "allow" and not r.json()["duplicate"]
        assert client.post("/v1/events", json={"id": "p1", "text": "x"}, headers=headers).json()["duplicate"]
        assert client.get("/v1/events/p1", headers=headers).json()["decisions"][0]["id"] == r.json()["decision_id"]
        assert client.get("/v1/audit/verify", headers=headers).json()["ok"] is True
    app.state.service.store.close()
    service.store.close()


def test_api_over_postgres(service: Service) -> None:
    _, key = service.admin.create_key("admin")
    with TestClient(create_app(service)) as client:
        r = client.post("/v1/events", json=[{"id": "a", "text": "hello"}, {"id": "b", "text": THREAT}],
                        headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 200, r.text
        assert [x["id"] for x in r.json()["results"]] == ["a", "b"]


def test_cli_commands_take_a_postgres_url(postgres_url: str) -> None:
    from clearspace.cli.main import cli

    runner = CliRunner()
    created = runner.invoke(cli, ["keys", "create", "--role", "auditor", "--db", postgres_url])
    assert created.exit_code == 0, created.output
    listed = runner.invoke(cli, ["keys", "list"], env={"CLEARSPACE_DB": postgres_url})
    assert "auditor" in listed.output
    verified = runner.invoke(cli, ["audit", "verify", "--db", postgres_url])
    assert verified.exit_code == 0 and "audit log OK: 1 events" in verified.output
