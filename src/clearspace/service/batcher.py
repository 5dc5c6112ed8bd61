"""Micro-batching: concurrent ingest requests are scored and committed together.

Scoring in batches is several times faster than one text at a time, and one transaction
per batch makes SQLite commits cheap. A request's future resolves only after its events are
committed, so an acknowledged event always has its decision on disk.

One request must never fail another: when handling a merged batch raises, each submission of
it is handled again on its own, so only the one that fails gets the error (and it is logged
with its cause); the others get their results as if they had come alone.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

from clearspace.errors import ClearspaceError, StoreError

T = TypeVar("T")
R = TypeVar("R")

_STOP = object()
log = logging.getLogger("clearspace.batcher")


class Batcher(Generic[T, R]):
    """Runs ``handle(items) -> results`` (same length, same order) on merged submissions in one thread."""

    def __init__(self, handle: Callable[[list[T]], list[R]], *, max_items: int = 256, name: str = "batcher") -> None:
        self.handle = handle
        self.max_items = max_items
        self.name = name
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> Batcher[T, R]:
        """Start the worker thread (``submit`` also starts it when needed)."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
        return self

    def stop(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(_STOP)
            thread.join(timeout=30)

    def submit(self, items: Sequence[T], *, autostart: bool = True) -> Future[list[R]]:
        """Queue ``items``; the future resolves with their results once handled."""
        if autostart and self._thread is None:
            self.start()
        future: Future[list[R]] = Future()
        self._queue.put((list(items), future))
        return future

    def _take(self) -> tuple[list[tuple[list[T], Future[list[R]]]], bool]:
        first = self._queue.get()
        if first is _STOP:
            return [], True
        jobs, size = [first], len(first[0])
        while size < self.max_items:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is _STOP:
                return jobs, True
            jobs.append(job)
            size += len(job[0])
        return jobs, False

    def _run(self) -> None:
        stop = False
        while not stop:
            jobs, stop = self._take()
            if jobs:
                self._process(jobs)

    def _process(self, jobs: list[tuple[list[T], Future[list[R]]]]) -> None:
        merged = [item for items, _ in jobs for item in items]
        try:
            results = self.handle(merged)
        except Exception as exc:  # noqa: BLE001 - one bad submission must not fail the others
            if len(jobs) == 1:
                self._fail(jobs[0][1], exc, len(merged))
                return
            log.warning("%s: a batch of %d submissions failed (%s: %s); handling each on its own",
                        self.name, len(jobs), type(exc).__name__, exc)
            for items, future in jobs:
                self._alone(items, future)
            return
        except BaseException as exc:  # noqa: BLE001 - KeyboardInterrupt and the like: to every waiting request
            for _, future in jobs:
                future.set_exception(exc)
            return
        start = 0
        for items, future in jobs:
            future.set_result(results[start:start + len(items)])
            start += len(items)

    def _alone(self, items: list[T], future: Future[list[R]]) -> None:
        try:
            future.set_result(self.handle(items))
        except Exception as exc:  # noqa: BLE001 - this submission's own error, for its request
            self._fail(future, exc, len(items))

    def _fail(self, future: Future[list[R]], exc: Exception, count: int) -> None:
        if not isinstance(exc, ClearspaceError) or isinstance(exc, StoreError):
            log.error("%s: a submission of %d items failed", self.name, count, exc_info=exc)
        future.set_exception(exc)
