from __future__ import annotations

from pathlib import Path

import pytest

from clearspace.errors import StoreError
from clearspace.store import Op, Store, open_store
from clearspace.store.schema import LATEST

BACKENDS = ["sqlite"]
"""Every store backend runs this contract suite; a PostgreSQL store adds itself here."""


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    assert request.param == "sqlite"
    return open_store(tmp_path / "db.sqlite")


def _event(i: int) -> dict[str, object]:
    return {"id": f"e{i}", "type": "post", "author": "a", "text": "hi", "received_at": f"2026-01-0{i}T00:00:00Z",
            "context": {"k": i}}


def test_migrates_to_latest_and_reopens(tmp_path: Path) -> None:
    store = open_store(tmp_path / "db.sqlite")
    assert store.schema_version() == LATEST
    store.close()
    assert open_store(f"sqlite:///{tmp_path / 'db.sqlite'}").schema_version() == LATEST


def test_insert_select_update_and_json_round_trip(store: Store) -> None:
    with store.transaction() as tx:
        for i in (1, 2, 3):
            assert tx.insert("events", _event(i))
        assert not tx.insert("events", _event(1), ignore_conflict=True)
    with store.read() as tx:
        assert tx.get("events", "e2")["context"] == {"k": 2}
        assert [r["id"] for r in tx.select("events", order_by=["-received_at"], limit=2)] == ["e3", "e2"]
        assert tx.count("events", {"received_at": Op(">", "2026-01-01T00:00:00Z")}) == 2
        assert tx.count("events", {"id": Op("in", ["e1", "e3"])}) == 2
        assert tx.count("events", {"id": Op("in", [])}) == 0
        assert tx.count("events", {"parent": None}) == 3
        assert tx.last("events", "received_at")["id"] == "e3"
    with store.transaction() as tx:
        assert tx.update("events", {"id": "e1"}, {"author": "b"}) == 1
    assert [r["author"] for r in store.iterate("events", order_by=["id"])] == ["b", "a", "a"]


def test_rollback_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.insert("events", _event(1))
        raise RuntimeError("boom")
    with store.read() as tx:
        assert tx.count("events") == 0


def test_errors_are_store_errors(store: Store) -> None:
    with pytest.raises(StoreError, match="unknown table"), store.read() as tx:
        tx.select("nope")
    with pytest.raises(StoreError, match="invalid column"), store.read() as tx:
        tx.select("events", {"id; DROP": 1})
    with pytest.raises(StoreError, match="read-only"), store.read() as tx:
        tx.insert("events", _event(1))
    with pytest.raises(StoreError, match="write failed"), store.transaction() as tx:
        tx.insert("events", _event(1))
        tx.insert("events", _event(1))
    with pytest.raises(StoreError, match="PostgreSQL"):
        open_store("postgresql://x")
