"""The PostgreSQL store (psycopg 3): the same interface, migrations and behaviour as the SQLite store.

::

    store = PostgresStore("postgresql://clearspace@db.internal:5432/clearspace")

- **Writes run side by side**: a write transaction takes no global lock. What must not
  interleave takes a *named* transaction-scoped advisory lock (:meth:`PostgresTx.lock`, e.g. the
  audit chain a transaction appends to, ``audit:p3``), so transactions on different partitions
  never wait for each other. Duplicate keys are refused by the primary keys and
  ``ON CONFLICT DO NOTHING``. Migrations alone take one global advisory lock
  (:data:`MIGRATION_LOCK_KEY`), so several processes starting together migrate once.
- **Reads** run in ``REPEATABLE READ READ ONLY`` transactions: one consistent snapshot per view,
  never blocked by writers. A read opened inside a write transaction on the same thread uses that
  transaction, so it sees its uncommitted rows (as with SQLite).
- **Connections** come from a small pool (``pool_size``, default 8), opened on first use; a
  connection that broke is thrown away, not reused.
- Text compares and sorts by code point (``COLLATE "C"`` columns) and NULL sorts first, so
  queries answer in the same order on both backends.
"""

from __future__ import annotations

import hashlib
import queue
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row

from clearspace.errors import InputError, StoreError
from clearspace.store.base import Row, Where
from clearspace.store.schema import KEYS, MIGRATIONS, MIGRATIONS_TABLE, statements_for
from clearspace.store.sql import column, columns_sql, decode_json, encode, order_sql, table, where_sql

MIGRATION_LOCK_KEY = int.from_bytes(b"clearspc", "big")
"""The advisory lock a migration holds (a 63-bit constant: 'clearspc' in ASCII)."""


def lock_key(name: str) -> int:
    """The 64-bit advisory lock key of a named lock (BLAKE2b: the same in every process)."""
    digest = hashlib.blake2b(f"clearspace:{name}".encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)

Connection = psycopg.Connection[dict[str, Any]]


def describe_url(url: str) -> str:
    """``url`` without its password, for messages and logs."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.Error:
        return "postgresql://(unparsable URL)"
    user = f"{parts['user']}@" if parts.get("user") else ""
    host = parts.get("host") or "localhost"
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{user}{host}{port}/{parts.get('dbname') or ''}"


def _param(value: Any) -> Any:
    """Python values as PostgreSQL parameters: booleans go to INTEGER columns as 0/1, as in SQLite."""
    return int(value) if isinstance(value, bool) else value


def _params(values: Iterable[Any]) -> list[Any]:
    return [_param(v) for v in values]


def _where(where: Where | None) -> tuple[str, list[Any]]:
    clause, params = where_sql(where, "%s")
    return clause, _params(params)


def _select_sql(table_name: str, where: Where | None, order_by: Sequence[str],
                columns: Sequence[str] | None = None) -> tuple[str, list[Any]]:
    clause, params = _where(where)
    cols = columns_sql(columns)
    return f"SELECT {cols} FROM {table(table_name)}{clause}{order_sql(order_by, explicit_nulls=True)}", params


class PostgresTx:
    """A write transaction or a read-only view on one pooled connection."""

    def __init__(self, conn: Connection, *, readonly: bool) -> None:
        self._conn = conn
        self._readonly = readonly

    def _writable(self) -> None:
        if self._readonly:
            raise StoreError("this is a read-only view; use store.transaction() to write")

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor[dict[str, Any]]:
        return self._conn.execute(sql, params)

    def insert(self, table_name: str, row: Mapping[str, Any], *, ignore_conflict: bool = False) -> bool:
        self._writable()
        data = encode(table(table_name), row)
        cols = ", ".join(column(c) for c in data)
        marks = ", ".join(["%s"] * len(data))
        conflict = f" ON CONFLICT ({KEYS[table_name]}) DO NOTHING" if ignore_conflict else ""
        cur = self._execute(f"INSERT INTO {table_name} ({cols}) VALUES ({marks}){conflict}", _params(data.values()))
        return cur.rowcount == 1

    def update(self, table_name: str, where: Where, changes: Mapping[str, Any]) -> int:
        self._writable()
        data = encode(table(table_name), changes)
        sets = ", ".join(f"{column(c)} = %s" for c in data)
        clause, params = _where(where)
        return self._execute(f"UPDATE {table_name} SET {sets}{clause}", [*_params(data.values()), *params]).rowcount

    def get(self, table_name: str, key: Any) -> Row | None:
        rows = self.select(table_name, {KEYS[table(table_name)]: key}, limit=1)
        return rows[0] if rows else None

    def select(self, table_name: str, where: Where | None = None, *, order_by: Sequence[str] = (),
               limit: int | None = None, columns: Sequence[str] | None = None) -> list[Row]:
        sql, params = _select_sql(table_name, where, order_by, columns)
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [decode_json(table_name, r) for r in self._execute(sql, params).fetchall()]

    def count(self, table_name: str, where: Where | None = None) -> int:
        clause, params = _where(where)
        row = self._execute(f"SELECT COUNT(*) AS n FROM {table(table_name)}{clause}", params).fetchone()
        return int(row["n"]) if row else 0

    def last(self, table_name: str, order_column: str) -> Row | None:
        rows = self.select(table_name, order_by=[f"-{order_column}"], limit=1)
        return rows[0] if rows else None

    def lock(self, name: str) -> None:
        """A transaction-scoped advisory lock on ``name`` (held until COMMIT or ROLLBACK)."""
        self._writable()
        self._execute("SELECT pg_advisory_xact_lock(%s)", (lock_key(name),))


class _Pool:
    """At most ``size`` connections to ``url``, opened when first needed."""

    def __init__(self, url: str, size: int, timeout: float) -> None:
        self.url = url
        self.timeout = timeout
        self._idle: queue.LifoQueue[Connection] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._closed = False

    def _connect(self) -> Connection:
        try:
            return psycopg.connect(self.url, autocommit=True, row_factory=dict_row, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL at {describe_url(self.url)}: {exc}".strip()) from exc

    def take(self) -> Connection:
        if self._closed:
            raise StoreError("the store is closed")
        if not self._slots.acquire(timeout=self.timeout):
            raise StoreError(f"no free database connection after {self.timeout:g} s (pool size too small?)")
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            try:
                return self._connect()
            except BaseException:
                self._slots.release()
                raise
        return conn

    def give(self, conn: Connection) -> None:
        """Return a connection; a broken one, one still inside a transaction, or one given back after
        :meth:`close`, is closed instead."""
        with self._lock:
            keep = not (self._closed or conn.closed
                        or conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE)
            if keep:
                self._idle.put(conn)
        if not keep:
            conn.close()
        self._slots.release()

    def close(self) -> None:
        """Close the idle connections now; one in use by another thread (a background job) is closed
        when it comes back, since closing a connection under a running query crashes libpq."""
        with self._lock:
            self._closed = True
            idle = []
            while not self._idle.empty():
                idle.append(self._idle.get_nowait())
        for conn in idle:
            conn.close()


class PostgresStore:
    """A :class:`~clearspace.store.base.Store` in a PostgreSQL database (``postgresql://`` URL).

    The database must exist; the tables are created by the migrations when the store opens. To keep
    clearspace's tables in their own schema, add ``?options=-csearch_path%3Dclearspace`` to the URL.
    """

    def __init__(self, url: str, *, pool_size: int = 8, timeout: float = 30.0) -> None:
        self.url = url
        self._pool = _Pool(url, pool_size, timeout)
        self._local = threading.local()
        self.migrate()

    def __repr__(self) -> str:
        return f"PostgresStore({describe_url(self.url)!r})"

    # ------------------------------------------------------------------ transactions
    @contextmanager
    def _session(self, begin: str, what: str, *, lock: bool, register: bool = False) -> Iterator[Connection]:
        """A pooled connection inside ``begin`` ... COMMIT (ROLLBACK on any error), errors as StoreError.

        With ``register`` the connection is this thread's open transaction until the block ends.
        """
        conn = self._begin(begin, what)
        if register:
            self._local.conn = conn
        try:
            if lock:
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
            yield conn
            conn.execute("COMMIT")
        except psycopg.Error as exc:
            self._rollback(conn)
            if isinstance(exc, psycopg.DataError) and "NUL" in str(exc):  # the caller's text, not the database
                raise InputError("text must not contain NUL characters (PostgreSQL cannot store them)") from exc
            raise StoreError(f"database {what} failed: {exc}".strip()) from exc
        except BaseException:
            self._rollback(conn)
            raise
        finally:
            if register:
                self._local.conn = None
            self._pool.give(conn)

    def _begin(self, begin: str, what: str) -> Connection:
        """A pooled connection that has run ``begin``; a pooled connection the server dropped
        (restart, idle timeout) is replaced once by a fresh one."""
        for attempt in (1, 2):
            conn = self._pool.take()
            try:
                conn.execute(begin)
                return conn
            except psycopg.Error as exc:
                dropped = isinstance(exc, psycopg.OperationalError)
                if dropped:
                    conn.close()
                self._pool.give(conn)
                if attempt == 2 or not dropped:
                    raise StoreError(f"database {what} failed: {exc}".strip()) from exc
        raise AssertionError("unreachable")

    @staticmethod
    def _rollback(conn: Connection) -> None:
        if conn.closed:
            return
        try:
            conn.execute("ROLLBACK")
        except psycopg.Error:
            conn.close()

    def _current(self) -> Connection | None:
        conn: Connection | None = getattr(self._local, "conn", None)
        return conn

    @contextmanager
    def transaction(self) -> Iterator[PostgresTx]:
        if self._current() is not None:
            raise StoreError("a transaction is already open on this thread; nest work inside it instead")
        with self._session("BEGIN ISOLATION LEVEL READ COMMITTED", "write", lock=False, register=True) as conn:
            yield PostgresTx(conn, readonly=False)

    @contextmanager
    def read(self) -> Iterator[PostgresTx]:
        outer = self._current()
        if outer is not None:  # inside this thread's open transaction: see its rows
            yield PostgresTx(outer, readonly=True)
            return
        with self._session("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "read", lock=False) as conn:
            yield PostgresTx(conn, readonly=True)

    def iterate(self, table_name: str, where: Where | None = None, *, order_by: Sequence[str] = (),
                batch: int = 1000, columns: Sequence[str] | None = None) -> Iterator[Row]:
        sql, params = _select_sql(table_name, where, order_by, columns)
        session = self._session("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "read", lock=False)
        with session as conn, conn.cursor(name="clearspace_iterate") as cur:
            cur.execute(sql, params)
            while rows := cur.fetchmany(batch):
                yield from (decode_json(table_name, r) for r in rows)

    # ------------------------------------------------------------------ schema
    def migrate(self) -> int:
        """Apply every migration not applied yet (under the migration lock: safe with several processes)."""
        for version, description, statements in MIGRATIONS:
            with self._session("BEGIN", "migration", lock=True) as conn:
                conn.execute(MIGRATIONS_TABLE)
                if conn.execute("SELECT 1 FROM schema_migrations WHERE version = %s", (version,)).fetchone():
                    continue
                for sql in statements_for(statements, "postgresql"):
                    conn.execute(sql)
                conn.execute("INSERT INTO schema_migrations VALUES (%s, %s)", (version, description))
        return self.schema_version()

    def schema_version(self) -> int:
        with self.read() as tx:
            row = tx._execute("SELECT MAX(version) AS v FROM schema_migrations").fetchone()
        return int(row["v"] or 0) if row else 0

    def close(self) -> None:
        self._pool.close()


__all__ = ["MIGRATION_LOCK_KEY", "PostgresStore", "PostgresTx", "describe_url", "lock_key"]
