"""The store suite: ``store`` is a fresh, empty store of each backend (the backend fixtures
``store_url``, ``postgres_url`` and ``postgres_fresh_url`` live in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clearspace.store import Store, open_store


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()
