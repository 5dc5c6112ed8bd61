"""Per-key rate limits: a token bucket per key, refilled from the injected clock.

:class:`RateLimiter` keeps the buckets in the process; :class:`RedisRateLimiter` keeps them in
Redis (``CLEARSPACE_REDIS_URL``) so that several worker processes share one bucket per key.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from clearspace.errors import RateLimited
from clearspace.service.clock import Clock


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float
    full_at: float  # when it will have refilled to capacity: from then on it is the same as no bucket


class RateLimiter:
    """Allows ``rate`` requests per second per key with bursts of up to ``burst_seconds * rate``.

    A bucket that has refilled is forgotten (at most every ``burst_seconds``, at least every second), so
    the buckets held are those of the keys seen in the last few seconds, not of every key (console
    client address, session) ever seen."""

    def __init__(self, clock: Clock, burst_seconds: float = 2.0) -> None:
        self.clock = clock
        self.burst_seconds = burst_seconds
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()
        self._swept = float("-inf")

    def __len__(self) -> int:
        """The number of buckets held."""
        return len(self._buckets)

    def hit(self, key_id: str, rate: float, cost: float = 1.0) -> None:
        """Take ``cost`` tokens from the key's bucket or raise RateLimited."""
        now = self.clock().timestamp()
        capacity = max(1.0, rate * self.burst_seconds)
        with self._lock:
            if now - self._swept >= max(1.0, self.burst_seconds):
                self._sweep(now)
            bucket = self._buckets.setdefault(key_id, _Bucket(capacity, now, now))
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            if bucket.tokens < min(cost, capacity):
                raise RateLimited(f"rate limit of {rate:g} requests/s exceeded for this key",
                                  retry_after=round((min(cost, capacity) - bucket.tokens) / rate, 3))
            bucket.tokens -= min(cost, capacity)
            bucket.full_at = now + (capacity - bucket.tokens) / rate

    def _sweep(self, now: float) -> None:
        self._swept = now
        for key in [k for k, b in self._buckets.items() if b.full_at <= now]:
            del self._buckets[key]


_TOKEN_BUCKET = """
local rate, capacity, cost, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(state[1]) or capacity
local updated = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - updated) * rate)
local allowed, retry = 0, 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  retry = (cost - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(math.max(now, updated)))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return {allowed, tostring(retry)}
"""
"""One token bucket, refilled and charged atomically inside Redis (floats travel as text)."""


class RedisRateLimiter(RateLimiter):
    """The same token buckets, kept in Redis so that every worker process shares them.

    Keys are ``prefix + key_id`` hashes that expire once a bucket would be full again. While
    Redis cannot be reached the in-process bucket is used instead (and Redis is retried after
    ``retry_seconds``), so an outage of Redis never takes the API down.
    """

    def __init__(self, client: Any, clock: Clock, burst_seconds: float = 2.0, *,
                 prefix: str = "clearspace:ratelimit:", retry_seconds: float = 5.0) -> None:
        super().__init__(clock, burst_seconds)
        self.client = client
        self.prefix = prefix
        self.retry_seconds = retry_seconds
        self._script: Any = None
        self._down_until = 0.0

    @classmethod
    def from_url(cls, url: str, clock: Clock, **options: Any) -> RedisRateLimiter:
        """A limiter on the Redis at ``url`` (``redis://host:6379/0``); connects on first use."""
        import redis

        client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        return cls(client, clock, **options)

    def hit(self, key_id: str, rate: float, cost: float = 1.0) -> None:
        now = self.clock().timestamp()
        if now < self._down_until:
            super().hit(key_id, rate, cost)
            return
        capacity = max(1.0, rate * self.burst_seconds)
        answer = self._charge(key_id, rate, capacity, min(cost, capacity), now)
        if answer is None:
            self._down_until = now + self.retry_seconds
            super().hit(key_id, rate, cost)
            return
        allowed, retry_after = answer
        if not allowed:
            raise RateLimited(f"rate limit of {rate:g} requests/s exceeded for this key",
                              retry_after=round(retry_after, 3))

    def _charge(self, key_id: str, rate: float, capacity: float, cost: float, now: float) -> tuple[bool, float] | None:
        """``(allowed, retry_after)`` from Redis, or None when Redis cannot be reached."""
        import redis

        try:
            if self._script is None:
                self._script = self.client.register_script(_TOKEN_BUCKET)
            allowed, retry = self._script(keys=[self.prefix + key_id], args=[rate, capacity, cost, now])
        except redis.RedisError:
            return None
        return bool(int(allowed)), float(retry)
