"""Every operation in /openapi.json, fed generated input (valid and invalid, NUL characters
included) on SQLite and on PostgreSQL: no answer may be a server error (issue 11, Goals).

The app is built per backend by a fixture (``schemathesis.pytest.from_fixture``); a few examples
per operation keep each backend's run well under a minute (tests/api/test_api_schemathesis.py
runs more over SQLite)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from clearspace.api.app import create_app
from clearspace.service.core import Service


@pytest.fixture
def api_schema(service: Service) -> Any:
    service.ingest([{"id": "ev1", "text": "你就是个傻逼", "author": "alice", "target_user": "bob"}])
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(service))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors_on_either_backend(case: Any, h: dict[str, dict[str, str]]) -> None:
    case.call_and_validate(headers=h["admin"], checks=[not_a_server_error])
