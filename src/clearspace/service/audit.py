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

from clearspace.store import Row, Store, Tx

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
    """``ok`` when the whole chain holds; otherwise ``broken_at`` is the first bad ``seq``."""

    ok: bool
    events: int
    broken_at: int | None = None
    problem: str = ""
    head: str = GENESIS

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "events": self.events, "broken_at": self.broken_at, "problem": self.problem,
                "head": self.head}


def verify_rows(rows: Iterable[Row]) -> VerifyResult:
    """Check a sequence of audit rows, oldest first."""
    prev, expected_seq, count = GENESIS, 1, 0
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


def export(store: Store, start: str | None = None, end: str | None = None, page: int = 1000) -> Iterator[Row]:
    """Audit events with ``start <= ts < end`` (either bound optional), oldest first.

    Rows are read ``page`` at a time, each page in its own short read transaction, so a long
    export holds no transaction open and may be consumed from any thread (a streamed response).
    """
    from clearspace.store import Op

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
