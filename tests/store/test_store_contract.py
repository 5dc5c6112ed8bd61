from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from clearspace.errors import StoreError
from clearspace.service.audit import AuditWriter, verify
from clearspace.store import Op, Store, open_store
from clearspace.store.schema import LATEST, MIGRATIONS, for_dialect

BACKENDS = ["sqlite", "postgresql"]
"""Every store backend runs this contract suite (PostgreSQL: see conftest.py)."""



@pytest.fixture(params=BACKENDS)
def fresh_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where nothing has been migrated yet, on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "fresh.sqlite")
    url: str = request.getfixturevalue("postgres_fresh_url")
    return url



def _threads(target: Callable[[int], None], n: int) -> None:
    """Run ``target(0) ... target(n - 1)`` at once; re-raise the first error any of them raised."""
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            target(i)
        except BaseException as exc:  # noqa: BLE001 - handed to the test below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    if errors:
        raise errors[0]


def _event(i: int) -> dict[str, object]:
    return {"id": f"e{i}", "type": "post", "author": "a", "text": "hi", "received_at": f"2026-01-0{i}T00:00:00Z",
            "context": {"k": i}}


def test_migrates_to_latest_and_reopens(fresh_store_url: str) -> None:
    store = open_store(fresh_store_url)
    assert store.schema_version() == LATEST
    store.close()
    again = open_store(f"sqlite:///{fresh_store_url}" if "://" not in fresh_store_url else fresh_store_url)
    assert again.schema_version() == LATEST
    again.close()


def test_insert_select_update_and_json_round_trip(store: Store) -> None:
    with store.transaction() as tx:
        for i in (1, 2, 3):
            assert tx.insert("events", _event(i))
        assert not tx.insert("events", _event(1), ignore_conflict=True)
    with store.read() as tx:
        assert (tx.get("events", "e2") or {}).get("context") == {"k": 2}
        assert [r["id"] for r in tx.select("events", order_by=["-received_at"], limit=2)] == ["e3", "e2"]
        assert tx.count("events", {"received_at": Op(">", "2026-01-01T00:00:00Z")}) == 2
        assert tx.count("events", {"id": Op("in", ["e1", "e3"])}) == 2
        assert tx.count("events", {"id": Op("in", [])}) == 0
        assert tx.count("events", {"parent": None}) == 3
        assert (tx.last("events", "received_at") or {}).get("id") == "e3"
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


def test_unreachable_postgres_is_a_store_error_without_the_password() -> None:
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL at postgresql://u@127.0.0.1:1/db") as info:
        open_store("postgresql://u:s3cret@127.0.0.1:1/db")
    assert "s3cret" not in str(info.value)


def test_migrations_map_types_for_postgresql() -> None:
    sql = "CREATE TABLE t (a TEXT PRIMARY KEY, b INTEGER NOT NULL, c REAL, text TEXT)"
    assert for_dialect(sql, "sqlite") == sql
    assert for_dialect(sql, "postgresql") == ('CREATE TABLE t (a TEXT COLLATE "C" PRIMARY KEY, b BIGINT NOT NULL, '
                                              'c DOUBLE PRECISION, text TEXT COLLATE "C")')
    every = " ".join(s for _, _, statements in MIGRATIONS for s in statements)
    assert not {"BLOB", "SERIAL", "AUTOINCREMENT", "JSON", "BOOLEAN"} & set(every.replace("(", " ").split())


def test_values_round_trip_the_same_on_every_backend(store: Store) -> None:
    key = {"id": "k1", "hash": "h", "prefix": "p", "role": "admin", "name": "名字 😀\u200b", "rate_limit": 0.1,
           "created_at": "2026-01-01T00:00:00Z", "revoked_at": None}
    with store.transaction() as tx:
        tx.insert("api_keys", key)
        tx.insert("webhooks", {"id": "w1", "url": "http://x", "secret": "s", "topics": ["*", "决定"],
                               "created_at": "t", "active": True})
        tx.insert("cases", {"id": "c1", "subject_id": "s", "kind": "item", "lane": "standard", "priority": 2**40,
                            "status": "open", "reports": 0, "brigade": False, "opened_at": "t", "due_at": "t"})
    with store.read() as tx:
        assert tx.get("api_keys", "k1") == key
        assert tx.select("webhooks", {"active": True}) == tx.select("webhooks", {"active": 1})
        hook = tx.get("webhooks", "w1")
        assert hook is not None and hook["active"] == 1 and hook["topics"] == ["*", "决定"]
        case = tx.get("cases", "c1")
        assert case is not None and case["priority"] == 2**40 and case["brigade"] == 0 and case["lease_owner"] is None


def test_text_sorts_by_code_point_and_null_first(store: Store) -> None:
    ids = ["b", "B", "a_1", "a1", "é", "Z", "a-2", "你"]
    with store.transaction() as tx:
        for i, event_id in enumerate(ids):
            tx.insert("events", {**_event(1), "id": event_id, "parent": None if i % 2 else f"p{i}"})
    with store.read() as tx:
        assert [r["id"] for r in tx.select("events", order_by=["id"])] == sorted(ids)
        assert [r["id"] for r in tx.select("events", order_by=["-id"])] == sorted(ids, reverse=True)
        assert tx.count("events", {"id": Op(">", "a")}) == len([i for i in ids if i > "a"])
        assert [r["parent"] for r in tx.select("events", order_by=["parent", "id"])][:4] == [None] * 4
        assert [r["parent"] for r in tx.select("events", order_by=["-parent", "id"])][-4:] == [None] * 4


def test_iterate_streams_in_batches(store: Store) -> None:
    with store.transaction() as tx:
        for i in range(1, 8):
            tx.insert("events", _event(i))
    rows = store.iterate("events", {"id": Op("!=", "e4")}, order_by=["-id"], batch=2)
    assert [r["id"] for r in rows] == ["e7", "e6", "e5", "e3", "e2", "e1"]
    assert next(store.iterate("events", order_by=["id"]))["context"] == {"k": 1}


def test_reads_inside_a_transaction_see_its_rows(store: Store) -> None:
    with store.transaction() as tx:
        tx.insert("events", _event(1))
        with store.read() as view:
            assert view.get("events", "e1") is not None
        with pytest.raises(StoreError), store.transaction() as inner:
            inner.insert("events", _event(2))
    with store.read() as view:
        assert view.count("events") == 1


def test_a_failed_transaction_leaves_nothing_behind(store: Store) -> None:
    with pytest.raises(StoreError, match="write failed"), store.transaction() as tx:
        tx.insert("events", _event(1))
        tx.insert("audit", {"seq": 1, "ts": "t", "kind": "k", "actor": "a", "subject": "s", "payload": {},
                            "prev_hash": "0", "hash": "h"})
        tx.insert("decisions", {"id": "d1"})  # NOT NULL columns missing
    with store.read() as tx:
        assert (tx.count("events"), tx.count("audit"), tx.count("decisions")) == (0, 0, 0)
    with store.transaction() as tx:  # the store still works afterwards
        assert tx.insert("events", _event(1))


def test_idempotent_insert_under_concurrency(store_url: str) -> None:
    stores = [open_store(store_url) for _ in range(2)]
    won: list[bool] = []

    def insert(i: int) -> None:
        for n in range(5):
            with stores[i % 2].transaction() as tx:
                won.append(tx.insert("events", _event(n + 1), ignore_conflict=True))

    _threads(insert, 4)
    assert sum(won) == 5 and len(won) == 20
    with stores[0].read() as tx:
        assert tx.count("events") == 5
    for s in stores:
        s.close()


def test_audit_chain_stays_linear_under_concurrent_writers(store_url: str) -> None:
    stores = [open_store(store_url) for _ in range(2)]  # two pools: like two worker processes

    def append(i: int) -> None:
        for n in range(8):
            with stores[i % 2].transaction() as tx:  # two writers on each of two chains
                writer = AuditWriter(tx, tx.lock, "admin" if i < 2 else "p1")
                writer.append("2026-01-01T00:00:00Z", "test", f"writer{i}", f"n{n}", {"n": n})
                writer.flush()

    _threads(append, 4)
    result = verify(stores[1])
    assert result.ok and result.events == 32, result
    assert {name: s.length for name, s in result.chains.items()} == {"admin": 16, "p1": 16}
    for s in stores:
        s.close()


def test_opening_one_fresh_database_from_three_threads_migrates_once(fresh_store_url: str) -> None:
    opened: list[Store] = []
    _threads(lambda _: opened.append(open_store(fresh_store_url)), 3)
    assert [s.schema_version() for s in opened] == [LATEST] * 3
    for s in opened:
        s.close()


def test_column_subsets_and_between(store: Store) -> None:
    with store.transaction() as tx:
        for i in (1, 2, 3, 4):
            tx.insert("events", _event(i))
    with store.read() as tx:
        rows = tx.select("events", {"received_at": Op("between", ("2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"))},
                         order_by=["id"], columns=["id", "context"])
        assert rows == [{"id": "e2", "context": {"k": 2}}, {"id": "e3", "context": {"k": 3}}]
    streamed = list(store.iterate("events", order_by=["-id"], columns=["id"]))
    assert streamed == [{"id": "e4"}, {"id": "e3"}, {"id": "e2"}, {"id": "e1"}]
