"""The Redis rate limiter (``CLEARSPACE_REDIS_URL``): the same token bucket as the in-process one,
shared by every limiter on the same Redis, and a fallback to the process while Redis is down.

Uses ``$CLEARSPACE_TEST_REDIS`` (default ``redis://127.0.0.1:6379/0``) under a unique key prefix,
deleted afterwards; skipped with the reason shown when Redis is unreachable, failed under CI=true.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from clearspace.errors import RateLimited
from clearspace.service.clock import ManualClock
from clearspace.service.ratelimit import RedisRateLimiter


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))


@pytest.fixture
def redis_client() -> Iterator[tuple[Any, str]]:
    """A client and a key prefix no one else uses; the prefix's keys are deleted afterwards."""
    import redis

    url = os.environ.get("CLEARSPACE_TEST_REDIS", "redis://127.0.0.1:6379/0")
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        message = f"Redis not reachable at {url} (set CLEARSPACE_TEST_REDIS): {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"cs_test_{secrets.token_hex(6)}:"
    yield client, prefix
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)
    client.close()


def test_bucket_limits_bursts_and_refills(redis_client: tuple[Any, str], clock: ManualClock) -> None:
    client, prefix = redis_client
    limiter = RedisRateLimiter(client, clock, prefix=prefix)
    for _ in range(4):  # 2 requests/s, bursts of 2 s
        limiter.hit("k1", 2.0)
    with pytest.raises(RateLimited, match="rate limit of 2 requests/s") as info:
        limiter.hit("k1", 2.0)
    assert info.value.retry_after == 0.5
    limiter.hit("k2", 2.0)  # another key has its own bucket
    clock.advance(seconds=0.5)
    limiter.hit("k1", 2.0)
    assert 0 < client.pttl(f"{prefix}k1") <= 3000


def test_every_limiter_on_one_redis_shares_the_bucket(redis_client: tuple[Any, str], clock: ManualClock) -> None:
    client, prefix = redis_client
    workers = [RedisRateLimiter(client, clock, prefix=prefix) for _ in range(2)]
    for n in range(4):
        workers[n % 2].hit("k", 2.0)
    for worker in workers:
        with pytest.raises(RateLimited):
            worker.hit("k", 2.0)


def test_falls_back_to_the_process_while_redis_is_down(clock: ManualClock) -> None:
    limiter = RedisRateLimiter.from_url("redis://127.0.0.1:1/0", clock)
    limiter.hit("k", 1.0)
    limiter.hit("k", 1.0)
    with pytest.raises(RateLimited):
        limiter.hit("k", 1.0)


def test_cli_service_uses_redis_when_configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clearspace.cli.service_commands import _service

    monkeypatch.setenv("CLEARSPACE_REDIS_URL", "redis://127.0.0.1:6379/0")
    service = _service(str(tmp_path / "cs.db"), create=True)
    assert isinstance(service.limiter, RedisRateLimiter) and service.settings.redis_url.startswith("redis://")
    monkeypatch.delenv("CLEARSPACE_REDIS_URL")
    assert not isinstance(_service(str(tmp_path / "cs.db")).limiter, RedisRateLimiter)
