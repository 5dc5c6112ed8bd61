"""The hot paths: ``POST /v1/events`` and ``POST /v1/shield/check`` answered straight from ASGI,
skipping routing and dependencies.

Ingest is the one endpoint that has to sustain hundreds of requests per second, and FastAPI's
per-request machinery costs about as much CPU as scoring one event. This middleware handles
exactly that method and path with the same checks (key and role, rate limit, body size, JSON,
event fields) and the same error shape; the FastAPI route stays as its documented twin (it is
what ``/openapi.json`` describes) and behaves identically.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future
from typing import Any
from urllib.parse import parse_qs

import orjson
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clearspace.api.auth import KeyCache
from clearspace.api.edge import TooLarge, read_body
from clearspace.api.errors import clearspace_error_response, error_response, internal_error
from clearspace.api.jsonio import parse_json
from clearspace.errors import ClearspaceError
from clearspace.protection.shield import SURFACE_OF, Interaction
from clearspace.service.batcher import Batcher
from clearspace.service.bus_node import BusNode, wait_ms
from clearspace.service.core import Service

PATH = "/v1/events"


class EventsFastPath:
    """Serves ``POST /v1/events``; every other request goes on to ``app``."""

    def __init__(self, app: ASGIApp, *, service: Service, batcher: Batcher[Any, Any], keys: KeyCache,
                 max_bytes: int, node: BusNode | None = None) -> None:
        self.app = app
        self.service = service
        self.batcher = batcher
        self.node = node  # bus mode: publish instead of deciding here
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
                raise TooLarge
            scheme, _, key = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
            await self.keys.principal(key.strip() or None if scheme.lower() == "bearer" else None, "events:write")
            raw = parse_json(await self._body(receive))
            events = self.service.ingest.check(raw)
            if self.node is not None:
                query = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("wait", [""])[-1]
                status, published = await self.node.accept(raw, events, wait_ms(query))
                return Response(orjson.dumps(published, option=orjson.OPT_NON_STR_KEYS), status_code=status,
                                media_type="application/json")
            answers = await asyncio.wrap_future(self.batcher.submit(events))
        except TooLarge:
            return error_response(413, f"request body too large: the limit is {self.max_bytes} bytes "
                                       "(split batches of events)")
        except ClearspaceError as exc:
            return clearspace_error_response(exc)
        except Exception as exc:  # noqa: BLE001 - never a bare 500 page
            return internal_error(exc, f"POST {PATH}")
        body = {"results": answers} if isinstance(raw, list) else answers[0]
        return Response(orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS), media_type="application/json")

    async def _body(self, receive: Receive) -> bytes:
        return await read_body(receive, self.max_bytes)






CHECK_PATH = "/v1/shield/check"
HOLD_WAIT_S = 0.002
"""How long ``/v1/shield/check`` waits for a held interaction's commit before answering anyway."""
log = logging.getLogger("clearspace.api")
CHECK_FIELDS = frozenset({"account", "author", "surface", "author_follows", "follows_author", "followed_since",
                          "hostility", "item_id", "text"})
CHECK_SURFACES = frozenset(SURFACE_OF)
_VERDICT_BODIES: dict[tuple[str, str], bytes] = {}


def _plain_check(obj: Any, max_text: int) -> tuple[str, Interaction, str, str] | None:
    """The common, well-typed ``/v1/shield/check`` body; None for anything else (the route answers it)."""
    if type(obj) is not dict or not obj.keys() <= CHECK_FIELDS:
        return None
    get = obj.get
    account, author, surface = get("account"), get("author"), get("surface")
    follows, followed = get("author_follows", False), get("follows_author", False)
    since, hostility = get("followed_since"), get("hostility")
    item_id, text = get("item_id", ""), get("text", "")
    if not (type(account) is str and 0 < len(account) <= 200 and type(author) is str and 0 < len(author) <= 200
            and type(surface) is str and surface in CHECK_SURFACES and type(follows) is bool
            and type(followed) is bool and type(item_id) is str and len(item_id) <= 200 and type(text) is str
            and len(text) <= max_text):
        return None
    if "\x00" in account or "\x00" in author or "\x00" in item_id or "\x00" in text:
        return None  # cannot be stored: the route (through the Edge middleware) answers 400
    if since is not None:
        if type(since) not in (int, float):
            return None
        since = float(since)
    if hostility is not None:
        if type(hostility) not in (int, float) or not 0 <= hostility <= 1:
            return None
        hostility = float(hostility)
    return account, Interaction(author, surface, follows, followed, since, hostility), item_id, text


def _verdict_body(action: str, reason: str) -> bytes:
    body = _VERDICT_BODIES.get((action, reason))
    if body is None:
        body = _VERDICT_BODIES[(action, reason)] = orjson.dumps({"action": action, "reason": reason})
    return body


class ShieldCheckFast:
    """Serves ``POST /v1/shield/check`` in the event loop: key from the cache, shield from the
    in-memory mirror (:class:`~clearspace.service.shield_cache.ShieldCache`, refreshed by a
    background thread), held interactions written in batches by ``holds``. A body that is not the
    plain, well-typed case goes on to the FastAPI route, which answers it (422 and its message)."""

    def __init__(self, app: ASGIApp, *, service: Service, holds: Batcher[Any, Any], keys: KeyCache,
                 max_bytes: int) -> None:
        self.app = app
        self.service = service
        self.holds = holds
        self.keys = keys
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != CHECK_PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is None or not length.isdigit() or int(length) > self.max_bytes:
            await self.app(scope, receive, send)  # the route (and the Edge middleware) answer the unusual cases
            return
        try:
            scheme, _, key = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
            await self.keys.principal(key.strip() or None if scheme.lower() == "bearer" else None, "score")
            body = await read_body(receive, self.max_bytes)
        except TooLarge:
            response: Response = error_response(413, f"request body too large: the limit is {self.max_bytes} bytes")
            await response(scope, receive, send)
            return
        except ClearspaceError as exc:
            await clearspace_error_response(exc)(scope, receive, send)
            return
        try:
            plain = _plain_check(orjson.loads(body), self.service.settings.max_text_chars)
        except orjson.JSONDecodeError:
            plain = None
        if plain is None:
            await self.app(scope, _replay(body), send)
            return
        account, interaction, item_id, text = plain
        try:
            verdict = self.service.protection.verdict(account, interaction, refresh=False)
            if verdict.action == "hold":
                row = self.service.protection.held_row(account, interaction, verdict, item_id, text)
                await self._store(row)
                content = orjson.dumps({**verdict.to_dict(), "held_id": row["id"]})
            else:
                content = _verdict_body(verdict.action, verdict.reason)
        except ClearspaceError as exc:
            await clearspace_error_response(exc)(scope, receive, send)
            return
        except Exception as exc:  # noqa: BLE001 - never a bare 500 page
            await internal_error(exc, f"POST {CHECK_PATH}")(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(content))]})
        await send({"type": "http.response.body", "body": content})


    async def _store(self, row: Any) -> None:
        """Queue the held row for the writer thread and wait for its commit, but at most
        ``HOLD_WAIT_S``: a commit slower than that (a disk busy with a checkpoint) finishes after
        the answer. A write that fails within the wait is an error answer; one that fails later is
        logged (the item is then missing from the folder)."""
        future = self.holds.submit([row])
        future.add_done_callback(_log_failed_hold)
        if future.done():
            future.result()
            return
        waiter = asyncio.wrap_future(future)
        try:
            await asyncio.wait_for(asyncio.shield(waiter), HOLD_WAIT_S)
        except TimeoutError:
            waiter.add_done_callback(_consume)


def _log_failed_hold(future: Future[Any]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("a held interaction could not be stored: %s", future.exception(), exc_info=future.exception())


def _consume(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()  # retrieved: no "exception was never retrieved" warning


def _replay(body: bytes) -> Receive:
    """A ``receive`` that hands the already-read body to the next app once."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive
