"""Per-key rate limits: a token bucket per key, refilled from the injected clock."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from clearspace.errors import RateLimited
from clearspace.service.clock import Clock


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Allows ``rate`` requests per second per key with bursts of up to ``burst_seconds * rate``."""

    def __init__(self, clock: Clock, burst_seconds: float = 2.0) -> None:
        self.clock = clock
        self.burst_seconds = burst_seconds
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def hit(self, key_id: str, rate: float, cost: float = 1.0) -> None:
        """Take ``cost`` tokens from the key's bucket or raise RateLimited."""
        now = self.clock().timestamp()
        capacity = max(1.0, rate * self.burst_seconds)
        with self._lock:
            bucket = self._buckets.setdefault(key_id, _Bucket(capacity, now))
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            if bucket.tokens < min(cost, capacity):
                raise RateLimited(f"rate limit of {rate:g} requests/s exceeded for this key",
                                  retry_after=round((min(cost, capacity) - bucket.tokens) / rate, 3))
            bucket.tokens -= min(cost, capacity)
