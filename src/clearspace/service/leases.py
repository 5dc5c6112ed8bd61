"""Named leases in the store (migration 9): one holder at a time among every process over one database.

A lease is a row ``(name, holder, expires_at)`` in ``leases``. A process takes it when the row is
missing or expired, keeps it by renewing it before ``expires_at`` and loses it when it stops
renewing: once expired, anyone may take it. Taking and renewing are one write each, and each
is conditional (insert unless the row exists; update only the row as it was read), so of two
processes racing for a lease one write wins and the other changes nothing. ``expires_at`` is
service time (the holder's clock): the hosts' clocks must agree to well within the lease's duration.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

from clearspace.service.clock import iso
from clearspace.store import Row, Store, Tx

TAKEN: Final = "taken"
RENEWED: Final = "renewed"
Outcome = Literal["taken", "renewed"]


@dataclass(frozen=True, slots=True)
class Grant:
    """The lease is ours: ``outcome`` says whether :meth:`Lease.acquire` took a free lease or renewed
    the one this holder had; ``previous`` is the ``expires_at`` the row had before (None: no row)."""

    outcome: Outcome
    previous: str | None


def holder_id() -> str:
    """An id unique to this process: host, pid and a random token (a pid can be reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


class Lease:
    """The lease ``name`` as seen by ``holder``; each taking or renewal lasts ``duration_s``."""

    def __init__(self, store: Store, name: str, holder: str, duration_s: float) -> None:
        self.store = store
        self.name = name
        self.holder = holder
        self.duration_s = duration_s

    def acquire(self, now: datetime) -> Grant | None:
        """Renew the lease if it is ours, else take it if it is missing or expired; None when
        another holder has it (a read decides that, so waiting processes do not write)."""
        with self.store.read() as tx:
            row = tx.get("leases", self.name)
        if row is not None and row["holder"] != self.holder and row["expires_at"] > iso(now):
            return None
        with self.store.transaction() as tx:
            row = tx.get("leases", self.name)
            previous = None if row is None else str(row["expires_at"])
            if row is not None and row["holder"] == self.holder:
                return Grant(RENEWED, previous) if self.renew(tx, now) else None
            return Grant(TAKEN, previous) if self._take(tx, row, now) else None

    def renew(self, tx: Tx, now: datetime) -> bool:
        """Extend the lease in ``tx`` if this holder still has it (also after it expired, as long as
        nobody took it meanwhile); False when another holder took it or it is missing. Writes made in
        ``tx`` after a True answer commit only while the lease is ours."""
        return tx.update("leases", {"name": self.name, "holder": self.holder}, {"expires_at": self._until(now)}) == 1

    def release(self, now: datetime) -> None:
        """Let the lease expire now (if it is still ours), so another process can take it at once."""
        with self.store.transaction() as tx:
            tx.update("leases", {"name": self.name, "holder": self.holder}, {"expires_at": iso(now)})

    def _take(self, tx: Tx, row: Row | None, now: datetime) -> bool:
        values = {"holder": self.holder, "expires_at": self._until(now)}
        if row is None:
            return tx.insert("leases", {"name": self.name, **values}, ignore_conflict=True)
        if row["expires_at"] > iso(now):
            return False
        return tx.update("leases", {"name": self.name, "holder": row["holder"], "expires_at": row["expires_at"]},
                         values) == 1

    def _until(self, now: datetime) -> str:
        return iso(now + timedelta(seconds=self.duration_s))
