"""Fast JSON in and out: request bodies parsed with orjson (strict UTF-8), orjson responses."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Request
from starlette.responses import JSONResponse

from clearspace.errors import InputError


class FastJSON(JSONResponse):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


async def read_json(request: Request) -> Any:
    """The parsed body; InputError for an empty body, invalid UTF-8 or invalid JSON."""
    return parse_json(await request.body())


def parse_json(body: bytes) -> Any:
    """A request body parsed as JSON; InputError for an empty body, invalid UTF-8 or invalid JSON."""
    if not body.strip():
        raise InputError("the request body is empty; send a JSON object")
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"the request body is not valid JSON in UTF-8: {exc}") from exc
