"""Authentication for the API: ``Authorization: Bearer KEY`` (or ``?key=KEY`` where allowed)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyQuery, HTTPAuthorizationCredentials, HTTPBearer

from clearspace.service import access
from clearspace.service.core import Service

bearer = HTTPBearer(auto_error=False, description="An API key from 'clearspace keys create --role ROLE'.")
query_key = APIKeyQuery(name="key", auto_error=False, description="The API key, as Perspective clients send it.")

Bearer = Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]
QueryKey = Annotated[str | None, Security(query_key)]

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
            self.service.admin.charge(principal.key_id, principal.rate_limit)
            return principal
        principal = await run_in_threadpool(self.service.admin.authenticate, key, permission)
        self._seen[key or ""] = (principal, time.monotonic() + self.ttl)
        return principal

    def forget(self, key_id: str) -> None:
        """Drop every cached entry of key ``key_id`` (it was just revoked)."""
        for key in [k for k, (p, _) in self._seen.items() if p.key_id == key_id]:
            self._seen.pop(key, None)


def bearer_key(request: Request) -> str | None:
    """The key from ``Authorization: Bearer KEY`` without FastAPI's dependency machinery (hot path)."""
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    return key.strip() or None if scheme.lower() == "bearer" else None


def require(permission: str) -> Callable[..., Awaitable[access.Principal]]:
    """A dependency: the caller, who must have ``permission`` (see ``access.PERMISSIONS``)."""

    async def dependency(request: Request, credentials: Bearer) -> access.Principal:
        cache: KeyCache = request.app.state.keys
        return await cache.principal(credentials.credentials if credentials else None, permission)

    return dependency


def require_with_query_key(permission: str) -> Callable[..., Awaitable[access.Principal]]:
    """Like :func:`require`, also accepting ``?key=KEY``."""

    async def dependency(request: Request, credentials: Bearer, key: QueryKey) -> access.Principal:
        cache: KeyCache = request.app.state.keys
        return await cache.principal(credentials.credentials if credentials else key, permission)

    return dependency


Ingester = Annotated[access.Principal, Depends(require("events:write"))]
Scorer = Annotated[access.Principal, Depends(require_with_query_key("score"))]
Reporter = Annotated[access.Principal, Depends(require("reports:write"))]
Appellant = Annotated[access.Principal, Depends(require("appeals:write"))]
Reader = Annotated[access.Principal, Depends(require("read"))]
ContextReader = Annotated[access.Principal, Depends(require("context:read"))]
NoteWriter = Annotated[access.Principal, Depends(require("notes:write"))]
CaseWorker = Annotated[access.Principal, Depends(require("cases:work"))]
AppealJudge = Annotated[access.Principal, Depends(require("appeals:decide"))]
BatchActor = Annotated[access.Principal, Depends(require("accounts:batch"))]
Auditor = Annotated[access.Principal, Depends(require("audit:read"))]
TransparencyReader = Annotated[access.Principal, Depends(require("transparency:read"))]
Admin = Annotated[access.Principal, Depends(require("admin"))]
