"""The bus client's own event loop, on a daemon thread: sync code (the service, the worker, the CLI)
runs a bus coroutine with :meth:`BusLoop.run` (blocking) or :meth:`BusLoop.submit` (a future), and the
HTTP event loop awaits ``asyncio.wrap_future(loop.submit(...))``."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")


class BusLoop:
    """An asyncio loop running on a thread of its own until :meth:`stop`."""

    def __init__(self, name: str = "bus") -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)
        self._thread.start()

    def submit(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def run(self, coro: Coroutine[Any, Any, T], timeout_s: float | None = None) -> T:
        return self.submit(coro).result(timeout_s)

    def stop(self) -> None:
        if self.loop.is_running():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=5)
