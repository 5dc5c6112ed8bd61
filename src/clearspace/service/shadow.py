"""Shadow mode: a candidate scores live traffic beside the active engine, without acting.

::

    runner.start(CandidateSpec(policy=yaml_text), actor="admin:ops")   # or model_path=...
    runner.offer(items)          # after ingest commits: O(1) per post, never blocks, never raises
    runner.summary()             # counts by kind of disagreement, with example posts
    runner.stop(actor="admin:ops")

How it keeps ingest safe: :meth:`ShadowRunner.offer` runs after the ingest transaction has
committed and only puts small items into a bounded queue (``shadow_queue_size``); when the queue
is full the posts are dropped and counted, never waited for. A background thread takes batches
from the queue, has the candidate judge them and records the disagreements; it rests between
batches so that it is busy at most ``shadow_max_busy`` of the time (a costly model candidate then
falls behind and drops posts, counted, rather than taking the CPU from ingest). Whatever the
candidate raises is logged and counted as ``errors``; the active decisions were stored before
the candidate ever saw the posts.

The running run lives in the store, so every process over one database follows it:
:meth:`ShadowRunner.sync` (every ``shadow_sync_seconds`` in ``serve``) loads the candidate of a
run started elsewhere (the CLI, another worker) and stops when the run was stopped.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from clearspace.errors import ClearspaceError
from clearspace.result import ScoreResult
from clearspace.service import shadow_records as records
from clearspace.service.events import Event
from clearspace.service.pipeline import ScoringEngine
from clearspace.service.results_learning import ShadowProcess, ShadowRun, ShadowSummary
from clearspace.service.settings import Settings
from clearspace.service.shadow_candidates import (
    Candidate,
    CandidateLoader,
    CandidateSpec,
    Judgement,
    ShadowItem,
    load_candidate,
)
from clearspace.store import Row, Store

log = logging.getLogger(__name__)

BATCH: Final = 64
"""Most posts the candidate judges at once."""
WRITE_EVERY_S: Final = 1.0
"""The worker writes its counts and disagreements at most this often (one transaction), and when idle."""


class ShadowRunner:
    """This process's side of shadow mode: the candidate, the queue and the worker thread."""

    def __init__(self, store: Store, unit: Callable[[], Any], settings: Settings,
                 active: Callable[[], ScoringEngine], loader: CandidateLoader = load_candidate,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.unit = unit
        self.settings = settings
        self.active = active
        self.loader = loader
        self.clock = clock
        self._lock = threading.Lock()
        self._queue: queue.Queue[ShadowItem] = queue.Queue(maxsize=max(1, settings.shadow_queue_size))
        self._run_id: str | None = None
        self._candidate: Candidate | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._dropped: dict[str, int] = {}  # run id -> posts dropped since the last write
        self._pending: dict[str, records.Tally] = {}  # run id -> judged since the last write
        self._write_lock = threading.Lock()
        self._last_write = 0.0
        self._load_error: tuple[str, str] | None = None  # (run id, message): do not retry a broken candidate

    # ------------------------------------------------------------------ control
    def start(self, spec: CandidateSpec, actor: str) -> ShadowRun:
        """Check and load the candidate (PolicyError, ModelError, InputError), record the run, start it here."""
        candidate = self.loader(spec, self.active())
        with self.unit() as unit:
            row = records.create(unit, spec, candidate.label, actor)
        self._activate(row["id"], candidate)
        return records.public_run(row)

    def stop(self, actor: str) -> ShadowRun:
        """Stop the running run (NotFound when none runs); posts still queued here are not judged."""
        with self.unit() as unit:
            row = records.stop(unit, actor)
        self._deactivate()
        self._write()
        with self.store.read() as tx:
            return records.public_run(records.get_run(tx, row["id"]) or row)

    def sync(self) -> None:
        """Follow the store: load the running run's candidate, or stop when the run was stopped elsewhere."""
        with self.store.read() as tx:
            row = records.running(tx)
        run_id = row["id"] if row else None
        if run_id != self._run_id:
            self._deactivate()
            if row is not None:
                self._load(row)
        self._flush()

    def _load(self, row: Row) -> None:
        if self._load_error is not None and self._load_error[0] == row["id"]:
            return
        try:
            candidate = self.loader(CandidateSpec.from_dict(row["candidate"]), self.active())
        except ClearspaceError as exc:
            log.error("cannot load the candidate of shadow run %s here: %s", row["id"], exc)
            self._load_error = (row["id"], str(exc))
            return
        self._activate(row["id"], candidate)

    def _activate(self, run_id: str, candidate: Candidate) -> None:
        with self._lock:
            self._run_id, self._candidate, self._load_error = run_id, candidate, None
            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._work, args=(run_id, candidate, self._stop),
                                            name="shadow", daemon=True)
            self._thread.start()

    def _deactivate(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
            self._stop.set()
            self._run_id, self._candidate = None, None
        if thread is not None:
            thread.join(timeout=5)
        self._discard_queue()

    def close(self) -> None:
        """Stop the worker thread (the run itself keeps running in the store)."""
        self._flush()
        self._deactivate()

    # ------------------------------------------------------------------ the ingest side
    def offer(self, scored: Sequence[tuple[Event, ScoreResult]], extra: Mapping[str, Mapping[str, Any]]) -> None:
        """Queue committed posts for the candidate; never blocks and never raises into ingest."""
        run_id = self._run_id
        if self._candidate is None or run_id is None:
            return
        try:
            rate = self.settings.shadow_sample_rate
            dropped = 0
            for event, result in scored:
                if rate < 1.0 and zlib.crc32(event.id.encode("utf-8", "replace")) / 0xFFFFFFFF >= rate:
                    continue
                try:
                    self._queue.put_nowait(_item(event, result, extra.get(event.id, {})))
                except queue.Full:
                    dropped += 1
            if dropped:
                with self._lock:
                    self._dropped[run_id] = self._dropped.get(run_id, 0) + dropped
        except Exception:  # noqa: BLE001 - shadow mode must never fail an ingest that has committed
            log.exception("shadow mode could not queue %d posts", len(scored))

    def drain(self, timeout: float = 30.0) -> bool:
        """Wait until every queued post has been judged (tests, stop); False on timeout."""
        done = threading.Event()

        def wait() -> None:
            self._queue.join()
            done.set()

        threading.Thread(target=wait, daemon=True).start()
        finished = done.wait(timeout)
        self._write()
        return finished

    # ------------------------------------------------------------------ the worker
    def _work(self, run_id: str, candidate: Candidate, stop: threading.Event) -> None:
        share = self.settings.shadow_max_busy
        while not stop.is_set():
            try:
                batch = [self._queue.get(timeout=0.2)]
            except queue.Empty:
                self._write()  # idle: write what was judged
                continue
            while len(batch) < BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            started = self.clock()
            try:
                self._judge(run_id, candidate, batch)
            finally:
                for _ in batch:
                    self._queue.task_done()
            if self.clock() - self._last_write >= WRITE_EVERY_S:
                self._write()
            if share < 1.0:  # rest as long as it takes to stay busy at most `share` of the time
                stop.wait((self.clock() - started) * (1.0 - share) / share)

    def _judge(self, run_id: str, candidate: Candidate, batch: list[ShadowItem]) -> None:
        try:
            verdicts: list[Judgement | None] = candidate.judge(batch)
            if len(verdicts) != len(batch):
                raise ValueError(f"the candidate answered {len(verdicts)} verdicts for {len(batch)} posts")
        except Exception:  # noqa: BLE001 - a failing candidate is counted, never raised
            log.exception("the shadow candidate failed on %d posts", len(batch))
            verdicts = [None] * len(batch)
        disagreements = tuple((item, v) for item, v in zip(batch, verdicts, strict=True)
                              if v is not None and any(records.kinds_of(item.active, v)))
        errors = sum(1 for v in verdicts if v is None)
        tally = records.Tally(compared=len(batch) - errors, errors=errors, disagreements=disagreements)
        with self._lock:
            self._pending[run_id] = records.merged(self._pending.get(run_id), tally)

    def _flush(self) -> None:
        """Write what was judged and dropped here since the last write."""
        self._write()

    def _write(self) -> None:
        """One transaction per run with pending counts (usually one run)."""
        with self._write_lock:
            with self._lock:
                pending, self._pending = self._pending, {}
                dropped, self._dropped = self._dropped, {}
                self._last_write = self.clock()
            for run_id, n in dropped.items():
                pending[run_id] = records.merged(pending.get(run_id), records.Tally(dropped=n))
            for run_id, tally in pending.items():
                try:
                    with self.unit() as unit:
                        records.add(unit, run_id, tally, self.settings.shadow_examples_per_kind)
                except Exception:  # noqa: BLE001 - a store hiccup loses these counts, nothing else
                    log.exception("could not record %d shadow posts", tally.compared + tally.errors)

    def _discard_queue(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return
            self._queue.task_done()

    # ------------------------------------------------------------------ reading
    def local(self) -> ShadowProcess:
        """This process's view: the run it follows, queue length, a candidate that failed to load here."""
        with self._lock:
            return {"run_id": self._run_id, "queued": self._queue.qsize(), "capacity": self._queue.maxsize,
                    "candidate": self._candidate.label if self._candidate else None,
                    "load_error": self._load_error[1] if self._load_error else None}

    def summary(self, run_id: str | None = None, kind: str | None = None, limit: int = 20) -> ShadowSummary:
        with self.store.read() as tx:
            out = records.summary(tx, run_id, kind, limit)
        return {**out, "process": self.local()}


def _item(event: Event, result: ScoreResult, extra: Mapping[str, Any]) -> ShadowItem:
    active = Judgement(result.action, bool(result.abusive), float(result.scores.get("abuse", 0.0)),
                       tuple(result.rules))
    verdict = {"target": getattr(result, "target", "none"), "stance": getattr(result, "stance", "neutral")}
    return ShadowItem(event.id, event.text, {**event.context, **extra}, tuple(result.signals), active, verdict)
