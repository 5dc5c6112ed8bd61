"""The storage interface every backend implements (SQLite and PostgreSQL).

The service talks to storage only through :class:`Store` and :class:`Tx`: plain rows as
dicts, equality or :class:`Op` filters, one table name per call. JSON columns (see
:data:`clearspace.store.schema.JSON_COLUMNS`) go in and come out as Python values. All
writes happen inside ``with store.transaction() as tx:``; leaving the block commits,
an exception rolls back.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Literal, Protocol

Row = dict[str, Any]
Operator = Literal["<", "<=", ">", ">=", "!=", "in", "between"]


@dataclass(frozen=True, slots=True)
class Op:
    """A filter other than equality: ``{"ends_at": Op(">", now)}``, ``{"id": Op("in", ids)}``,
    ``{"ts": Op("between", (lo, hi))}`` (both ends included)."""

    op: Operator
    value: Any


Where = Mapping[str, Any]
"""``column -> value`` (equality; ``None`` means IS NULL) or ``column -> Op``; all must hold."""


class Tx(Protocol):
    """One open transaction."""

    def insert(self, table: str, row: Mapping[str, Any], *, ignore_conflict: bool = False) -> bool:
        """Insert a row; with ``ignore_conflict`` a duplicate key is skipped (returns False)."""

    def update(self, table: str, where: Where, changes: Mapping[str, Any]) -> int:
        """Set ``changes`` on every matching row; returns how many rows changed."""

    def get(self, table: str, key: Any) -> Row | None:
        """The row with this primary key, or None."""

    def select(self, table: str, where: Where | None = None, *, order_by: Sequence[str] = (),
               limit: int | None = None, columns: Sequence[str] | None = None) -> list[Row]:
        """Matching rows; ``order_by`` items are column names, ``-name`` for descending;
        ``columns``: only these columns (default: all)."""

    def count(self, table: str, where: Where | None = None) -> int:
        """How many rows match."""

    def last(self, table: str, order_column: str) -> Row | None:
        """The row with the highest ``order_column``, or None when the table is empty."""

    def lock(self, name: str) -> None:
        """Hold the named lock until this transaction ends: another transaction asking for the same
        name waits; different names never wait for each other. Taking a name twice is harmless.
        (PostgreSQL: a transaction-scoped advisory lock; SQLite: nothing, its writes are serialized.)"""


class Store(Protocol):
    """A database the service can use."""

    def transaction(self) -> AbstractContextManager[Tx]:
        """Open a write transaction. Writes are not serialized as a whole: a transaction that must
        not interleave with another takes a named :meth:`Tx.lock` (the audit chain it appends to,
        the account whose strikes it counts, ...)."""

    def read(self) -> AbstractContextManager[Tx]:
        """A consistent read-only view (writes through it are an error)."""

    def iterate(self, table: str, where: Where | None = None, *, order_by: Sequence[str] = (),
                batch: int = 1000, columns: Sequence[str] | None = None) -> Iterator[Row]:
        """Stream matching rows in order without holding them all in memory (``columns`` as in select)."""

    def schema_version(self) -> int:
        """The newest migration applied."""

    def close(self) -> None:
        """Release the connection(s)."""
