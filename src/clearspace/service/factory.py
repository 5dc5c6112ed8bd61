"""Building a :class:`Service` from settings: the store it names and, if set, Redis limits."""

from __future__ import annotations

from clearspace.service.core import Service
from clearspace.service.settings import Settings


def build_service(settings: Settings) -> Service:
    """The service over ``settings.db``; rate limits live in Redis when ``redis_url`` is set."""
    from clearspace.store import open_store

    service = Service(open_store(settings.db), settings=settings)
    if settings.redis_url:
        from clearspace.service.ratelimit import RedisRateLimiter

        service.limiter = RedisRateLimiter.from_url(settings.redis_url, service.clock)
    return service
