"""Storage behind one interface: :class:`Store` / :class:`Tx`; SQLite by default, PostgreSQL too.

::

    store = open_store("clearspace.db")                      # or "postgresql://user@host/db"
    with store.transaction() as tx:
        tx.insert("events", {...})
"""

from __future__ import annotations

from pathlib import Path

from clearspace.store.base import Op, Row, Store, Tx, Where

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(url: str | Path) -> bool:
    """True for ``postgresql://`` and ``postgres://`` URLs."""
    return str(url).startswith(POSTGRES_SCHEMES)


def describe(url: str | Path) -> str:
    """``url`` fit for messages: a PostgreSQL URL loses its password, a path stays as it is."""
    if is_postgres_url(url):
        from clearspace.store.postgres import describe_url

        return describe_url(str(url))
    return str(url)


def open_store(url: str | Path) -> Store:
    """Open (and migrate) the store at ``url``: a file path, ``sqlite:///path``, ``:memory:``,
    or a ``postgresql://user:password@host:port/dbname`` URL (the database must exist)."""
    text = str(url)
    if is_postgres_url(text):
        from clearspace.store.postgres import PostgresStore

        return PostgresStore(text)
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///"):]
    from clearspace.store.sqlite import SQLiteStore

    return SQLiteStore(text)


__all__ = ["Op", "Row", "Store", "Tx", "Where", "describe", "is_postgres_url", "open_store"]
