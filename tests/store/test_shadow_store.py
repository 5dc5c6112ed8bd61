"""Shadow mode over PostgreSQL: migration 13's tables and the service's shadow tests that take the
``service`` fixture, run again over a fresh PostgreSQL schema (and over SQLite through ``store``)."""

from __future__ import annotations

import importlib.util
import inspect
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.service.shadow_candidates import CandidateSpec
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import Store, open_store
from clearspace.store.schema import KEYS, LATEST

SHADOW_TESTS = Path(__file__).resolve().parents[1] / "service" / "test_shadow.py"


def _service_tests() -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location("postgres_test_shadow", SHADOW_TESTS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {k: v for k, v in vars(module).items() if k.startswith("test_") and callable(v)
            and "service" in inspect.signature(v).parameters}


globals().update(_service_tests())


@pytest.fixture
def service(postgres_url: str) -> Iterator[Service]:
    svc = Service(open_store(postgres_url), engine=KeywordEngine(),
                  clock=ManualClock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC)), ids=IdFactory(counter_token()))
    yield svc
    svc.shadow.close()
    svc.store.close()


def test_migration_13_on_both_backends(store: Store) -> None:
    assert LATEST >= 13 and store.schema_version() == LATEST
    assert KEYS["shadow_runs"] == "id" and KEYS["shadow_disagreements"] == "id"
    service = Service(store, engine=KeywordEngine(), ids=IdFactory(counter_token()))
    run = service.learning.start_shadow(
        CandidateSpec(policy="name: p\nversion: 2\nrules:\n  - name: all\n    version: 1\n"
                             "    when: {signal: abuse, min: 0}\n    action: label\n"), "admin:ops")
    service.ingest.events([{"id": "a", "text": "hello"}, {"id": "b", "text": "you idiot"}])
    assert service.shadow.drain(10)
    summary = service.learning.shadow_summary(run["id"])
    service.shadow.close()
    assert summary["counts"] == {"action:allow->label": 1, "action:nudge->label": 1}
    assert sorted(e["event_id"] for e in summary["examples"]) == ["a", "b"]
    assert summary["examples"][0]["candidate"]["rules"] == ["all@1"]
