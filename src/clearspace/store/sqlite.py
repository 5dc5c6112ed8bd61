"""The SQLite store: one connection in WAL mode, writes serialized by a lock.

``synchronous=NORMAL`` in WAL mode keeps every committed transaction across a crash of the
process (not necessarily across a power cut; pass ``durable=True`` for ``FULL``).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from clearspace.errors import StoreError
from clearspace.store.base import Row, Where
from clearspace.store.schema import JSON_COLUMNS, KEYS, MIGRATIONS, MIGRATIONS_TABLE, statements_for
from clearspace.store.sql import column as _column
from clearspace.store.sql import columns_sql as _columns_sql
from clearspace.store.sql import decode_flags as _decode_flags
from clearspace.store.sql import encode as _encode
from clearspace.store.sql import order_sql as _order_sql
from clearspace.store.sql import table as _table
from clearspace.store.sql import where_sql as _where_sql


def _decode(table: str, row: sqlite3.Row) -> Row:
    json_cols = JSON_COLUMNS.get(table, frozenset())
    out = {k: orjson.loads(row[k]) if k in json_cols and row[k] is not None else row[k] for k in row.keys()}  # noqa: SIM118 - sqlite3.Row
    return _decode_flags(table, out)


def _enable_wal(conn: sqlite3.Connection, attempts: int = 50) -> None:
    """Switch to WAL mode; retried, because SQLite answers "locked" at once (without waiting
    ``busy_timeout``) while another connection is switching a new file at the same moment."""
    for attempt in range(attempts):
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05)


class SQLiteTx:
    """A transaction (or a read view) on the store's connection."""

    def __init__(self, conn: sqlite3.Connection, *, readonly: bool,
                 statements: dict[tuple[str, tuple[str, ...], bool], str] | None = None) -> None:
        self._conn = conn
        self._readonly = readonly
        self._statements = {} if statements is None else statements

    def _writable(self) -> None:
        if self._readonly:
            raise StoreError("this is a read-only view; use store.transaction() to write")

    def insert(self, table: str, row: Mapping[str, Any], *, ignore_conflict: bool = False) -> bool:
        self._writable()
        data = _encode(_table(table), row)
        shape = (table, tuple(data), ignore_conflict)
        sql = self._statements.get(shape)
        if sql is None:
            cols = ", ".join(_column(c) for c in data)
            marks = ", ".join("?" * len(data))
            conflict = f" ON CONFLICT ({KEYS[table]}) DO NOTHING" if ignore_conflict else ""
            sql = self._statements[shape] = f"INSERT INTO {table} ({cols}) VALUES ({marks}){conflict}"
        cur = self._conn.execute(sql, list(data.values()))
        return cur.rowcount == 1

    def update(self, table: str, where: Where, changes: Mapping[str, Any]) -> int:
        self._writable()
        data = _encode(_table(table), changes)
        sets = ", ".join(f"{_column(c)} = ?" for c in data)
        clause, params = _where_sql(where)
        cur = self._conn.execute(f"UPDATE {table} SET {sets}{clause}", [*data.values(), *params])
        return cur.rowcount

    def get(self, table: str, key: Any) -> Row | None:
        rows = self.select(table, {KEYS[_table(table)]: key}, limit=1)
        return rows[0] if rows else None

    def select(self, table: str, where: Where | None = None, *, order_by: Sequence[str] = (),
               limit: int | None = None, columns: Sequence[str] | None = None) -> list[Row]:
        clause, params = _where_sql(where)
        sql = f"SELECT {_columns_sql(columns)} FROM {_table(table)}{clause}{_order_sql(order_by)}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_decode(table, r) for r in self._conn.execute(sql, params)]

    def count(self, table: str, where: Where | None = None) -> int:
        clause, params = _where_sql(where)
        return int(self._conn.execute(f"SELECT COUNT(*) FROM {_table(table)}{clause}", params).fetchone()[0])

    def last(self, table: str, order_column: str) -> Row | None:
        rows = self.select(table, order_by=[f"-{order_column}"], limit=1)
        return rows[0] if rows else None

    def lock(self, name: str) -> None:
        """Nothing to do: every write transaction of this store already holds the whole database."""


class SQLiteStore:
    """A :class:`~clearspace.store.base.Store` in one SQLite file (``":memory:"`` for tests)."""

    def __init__(self, path: str | Path, *, durable: bool = False) -> None:
        self.path = str(path)
        self.durable = durable
        self._lock = threading.RLock()
        self._statements: dict[tuple[str, tuple[str, ...], bool], str] = {}
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("PRAGMA busy_timeout=5000")
            _enable_wal(self._conn)
            self._conn.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
            self.migrate()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc

    def migrate(self) -> int:
        """Apply every migration not applied yet; returns the schema version."""
        with self._lock:
            self._conn.execute(MIGRATIONS_TABLE)
            done = {r[0] for r in self._conn.execute("SELECT version FROM schema_migrations")}
            for version, description, statements in MIGRATIONS:
                if version in done:
                    continue
                with self._begin():  # checked inside the write lock: another process may be migrating too
                    if self._conn.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (version,)).fetchone():
                        continue
                    for sql in statements_for(statements, "sqlite"):
                        self._conn.execute(sql)
                    self._conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (version, description))
            return self.schema_version()

    def schema_version(self) -> int:
        with self._lock:
            row = self._conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
            return int(row[0] or 0)

    @contextmanager
    def _begin(self) -> Iterator[None]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[SQLiteTx]:
        with self._lock:
            try:
                with self._begin():
                    yield SQLiteTx(self._conn, readonly=False, statements=self._statements)
            except sqlite3.Error as exc:
                raise StoreError(f"database write failed: {exc}") from exc

    @contextmanager
    def read(self) -> Iterator[SQLiteTx]:
        with self._lock:
            try:
                yield SQLiteTx(self._conn, readonly=True)
            except sqlite3.Error as exc:
                raise StoreError(f"database read failed: {exc}") from exc

    def iterate(self, table: str, where: Where | None = None, *, order_by: Sequence[str] = (),
                batch: int = 1000, columns: Sequence[str] | None = None) -> Iterator[Row]:
        clause, params = _where_sql(where)
        sql = f"SELECT {_columns_sql(columns)} FROM {_table(table)}{clause}{_order_sql(order_by)}"
        with self._lock:
            cur = self._conn.execute(sql, params)
            while rows := cur.fetchmany(batch):
                yield from (_decode(table, r) for r in rows)

    def close(self) -> None:
        with self._lock:
            self._conn.close()
