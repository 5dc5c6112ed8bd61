"""Authentication for the API: ``Authorization: Bearer KEY`` (or ``?key=KEY`` where allowed)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyQuery, HTTPAuthorizationCredentials, HTTPBearer

from clearspace.service import access
from clearspace.service.core import Service

bearer = HTTPBearer(auto_error=False, description="An API key from 'clearspace keys create --role ROLE'.")
query_key = APIKeyQuery(name="key", auto_error=False, description="The API key, as Perspective clients send it.")

CACHE_SECONDS = 5.0


class KeyCache:
    """Remembers authenticated keys for a few seconds so the hot path skips the database."""

    def __init__(self, service: Service, ttl: float = CACHE_SECONDS) -> None:
        self.service = service
        self.ttl = ttl
        self._seen: dict[str, tuple[access.Principal, float]] = {}

    async def principal(self, key: str | None, permission: str) -> access.Principal:
        cached = self._seen.get(key or "")
        if cached and cached[1] > time.monotonic():
            principal = cached[0]
            access.authorize(principal, permission)
            self.service.limiter.hit(principal.key_id, principal.rate_limit)
            return principal
        principal = await run_in_threadpool(self.service.authenticate, key, permission)
        self._seen[key or ""] = (principal, time.monotonic() + self.ttl)
        return principal


def require(permission: str) -> Callable[..., Awaitable[access.Principal]]:
    """A dependency: the caller, who must have ``permission`` (see ``access.PERMISSIONS``)."""

    async def dependency(request: Request,
                         credentials: HTTPAuthorizationCredentials | None = Security(bearer)) -> access.Principal:
        cache: KeyCache = request.app.state.keys
        return await cache.principal(credentials.credentials if credentials else None, permission)

    return dependency


def require_with_query_key(permission: str) -> Callable[..., Awaitable[access.Principal]]:
    """Like :func:`require`, also accepting ``?key=KEY``."""

    async def dependency(request: Request,
                         credentials: HTTPAuthorizationCredentials | None = Security(bearer),
                         key: str | None = Security(query_key)) -> access.Principal:
        cache: KeyCache = request.app.state.keys
        return await cache.principal(credentials.credentials if credentials else key, permission)

    return dependency
