"""Every NATS name of one deployment, derived from its ``bus_prefix`` (several deployments, or tests,
share one NATS server by using different prefixes)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Names:
    """Streams, subjects and consumers of the deployment ``prefix``."""

    prefix: str

    @property
    def stream(self) -> str:
        """The events stream: one subject per partition."""
        return f"{self.prefix}_events"

    @property
    def dead_stream(self) -> str:
        """The dead letters: messages that kept failing, with their error."""
        return f"{self.prefix}_dead"

    def subject(self, partition: int) -> str:
        return f"{self.prefix}.events.{partition}"

    def dead_subject(self, partition: int) -> str:
        return f"{self.prefix}.dead.{partition}"

    def consumer(self, partition: int) -> str:
        """The durable pull consumer of one partition (whoever owns the partition pulls from it)."""
        return f"{self.prefix}_p{partition}"

    def cache_subject(self, topic: str) -> str:
        """Core NATS subject announcing a change (shields, keys, model, policy) to every node."""
        return f"{self.prefix}.cache.{topic}"

    def decided_subject(self, event_id: str) -> str:
        """Where a worker announces one event's decision (a node waiting on ``?wait=MS`` listens)."""
        digest = hashlib.blake2b(event_id.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
        return f"{self.prefix}.decided.{digest}"

    def lease(self, partition: int) -> str:
        """The store lease (service/leases.py) of a partition's owner."""
        return f"bus:{self.prefix}:p{partition}"

    def worker_lease(self, holder: str) -> str:
        """A live worker's presence (the partitions are shared out among the live ones)."""
        return f"bus:{self.prefix}:w:{holder}"

    @property
    def worker_lease_prefix(self) -> str:
        return f"bus:{self.prefix}:w:"
