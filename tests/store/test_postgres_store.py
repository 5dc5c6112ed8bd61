"""What only the PostgreSQL store has: a connection pool that survives dropped connections,
URLs shown without passwords, and the dialect of the migrations in the real catalog."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import psycopg
import pytest

from clearspace.errors import StoreError
from clearspace.store import describe, open_store
from clearspace.store.postgres import PostgresStore, describe_url


@pytest.fixture
def store(postgres_url: str) -> Iterator[PostgresStore]:
    opened = PostgresStore(postgres_url, pool_size=2, timeout=0.5)
    yield opened
    opened.close()


def _event(event_id: str) -> dict[str, object]:
    return {"id": event_id, "type": "post", "text": "hi", "received_at": "2026-01-01T00:00:00Z", "context": {}}


def test_connections_dropped_by_the_server_are_replaced(store: PostgresStore, postgres_url: str) -> None:
    with store.transaction() as tx:
        tx.insert("events", _event("e1"))
    with psycopg.connect(postgres_url, autocommit=True) as admin:  # as a server restart would
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    with store.transaction() as tx:
        tx.insert("events", _event("e2"))
    with store.read() as tx:
        assert tx.count("events") == 2


def test_closing_leaves_a_connection_in_use_to_its_thread(store: PostgresStore, postgres_url: str) -> None:
    """A background job (a label backfill) may still be writing when its service closes the store:
    the job's connection is closed when it comes back, never under it (libpq crashed the process)."""
    inside, go_on = threading.Event(), threading.Event()
    finished: list[str] = []

    def job() -> None:
        with store.transaction() as tx:
            inside.set()
            go_on.wait(10)
            tx.insert("events", _event("late"))
        finished.append("committed")

    worker = threading.Thread(target=job)
    worker.start()
    assert inside.wait(10)
    store.close()
    go_on.set()
    worker.join(10)
    assert finished == ["committed"]
    with pytest.raises(StoreError, match="closed"), store.read():
        pass
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT id FROM events").fetchall() == [("late",)]


def test_a_full_pool_is_a_clear_error(store: PostgresStore) -> None:
    with store.read(), store.read(), pytest.raises(StoreError, match="no free database connection"):
        store.read().__enter__()


def test_urls_are_shown_without_passwords() -> None:
    url = "postgresql://clearspace:hunter2@db.internal:5433/cs?sslmode=require"
    assert describe_url(url) == "postgresql://clearspace@db.internal:5433/cs"
    assert describe(url) == describe_url(url) and describe("data/cs.db") == "data/cs.db"


def test_columns_compare_by_code_point_in_the_catalog(postgres_fresh_url: str) -> None:
    open_store(postgres_fresh_url).close()
    with psycopg.connect(postgres_fresh_url) as conn:
        rows = conn.execute("SELECT data_type, collation_name FROM information_schema.columns "
                            "WHERE table_schema = current_schema() AND table_name = 'reports'").fetchall()
    types = {t for t, _ in rows}
    assert types == {"text", "bigint", "double precision"}
    assert {c for t, c in rows if t == "text"} == {"C"}
