"""A unit of work: one transaction plus what every write needs (clock, ids, locks, audit, outbox).

A unit holds the lock of each audit chain it writes (:mod:`clearspace.service.audit`): by default
the ``admin`` chain, taken when the unit opens, so moderator, admin and system writes run one at a
time as they always did; the ingest pipeline opens its units on the chains of its partitions
instead (:mod:`clearspace.service.pipeline`), so partitions never wait for each other. What two
units on different chains may both touch is guarded by a named lock of its own (:data:`LOCKS`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from clearspace.service.audit import AuditWriter, chain_lock
from clearspace.service.clock import iso
from clearspace.service.ids import IdFactory
from clearspace.service.partitions import ADMIN_CHAIN
from clearspace.service.settings import Settings
from clearspace.store import Row, Store, Tx

LOCKS: Final[Mapping[str, str]] = {
    "account": "strikes of one account (the ladder reads the total, then adds)",
    "case": "the one case of a subject (reports and ingest may open it at once)",
    "label": "the rumor labels of one post (ingest and a backfill may label it at once)",
    "incident": "one pile-on incident's row (merged, then written)",
    "traffic": "one account's engagement counters and monetization standing (read, then added to)",
}
"""The named locks besides the audit chains' (``audit:<chain>``): ``<kind>:<key>``."""


class Locks:
    """The named locks one transaction holds; each is taken once, in the order asked."""

    def __init__(self, tx: Tx) -> None:
        self.tx = tx
        self.held: set[str] = set()

    def take(self, names: Iterable[str]) -> None:
        """Take every lock of ``names`` not held yet, sorted by name (units that take several at once
        take them in one order, so they never wait for each other in a circle)."""
        for name in sorted(set(names) - self.held):
            self.tx.lock(name)
            self.held.add(name)


def lock_name(kind: str, key: str) -> str:
    """``kind:key`` for a kind of :data:`LOCKS`."""
    assert kind in LOCKS, kind
    return f"{kind}:{key}"


@dataclass
class Unit:
    """Everything written through one unit commits together or not at all."""

    tx: Tx
    audit: AuditWriter
    now: datetime
    ids: IdFactory
    settings: Settings
    hooks: list[Row]
    locks: Locks
    ts: str = ""
    _chain_stack: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.ts = iso(self.now)

    def lock(self, kind: str, *keys: str) -> None:
        """Hold the ``kind`` lock (:data:`LOCKS`) of each key until this unit ends."""
        self.locks.take(lock_name(kind, key) for key in keys)

    @contextmanager
    def on_chain(self, chain: str) -> Iterator[None]:
        """Audit events logged inside the block go to ``chain`` (the partition of what they are about)."""
        self._chain_stack.append(self.audit.chain)
        self.audit.chain = chain
        try:
            yield
        finally:
            self.audit.chain = self._chain_stack.pop()

    def log(self, kind: str, actor: str, subject: str, payload: Mapping[str, Any]) -> Row:
        """Append an audit event (hash-chained, to the unit's current chain) in this transaction."""
        return self.audit.append(self.ts, kind, actor, subject, payload)

    def emit(self, topic: str, payload: Mapping[str, Any]) -> None:
        """Queue a webhook delivery to every active hook subscribed to ``topic`` (sent after commit)."""
        for hook in self.hooks:
            if topic in hook["topics"] or "*" in hook["topics"]:
                self.tx.insert("outbox", {
                    "id": self.ids.new("msg"), "webhook_id": hook["id"], "topic": topic,
                    "payload": {"topic": topic, "ts": self.ts, "data": dict(payload)}, "created_at": self.ts,
                    "attempts": 0, "next_attempt_at": self.ts,
                })

    def notify(self, recipient: str | None, kind: str, payload: Mapping[str, Any]) -> None:
        """Leave a message for an account (author or reporter) and announce it to webhooks."""
        if not recipient:
            return
        self.tx.insert("notifications", {"id": self.ids.new("ntf"), "recipient": recipient, "kind": kind,
                                         "payload": dict(payload), "created_at": self.ts})
        self.emit("notification", {"recipient": recipient, "kind": kind, **payload})


@contextmanager
def open_unit(store: Store, now: datetime, ids: IdFactory, settings: Settings, *,
              chains: Sequence[str] = (ADMIN_CHAIN,), locks: Iterable[str] = ()) -> Iterator[Unit]:
    """A unit that holds, from its start, the locks of the audit ``chains`` (its events go to the first
    unless :meth:`Unit.on_chain` says otherwise) and the named ``locks`` (``kind:key``), all taken in
    one sorted pass; each chain's new head is recorded just before the commit."""
    with store.transaction() as tx:
        held = Locks(tx)
        held.take([*(chain_lock(c) for c in chains), *locks])
        hooks = tx.select("webhooks", {"active": 1})
        unit = Unit(tx=tx, audit=AuditWriter(tx, lambda name: held.take([name]), chains[0]), now=now, ids=ids,
                    settings=settings, hooks=hooks, locks=held)
        yield unit
        unit.audit.flush()
