"""Signed audit checkpoints catch what the hash chain alone cannot (issue 11, point 5), on SQLite
and PostgreSQL: rows removed from the tail, the table emptied, a row rewritten with every later
hash recomputed. A broken chain stays broken until an admin acknowledges it."""

from __future__ import annotations

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
from tests.backends import tamper


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


def _rewrite_and_rehash(service: Service, url: str, seq: int) -> None:
    """Change event ``seq``'s payload and recompute its hash and every later one (a consistent chain)."""
    rows = list(service.store.iterate("audit", order_by=["seq"]))
    prev = GENESIS
    for row in rows:
        if row["seq"] == seq:
            row["payload"] = {"i": -1, "rewritten": True}
        row["prev_hash"] = prev
        row["hash"] = chain_hash(prev, row)
        prev = row["hash"]
        if row["seq"] >= seq:
            tamper(url, "UPDATE audit SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                 (orjson.dumps(row["payload"]).decode(), row["prev_hash"], row["hash"], row["seq"]))


def _cli(url: str, *args: str) -> Any:
    return CliRunner().invoke(cli, ["audit", *args, "--db", url], catch_exceptions=False)


@pytest.fixture
def checkpointed(service: Service, store_url: str, tmp_path: Path) -> Path:
    """120 events, a checkpoint written to a file (as an operator keeps it), 5 more events."""
    _fill(service, 120)
    path = tmp_path / "checkpoint.json"
    path.write_bytes(orjson.dumps(service.make_audit_checkpoint("test")))
    _fill(service, 5)
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
    assert document["chains"] == [{"chain": "main", "length": 120, "head": document["chains"][0]["head"]}]
    assert document["key_id"] == anchor.key_id(service.evidence_public_key())
    assert anchor.check_document(document, service.evidence_public_key()) == []
    assert service.verify_audit().ok


@pytest.mark.parametrize("how", ["tail_removed", "emptied", "rewritten_and_rehashed"])
def test_tampering_the_plain_chain_misses_is_caught(service: Service, store_url: str, checkpointed: Path,
                                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     how: str) -> None:
    _cli_env(monkeypatch, tmp_path)
    if how == "tail_removed":
        tamper(store_url, "DELETE FROM audit WHERE seq > ?", (75,))
    elif how == "emptied":
        tamper(store_url, "DELETE FROM audit")
    else:
        _rewrite_and_rehash(service, store_url, 40)
    from clearspace.service import audit

    assert audit.verify(service.store).ok  # the hash chain alone is fooled
    tamper(store_url, "DELETE FROM audit_checkpoints")  # the attacker removes the stored checkpoints too
    answer = _cli(store_url, "verify", "--checkpoint", str(checkpointed))
    assert answer.exit_code == 1, answer.output
    assert "does NOT extend checkpoint 1" in answer.output
    assert "Traceback" not in answer.output
    expected = "hash checkpoint 1 signed" if how == "rewritten_and_rehashed" else "event 120 named by checkpoint 1"
    assert expected in answer.output


@pytest.mark.parametrize("how", ["tail_removed", "emptied", "rewritten_and_rehashed"])
def test_the_stored_checkpoint_catches_tampering_without_a_file(service: Service, store_url: str,
                                                                checkpointed: Path, how: str) -> None:
    if how == "tail_removed":
        tamper(store_url, "DELETE FROM audit WHERE seq > ?", (70,))
    elif how == "emptied":
        tamper(store_url, "DELETE FROM audit")
    else:
        _rewrite_and_rehash(service, store_url, 3)
    result = service.verify_audit()
    assert not result.ok and result.broken_at == 120
    with pytest.raises(Conflict, match="broken"):
        service.make_audit_checkpoint("test")  # a tampered log is never signed


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
    assert service.verify_audit().ok
    tamper(store_url, "UPDATE audit SET actor = ? WHERE seq = ?", ("someone-else", 4))  # an in-place edit
    full = service.verify_audit(full=True)
    assert not full.ok and full.broken_at == 4
    later = service.verify_audit(full=False)  # the incremental check alone would pass again
    assert not later.ok and "not yet acknowledged" in later.problem
    [alarm] = service.audit_alarms()
    assert alarm["acknowledged_at"] is None and alarm["broken_at"] == 4
    again = service.verify_audit(full=True)  # the same break does not raise a second alarm
    assert not again.ok and len(service.audit_alarms()) == 1
    acked = service.acknowledge_audit_alarm(alarm["id"], "admin:root", "restored from backup")
    assert acked["acknowledged_by"] == "admin:root"
    kinds = [r["kind"] for r in service.audit_page(limit=5)]
    assert kinds[0] == "audit.alarm_acknowledged" and "audit.chain_broken" in kinds
    assert service.verify_audit(full=False).ok
    with pytest.raises(Conflict):
        service.acknowledge_audit_alarm(alarm["id"], "admin:root", "")


def test_periodic_checkpoints_and_the_webhook(store_url: str, clock: ManualClock, tmp_path: Path) -> None:
    service = _service(store_url, clock, tmp_path, audit_checkpoint_seconds=600.0)
    service.add_webhook("https://hooks.example/audit", ["audit.checkpoint"], "test")
    _fill(service, 3)
    assert service.protection_tick()["audit_checkpoints"] == 1
    assert service.audit_checkpoint_tick() == 0  # not due yet
    clock.advance(seconds=601)
    assert service.audit_checkpoint_tick() == 0  # due, but nothing new except its own event
    _fill(service, 1)
    assert service.audit_checkpoint_tick() == 1
    first, second = service.audit_checkpoints()[::-1]
    assert (first["seq"], second["seq"]) == (1, 2)
    assert second["chains"][0]["length"] == first["chains"][0]["length"] + 2
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
