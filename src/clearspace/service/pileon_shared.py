"""Pile-on detection shared by the processes over one database (``pileon_mode = "shared"``).

In local mode each process feeds the events *it* ingests to its own detector, so a pile-on whose
events reach several processes (``clearspace serve --workers N``, several hosts over one
PostgreSQL) is found late or not at all. In shared mode ingest feeds no detector; instead one
process at a time, the holder of the lease ``pileon_detector`` (:mod:`clearspace.service.leases`),
detects over the *stored* events:

* Every ``pileon_tick_seconds`` each process's :class:`SharedDetection` tries the lease (a read
  while another process holds it; one short write transaction to take or renew it).
* A process that takes the lease (first start, or the holder stopped renewing it for
  ``pileon_lease_seconds``) builds a fresh :class:`~clearspace.service.incidents.LiveDetector` from
  the store as a restart does (:meth:`~clearspace.service.incidents.LiveDetector.rebuild`): it
  replays, recording nothing, the events received before the old holder's last renewal less a tick
  and the re-read window (:meth:`SharedDetection._catch_up_from`), a minute of receipt time per
  read, renewing the lease between reads; the events after that, which the old holder may not have
  handled, are detected over (and recorded) at once. Stored incidents keep their ids (the replay
  finds them again or puts them back as their target's open incident), so the same pile-on goes on
  in the same row, with the same case and no second risk prompt.
* Then, each tick, the holder reads the events received since its cursor (:class:`Tail`) with
  their automated decisions' scores, feeds them to the detector, closes quiet incidents, and
  writes what it found as ingest does in local mode (:func:`~clearspace.service.incidents.record`:
  incident row, one review case, risk prompt, webhook message) in one transaction that first
  renews the lease. If another process took the lease meanwhile, nothing is written and this
  process drops its detector (it rebuilds if it gets the lease again).

An event's receipt time is its process's clock when the ingest transaction began; the transaction
may commit after one that began later (it waited for the write lock), storing an event behind the
holder's cursor. The tail therefore reads again the ``pileon_reread_seconds`` before its cursor and
skips the ids it has already read (it remembers only those ids).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from typing import Final

from clearspace.errors import Conflict
from clearspace.protection.events import Event as DetectorEvent
from clearspace.protection.nudge import SupportLink
from clearspace.service import incidents
from clearspace.service.clock import Clock, iso, parse_time
from clearspace.service.incidents import LiveDetector, Snapshot
from clearspace.service.leases import TAKEN, Grant, Lease, holder_id
from clearspace.service.results_protection import PileonTick
from clearspace.service.settings import Settings
from clearspace.service.unit import Unit
from clearspace.store import Row, Store, Tx

LEASE_NAME: Final = "pileon_detector"
SLICE: Final = timedelta(minutes=1)  # a takeover replays the stored events a minute of receipt time at a time
MICROSECOND: Final = timedelta(microseconds=1)  # receipt times' resolution: slices are [lo, hi - 1 µs]
log = logging.getLogger("clearspace.pileons")


def idle() -> PileonTick:
    """A tick's answer when this process does not detect."""
    return {"holder": False, "events": 0, "opened": 0, "updated": 0, "ended": 0}


class Tail:
    """What the holder has read of the stored events: a cursor (the latest receipt time read, never
    ahead of the holder's clock) and the ids read within ``reread_s`` before it."""

    def __init__(self, reread_s: float, cursor: float, wall: float) -> None:
        self.reread_s = reread_s
        self.cursor = cursor
        self.wall = wall  # the holder's clock at this read: the cursor never passes it
        self._order: deque[tuple[float, str]] = deque()  # (receipt time, id), as read
        self._ids: set[str] = set()

    def read(self, store: Store, wall: float) -> list[DetectorEvent]:
        """The events stored since the last read (and those stored late, within the re-read window)."""
        self.wall = wall
        since = incidents.iso_ts(self.cursor - self.reread_s)
        return list(incidents.stored_events(store, since, keep=self.fresh))

    def fresh(self, rows: list[Row]) -> list[Row]:
        """The rows not read before, remembered from now on as read (a :data:`incidents.Keep`)."""
        out = []
        for row in rows:
            if row["id"] in self._ids:
                continue
            received = incidents.epoch(row["received_at"])
            self._ids.add(row["id"])
            self._order.append((received, row["id"]))
            self.cursor = max(self.cursor, min(received, self.wall))
            out.append(row)
        floor = self.cursor - self.reread_s  # ids received before this are never read again
        while self._order and self._order[0][0] < floor:
            self._ids.discard(self._order.popleft()[1])
        return out

    def __len__(self) -> int:
        """How many ids it remembers."""
        return len(self._ids)


class SharedDetection:
    """One process's part in shared detection: :meth:`tick` every ``pileon_tick_seconds``."""

    def __init__(self, store: Store, clock: Clock, unit: Callable[[], AbstractContextManager[Unit]],
                 new_detector: Callable[[], LiveDetector], links: Sequence[SupportLink], settings: Settings) -> None:
        self.store = store
        self.clock = clock
        self.unit = unit
        self.new_detector = new_detector
        self.links = links
        self.lease = Lease(store, LEASE_NAME, holder_id(), settings.pileon_lease_seconds)
        self.reread_s = settings.pileon_reread_seconds
        self.tick_s = settings.pileon_tick_seconds  # also: renew at least this often while rebuilding
        self.live: LiveDetector | None = None  # while this process detects
        self.tail: Tail | None = None
        self.takeovers = 0
        self._renewed = 0.0
        self._lock = threading.Lock()

    def tick(self) -> PileonTick:
        """Take or renew the lease; as its holder, detect over the events stored since the last tick.

        Answers ``holder`` and, for the holder, how many ``events`` it read and incidents it
        ``opened``, ``updated`` and ``ended``.
        """
        with self._lock:
            now = self.clock()
            grant = self.lease.acquire(now)
            if grant is None:
                self._drop("another process holds the lease")
                return idle()
            self._renewed = now.timestamp()
            try:
                return self._detect(now, grant)
            except Conflict as exc:
                self._drop(str(exc))
                return idle()
            except Exception:
                log.exception("pile-on detection failed; the detector is rebuilt on the next tick")
                self._drop("it failed")
                raise

    def release(self) -> None:
        """Give the lease up now (on shutdown), so another process takes over at its next tick."""
        self.lease.release(self.clock())

    # ------------------------------------------------------------------ the holder's work
    def _detect(self, now: datetime, grant: Grant) -> PileonTick:
        wall = now.timestamp()
        over = self._take_over(wall, grant.previous) if grant.outcome == TAKEN or self.live is None else []
        assert self.live is not None and self.tail is not None
        events = self.tail.read(self.store, wall)
        snaps = (self.live.observe(events, wall) if events else []) + self.live.expire(wall)
        results = self._record(snaps, over)
        return {"holder": True, "events": len(events), "opened": results.count("opened"),
                "updated": results.count("updated"), "ended": results.count("ended")}

    def _take_over(self, wall: float, previous: str | None) -> list[Row]:
        """A fresh detector rebuilt from the events stored before :meth:`_catch_up_from` (recording
        nothing); the tail starts there. Answers the stored incidents the rebuild found over."""
        self._drop("another process held the lease meanwhile")
        live = self.new_detector()
        start = self._catch_up_from(wall, previous)
        tail = Tail(self.reread_s, start, wall)

        def replay(since: str, received: list[float]) -> Iterator[DetectorEvent]:
            """The events received from ``since`` until ``start``, a slice at a time (each its own
            read), renewing the lease between slices: outside any read, as SQLite needs."""
            lo, end = parse_time(since, "since"), datetime.fromtimestamp(start, UTC)
            while lo < end:
                hi = min(lo + SLICE, end)
                yield from incidents.stored_events(self.store, iso(lo), received, keep=tail.fresh,
                                                   until=iso(hi - MICROSECOND))
                self._heartbeat()
                lo = hi

        over = live.rebuild(self.store, wall, replay)
        self.live, self.tail = live, tail
        self.takeovers += 1
        log.info("pile-on detection: %s holds the lease; rebuilt from %d stored events",
                 self.lease.holder, live.rebuilt_events)
        return over

    def _catch_up_from(self, wall: float, previous: str | None) -> float:
        """Receipt time from which a new holder detects (records) rather than replays: the events the
        previous holder may not have handled, i.e. those received since its last renewal (lease
        ``previous`` expiry less its duration) less a tick and the re-read window, going back at most
        as far as a prompt failover needs. No lease before (first start): now, as a restart."""
        if previous is None:
            return wall
        gap = self.lease.duration_s + self.tick_s + self.reread_s
        return min(wall, max(incidents.epoch(previous) - gap, wall - gap - self.tick_s))

    def _heartbeat(self) -> None:
        """Renew the lease during a long rebuild (Conflict when another process took it)."""
        now = self.clock()
        if now.timestamp() - self._renewed < self.tick_s:
            return
        with self.store.transaction() as tx:
            self._fence(tx, now)
        self._renewed = now.timestamp()

    def _record(self, snaps: list[Snapshot], over: list[Row]) -> list[str]:
        if not snaps and not over:
            return []
        with self.unit() as unit:
            self._fence(unit.tx, unit.now)
            return incidents.record(unit, snaps, self.links, over=over)

    def _fence(self, tx: Tx, now: datetime) -> None:
        """Renew the lease in ``tx``; Conflict (rolling ``tx`` back) when it went to another process."""
        if not self.lease.renew(tx, now):
            raise Conflict(f"the pile-on detector lease went to another process than {self.lease.holder}")

    def _drop(self, why: str) -> None:
        if self.live is not None:
            log.info("pile-on detection: %s stops detecting: %s", self.lease.holder, why)
        self.live = self.tail = None
