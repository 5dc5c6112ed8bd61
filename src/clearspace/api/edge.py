"""The edge: one ASGI middleware every routed request passes before FastAPI sees it.

- ``Content-Length`` that is not a number: 400; over ``max_bytes``: 413; a chunked body that
  grows past ``max_bytes`` while it streams in: 413 as well (FastAPI itself would turn the
  error raised inside its body reader into a 400).
- A NUL character in the path or the query string: 400.
- A JSON body (any content type, as the Perspective endpoint reads JSON whatever the type) or a
  form body that cannot be stored (:func:`clearspace.service.storable.check_value`: NUL
  characters in any string or key, nesting deeper than ``MAX_DEPTH``, integers past 64 bits): 400.

Everything else goes on unchanged; the body, read once here, is handed on to the app. The hot
paths (:mod:`clearspace.api.fastpath`) run the same checks themselves.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clearspace.api.errors import clearspace_error_response, error_response
from clearspace.errors import InputError
from clearspace.service.storable import check_text, check_value

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class TooLarge(Exception):
    """The request body grew past the limit."""


class Edge:
    """Refuses what cannot be stored before routing (see the module docstring)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and not length.isdigit():
            await error_response(400, "invalid Content-Length header")(scope, receive, send)
            return
        if length is not None and int(length) > self.max_bytes:
            await error_response(413, self.message())(scope, receive, send)
            return
        try:
            check_location(scope)
            if scope["method"] not in BODY_METHODS:
                await self.app(scope, receive, send)
                return
            body = await read_body(receive, self.max_bytes)
            check_body(body, headers.get(b"content-type", b""))
        except TooLarge:
            await error_response(413, self.message())(scope, receive, send)
            return
        except InputError as exc:
            await clearspace_error_response(exc)(scope, receive, send)
            return
        await self.app(scope, replay(body, receive), send)

    def message(self) -> str:
        return f"request body too large: the limit is {self.max_bytes} bytes (split batches of events)"


def check_location(scope: Scope) -> None:
    """InputError for a NUL character in the path (``%00``) or in any query key or value."""
    check_text(scope.get("path", ""), "the path")
    query = scope.get("query_string", b"")
    if query:
        for key, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            check_text(key, "a query parameter name")
            check_text(value, f"query parameter {key[:40]!r}")


def check_body(body: bytes, content_type: bytes) -> None:
    """InputError when a JSON or form body holds something that cannot be stored."""
    if not body.strip():
        return
    kind = content_type.split(b";")[0].strip().lower()
    if kind == b"application/x-www-form-urlencoded":
        for key, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
            check_text(key, "a form field name")
            check_text(value, f"form field {key[:40]!r}")
        return
    if kind.startswith(b"multipart/"):
        return
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return  # not JSON: the route answers with its own error
    check_value(parsed, "body")


async def read_body(receive: Receive, max_bytes: int) -> bytes:
    """The whole request body; TooLarge past ``max_bytes``."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise InputError("the client disconnected before sending the whole body")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the already-read body on once, then waits on the client as usual."""
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again
