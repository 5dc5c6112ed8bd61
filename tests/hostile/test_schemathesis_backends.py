"""Every operation in /openapi.json, fed generated input (valid and invalid), and each case again
with a NUL character appended to every string of its body and query, on SQLite and on PostgreSQL:
no answer may be a server error (issue 11, Goals).

The cases come from the schema of an app built at collection (as tests/api/test_api_schemathesis.py
does); each is sent to a fresh app over the backend under test, so the PostgreSQL run needs no
server at collection time. A few examples per operation keep each backend's run well under a
minute (tests/api/test_api_schemathesis.py runs more over SQLite)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from clearspace.api.app import create_app
from clearspace.service.core import Service
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store

_DIR = Path(tempfile.mkdtemp(prefix="clearspace-hostile-schema-"))
atexit.register(shutil.rmtree, _DIR, ignore_errors=True)
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Service(open_store(_DIR / "s.db"),
                                                                            engine=KeywordEngine())))


@schema.parametrize()
@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors_on_either_backend(case: Any, client: TestClient, h: dict[str, dict[str, str]],
                                            service: Service) -> None:
    kwargs = case.as_transport_kwargs(headers=h["admin"])
    client.cookies.clear()
    client.cookies.update(kwargs.pop("cookies", None) or {})  # per-request cookies are deprecated in starlette
    response = client.request(**kwargs)
    assert response.status_code < 500, (kwargs, response.text)
    hostile = {**kwargs, **{k: _with_nul(kwargs[k]) for k in ("json", "params") if kwargs.get(k) is not None}}
    if hostile != kwargs:  # the same request with a NUL character in every string (PostgreSQL cannot store one)
        response = client.request(**hostile)
        assert response.status_code < 500, (hostile, response.text)


def _with_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value + "\x00"
    if isinstance(value, dict):
        return {k: _with_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_nul(v) for v in value]
    return value
