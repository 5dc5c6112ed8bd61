"""The append-only audit log: every event is hash-chained to the one before it.

``hash = sha256(prev_hash + canonical JSON of seq, ts, kind, actor, subject, payload)``; the
first event's ``prev_hash`` is 64 zeros. Changing, removing or reordering any event breaks the
chain from that point on, which :func:`verify` reports.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from clearspace.store import Op, Row, Store, Tx

GENESIS = "0" * 64


def canonical(row: Mapping[str, Any]) -> bytes:
    """The bytes that are hashed: the event's fields as sorted, compact JSON."""
    body = {k: row[k] for k in ("seq", "ts", "kind", "actor", "subject", "payload")}
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)


def chain_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical(row)).hexdigest()


class AuditWriter:
    """Appends audit events inside one transaction, keeping the chain's tail in hand."""

    def __init__(self, tx: Tx) -> None:
        self.tx = tx
        tail = tx.last("audit", "seq")
        self.seq = int(tail["seq"]) if tail else 0
        self.prev = str(tail["hash"]) if tail else GENESIS

    def append(self, ts: str, kind: str, actor: str, subject: str, payload: Mapping[str, Any]) -> Row:
        row: Row = {"seq": self.seq + 1, "ts": ts, "kind": kind, "actor": actor, "subject": subject,
                    "payload": dict(payload)}
        # normalise through JSON so what is hashed now is what verify() reads back later
        row["payload"] = orjson.loads(orjson.dumps(row["payload"]))
        row["prev_hash"] = self.prev
        row["hash"] = chain_hash(self.prev, row)
        self.tx.insert("audit", row)
        self.seq, self.prev = row["seq"], row["hash"]
        return row


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """``ok`` when the chain holds; otherwise ``broken_at`` is the first bad ``seq``.

    ``events`` counts the events covered, ``checked`` those whose hashes were recomputed this
    time (fewer than ``events`` after an incremental check, :func:`verify_since`); ``head`` is
    the last good hash.
    """

    ok: bool
    events: int
    broken_at: int | None = None
    problem: str = ""
    head: str = GENESIS
    checked: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "events": self.events, "broken_at": self.broken_at, "problem": self.problem,
                "head": self.head, "checked": self.events if self.checked is None else self.checked}


def verify_rows(rows: Iterable[Row], prev: str = GENESIS, after: int = 0) -> VerifyResult:
    """Check a sequence of audit rows, oldest first: the whole chain, or (``prev``, ``after``) the
    rows that follow event ``after`` whose hash is ``prev``."""
    expected_seq, count = after + 1, after
    for row in rows:
        count += 1
        seq = int(row["seq"])
        if seq != expected_seq:
            return VerifyResult(False, count, seq, f"expected seq {expected_seq}, found {seq} (event missing)", prev)
        if row["prev_hash"] != prev:
            return VerifyResult(False, count, seq, "prev_hash does not match the previous event's hash", prev)
        if chain_hash(prev, row) != row["hash"]:
            return VerifyResult(False, count, seq, "hash does not match the event's contents (modified)", prev)
        prev, expected_seq = row["hash"], seq + 1
    return VerifyResult(True, count, None, "", prev)


def verify(store: Store) -> VerifyResult:
    """Walk the whole audit log of ``store`` and check every link."""
    return verify_rows(store.iterate("audit", order_by=["seq"]))


def verify_since(store: Store, checkpoint: VerifyResult) -> VerifyResult:
    """Check only the events from the last one of a good earlier result on: that event must still
    carry the hash it had and hash to it, and every later event must chain on from it.

    Cheap on a long log, but blind to changes before the checkpoint that keep its last event's
    hash (rewriting older rows breaks their own hashes, which only :func:`verify` recomputes).
    """
    if not checkpoint.ok:
        return verify(store)
    prev, after = GENESIS, 0
    if checkpoint.events:  # the checkpoint's own event is rehashed too
        with store.read() as tx:
            last = tx.get("audit", checkpoint.events)
        if last is None or last["hash"] != checkpoint.head:
            return verify(store)
        prev, after = str(last["prev_hash"]), checkpoint.events - 1
    result = verify_rows(store.iterate("audit", {"seq": Op(">", after)}, order_by=["seq"]), prev, after)
    return VerifyResult(result.ok, result.events, result.broken_at, result.problem, result.head,
                        result.events - after)


def export(store: Store, start: str | None = None, end: str | None = None, page: int = 1000) -> Iterator[Row]:
    """Audit events with ``start <= ts < end`` (either bound optional), oldest first.

    Rows are read ``page`` at a time, each page in its own short read transaction, so a long
    export holds no transaction open and may be consumed from any thread (a streamed response).
    """
    after = -1
    while True:
        where: dict[str, Any] = {"seq": Op(">", after)}
        if start:
            where["ts"] = Op(">=", start)
        with store.read() as tx:
            rows = tx.select("audit", where, order_by=["seq"], limit=page)
        yield from (row for row in rows if end is None or row["ts"] < end)
        if len(rows) < page:
            return
        after = rows[-1]["seq"]
