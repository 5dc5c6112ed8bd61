"""``clearspace worker``: decide the events of the partitions this process owns (bus mode).

The bus client runs on its own thread (:class:`~clearspace.bus.loop.BusLoop`), with one puller
per owned partition that fetches a batch and waits until it is decided (one batch in flight per
partition). ``bus_deciders`` deciding threads take the fetched batches, so the partitions of one
worker are decided side by side (a batch spends most of its time waiting for the database, and
partitions never wait for each other there); each partition's batches stay in order, one at a
time. A deciding thread decides a batch through :func:`~clearspace.service.bus_decide.decide_batch`
(one transaction with the partition's fenced offset), then acknowledges its messages: a worker
killed before the commit loses nothing (the messages are delivered again), one killed after it
duplicates nothing (the events are decided already, and the ingest path answers their stored
decision). The main thread (:meth:`Worker.run`) renews the leases and ends quiet pile-ons on its
own clock, whatever the batches do.

Failures: PostgreSQL down -> the batch is kept, unacknowledged (marked in progress), and tried again
until it commits; NATS down -> the client reconnects by itself and the pullers go on; a message that
keeps failing -> tried ``bus_max_deliver`` times (counted by the worker:
:mod:`~clearspace.service.bus_failures`), then kept in the dead letters with its error (it never blocks
its partition: the others are decided meanwhile).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace

import orjson

from clearspace.bus.base import Delivery
from clearspace.bus.jetstream import JetStreamBus
from clearspace.bus.loop import BusLoop
from clearspace.bus.names import Names
from clearspace.errors import ClearspaceError, Conflict, InputError, StoreError
from clearspace.service import incidents
from clearspace.service.bus_caches import CacheFeed
from clearspace.service.bus_decide import Claim, Spent, decide_batch
from clearspace.service.bus_failures import FailureCounts
from clearspace.service.bus_leases import PartitionLeases
from clearspace.service.bus_pileons import PartitionDetectors
from clearspace.service.core import Service
from clearspace.service.events import Event
from clearspace.service.leases import holder_id
from clearspace.service.results import Answer

WAIT_HEADER = "Clearspace-Wait"  # set by a node waiting for the decision (?wait=MS): announce it
EXPIRE_EVERY_S = 5.0
log = logging.getLogger("clearspace.worker")
Batch = tuple[int, list[Delivery], "asyncio.Future[None]"] | None  # None: a deciding thread stops


@dataclass
class Stats:
    """What a worker did (the deciding threads add up through :meth:`add`)."""

    decided: int = 0
    batches: int = 0
    dead: int = 0
    retried: int = 0
    takeovers: int = 0
    store_waits: int = 0
    lease_s: float = 0.0  # wall time in lease ticks
    ack_s: float = 0.0  # wall time acknowledging and announcing
    pipeline_cpu_s: float = 0.0  # CPU of the deciding threads in the ingest pipeline (offset commits left out)
    offsets_cpu_s: float = 0.0  # CPU committing the partitions' offsets (coordination)
    lease_cpu_s: float = 0.0  # CPU of the lease ticks (coordination)
    partitions: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, **amounts: float) -> None:
        with self._lock:
            for name, amount in amounts.items():
                setattr(self, name, getattr(self, name) + amount)

    def cost(self) -> dict[str, float]:
        """The counters a benchmark reads, with the process's CPU so far: everything but the pipeline's
        CPU is the cost of bus mode (fetching, acknowledging, leases, offsets, handing batches over).
        Lock-free, so a signal handler may call it (each number is read whole)."""
        return {"process_cpu_s": time.process_time(), "pipeline_cpu_s": self.pipeline_cpu_s,
                "offsets_cpu_s": self.offsets_cpu_s, "lease_cpu_s": self.lease_cpu_s,
                "decided": self.decided, "batches": self.batches, "takeovers": self.takeovers}


def worker_service(service: Service) -> Service:
    """``service`` ready for a worker: its own pile-on detector off (the worker keeps one per partition)."""
    service.settings = replace(service.settings, pileon_detection=False)
    service.pileons = service.shared_pileons = None
    return service


class Worker:
    """One worker process's part: call :meth:`run` until ``stop`` is set."""

    def __init__(self, service: Service, *, holder: str | None = None) -> None:
        settings = service.settings
        if not settings.bus_url:
            raise InputError("clearspace worker needs bus_url (--bus or CLEARSPACE_BUS_URL)")
        self.detect = settings.pileon_detection
        self.service = worker_service(service)
        self.names = Names(settings.bus_prefix)
        self.partitions = settings.bus_partitions
        self.batch = settings.bus_batch
        self.failures = FailureCounts(settings.bus_max_deliver)
        self.deciders = settings.bus_deciders
        self.loop = BusLoop("bus-worker")
        self.bus = JetStreamBus(settings.bus_url, self.names, self.partitions)
        self.leases = PartitionLeases(service.store, self.names, self.partitions, holder or holder_id(),
                                      settings.bus_lease_seconds)
        self.tick_s = settings.bus_lease_seconds / 4
        self.detectors = (PartitionDetectors(service.store, self.partitions, self._detector,
                                             service.context.support_links, service.unit, service.context.epoch)
                          if self.detect else None)
        self.feed = CacheFeed(self.service, self.bus, self.loop).install()
        self.inbox: queue.Queue[Batch] = queue.Queue()
        self.pullers: dict[int, Future[None]] = {}
        self.stats = Stats()
        self._held = [threading.RLock() for _ in range(self.partitions)]  # a partition's batch, expiry, takeover
        self._owning = threading.Lock()  # the leases' owned map: ticks and fenced-out batches
        self._stopping = threading.Event()
        self._failed: BaseException | None = None

    def _detector(self) -> incidents.LiveDetector:
        return incidents.LiveDetector(self.service.context.detector_config,
                                      rebuild_s=self.service.settings.pileon_rebuild_hours * 3600)

    # ------------------------------------------------------------------ the main loop
    def run(self, stop: threading.Event) -> Stats:
        """Renew the leases and end quiet pile-ons until ``stop`` is set, while the deciding threads decide."""
        self.service.warm_up()
        self._open_bus(stop)
        deciders = [threading.Thread(target=self._deciding, name=f"bus-decide-{i}", daemon=True)
                    for i in range(self.deciders)]
        for thread in deciders:
            thread.start()
        next_tick = next_expire = 0.0
        try:
            while not stop.is_set() and not self._stopping.is_set():
                now = time.monotonic()
                if now >= next_tick:
                    self._tick()
                    next_tick = now + self.tick_s
                if self.detectors is not None and now >= next_expire:
                    self._expire()
                    next_expire = now + EXPIRE_EVERY_S
                stop.wait(min(0.2, max(0.0, next_tick - time.monotonic())))
        finally:
            self._stopping.set()
            for _ in deciders:
                self.inbox.put(None)
            for thread in deciders:
                thread.join()
            self._shut_down()
        if self._failed is not None:
            raise self._failed
        return self.stats

    def _deciding(self) -> None:
        """A deciding thread: decide the fetched batches until told to stop (a failure stops the worker)."""
        while (item := self.inbox.get()) is not None:
            partition, msgs, done = item
            try:
                if self._failed is None:
                    with self._held[partition]:
                        self._handle(partition, msgs, self._stopping)
            except BaseException as exc:  # noqa: BLE001 - handed to run(), which stops the worker and raises it
                self._failed = exc
                self._stopping.set()
            finally:
                self.loop.loop.call_soon_threadsafe(_finish, done)

    def _open_bus(self, stop: threading.Event) -> None:
        delay = 0.5
        while not stop.is_set():
            try:
                self.loop.run(self.bus.open(), 30)
                self.loop.run(self.feed.listen(), 30)  # follow model and policy changes at once
                return
            except InputError:
                raise
            except ClearspaceError as exc:
                log.warning("worker: %s; trying again in %.1f s", exc, delay)
                stop.wait(delay)
                delay = min(delay * 2, 5.0)

    def _shut_down(self) -> None:
        for p in list(self.pullers):
            self._stop_pulling(p)
        try:
            self.leases.release_all(self.service.clock())
        except StoreError as exc:
            log.warning("worker: could not give the partitions back (%s); they expire by themselves", exc)
        self.loop.run(self.bus.close(), 10)
        self.loop.stop()

    # ------------------------------------------------------------------ partitions
    def _tick(self) -> None:
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            with self._owning:
                changes = self.leases.tick(self.service.clock())
        except StoreError as exc:
            log.warning("worker: the partition leases could not be renewed: %s", exc)
            return
        finally:
            self.stats.add(lease_s=time.perf_counter() - started, lease_cpu_s=time.thread_time() - cpu)
        for p in changes.lost:
            self._stop_pulling(p)
            log.info("worker %s: gave up partition %d", self.leases.holder, p)
        for p, token in changes.gained.items():
            with self._held[p]:  # a batch fetched under an earlier ownership finishes first
                rebuilt = self.detectors.take(p) if self.detectors is not None else 0
            self.stats.add(takeovers=1)
            self.pullers[p] = self.loop.submit(self._pull(p))
            log.info("worker %s: owns partition %d (token %d; pile-on window rebuilt from %d events)",
                     self.leases.holder, p, token, rebuilt)
        self.stats.partitions = sorted(self.leases.owned)

    def _stop_pulling(self, p: int) -> None:
        puller = self.pullers.pop(p, None)
        if puller is not None:
            puller.cancel()
            self.loop.run(self.bus.drop_partition(p), 10)
        self.failures.drop(p)
        if self.detectors is not None:
            self.detectors.drop(p)

    async def _pull(self, p: int) -> None:
        """Fetch a batch of ``p``, hand it over, wait until it is handled; again (in the bus loop)."""
        while True:
            try:
                msgs = await self.bus.fetch(p, self.batch, 1.0)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - NATS away: the client reconnects, the puller waits
                log.debug("worker: fetching partition %d failed (%s); again shortly", p, exc)
                await asyncio.sleep(0.5)
                continue
            if msgs:
                done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
                self.inbox.put((p, msgs, done))
                await done

    def _expire(self) -> None:
        """End quiet pile-ons partition by partition; one being decided just now is left for the next round."""
        assert self.detectors is not None
        for p in sorted(self.leases.owned):
            if not self._held[p].acquire(blocking=False):
                continue
            try:
                self.detectors.expire(p)
            except ClearspaceError as exc:
                log.warning("worker: ending quiet incidents of partition %d failed: %s", p, exc)
            finally:
                self._held[p].release()

    # ------------------------------------------------------------------ one batch
    def _handle(self, p: int, msgs: list[Delivery], stop: threading.Event) -> None:
        token = self.leases.owned.get(p)
        if token is None:  # not ours any more: delivered again at once, to the new owner
            self.loop.run(_again(msgs), 30)
            return
        pairs: list[tuple[Delivery, Event]] = []
        failed: list[tuple[Delivery, str]] = []
        for m in msgs:
            try:
                pairs.append((m, self._event(m.data)))
            except (ClearspaceError, ValueError) as exc:
                failed.append((m, f"{type(exc).__name__}: {exc}"))
        done, bad = self._decide(Claim(self.names.prefix, p, token), pairs, stop)
        started = time.perf_counter()
        self.loop.run(self._settle(p, done, failed + bad), 30)
        self.stats.add(batches=1, ack_s=time.perf_counter() - started)

    def _event(self, data: bytes) -> Event:
        raw = orjson.loads(data)
        if not isinstance(raw, dict):
            raise InputError("a bus message must hold one event object")
        return self.service.ingest.check(raw)[0]

    def _decide(self, claim: Claim, pairs: list[tuple[Delivery, Event]], stop: threading.Event
                ) -> tuple[list[tuple[Delivery, Answer]], list[tuple[Delivery, str]]]:
        """Decide and commit; answers the messages decided (with their answers) and those that failed."""
        if not pairs:
            return [], []
        delay = 0.25
        while True:
            spent, cpu = Spent(), time.thread_time()
            try:
                answers = decide_batch(self.service, claim, [e for _, e in pairs], max(m.seq for m, _ in pairs),
                                       self.detectors, spent)
                self.stats.add(decided=len(answers), offsets_cpu_s=spent.offsets_cpu_s,
                               pipeline_cpu_s=time.thread_time() - cpu - spent.offsets_cpu_s)
                return [(m, a) for (m, _), a in zip(pairs, answers, strict=True)], []
            except Conflict as exc:
                log.warning("worker: %s", exc)
                with self._owning:
                    if self.leases.owned.get(claim.partition) == claim.token:
                        del self.leases.owned[claim.partition]
                self._stop_pulling(claim.partition)
                self.loop.run(_again([m for m, _ in pairs]), 30)
                return [], []
            except StoreError as exc:
                if self._store_up() or stop.is_set():
                    error = f"{type(exc).__name__}: {exc}"
                    break
                self.stats.add(store_waits=1)
                log.warning("worker: the database is unavailable (%s); keeping %d events unacknowledged", exc,
                            len(pairs))
                self.loop.run(_working([m for m, _ in pairs]), 30)
                stop.wait(delay)
                delay = min(delay * 2, 5.0)
            except Exception as exc:  # noqa: BLE001 - a poison event: found below, one by one
                error = f"{type(exc).__name__}: {exc}"
                break
        if len(pairs) == 1:
            log.warning("worker: event %r failed: %s", pairs[0][1].id, error)
            return [], [(pairs[0][0], error)]
        done: list[tuple[Delivery, Answer]] = []
        bad: list[tuple[Delivery, str]] = []
        for pair in pairs:
            ok, failed = self._decide(claim, [pair], stop)
            done += ok
            bad += failed
        return done, bad

    def _store_up(self) -> bool:
        try:
            with self.service.store.read() as tx:
                tx.get("leases", "-")
            return True
        except StoreError:
            return False

    async def _settle(self, p: int, done: Sequence[tuple[Delivery, Answer]],
                      failed: Sequence[tuple[Delivery, str]]) -> None:
        """Acknowledge what is decided (announcing decisions someone waits for); retry or dead-letter the rest."""
        jobs = [m.ack() for m, _ in done]
        jobs += [self.bus.announce(self.names.decided_subject(str(a["id"])), orjson.dumps(a))
                 for m, a in done if m.headers.get(WAIT_HEADER)]
        for m, _ in done:
            self.failures.settled(p, m.seq)
        for m, error in failed:
            tries, dead = self.failures.failed(p, m.seq, m.deliveries)
            if dead:
                self.stats.add(dead=1)
                jobs.append(self.bus.dead_letter(p, m, error, tries))
            else:
                self.stats.add(retried=1)
                jobs.append(m.retry(min(0.5 * 2 ** tries, 10.0)))
        results = await asyncio.gather(*jobs, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):  # NATS away: these messages come again, decided already
                log.warning("worker: acknowledging failed (%s); the messages come again and answer their "
                            "stored decisions", result)
                break


async def _again(msgs: list[Delivery]) -> None:
    await asyncio.gather(*(m.retry(0.0) for m in msgs), return_exceptions=True)


async def _working(msgs: list[Delivery]) -> None:
    await asyncio.gather(*(m.working() for m in msgs), return_exceptions=True)


def _finish(done: asyncio.Future[None]) -> None:
    if not done.done():
        done.set_result(None)
