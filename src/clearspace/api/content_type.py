"""One rule for request bodies: every JSON endpoint of the API reads its body as JSON whatever the
``Content-Type`` says (missing, ``application/json``, ``text/plain`` ...), as ``POST /v1/events`` and
the Perspective endpoint always have, so a client that forgets the header gets the same answer
everywhere."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

API_PREFIXES = ("/v1/", "/v1alpha1/")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
JSON = b"application/json"


def is_json(value: bytes) -> bool:
    """True for ``application/json`` and ``application/*+json`` (parameters such as charset allowed)."""
    kind = value.split(b";", 1)[0].strip().lower()
    return kind == JSON or (kind.startswith(b"application/") and kind.endswith(b"+json"))


class JsonBodies:
    """Marks the body of every API write request as JSON before routing (the console's forms are left alone)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] == "http" and scope["method"] in BODY_METHODS
                and str(scope["path"]).startswith(API_PREFIXES)):
            headers = [(k, v) for k, v in scope.get("headers") or [] if k != b"content-type" or is_json(v)]
            if not any(k == b"content-type" for k, _ in headers):
                headers.append((b"content-type", JSON))
                scope = {**scope, "headers": headers}
        await self.app(scope, receive, send)
