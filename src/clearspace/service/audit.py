"""The append-only audit log: one hash chain per partition, one for moderator and admin actions.

Every event belongs to one *chain* (``p0`` .. ``p{n-1}``, the partition of the event it is about,
:mod:`clearspace.service.partitions`; ``admin`` for moderator, admin and system actions) and has
its own ``seq`` there, 1, 2, 3, ...:
``hash = sha256(prev_hash + canonical JSON of chain, seq, ts, kind, actor, subject, payload)``;
the first event of a chain has 64 zeros as ``prev_hash``. Changing, removing or reordering any
event breaks its chain from that point on, which :func:`verify` reports. Writers on different
chains never wait for each other (each chain has its own lock, :mod:`clearspace.service.locks`).

The events written before migration 17 form the chain ``main``, hashed as they always were
(without the chain name); nothing is appended to it any more, and it is verified like the others.
``audit_heads`` lists every chain and its last event: the set a signed checkpoint commits to
(:mod:`clearspace.service.anchor`); :func:`verify` also checks that every chain still reaches
the head recorded there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any, Final

import orjson

from clearspace.service.partitions import ADMIN_CHAIN
from clearspace.service.results_admin import AuditEntry
from clearspace.store import Op, Row, Store, Tx

GENESIS: Final = "0" * 64
MAIN_CHAIN: Final = "main"
"""The chain of the events written before migration 17 (frozen: verified, never appended to)."""


def chain_lock(chain: str) -> str:
    """The name of the lock a writer of ``chain`` holds (:meth:`clearspace.store.Tx.lock`)."""
    return f"audit:{chain}"


def canonical(row: Mapping[str, Any]) -> bytes:
    """The bytes that are hashed: the event's fields as sorted, compact JSON (the chain's name too,
    except for the frozen ``main`` chain, whose events were hashed before chains had names)."""
    body = {k: row[k] for k in ("seq", "ts", "kind", "actor", "subject", "payload")}
    chain = row.get("chain", MAIN_CHAIN)
    if chain != MAIN_CHAIN:
        body["chain"] = chain
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)


def chain_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical(row)).hexdigest()


class AuditWriter:
    """Appends audit events inside one transaction, to :attr:`chain` unless told another.

    The first append to a chain in the transaction takes that chain's lock (through ``lock``) and
    reads its tail; :meth:`flush` records each touched chain's new head before the commit.
    """

    def __init__(self, tx: Tx, lock: Callable[[str], None], chain: str = ADMIN_CHAIN) -> None:
        self.tx = tx
        self.chain = chain
        self._lock = lock
        self._tails: dict[str, tuple[int, str]] = {}
        self._touched: dict[str, str] = {}

    def tail(self, chain: str) -> tuple[int, str]:
        """``(seq, hash)`` of the chain's last event (``(0, GENESIS)`` for a new chain), under its lock."""
        if chain not in self._tails:
            if chain == MAIN_CHAIN:
                raise ValueError("the 'main' audit chain is frozen; append to a partition's chain or 'admin'")
            self._lock(chain_lock(chain))
            rows = self.tx.select("audit", {"chain": chain}, order_by=["-seq"], limit=1)
            self._tails[chain] = (int(rows[0]["seq"]), str(rows[0]["hash"])) if rows else (0, GENESIS)
        return self._tails[chain]

    def append(self, ts: str, kind: str, actor: str, subject: str, payload: Mapping[str, Any],
               chain: str | None = None) -> Row:
        chain = chain or self.chain
        seq, prev = self.tail(chain)
        row: Row = {"chain": chain, "seq": seq + 1, "ts": ts, "kind": kind, "actor": actor, "subject": subject,
                    "payload": dict(payload)}
        # normalise through JSON so what is hashed now is what verify() reads back later
        row["payload"] = orjson.loads(orjson.dumps(row["payload"]))
        row["prev_hash"] = prev
        row["hash"] = chain_hash(prev, row)
        self.tx.insert("audit", row)
        self._tails[chain] = (row["seq"], row["hash"])
        self._touched[chain] = ts
        return row

    def flush(self) -> None:
        """Write the new head of every chain appended to (once per chain, just before the commit)."""
        for chain, ts in self._touched.items():
            seq, head = self._tails[chain]
            values = {"seq": seq, "hash": head, "updated_at": ts}
            if not self.tx.update("audit_heads", {"chain": chain}, values):
                self.tx.insert("audit_heads", {"chain": chain, **values})
        self._touched.clear()


@dataclass(frozen=True, slots=True)
class ChainState:
    """One chain as checked: ``length`` events, the last one's hash ``head``."""

    length: int
    head: str = GENESIS


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """``ok`` when every chain holds; otherwise ``chain`` is the first broken chain and
    ``broken_at`` the first bad ``seq`` in it.

    ``events`` counts the events covered (every chain), ``checked`` those whose hashes were
    recomputed this time (fewer after an incremental check, :func:`verify_since`); ``chains``
    holds each good chain's length and head, ``head`` the Merkle root over them
    (:func:`clearspace.service.anchor.merkle_root`; the last hash, for one chain checked alone).
    """

    ok: bool
    events: int
    broken_at: int | None = None
    problem: str = ""
    head: str = GENESIS
    checked: int | None = None
    chain: str | None = None
    chains: Mapping[str, ChainState] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "events": self.events, "broken_at": self.broken_at, "problem": self.problem,
                "head": self.head, "checked": self.events if self.checked is None else self.checked,
                "chain": self.chain,
                "chains": {name: {"length": s.length, "head": s.head} for name, s in sorted(self.chains.items())}}


def verify_rows(rows: Iterable[Row], prev: str = GENESIS, after: int = 0, chain: str | None = None) -> VerifyResult:
    """Check a sequence of one chain's audit rows, oldest first: the whole chain, or (``prev``,
    ``after``) the rows that follow event ``after`` whose hash is ``prev``."""
    expected_seq, count = after + 1, after
    for row in rows:
        count += 1
        seq = int(row["seq"])
        if seq != expected_seq:
            return VerifyResult(False, count, seq, f"expected seq {expected_seq}, found {seq} (event missing)", prev,
                                chain=chain)
        if row["prev_hash"] != prev:
            return VerifyResult(False, count, seq, "prev_hash does not match the previous event's hash", prev,
                                chain=chain)
        if chain_hash(prev, row) != row["hash"]:
            return VerifyResult(False, count, seq, "hash does not match the event's contents (modified)", prev,
                                chain=chain)
        prev, expected_seq = row["hash"], seq + 1
    return VerifyResult(True, count, None, "", prev, chain=chain)


def heads(tx: Tx) -> dict[str, ChainState]:
    """Every chain and its recorded head (``audit_heads``), by name."""
    return {r["chain"]: ChainState(int(r["seq"]), str(r["hash"])) for r in tx.select("audit_heads", order_by=["chain"])}


def verify_from(store: Store, start: Mapping[str, ChainState], *, full: bool = False) -> VerifyResult:
    """Check every chain, each from a known good point: the chains in ``start`` from their event
    ``length`` on (that event must still carry the hash ``head`` and hash to it), every other
    recorded chain from its beginning; ``full``: every chain found in the rows, from its beginning.
    A chain named in ``start`` or in ``audit_heads`` that is gone or shorter is broken.
    """
    with store.read() as tx:  # the heads first: every head read now is backed by rows the later reads see
        recorded = heads(tx)
    states: dict[str, ChainState] = {}
    total = checked = 0
    if full:
        rows = store.iterate("audit", order_by=["chain", "seq"])
        found = ((name, verify_rows(group, chain=name)) for name, group in groupby(rows, key=lambda r: r["chain"]))
    else:
        found = ((name, _verify_chain(store, name, start.get(name))) for name in sorted(set(recorded) | set(start)))
    for name, result in found:
        result = _reaches(result, name, max(recorded.get(name, _EMPTY).length, start.get(name, _EMPTY).length))
        if not result.ok:
            return _combined(result, states, total + result.events, checked)
        states[name] = ChainState(result.events, result.head)
        total += result.events
        checked += result.events if result.checked is None else result.checked
    for name in sorted((set(recorded) | set(start)) - set(states)):  # named, but without a single row left
        expected = max(recorded.get(name, _EMPTY).length, start.get(name, _EMPTY).length)
        if expected:
            gone = VerifyResult(False, 0, 1, f"every one of its {expected} events is gone (chain emptied)",
                                chain=name)
            return _combined(gone, states, total, checked)
    return _combined(VerifyResult(True, total), states, total, None if full else checked)


_EMPTY: Final = ChainState(0)


def _reaches(result: VerifyResult, name: str, expected: int) -> VerifyResult:
    """``result`` made broken when its chain stops before event ``expected`` (its tail was removed)."""
    if not result.ok or result.events >= expected:
        return result
    return VerifyResult(False, result.events, result.events + 1,
                        f"the chain ends at event {result.events}, but event {expected} was recorded "
                        "(events removed from its tail)", result.head, chain=name)


def _verify_chain(store: Store, name: str, since: ChainState | None) -> VerifyResult:
    prev, after = GENESIS, 0
    if since is not None and since.length:
        with store.read() as tx:
            found = tx.select("audit", {"chain": name, "seq": since.length}, limit=1)
        if not found:
            return VerifyResult(False, since.length - 1, since.length,
                                f"event {since.length}, good at the last check, is gone", chain=name)
        if found[0]["hash"] != since.head:
            return VerifyResult(False, since.length - 1, since.length,
                                f"event {since.length} no longer has the hash it had at the last check", chain=name)
        prev, after = str(found[0]["prev_hash"]), since.length - 1
    rows = store.iterate("audit", {"chain": name, "seq": Op(">", after)}, order_by=["seq"])
    result = verify_rows(rows, prev, after, name)
    return VerifyResult(result.ok, result.events, result.broken_at, result.problem, result.head,
                        result.events - after, name)


def _combined(result: VerifyResult, states: Mapping[str, ChainState], total: int, checked: int | None) -> VerifyResult:
    from clearspace.service.anchor import root_of

    problem = f"chain {result.chain!r}: {result.problem}" if not result.ok and result.chain else result.problem
    return VerifyResult(result.ok, total, result.broken_at, problem, root_of(states) if result.ok else result.head,
                        checked, result.chain, dict(states))


def verify(store: Store) -> VerifyResult:
    """Walk every chain of the audit log of ``store`` and check every link."""
    return verify_from(store, {}, full=True)


def verify_since(store: Store, checkpoint: VerifyResult) -> VerifyResult:
    """Check only the events from the last one of each chain of a good earlier result on (and every
    chain begun since): cheap on a long log, but blind to changes before those events that keep
    their hashes (rewriting older rows breaks their own hashes, which only :func:`verify` recomputes).
    """
    if not checkpoint.ok:
        return verify(store)
    return verify_from(store, checkpoint.chains)


def entry(row: Row) -> AuditEntry:
    """An audit row as answered (``GET /v1/audit``, the export), its columns in table order."""
    return {"id": row["id"], "chain": row["chain"], "seq": row["seq"], "ts": row["ts"], "kind": row["kind"],
            "actor": row["actor"], "subject": row["subject"], "payload": row["payload"],
            "prev_hash": row["prev_hash"], "hash": row["hash"]}


def export(store: Store, start: str | None = None, end: str | None = None, page: int = 1000) -> Iterator[Row]:
    """Audit events with ``start <= ts < end`` (either bound optional), in the order they were
    written (``id``; each row names its ``chain`` and its ``seq`` there).

    Rows are read ``page`` at a time, each page in its own short read transaction, so a long
    export holds no transaction open and may be consumed from any thread (a streamed response).
    """
    after = -1
    while True:
        where: dict[str, Any] = {"id": Op(">", after)}
        if start:
            where["ts"] = Op(">=", start)
        with store.read() as tx:
            rows = tx.select("audit", where, order_by=["id"], limit=page)
        yield from (row for row in rows if end is None or row["ts"] < end)
        if len(rows) < page:
            return
        after = rows[-1]["id"]
