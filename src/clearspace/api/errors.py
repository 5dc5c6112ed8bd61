"""Every error the API answers has one JSON shape, Perspective's:

``{"error": {"code": 400, "status": "INVALID_ARGUMENT", "message": "..."}}``
"""

from __future__ import annotations

import logging
from typing import Any, Final

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from clearspace.errors import (
    BusUnavailable,
    ClearspaceError,
    Conflict,
    InputError,
    NotFound,
    PermissionDenied,
    RateLimited,
    StoreError,
    Unauthenticated,
)

STATUS_NAMES: Final = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
                       405: "METHOD_NOT_ALLOWED", 409: "ABORTED", 413: "PAYLOAD_TOO_LARGE", 415: "INVALID_ARGUMENT",
                       422: "INVALID_ARGUMENT", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}
CODES: Final[tuple[tuple[type[ClearspaceError], int], ...]] = (
    (InputError, 400), (NotFound, 404), (Conflict, 409), (Unauthenticated, 401), (PermissionDenied, 403),
    (RateLimited, 429), (StoreError, 503), (BusUnavailable, 503),
)

log = logging.getLogger("clearspace.api")


class BodyTooLarge(ClearspaceError):
    """The request body is larger than the server accepts."""


def error_response(code: int, message: str, headers: dict[str, str] | None = None) -> Response:
    body = {"error": {"code": code, "status": STATUS_NAMES.get(code, "INVALID_ARGUMENT"), "message": message}}
    return Response(orjson.dumps(body), status_code=code, media_type="application/json", headers=headers)


def _clearspace(_: Request, exc: Exception) -> Response:
    return clearspace_error_response(exc)


def clearspace_error_response(exc: Exception) -> Response:
    """The response for any :class:`~clearspace.errors.ClearspaceError` (status from its class)."""
    if isinstance(exc, BodyTooLarge):
        return error_response(413, str(exc))
    code = next((c for kind, c in CODES if isinstance(exc, kind)), 400)
    if code >= 500:
        log.error("answered %d: %s: %s", code, type(exc).__name__, exc, exc_info=exc)
    headers = ({"Retry-After": str(max(1, round(exc.retry_after)))} if isinstance(exc, RateLimited | BusUnavailable)
               else None)
    if code == 401:
        headers = {"WWW-Authenticate": "Bearer"}
    return error_response(code, "\n".join([str(exc), *getattr(exc, "__notes__", ())]), headers)  # every problem


def _location(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body",)]
    return ".".join(parts) or "body"


def _validation(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if any(e.get("type") == "json_invalid" for e in exc.errors()):
        return error_response(400, "the request body is not valid JSON in UTF-8")
    problems = [f"{_location(tuple(e.get('loc', ())))}: {e.get('msg', 'invalid')}" for e in exc.errors()[:10]]
    return error_response(422, "invalid request: " + "; ".join(problems))


def _http(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, str(exc.detail), dict(exc.headers or {}) or None)


def _unexpected(request: Request, exc: Exception) -> Response:
    return internal_error(exc, f"{request.method} {request.url.path}")


def internal_error(exc: BaseException, where: str) -> Response:
    """The 500 answer for an unexpected error, logged with its traceback (the answer says to look there)."""
    log.error("answered 500 to %s: %s: %s", where, type(exc).__name__, exc, exc_info=exc)
    return error_response(500, f"internal error ({type(exc).__name__}); see the server log")


def install(app: FastAPI) -> None:
    app.add_exception_handler(ClearspaceError, _clearspace)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
