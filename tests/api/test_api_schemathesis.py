"""Property-based run of every operation in /openapi.json: no input may cause a server error.

The app is built when this module is collected (schemathesis parametrizes from a schema
object); it uses its own temporary SQLite database, removed at exit.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from clearspace.api.app import create_app
from clearspace.service.core import Service
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store

_DIR = Path(tempfile.mkdtemp(prefix="clearspace-schemathesis-"))
atexit.register(shutil.rmtree, _DIR, ignore_errors=True)
_SERVICE = Service(open_store(_DIR / "s.db"), engine=KeywordEngine())
_KEY = _SERVICE.admin.create_key("admin", name="schemathesis")[1]
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_SERVICE))


@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors(case: Any) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {_KEY}"}, checks=[not_a_server_error])
