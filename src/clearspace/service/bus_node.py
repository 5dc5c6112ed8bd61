"""``clearspace serve`` in bus mode: ``POST /v1/events`` publishes checked events to their partitions
instead of deciding them here (the workers decide, service/bus_worker.py).

The events were checked by the caller exactly as in embedded mode (same 4xx, before anything is
published). Each event goes to its partition's subject with its id as the message id, so a repeat
within JetStream's duplicate window is stored once (and one outside it answers its stored decision
at the worker). The answer is 202 ``{"id", "status": "accepted", "partition"}`` once JetStream has
stored every event; with ``?wait=MS`` the node waits up to MS for the decisions and answers them as
embedded mode does if they all came in time.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, Final

import orjson

from clearspace.bus.base import Outgoing, Stored
from clearspace.bus.jetstream import JetStreamBus
from clearspace.bus.loop import BusLoop
from clearspace.bus.names import Names
from clearspace.errors import BusUnavailable, InputError
from clearspace.service.bus_caches import CacheFeed
from clearspace.service.bus_worker import WAIT_HEADER
from clearspace.service.core import Service
from clearspace.service.events import Event
from clearspace.service.partitions import partition_of

PUBLISH_TIMEOUT_S: Final = 2.0
RETRY_AFTER_S: Final = 2.0
MAX_WAIT_MS: Final = 30_000


def serving_node(service: Service) -> Service:
    """``service`` as a bus-mode ``serve`` node: it decides nothing itself, so it runs no pile-on detector."""
    service.settings = replace(service.settings, pileon_detection=False, pileon_mode="local")
    service.pileons = service.shared_pileons = None
    return service


def wait_ms(query: str | None) -> int:
    """The ``wait`` query parameter in milliseconds (0 when absent); InputError when it is not 0..30000."""
    if not query:
        return 0
    try:
        value = int(query)
    except ValueError:
        raise InputError(f"wait must be a whole number of milliseconds, got {query!r}") from None
    if not 0 <= value <= MAX_WAIT_MS:
        raise InputError(f"wait must be between 0 and {MAX_WAIT_MS} milliseconds, got {value}")
    return value


class BusNode:
    """The publishing side of one ``serve`` node; :meth:`start` before use, :meth:`stop` after."""

    def __init__(self, service: Service) -> None:
        settings = service.settings
        self.service = service
        self.names = Names(settings.bus_prefix)
        self.partitions = settings.bus_partitions
        self.bus = JetStreamBus(settings.bus_url, self.names, self.partitions)
        self.loop: BusLoop | None = None
        self.feed: CacheFeed | None = None

    def start(self, forget_key: Callable[[str], None] | None = None) -> BusNode:
        """Connect now if NATS is there (else on the first request: until then they answer 503); follow the
        other nodes' changes (``forget_key``: drop a revoked key from the API's key cache)."""
        self.loop = BusLoop("bus-node")
        self.feed = CacheFeed(self.service, self.bus, self.loop, forget_key).install()
        with contextlib.suppress(BusUnavailable):
            self.loop.run(self._open(), 30)
        return self

    async def _open(self) -> None:
        await self.bus.open()
        if self.feed is not None:
            await self.feed.listen()

    def stop(self) -> None:
        if self.loop is not None:
            self.loop.run(self.bus.close(), 10)
            self.loop.stop()
            self.loop = None

    async def accept(self, raw: Any, events: Sequence[Event], wait: int) -> tuple[int, Any]:
        """Publish ``events`` (checked from ``raw``); answers ``(status, body)`` (BusUnavailable: 503)."""
        if self.loop is None:
            raise BusUnavailable("the bus is not started", retry_after=RETRY_AFTER_S)
        unique = list({e.id: e for e in events}.values())
        items = [Outgoing(e.id, partition_of(e.id, e.context, self.partitions),
                          orjson.dumps({**e.context, "text": e.text}), {WAIT_HEADER: "1"} if wait else {})
                 for e in unique]
        stored, decided = await asyncio.wrap_future(self.loop.submit(self._publish(items, wait / 1000)))
        parts = {item.event_id: s for item, s in zip(items, stored, strict=True)}
        missing = [e.id for e in unique if e.id not in decided]
        if wait and missing:  # repeats (de-duplicated) and decisions that came before we listened
            decided.update(await asyncio.to_thread(self.service.ingest.decided, missing))
        if wait and all(e.id in decided for e in events):
            answers = [decided[e.id] for e in events]
            return 200, ({"results": answers} if isinstance(raw, list) else answers[0])
        accepted = [{"id": e.id, "status": "accepted", "partition": parts[e.id].partition} for e in events]
        return 202, ({"results": accepted} if isinstance(raw, list) else accepted[0])

    async def _publish(self, items: list[Outgoing], wait_s: float) -> tuple[list[Stored], dict[str, Any]]:
        """In the bus loop: listen for the decisions (when waiting), publish, wait for them."""
        if not self.bus.connected:
            try:
                await self._open()
            except BusUnavailable as exc:
                raise BusUnavailable(str(exc), retry_after=RETRY_AFTER_S) from exc
        decided: dict[str, Any] = {}
        arrived = asyncio.Event()
        stops = []
        if wait_s > 0:
            for item in items:
                async def on(data: bytes, event_id: str = item.event_id) -> None:
                    decided[event_id] = orjson.loads(data)
                    if len(decided) == len(items):
                        arrived.set()
                stops.append(await self.bus.listen(self.names.decided_subject(item.event_id), on))
        try:
            try:
                stored = await self.bus.publish(items, PUBLISH_TIMEOUT_S)
            except BusUnavailable as exc:
                raise BusUnavailable(str(exc), retry_after=RETRY_AFTER_S) from exc
            if wait_s > 0 and not all(s.duplicate for s in stored):
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(arrived.wait(), wait_s)
        finally:
            for stop in stops:
                await stop()
        return stored, decided
