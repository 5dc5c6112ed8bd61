"""Bus mode against the real NATS JetStream and PostgreSQL on the machine (issue 15).

Each test gets its own database (``cs_bus_<random>``, dropped afterwards) and its own ``bus_prefix``
(its streams are deleted afterwards). Without NATS or PostgreSQL the tests are skipped with the
reason shown; under ``CI=true`` they fail instead.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit, urlunsplit

import pytest

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
NATS_URL = os.environ.get("CLEARSPACE_TEST_NATS", "nats://127.0.0.1:4222")


def _absent(message: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def pg_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A new, empty PostgreSQL database for this test only (the evidence key lands in ``tmp_path``)."""
    import psycopg

    monkeypatch.chdir(tmp_path)
    admin_url = os.environ.get("CLEARSPACE_TEST_POSTGRES", DEFAULT_ADMIN_URL)
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        _absent(f"PostgreSQL not reachable at {admin_url} (set CLEARSPACE_TEST_POSTGRES): {exc}".strip())
    name = f"cs_bus_{secrets.token_hex(6)}"
    parts = urlsplit(admin_url)
    with admin:
        admin.execute(f"CREATE DATABASE {name}")
        try:
            yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def bus_prefix() -> Iterator[str]:
    """A prefix of this test's own (its two streams are deleted afterwards)."""
    parts = urlsplit(NATS_URL)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 4222), timeout=2).close()
    except OSError as exc:
        _absent(f"NATS not reachable at {NATS_URL} (set CLEARSPACE_TEST_NATS): {exc}")
    prefix = f"t{secrets.token_hex(5)}"
    yield prefix
    from clearspace.bus.jetstream import JetStreamBus
    from clearspace.bus.names import Names

    async def clean() -> None:
        bus = JetStreamBus(NATS_URL, Names(prefix), 1)
        await bus.connect_only()
        await bus.delete()
        await bus.close()

    asyncio.run(clean())
