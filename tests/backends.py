"""Helpers for tests that run on every storage backend (the fixtures are in tests/conftest.py)."""

from __future__ import annotations

import sqlite3
from typing import Any

from clearspace.store import is_postgres_url


def tamper(url: str, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Run ``statement`` (``?`` placeholders) on the database behind the service's back, as someone
    with write access would; answers the rows it returns."""
    if is_postgres_url(url):
        import psycopg

        with psycopg.connect(url) as pg:
            cur = pg.execute(statement.replace("?", "%s"), params)
            return list(cur.fetchall()) if cur.description else []
    conn = sqlite3.connect(url)
    try:
        with conn:
            return list(conn.execute(statement, params).fetchall())
    finally:
        conn.close()
