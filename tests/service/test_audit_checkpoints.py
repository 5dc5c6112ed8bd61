"""Signed audit checkpoints catch what the hash chain alone cannot (issue 11, point 5), on SQLite
and PostgreSQL: rows removed from the tail, the table emptied, a row rewritten with every later
hash recomputed. A broken chain stays broken until an admin acknowledges it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from clearspace.cli.main import cli
from clearspace.errors import Conflict, InputError
from clearspace.protection.evidence import generate_key
from clearspace.service import anchor
from clearspace.service.audit import GENESIS, chain_hash
from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.service.settings import Settings
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store


def _service(url: str, clock: ManualClock, tmp_path: Path, **settings: Any) -> Service:
    key = tmp_path / "evidence.pem"
    return Service(open_store(url), engine=KeywordEngine(), clock=clock, ids=IdFactory(counter_token()),
                   settings=Settings(db=url, evidence_key=str(key), **settings))


@pytest.fixture
def service(store_url: str, clock: ManualClock, tmp_path: Path) -> Iterator[Service]:
    svc = _service(store_url, clock, tmp_path)
    yield svc
    svc.store.close()


def _fill(service: Service, n: int) -> None:
    with service.unit() as unit:
        for i in range(n):
            unit.log("test.event", "tester", f"s{i}", {"i": i})


def _sql(url: str, statement: str, params: tuple[Any, ...] = ()) -> None:
    """Tamper with the database behind the service's back, as someone with write access would."""
    if "://" in url:
        import psycopg

        with psycopg.connect(url) as conn:
            conn.execute(statement.replace("?", "%s"), params)
        return
    conn = sqlite3.connect(url)
    with conn:
        conn.execute(statement, params)
    conn.close()


def _posts(service: Service, n: int, start: int = 0) -> None:
    """``n`` posts, each about someone else: their decisions land in many partitions' chains."""
    service.ingest.events([{"id": f"e{i}", "text": "hello", "author": f"a{i}", "target_user": f"t{i}"}
                    for i in range(start, start + n)])


def _partition_chain(document: dict[str, Any]) -> tuple[str, int]:
    """The longest partition chain a checkpoint names, and its length there."""
    heads = [(h["length"], h["chain"]) for h in document["chains"] if h["chain"].startswith("p")]
    length, chain = max(heads)
    return chain, length


def _rows(service: Service, chain: str) -> list[dict[str, Any]]:
    return list(service.store.iterate("audit", {"chain": chain}, order_by=["seq"]))


def _set_head(url: str, chain: str, rows: list[dict[str, Any]]) -> None:
    """The attacker keeps ``audit_heads`` consistent with what they left of a chain."""
    if rows:
        last = rows[-1]
        _sql(url, "UPDATE audit_heads SET seq = ?, hash = ? WHERE chain = ?", (last["seq"], last["hash"], chain))
    else:
        _sql(url, "DELETE FROM audit_heads WHERE chain = ?", (chain,))


def _rewrite_and_rehash(service: Service, url: str, chain: str, seq: int) -> None:
    """Change event ``seq`` of ``chain`` and recompute its hash and every later one (a consistent chain)."""
    rows = _rows(service, chain)
    prev = GENESIS
    for row in rows:
        if row["seq"] == seq:
            row["payload"] = {"i": -1, "rewritten": True}
        row["prev_hash"] = prev
        row["hash"] = chain_hash(prev, row)
        prev = row["hash"]
        if row["seq"] >= seq:
            _sql(url, "UPDATE audit SET payload = ?, prev_hash = ?, hash = ? WHERE chain = ? AND seq = ?",
                 (orjson.dumps(row["payload"]).decode(), row["prev_hash"], row["hash"], chain, row["seq"]))
    _set_head(url, chain, rows)


def _tamper(service: Service, url: str, how: str, chain: str, length: int) -> None:
    """Tamper with one chain (or, ``emptied_all``, every chain) so that every chain still verifies alone."""
    if how == "tail_removed":
        _sql(url, "DELETE FROM audit WHERE chain = ? AND seq > ?", (chain, length - 2))
        _set_head(url, chain, _rows(service, chain))
    elif how == "emptied":
        _sql(url, "DELETE FROM audit WHERE chain = ?", (chain,))
        _set_head(url, chain, [])
    elif how == "emptied_all":
        _sql(url, "DELETE FROM audit")
        _sql(url, "DELETE FROM audit_heads")
    else:
        _rewrite_and_rehash(service, url, chain, 1)


TAMPERS = ["tail_removed", "emptied", "emptied_all", "rewritten_and_rehashed"]


def _cli(url: str, *args: str) -> Any:
    return CliRunner().invoke(cli, ["audit", *args, "--db", url], catch_exceptions=False)


@pytest.fixture
def checkpointed(service: Service, store_url: str, tmp_path: Path) -> Path:
    """120 admin events and 40 posts over the partitions' chains, a checkpoint written to a file (as an
    operator keeps it), then 5 more of each."""
    _fill(service, 120)
    _posts(service, 40)
    path = tmp_path / "checkpoint.json"
    path.write_bytes(orjson.dumps(service.admin.make_audit_checkpoint("test")))
    _fill(service, 5)
    _posts(service, 5, start=40)
    return path


def _cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CLEARSPACE_EVIDENCE_KEY", str(tmp_path / "evidence.pem"))


def test_an_untampered_log_extends_its_checkpoint(service: Service, store_url: str, checkpointed: Path,
                                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _cli_env(monkeypatch, tmp_path)
    answer = _cli(store_url, "verify", "--checkpoint", str(checkpointed))
    assert answer.exit_code == 0, answer.output
    assert "checkpoint 1 OK" in answer.output
    document = orjson.loads(checkpointed.read_bytes())
    names = [h["chain"] for h in document["chains"]]
    assert names == sorted(names) and "admin" in names and len(names) > 3  # every chain, sorted by name
    assert {h["chain"]: h["length"] for h in document["chains"]}["admin"] == 120
    assert sum(h["length"] for h in document["chains"]) == 160  # 120 admin events, one decision per post
    assert document["root"] == anchor.merkle_root(document["chains"])
    assert document["key_id"] == anchor.key_id(service.protection.evidence_public_key())
    assert anchor.check_document(document, service.protection.evidence_public_key()) == []
    assert service.admin.verify_audit().ok


@pytest.mark.parametrize("tamper", TAMPERS)
def test_tampering_the_plain_chain_misses_is_caught(service: Service, store_url: str, checkpointed: Path,
                                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     tamper: str) -> None:
    _cli_env(monkeypatch, tmp_path)
    chain, length = _partition_chain(orjson.loads(checkpointed.read_bytes()))
    _tamper(service, store_url, tamper, chain, length)
    from clearspace.service import audit

    assert audit.verify(service.store).ok  # the hash chains alone are fooled
    _sql(store_url, "DELETE FROM audit_checkpoints")  # the attacker removes the stored checkpoints too
    answer = _cli(store_url, "verify", "--checkpoint", str(checkpointed))
    assert answer.exit_code == 1, answer.output
    assert "does NOT extend checkpoint 1" in answer.output
    assert "Traceback" not in answer.output
    named = "admin" if tamper == "emptied_all" else chain
    expected = ("hash checkpoint 1 signed" if tamper == "rewritten_and_rehashed"
                else f"event {120 if named == 'admin' else length} named by checkpoint 1")
    assert f"chain {named!r}" in answer.output and expected in answer.output


@pytest.mark.parametrize("tamper", TAMPERS)
def test_the_stored_checkpoint_catches_tampering_without_a_file(service: Service, store_url: str,
                                                                checkpointed: Path, tamper: str) -> None:
    chain, length = _partition_chain(orjson.loads(checkpointed.read_bytes()))
    _tamper(service, store_url, tamper, chain, length)
    result = service.admin.verify_audit()
    assert not result.ok
    if tamper != "emptied_all":
        assert (result.chain, result.broken_at) == (chain, length)
    with pytest.raises(Conflict, match="broken"):
        service.admin.make_audit_checkpoint("test")  # a tampered log is never signed


def test_a_removed_tail_is_caught_by_the_recorded_heads_alone(service: Service, store_url: str) -> None:
    _posts(service, 12)
    _fill(service, 3)
    assert service.admin.verify_audit().ok
    _sql(store_url, "DELETE FROM audit WHERE chain = ? AND seq = ?", ("admin", 3))  # audit_heads left alone
    result = service.admin.verify_audit()
    assert not result.ok and result.chain == "admin" and "removed from its tail" in result.problem


def test_chains_are_separate_and_each_starts_at_one(service: Service) -> None:
    _posts(service, 30)
    _fill(service, 2)
    result = service.admin.verify_audit()
    assert result.ok and result.chains["admin"].length == 2
    partitions = {name: s for name, s in result.chains.items() if name != "admin"}
    assert len(partitions) > 5 and sum(s.length for s in partitions.values()) == 30
    for name in partitions:
        rows = _rows(service, name)
        assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
        assert rows[0]["prev_hash"] == GENESIS
    assert result.head == anchor.root_of(result.chains)


def test_a_checkpoint_signed_by_another_key_is_refused(service: Service, store_url: str, checkpointed: Path,
                                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _cli_env(monkeypatch, tmp_path)
    document = orjson.loads(checkpointed.read_bytes())
    other = anchor.make_document([anchor.ChainHead(**c) for c in document["chains"]], seq=1,
                                 created_at=document["created_at"], key=generate_key(b"x" * 32))
    forged = tmp_path / "forged.json"
    forged.write_bytes(orjson.dumps(other))
    answer = _cli(store_url, "verify", "--checkpoint", str(forged))
    assert answer.exit_code == 1 and "not by the expected key" in answer.output
    document["chains"][0]["length"] = 3  # an edited checkpoint no longer verifies
    edited = tmp_path / "edited.json"
    edited.write_bytes(orjson.dumps(document))
    answer = _cli(store_url, "verify", "--checkpoint", str(edited))
    assert answer.exit_code == 1 and "signature does not verify" in answer.output
    edited.write_text("{not json")
    answer = CliRunner().invoke(cli, ["audit", "verify", "--checkpoint", str(edited), "--db", store_url])
    assert isinstance(answer.exception, InputError) and "not a checkpoint" in str(answer.exception)
    # (the clearspace entry point turns an InputError into one line and exit status 2)


def test_a_broken_chain_stays_broken_until_an_admin_acknowledges(service: Service, store_url: str) -> None:
    _fill(service, 10)
    assert service.admin.verify_audit().ok
    _sql(store_url, "UPDATE audit SET actor = ? WHERE chain = ? AND seq = ?", ("someone-else", "admin", 4))  # in place
    full = service.admin.verify_audit(full=True)
    assert not full.ok and full.broken_at == 4
    later = service.admin.verify_audit(full=False)  # the incremental check alone would pass again
    assert not later.ok and "not yet acknowledged" in later.problem
    [alarm] = service.admin.audit_alarms()
    assert alarm["acknowledged_at"] is None and alarm["broken_at"] == 4
    again = service.admin.verify_audit(full=True)  # the same break does not raise a second alarm
    assert not again.ok and len(service.admin.audit_alarms()) == 1
    acked = service.admin.acknowledge_audit_alarm(alarm["id"], "admin:root", "restored from backup")
    assert acked["acknowledged_by"] == "admin:root"
    kinds = [r["kind"] for r in service.admin.audit_page(limit=5)]
    assert kinds[0] == "audit.alarm_acknowledged" and "audit.chain_broken" in kinds
    assert service.admin.verify_audit(full=False).ok
    with pytest.raises(Conflict):
        service.admin.acknowledge_audit_alarm(alarm["id"], "admin:root", "")


def test_periodic_checkpoints_and_the_webhook(store_url: str, clock: ManualClock, tmp_path: Path) -> None:
    service = _service(store_url, clock, tmp_path, audit_checkpoint_seconds=600.0)
    service.admin.add_webhook("https://hooks.example/audit", ["audit.checkpoint"], "test")
    _fill(service, 3)
    assert service.protection.tick()["audit_checkpoints"] == 1
    assert service.admin.audit_checkpoint_tick() == 0  # not due yet
    clock.advance(seconds=601)
    assert service.admin.audit_checkpoint_tick() == 0  # due, but nothing new except its own event
    _fill(service, 1)
    assert service.admin.audit_checkpoint_tick() == 1
    first, second = service.admin.audit_checkpoints()[::-1]
    assert (first["seq"], second["seq"]) == (1, 2)
    assert anchor.total_length(second) == anchor.total_length(first) + 2
    with service.store.read() as tx:
        sent = tx.select("outbox", {"topic": "audit.checkpoint"})
    assert [m["payload"]["data"]["seq"] for m in sent] == [1, 2]
    service.store.close()


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13])
def test_merkle_paths_prove_each_chain_head(size: int) -> None:
    heads = [anchor.ChainHead(f"p{i}", i * 7, f"{i:064x}").to_dict() for i in range(size)]
    root = anchor.merkle_root(heads)
    for i, head in enumerate(heads):
        path = anchor.inclusion_path(heads, i)
        assert anchor.verify_inclusion(head, i, size, path, root)
        assert not anchor.verify_inclusion({**head, "length": head["length"] + 1}, i, size, path, root)
    assert anchor.merkle_root(heads[::-1]) != root or size == 1
