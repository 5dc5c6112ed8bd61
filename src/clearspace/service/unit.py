"""A unit of work: one transaction plus what every write needs (clock, ids, audit, outbox)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clearspace.service.audit import AuditWriter
from clearspace.service.clock import iso
from clearspace.service.ids import IdFactory
from clearspace.service.settings import Settings
from clearspace.store import Row, Store, Tx


@dataclass
class Unit:
    """Everything written through one unit commits together or not at all."""

    tx: Tx
    audit: AuditWriter
    now: datetime
    ids: IdFactory
    settings: Settings
    hooks: list[Row]
    ts: str = ""

    def __post_init__(self) -> None:
        self.ts = iso(self.now)

    def log(self, kind: str, actor: str, subject: str, payload: Mapping[str, Any]) -> Row:
        """Append an audit event (hash-chained) in this transaction."""
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
def open_unit(store: Store, now: datetime, ids: IdFactory, settings: Settings) -> Iterator[Unit]:
    with store.transaction() as tx:
        hooks = tx.select("webhooks", {"active": 1})
        yield Unit(tx=tx, audit=AuditWriter(tx), now=now, ids=ids, settings=settings, hooks=hooks)
