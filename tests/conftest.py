"""Shared fixtures: one engine and one normalizer per test session (they load tables), and the storage
backends every suite over a database runs on.

**Backends.** A test that takes ``store_url`` runs once per backend: ``sqlite`` (a fresh file in
``tmp_path``) and ``postgresql`` (an empty, migrated database). The PostgreSQL server is
``$CLEARSPACE_TEST_POSTGRES`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``, trust auth);
each run (each xdist worker) creates ``cs_test_<random>``, migrates it once and drops it at the end;
each test gets it back with every table emptied (one multi-statement ``DELETE`` on a held connection:
far faster than ``CREATE DATABASE ... TEMPLATE`` plus ``DROP DATABASE``, a fresh migration or
``TRUNCATE``: benchmarks/bench_test_backends.py). Without a server the PostgreSQL variants skip with
the reason shown; under ``CI=true`` they fail instead.

- ``@pytest.mark.sqlite_only(reason)`` keeps a test to SQLite: one about SQLite itself, or one whose
  store is incidental (a PostgreSQL run would add time and test nothing more); the reason says which.
- ``CLEARSPACE_TEST_BACKENDS=sqlite`` runs only SQLite (a quick local loop); CI always runs both.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
from hypothesis import HealthCheck, settings

from clearspace.detectors.lexicon import LexiconDetector
from clearspace.service.clock import ManualClock
from clearspace.text.normalize import Normalizer

if TYPE_CHECKING:
    import psycopg

    from clearspace.service.core import Service
    from clearspace.store import Store

# Timing is not behaviour: CI machines are shared, so property tests get no deadline.
settings.register_profile("clearspace", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("clearspace")

DATASETS = Path(os.environ.get("CLEARSPACE_DATASETS", Path(__file__).resolve().parents[2] / "shared" / "datasets"))
DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only(reason): store_url is only a SQLite path for this test (about "
                                       "SQLite itself, or its store is incidental); the reason says which")


def _backends() -> tuple[str, ...]:
    if os.environ.get("CI") == "true":
        return BACKENDS
    wanted = [b.strip() for b in os.environ.get("CLEARSPACE_TEST_BACKENDS", ",".join(BACKENDS)).split(",")]
    return tuple(b for b in BACKENDS if b in wanted) or BACKENDS


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that takes ``store_url`` or ``module_store_url`` (directly or through a fixture) runs
    on each backend."""
    marker = metafunc.definition.get_closest_marker("sqlite_only")
    if marker is not None and not (marker.args or marker.kwargs.get("reason")):
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: sqlite_only needs a reason")
    backends = ("sqlite",) if marker is not None else _backends()
    if "store_url" in metafunc.fixturenames:
        metafunc.parametrize("store_url", backends, indirect=True)
    if "module_store_url" in metafunc.fixturenames:
        metafunc.parametrize("module_store_url", backends, indirect=True, scope="module")


@pytest.fixture(scope="session")
def lexicon() -> LexiconDetector:
    return LexiconDetector()


@pytest.fixture(scope="session")
def normalizer(lexicon: LexiconDetector) -> Normalizer:
    return Normalizer(homophone_terms=lexicon.homophone_terms())


@pytest.fixture(scope="session")
def engine():  # type: ignore[no-untyped-def]
    from clearspace.engine import Engine

    return Engine().warm_up()


@pytest.fixture(scope="session")
def datasets() -> Path:
    if not (DATASETS / "cold" / "train.csv").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"datasets not found at {DATASETS} (set CLEARSPACE_DATASETS)")
        pytest.skip(f"datasets not found at {DATASETS}")
    return DATASETS


# ---------------------------------------------------------------------- backends
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
    """The URL of a fresh database that exists for this test run (this xdist worker) only."""
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


class _Emptier:
    """Empties every table of one migrated schema over a connection kept open (one round trip)."""

    def __init__(self, url: str) -> None:
        from clearspace.store.schema import KEYS

        self.url = url
        self._sql = "; ".join(f"DELETE FROM {name}" for name in KEYS)
        self._conn: psycopg.Connection[Any] | None = None

    def _connect(self) -> psycopg.Connection[Any]:
        import psycopg

        conn = psycopg.connect(self.url, autocommit=True)
        conn.execute("SET lock_timeout = '10s'")  # a test that left a write open fails the next one, never hangs
        return conn

    def empty(self) -> None:
        import psycopg

        if self._conn is None or self._conn.closed:
            self._conn = self._connect()
        try:
            self._conn.execute(self._sql)
        except psycopg.OperationalError:  # a test terminated every connection (as a server restart would)
            self._conn.close()
            self._conn = self._connect()
            self._conn.execute(self._sql)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()


@pytest.fixture(scope="session")
def _postgres_migrated(postgres_database: str) -> Iterator[_Emptier]:
    """A migrated schema, emptied before each test that uses it."""
    from clearspace.store import open_store

    url = _new_schema(postgres_database)
    open_store(url).close()
    emptier = _Emptier(url)
    yield emptier
    emptier.close()


@pytest.fixture
def postgres_url(_postgres_migrated: _Emptier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A URL of the migrated schema with every table empty (migrating costs far more than emptying:
    benchmarks/bench_test_backends.py).

    The test runs in ``tmp_path``: over PostgreSQL the evidence key defaults to a file in the
    working folder, which must not land in the checkout."""
    monkeypatch.chdir(tmp_path)
    _postgres_migrated.empty()
    return _postgres_migrated.url


@pytest.fixture
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh, empty store of the backend under test lives (see the module's docstring)."""
    if request.param == "sqlite":
        return str(tmp_path / "db.sqlite")
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A fresh, empty store of each backend."""
    from clearspace.store import open_store

    opened = open_store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))


@pytest.fixture
def service(store_url: str, clock: ManualClock) -> Iterator[Service]:
    """A service over a fresh database of each backend, scoring with the model-free keyword engine and
    the real policy (the service and API suites; closed at the end of the test)."""
    from clearspace.service.core import Service
    from clearspace.service.ids import IdFactory, counter_token
    from clearspace.service.stub_engine import KeywordEngine
    from clearspace.store import open_store

    svc = Service(open_store(store_url), engine=KeywordEngine(), clock=clock, ids=IdFactory(counter_token()))
    yield svc
    svc.close()


@pytest.fixture
def open_service(store_url: str) -> Iterator[Callable[..., Service]]:
    """``open_service(**options)``: one more service over this test's database (as another process
    would open it): the keyword engine and counter ids unless ``options`` say otherwise; each is closed
    at the end of the test."""
    from clearspace.service.core import Service
    from clearspace.service.ids import IdFactory, counter_token
    from clearspace.service.stub_engine import KeywordEngine
    from clearspace.store import open_store

    opened: list[Service] = []

    def make(**options: Any) -> Service:
        options.setdefault("engine", KeywordEngine())
        options.setdefault("ids", IdFactory(counter_token()))
        opened.append(Service(open_store(store_url), **options))
        return opened[-1]

    yield make
    for svc in opened:
        svc.close()


@pytest.fixture(scope="module")
def module_store_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of each backend shared by the tests of one module (a live server's), in a folder of its
    own that is also the working folder meanwhile (where the evidence key lands over PostgreSQL)."""
    folder = tmp_path_factory.mktemp("module-db")
    url = str(folder / "db.sqlite")
    if request.param == "postgresql":
        url = _new_schema(request.getfixturevalue("postgres_database"))  # migrated when first opened
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        yield url
