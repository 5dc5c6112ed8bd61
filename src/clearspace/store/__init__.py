"""Storage behind one interface: :class:`Store` / :class:`Tx`; SQLite by default.

::

    store = open_store("clearspace.db")
    with store.transaction() as tx:
        tx.insert("events", {...})
"""

from __future__ import annotations

from pathlib import Path

from clearspace.errors import StoreError
from clearspace.store.base import Op, Row, Store, Tx, Where


def open_store(url: str | Path) -> Store:
    """Open (and migrate) the store at ``url``: a file path, ``sqlite:///path`` or ``:memory:``."""
    text = str(url)
    if text.startswith(("postgres://", "postgresql://")):
        raise StoreError("the PostgreSQL store is not available yet; use a SQLite path")
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///"):]
    from clearspace.store.sqlite import SQLiteStore

    return SQLiteStore(text)


__all__ = ["Op", "Row", "Store", "Tx", "Where", "open_store"]
