"""Which partition an event belongs to (the scale-out design, docs/service.md).

The routing key is the person the event is about (``target_user``) when there is one, so every
event about one person lands in one partition and pile-on detection there needs no coordination;
else the author; else the event id. The hash is stable across processes, hosts and Python
versions (BLAKE2b, not ``hash()``, which is salted per process).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, Final

DEFAULT_PARTITIONS: Final = 16
"""Partitions of a new stream (setting ``bus_partitions``); fixed once the stream exists."""

ADMIN_CHAIN: Final = "admin"
"""The audit chain of moderator and admin actions (every other chain is one partition's)."""


def routing_key(event_id: str, context: Mapping[str, Any]) -> str:
    """``t:<target_user>``, else ``a:<author>``, else ``e:<event id>``."""
    target = context.get("target_user")
    if target not in (None, ""):
        return f"t:{target}"
    author = context.get("author")
    if author not in (None, ""):
        return f"a:{author}"
    return f"e:{event_id}"


def partition_of_key(key: str, partitions: int = DEFAULT_PARTITIONS) -> int:
    """A stable partition in ``[0, partitions)`` for a routing key."""
    if partitions < 1:
        raise ValueError("partitions must be at least 1")
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % partitions


def partition_of(event_id: str, context: Mapping[str, Any], partitions: int = DEFAULT_PARTITIONS) -> int:
    """The partition of one checked event (``Event.id``, ``Event.context``)."""
    return partition_of_key(routing_key(event_id, context), partitions)


def chain_of_partition(partition: int) -> str:
    """The audit chain name of a partition: ``p0`` .. ``p15``."""
    return f"p{partition}"
