"""What bus mode needs from a message bus: partitioned, de-duplicating, at-least-once delivery with
per-message acknowledgement, a dead-letter place, and fire-and-forget announcements to every node."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One event to publish: its partition, its id (the de-duplication key) and its JSON bytes."""

    event_id: str
    partition: int
    data: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Stored:
    """The bus stored the message (``duplicate``: it already had one with that id, within its window)."""

    partition: int
    seq: int
    duplicate: bool


class Delivery(Protocol):
    """A message handed to a worker; it stays pending until acknowledged, then is never delivered again."""

    @property
    def seq(self) -> int: ...

    @property
    def data(self) -> bytes: ...

    @property
    def deliveries(self) -> int:
        """How many times it has been delivered, this time included."""
        ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    async def ack(self) -> None: ...

    async def retry(self, delay_s: float) -> None:
        """Deliver it again after ``delay_s`` (counts as a delivery)."""
        ...

    async def working(self) -> None:
        """Still being worked on: do not deliver it again yet."""
        ...


@dataclass(frozen=True, slots=True)
class PartitionInfo:
    """A partition as the bus sees it: its last stored sequence, what waits for delivery
    (``unread``) and what is delivered but not acknowledged (``unacked``)."""

    partition: int
    last_seq: int
    unread: int
    unacked: int
    redelivered: int

    @property
    def pending(self) -> int:
        return self.unread + self.unacked


@dataclass(frozen=True, slots=True)
class DeadLetter:
    partition: int
    seq: int
    event_id: str
    error: str
    deliveries: int  # as the bus counts them (deliveries lost to timed-out pulls included)
    tries: int  # failed tries counted by the worker that gave up
    at: str
    data: str


@dataclass(frozen=True, slots=True)
class BusInfo:
    partitions: int
    stored: int
    per_partition: Sequence[PartitionInfo]
    dead_letters: int
    recent_dead: Sequence[DeadLetter]


Handler = Callable[[bytes], Awaitable[None]]


class Bus(Protocol):
    """The bus of one deployment (``Names``); every method is a coroutine of the bus's event loop."""

    partitions: int

    async def open(self) -> None:
        """Connect and make sure the streams exist (InputError when the partitions do not match)."""
        ...

    @property
    def connected(self) -> bool: ...

    async def publish(self, items: Sequence[Outgoing], timeout_s: float) -> list[Stored]:
        """Store every item (BusUnavailable when the bus does not confirm in time)."""
        ...

    async def fetch(self, partition: int, batch: int, timeout_s: float) -> list[Delivery]:
        """Up to ``batch`` messages of ``partition`` not yet acknowledged (empty after ``timeout_s``)."""
        ...

    async def dead_letter(self, partition: int, delivery: Delivery, error: str, tries: int) -> None:
        """Keep ``delivery`` in the dead letters with its error and failed tries, then acknowledge it."""
        ...

    async def announce(self, subject: str, data: bytes) -> None:
        """Fire and forget to every node listening on ``subject`` (core NATS)."""
        ...

    async def listen(self, subject: str, handler: Handler) -> Callable[[], Awaitable[None]]:
        """Call ``handler`` with each message on ``subject``; answers a coroutine function that stops it."""
        ...

    async def info(self, recent_dead: int = 20) -> BusInfo: ...

    async def close(self) -> None: ...
