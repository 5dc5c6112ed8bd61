"""The hot path: ``POST /v1/events`` answered straight from ASGI, skipping routing and dependencies.

Ingest is the one endpoint that has to sustain hundreds of requests per second, and FastAPI's
per-request machinery costs about as much CPU as scoring one event. This middleware handles
exactly that method and path with the same checks (key and role, rate limit, body size, JSON,
event fields) and the same error shape; the FastAPI route stays as its documented twin (it is
what ``/openapi.json`` describes) and behaves identically.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from clearspace.api.auth import KeyCache
from clearspace.api.errors import clearspace_error_response, error_response
from clearspace.api.jsonio import parse_json
from clearspace.errors import ClearspaceError, InputError
from clearspace.service.batcher import Batcher
from clearspace.service.core import Service

PATH = "/v1/events"


class _TooLarge(Exception):
    pass


class EventsFastPath:
    """Serves ``POST /v1/events``; every other request goes on to ``app``."""

    def __init__(self, app: ASGIApp, *, service: Service, batcher: Batcher[Any, Any], keys: KeyCache,
                 max_bytes: int) -> None:
        self.app = app
        self.service = service
        self.batcher = batcher
        self.keys = keys
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        response = await self._handle(scope, receive)
        await response(scope, receive, send)

    async def _handle(self, scope: Scope, receive: Receive) -> Response:
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None and not length.isdigit():
            return error_response(400, "invalid Content-Length header")
        try:
            if length is not None and int(length) > self.max_bytes:
                raise _TooLarge
            scheme, _, key = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
            await self.keys.principal(key.strip() or None if scheme.lower() == "bearer" else None, "events:write")
            raw = parse_json(await self._body(receive))
            events = self.service.check_events(raw)
            answers = await asyncio.wrap_future(self.batcher.submit(events))
        except _TooLarge:
            return error_response(413, f"request body too large: the limit is {self.max_bytes} bytes "
                                       "(split batches of events)")
        except ClearspaceError as exc:
            return clearspace_error_response(exc)
        except Exception as exc:  # noqa: BLE001 - never a bare 500 page
            return error_response(500, f"internal error ({type(exc).__name__}); see the server log")
        body = {"results": answers} if isinstance(raw, list) else answers[0]
        return Response(orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS), media_type="application/json")

    async def _body(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise InputError("the client disconnected before sending the whole body")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


