"""Services, an API client and in-process workers for the bus tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from clearspace.service.bus_worker import Worker
from clearspace.service.core import Service
from clearspace.service.labels import is_label_track
from clearspace.service.settings import Settings
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store

NATS_URL = "nats://127.0.0.1:4222"


def bus_service(db: str, prefix: str, *, bus_url: str = NATS_URL, **settings: Any) -> Service:
    """A service in bus mode over ``db``, scoring with the model-free keyword engine and the real policy."""
    values: dict[str, Any] = {"db": db, "bus_url": bus_url, "bus_prefix": prefix, "bus_partitions": 4,
                              "bus_lease_seconds": 3.0, **settings}
    return Service(open_store(db), engine=KeywordEngine(), settings=Settings(**values))


@contextmanager
def running_worker(service: Service, holder: str | None = None) -> Iterator[Worker]:
    """A worker deciding in a thread until the block ends (then it gives its partitions back)."""
    worker = Worker(service, holder=holder)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    thread.start()
    try:
        yield worker
    finally:
        stop.set()
        thread.join(timeout=30)


def until(check: Callable[[], Any], timeout_s: float = 20.0, what: str = "the condition") -> Any:
    """Wait until ``check()`` is truthy; answer it (AssertionError after ``timeout_s``)."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout_s} s")
        time.sleep(0.05)


def automated_decisions(service: Service, event_id: str) -> int:
    """How many automated (non-label) decisions the event has."""
    return sum(1 for d in service.ingest.event(event_id)["decisions"] if d["automated"] and not is_label_track(d))
