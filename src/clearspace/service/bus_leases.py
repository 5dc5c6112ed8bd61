"""Which worker owns which partition (bus mode): store leases (service/leases.py semantics) with a
fencing token per partition (service/bus_offsets.py).

Every ``tick`` a worker renews its presence lease and the partition leases it holds (one write
transaction), reads every lease (one read) and moves toward its fair share, ``ceil(partitions /
live workers)``: it gives back partitions above its share (they expire at once, for another
worker to take) and takes free or expired ones below it, raising each one's token in the same
transaction. A worker that stops renewing (killed, frozen) loses its partitions ``lease_s`` after its
last renewal; the live workers take them at their next tick.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from clearspace.bus.names import Names
from clearspace.errors import Conflict
from clearspace.service import bus_offsets
from clearspace.service.clock import iso
from clearspace.store import Store, Tx


@dataclass
class Changes:
    """What a tick changed: partitions ``gained`` (with their new token) and ``lost``."""

    gained: dict[int, int] = field(default_factory=dict)
    lost: list[int] = field(default_factory=list)


class PartitionLeases:
    """The partitions ``holder`` owns among ``partitions``; ``owned`` maps each to its fencing token."""

    def __init__(self, store: Store, names: Names, partitions: int, holder: str, lease_s: float) -> None:
        self.store = store
        self.names = names
        self.partitions = partitions
        self.holder = holder
        self.lease_s = lease_s
        self.owned: dict[int, int] = {}
        self._start = zlib.crc32(holder.encode()) % partitions  # where this worker starts looking

    def tick(self, now: datetime) -> Changes:
        changes = Changes()
        until, ts = iso(now + timedelta(seconds=self.lease_s)), iso(now)
        with self.store.transaction() as tx:
            self._keep(tx, self.names.worker_lease(self.holder), until)
            for p in list(self.owned):
                mine = {"name": self.names.lease(p), "holder": self.holder}
                if tx.update("leases", mine, {"expires_at": until}) != 1:
                    del self.owned[p]
                    changes.lost.append(p)
        with self.store.read() as tx:
            rows = {r["name"]: r for r in tx.select("leases")}
        live = sum(1 for name, r in rows.items()
                   if name.startswith(self.names.worker_lease_prefix) and r["expires_at"] > ts)
        share = math.ceil(self.partitions / max(1, live))
        for p in sorted(self.owned, reverse=True)[:max(0, len(self.owned) - share)]:
            self.give_back(p, now)
            changes.lost.append(p)
        for p in self._order():
            if len(self.owned) >= share:
                break
            row = rows.get(self.names.lease(p))
            if p in self.owned or (row is not None and row["expires_at"] > ts and row["holder"] != self.holder):
                continue
            token = self._take(p, row["expires_at"] if row else None, row["holder"] if row else None, until, ts)
            if token is not None:
                self.owned[p] = changes.gained[p] = token
        return changes

    def give_back(self, partition: int, now: datetime) -> None:
        """Let the partition's lease expire now (if it is still ours), for another worker to take."""
        self.owned.pop(partition, None)
        with self.store.transaction() as tx:
            tx.update("leases", {"name": self.names.lease(partition), "holder": self.holder}, {"expires_at": iso(now)})

    def release_all(self, now: datetime) -> None:
        """On shutdown: every partition and the presence lease expire now."""
        for p in list(self.owned):
            self.give_back(p, now)
        with self.store.transaction() as tx:
            tx.update("leases", {"name": self.names.worker_lease(self.holder), "holder": self.holder},
                      {"expires_at": iso(now)})

    def _order(self) -> list[int]:
        return [(self._start + i) % self.partitions for i in range(self.partitions)]

    def _keep(self, tx: Tx, name: str, until: str) -> None:
        if tx.update("leases", {"name": name, "holder": self.holder}, {"expires_at": until}) != 1:
            tx.insert("leases", {"name": name, "holder": self.holder, "expires_at": until}, ignore_conflict=True)

    def _take(self, p: int, expires: str | None, holder: str | None, until: str, ts: str) -> int | None:
        """Take the free or expired lease of ``p`` and raise its token, in one transaction; None when
        another worker was quicker."""
        name = self.names.lease(p)
        try:
            with self.store.transaction() as tx:
                if expires is None:
                    if not tx.insert("leases", {"name": name, "holder": self.holder, "expires_at": until},
                                     ignore_conflict=True):
                        return None
                elif tx.update("leases", {"name": name, "holder": holder, "expires_at": expires},
                               {"holder": self.holder, "expires_at": until}) != 1:
                    return None
                return bus_offsets.claim(tx, self.names.prefix, p, self.holder, ts)
        except Conflict:
            return None
