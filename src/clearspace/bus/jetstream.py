"""The bus over NATS JetStream (``nats-py``): one stream per deployment whose subjects are the
partitions (``<prefix>.events.<n>``), one durable pull consumer per partition, the event id as
``Nats-Msg-Id`` (JetStream drops a second message with that id within ``duplicate_window``), and a
second stream for the dead letters. The number of partitions is written into the stream's
description when it is created and checked on every open.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import Error as NatsError
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext, api
from nats.js.errors import NotFoundError

from clearspace.bus.base import BusInfo, DeadLetter, Delivery, Handler, Outgoing, PartitionInfo, Stored
from clearspace.bus.names import Names
from clearspace.errors import BusUnavailable, InputError

DESCRIBED: Final = re.compile(r"partitions=(\d+)")
DUPLICATE_WINDOW_S: Final = 120.0
ACK_WAIT_S: Final = 10.0  # a delivery not acknowledged (nor marked in progress) within this is delivered again
log = logging.getLogger("clearspace.bus")


class JetStreamDelivery:
    """A :class:`~clearspace.bus.base.Delivery` over one JetStream message."""

    __slots__ = ("_msg", "seq", "deliveries")

    def __init__(self, msg: Msg) -> None:
        self._msg = msg
        meta = msg.metadata
        self.seq: int = meta.sequence.stream
        self.deliveries: int = meta.num_delivered

    @property
    def data(self) -> bytes:
        return bytes(self._msg.data)

    @property
    def headers(self) -> Mapping[str, str]:
        return self._msg.headers or {}

    async def ack(self) -> None:
        await self._msg.ack()

    async def retry(self, delay_s: float) -> None:
        await self._msg.nak(delay=delay_s)

    async def working(self) -> None:
        await self._msg.in_progress()


class JetStreamBus:
    """:class:`~clearspace.bus.base.Bus` over the NATS server at ``url``."""

    def __init__(self, url: str, names: Names, partitions: int, *, connect_timeout_s: float = 2.0) -> None:
        self.url = url
        self.names = names
        self.partitions = partitions
        self.connect_timeout_s = connect_timeout_s
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._subs: dict[int, JetStreamContext.PullSubscription] = {}

    # ------------------------------------------------------------------ connection and streams
    async def open(self) -> None:
        if self._nc is not None and self._nc.is_connected:
            return
        try:
            # once connected, the client reconnects by itself (forever); the first connect is bounded
            self._nc = await asyncio.wait_for(nats.connect(
                self.url, connect_timeout=self.connect_timeout_s, allow_reconnect=True, max_reconnect_attempts=-1,
                reconnect_time_wait=0.5, error_cb=_log_error, name=f"clearspace:{self.names.prefix}"),
                self.connect_timeout_s * 2)
        except (TimeoutError, OSError, NatsError) as exc:
            raise BusUnavailable(f"NATS at {self.url} is not reachable: {str(exc) or type(exc).__name__}") from exc
        self._js = self._nc.jetstream()
        await self._ensure_streams()

    async def connect_only(self) -> None:
        """Connect without creating or checking the streams (to delete them)."""
        self._nc = await nats.connect(self.url, connect_timeout=self.connect_timeout_s)
        self._js = self._nc.jetstream()

    async def _ensure_streams(self) -> None:
        js = self._jet()
        try:
            info = await js.stream_info(self.names.stream)
        except NotFoundError:
            await js.add_stream(api.StreamConfig(
                name=self.names.stream, subjects=[f"{self.names.prefix}.events.*"],
                description=f"clearspace events: partitions={self.partitions}", duplicate_window=DUPLICATE_WINDOW_S,
                storage=api.StorageType.FILE, retention=api.RetentionPolicy.LIMITS))
        else:
            found = DESCRIBED.search(info.config.description or "")
            if found is None or int(found.group(1)) != self.partitions:
                have = found.group(1) if found else "an unknown number of"
                raise InputError(f"bus_partitions is {self.partitions} but stream {self.names.stream} was created with "
                                 f"{have} partitions; the number is fixed when the stream is created (set "
                                 f"bus_partitions = {have}, or use a new bus_prefix)")
        try:
            await js.stream_info(self.names.dead_stream)
        except NotFoundError:
            await js.add_stream(api.StreamConfig(
                name=self.names.dead_stream, subjects=[f"{self.names.prefix}.dead.*"],
                description="clearspace dead letters", storage=api.StorageType.FILE))

    @property
    def connected(self) -> bool:
        return self._nc is not None and self._nc.is_connected

    def _jet(self) -> JetStreamContext:
        if self._js is None:
            raise BusUnavailable("the bus is not open")
        return self._js

    async def close(self) -> None:
        nc, self._nc, self._js = self._nc, None, None
        self._subs.clear()
        if nc is not None:
            try:
                await nc.drain()
            except (TimeoutError, NatsError, OSError):  # closing anyway
                await nc.close()

    # ------------------------------------------------------------------ publishing
    async def publish(self, items: Sequence[Outgoing], timeout_s: float) -> list[Stored]:
        if not self.connected:
            raise BusUnavailable(f"NATS at {self.url} is not connected; nothing was accepted")
        js = self._jet()

        async def one(item: Outgoing) -> Stored:
            ack = await js.publish(self.names.subject(item.partition), item.data, timeout=timeout_s,
                                   stream=self.names.stream, headers={"Nats-Msg-Id": item.event_id, **item.headers})
            return Stored(item.partition, ack.seq, bool(ack.duplicate))

        try:
            return list(await asyncio.gather(*(one(i) for i in items)))
        except (TimeoutError, NatsError, OSError) as exc:
            raise BusUnavailable(f"NATS did not store the events in time ({type(exc).__name__}); retry them "
                                 "(the same ids are de-duplicated)") from exc

    # ------------------------------------------------------------------ consuming
    async def fetch(self, partition: int, batch: int, timeout_s: float) -> list[Delivery]:
        sub = self._subs.get(partition)
        if sub is None:
            sub = self._subs[partition] = await self._jet().pull_subscribe(
                self.names.subject(partition), durable=self.names.consumer(partition), stream=self.names.stream,
                config=api.ConsumerConfig(ack_policy=api.AckPolicy.EXPLICIT, ack_wait=ACK_WAIT_S, max_deliver=-1,
                                          max_ack_pending=-1, deliver_policy=api.DeliverPolicy.ALL))
        try:
            msgs = await sub.fetch(batch, timeout=timeout_s)
        except NatsTimeout:
            return []
        return [JetStreamDelivery(m) for m in msgs]

    async def drop_partition(self, partition: int) -> None:
        """Stop pulling ``partition`` here (another worker owns it now)."""
        sub = self._subs.pop(partition, None)
        if sub is not None:
            await sub.unsubscribe()

    async def dead_letter(self, partition: int, delivery: Delivery, error: str, tries: int) -> None:
        headers = {"Clearspace-Error": error[:1000].replace("\n", " "), "Clearspace-Seq": str(delivery.seq),
                   "Clearspace-Deliveries": str(delivery.deliveries), "Clearspace-Tries": str(tries),
                   "Clearspace-Event": delivery.headers.get("Nats-Msg-Id", ""),
                   "Clearspace-At": datetime.now(UTC).isoformat(timespec="seconds")}
        await self._jet().publish(self.names.dead_subject(partition), delivery.data, stream=self.names.dead_stream,
                                  headers=headers, timeout=5.0)
        await delivery.ack()

    # ------------------------------------------------------------------ announcements
    async def announce(self, subject: str, data: bytes) -> None:
        if self._nc is not None:
            await self._nc.publish(subject, data)

    async def listen(self, subject: str, handler: Handler) -> Callable[[], Awaitable[None]]:
        if self._nc is None:
            raise BusUnavailable("the bus is not open")

        async def on(msg: Msg) -> None:
            try:
                await handler(bytes(msg.data))
            except Exception:  # noqa: BLE001 - one failed announcement must not stop the subscription
                log.exception("handling an announcement on %s failed", subject)

        sub = await self._nc.subscribe(subject, cb=on)
        return sub.unsubscribe

    # ------------------------------------------------------------------ status
    async def info(self, recent_dead: int = 20) -> BusInfo:
        js = self._jet()
        stream = await js.stream_info(self.names.stream, subjects_filter=f"{self.names.prefix}.events.*")
        last_by_subject: dict[str, int] = dict(getattr(stream.state, "subjects", None) or {})
        parts = []
        for p in range(self.partitions):
            try:
                ci = await js.consumer_info(self.names.stream, self.names.consumer(p))
                unread, unacked, redelivered = ci.num_pending or 0, ci.num_ack_pending or 0, ci.num_redelivered or 0
            except NotFoundError:  # no worker has pulled it yet: everything in it waits
                unread, unacked, redelivered = last_by_subject.get(self.names.subject(p), 0), 0, 0
            parts.append(PartitionInfo(p, last_by_subject.get(self.names.subject(p), 0), unread, unacked, redelivered))
        dead = await js.stream_info(self.names.dead_stream)
        letters = []
        last = dead.state.last_seq
        for seq in range(last, max(dead.state.first_seq, last - recent_dead + 1) - 1, -1):
            if seq <= 0:
                break
            try:
                letters.append(_dead_letter(await js.get_msg(self.names.dead_stream, seq)))
            except NotFoundError:
                continue
        return BusInfo(self.partitions, stream.state.messages, parts, dead.state.messages, letters)

    async def delete(self) -> None:
        """Remove both streams (tests and benchmarks clean up their own prefix)."""
        for name in (self.names.stream, self.names.dead_stream):
            with contextlib.suppress(NotFoundError):
                await self._jet().delete_stream(name)


def _dead_letter(raw: Any) -> DeadLetter:
    headers = raw.headers or {}
    subject = str(raw.subject or "")
    partition = int(subject.rsplit(".", 1)[-1]) if subject[-1:].isdigit() else -1
    return DeadLetter(partition=partition, seq=int(raw.seq), event_id=headers.get("Clearspace-Event", ""),
                      error=headers.get("Clearspace-Error", ""),
                      deliveries=_count(headers, "Clearspace-Deliveries"),
                      tries=_count(headers, "Clearspace-Tries") or _count(headers, "Clearspace-Deliveries"),
                      at=headers.get("Clearspace-At", ""),
                      data=bytes(raw.data or b"").decode("utf-8", "replace")[:2000])


def _count(headers: Mapping[str, str], name: str) -> int:
    value = headers.get(name, "")
    return int(value) if value.isdigit() else 0


async def _log_error(exc: Exception) -> None:
    log.debug("NATS: %s: %s", type(exc).__name__, exc)  # reconnecting: logged by the caller that waits
