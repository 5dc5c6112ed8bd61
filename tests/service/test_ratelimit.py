"""The in-process rate limiter: buckets per key, and memory that does not grow with the number of keys."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clearspace.errors import RateLimited
from clearspace.service.clock import ManualClock
from clearspace.service.ratelimit import RateLimiter


def test_a_key_over_its_rate_is_refused_and_refilled() -> None:
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    limiter = RateLimiter(clock, burst_seconds=1.0)
    for _ in range(5):
        limiter.hit("k", 5.0)
    with pytest.raises(RateLimited) as refused:
        limiter.hit("k", 5.0)
    assert refused.value.retry_after > 0
    clock.advance(seconds=1)
    limiter.hit("k", 5.0)


def test_buckets_of_clients_gone_quiet_are_forgotten() -> None:
    """One bucket per console client address or session: a full bucket is the same as none, so a
    stream of distinct clients leaves only the buckets that are still refilling."""
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    limiter = RateLimiter(clock, burst_seconds=2.0)
    for n in range(50_000):
        limiter.hit(f"console:ip:10.{n // 65536}.{n // 256 % 256}.{n % 256}", 10.0)
        clock.advance(seconds=0.01)
    assert len(limiter) <= 1_000  # the clients of the last few seconds, not all 50,000


def test_forgetting_a_bucket_never_resets_a_client_still_over_its_rate() -> None:
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    limiter = RateLimiter(clock, burst_seconds=1.0)
    for _ in range(2):
        limiter.hit("busy", 2.0)
    for n in range(20_000):  # others come and go; "busy" has spent its burst
        limiter.hit(f"other{n}", 2.0)
    with pytest.raises(RateLimited):
        limiter.hit("busy", 2.0)
