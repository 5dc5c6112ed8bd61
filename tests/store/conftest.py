"""PostgreSQL for the store tests: one throw-away database per test run, emptied before each test.

The server is ``$CLEARSPACE_TEST_POSTGRES`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``,
trust auth). The run creates ``cs_test_<random>`` and drops it at the end. Without a server the
PostgreSQL variants are skipped with the reason shown; under ``CI=true`` they fail instead.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

from clearspace.service.clock import ManualClock
from clearspace.store import Store, open_store

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def with_database(url: str, dbname: str, schema: str | None = None) -> str:
    """``url`` pointing at ``dbname`` (and with ``search_path`` set to ``schema``)."""
    parts = urlsplit(url)
    query = urlencode({"options": f"-csearch_path={schema}"}) if schema else ""
    return urlunsplit((parts.scheme, parts.netloc, f"/{dbname}", query, ""))


def _unreachable(admin_url: str, exc: Exception) -> NoReturn:
    message = f"PostgreSQL not reachable at {admin_url} (set CLEARSPACE_TEST_POSTGRES): {exc}".strip()
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """The URL of a fresh database that exists for this test run only."""
    import psycopg

    admin_url = os.environ.get("CLEARSPACE_TEST_POSTGRES", DEFAULT_ADMIN_URL)
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        _unreachable(admin_url, exc)
    dbname = f"cs_test_{secrets.token_hex(6)}"
    with admin:
        admin.execute(f"CREATE DATABASE {dbname}")
        try:
            yield with_database(admin_url, dbname)
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")


def _new_schema(database_url: str) -> str:
    import psycopg

    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return with_database(database_url, urlsplit(database_url).path.lstrip("/"), schema)


@pytest.fixture
def postgres_fresh_url(postgres_database: str) -> str:
    """A URL whose ``search_path`` is a new, empty schema: for tests of migrating from nothing."""
    return _new_schema(postgres_database)


@pytest.fixture(scope="session")
def _postgres_migrated(postgres_database: str) -> str:
    from clearspace.store import open_store

    url = _new_schema(postgres_database)
    open_store(url).close()
    return url


@pytest.fixture
def postgres_url(_postgres_migrated: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A URL of a migrated schema with every table empty (migrating costs far more than emptying).

    The test runs in ``tmp_path``: over PostgreSQL the evidence key defaults to a file in the
    working folder, which must not land in the checkout."""
    import psycopg

    monkeypatch.chdir(tmp_path)
    from clearspace.store.schema import KEYS

    with psycopg.connect(_postgres_migrated) as conn:
        for name in KEYS:
            conn.execute(f"DELETE FROM {name}")
    return _postgres_migrated


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh, empty store of each backend lives."""
    if request.param == "sqlite":
        return str(tmp_path / "db.sqlite")
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
