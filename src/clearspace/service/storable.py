"""What may be stored: one check, run at the edge before anything is batched or written.

Both stores keep text and JSON; PostgreSQL refuses a NUL character in either, orjson cannot
write JSON nested deeper than 255 levels, and a BIGINT column holds 64 bits. A value that breaks
one of these rules would fail only at the write, inside a transaction shared with other requests
(the ingest batcher merges requests), so every value a caller sends is checked here first and
refused with an :class:`~clearspace.errors.InputError` naming where it is:

- no NUL character in any string, object key or path segment;
- JSON types only (objects with string keys, arrays, strings, finite numbers, booleans, null);
- nesting at most :data:`MAX_DEPTH` levels;
- integers within 64 bits (signed);
- object keys at most :data:`MAX_KEY_CHARS` characters.

The HTTP API runs :func:`check_value` on every JSON or form body, path and query string
(:mod:`clearspace.api.edge`); :func:`clearspace.service.events.parse_event` runs it on each event.
"""

from __future__ import annotations

import math
from typing import Any, Final

from clearspace.errors import InputError

MAX_DEPTH: Final = 32
"""Deepest nesting of objects and arrays accepted in a request body (or an event's fields)."""
MAX_KEY_CHARS: Final = 200
"""Longest object key accepted."""
INT_MIN: Final = -(2**63)
INT_MAX: Final = 2**63 - 1


def check_text(text: str, where: str) -> str:
    """``text`` unchanged; InputError when it holds a NUL character."""
    if "\x00" in text:
        raise InputError(f"{where} must not contain NUL characters")
    return text


def check_value(value: Any, where: str = "body", *, max_depth: int = MAX_DEPTH) -> Any:
    """``value`` unchanged when it can be stored as it is; InputError naming the first problem.

    Iterative (a hostile body nested a thousand levels deep costs no recursion)."""
    stack: list[tuple[Any, str, int]] = [(value, where, 0)]
    while stack:
        item, at, depth = stack.pop()
        kind = type(item)
        if kind is str:
            check_text(item, at)
        elif kind is dict:
            if depth >= max_depth:
                raise InputError(f"{at}: nested more than {max_depth} levels deep")
            for key, inner in item.items():
                if type(key) is not str:
                    raise InputError(f"{at}: object keys must be strings")
                if len(key) > MAX_KEY_CHARS:
                    raise InputError(f"{at}: a key is longer than {MAX_KEY_CHARS} characters")
                check_text(key, f"{at}: a key")
                stack.append((inner, f"{at}.{key[:40]}", depth + 1))
        elif kind is list or kind is tuple:
            if depth >= max_depth:
                raise InputError(f"{at}: nested more than {max_depth} levels deep")
            stack.extend((inner, f"{at}[{i}]", depth + 1) for i, inner in enumerate(item))
        elif kind is int:
            if not INT_MIN <= item <= INT_MAX:
                raise InputError(f"{at}: integer out of the 64-bit range")
        elif kind is float:
            if not math.isfinite(item):
                raise InputError(f"{at}: numbers must be finite")
        elif item is not None and kind is not bool:
            raise InputError(f"{at}: {kind.__name__} is not a JSON value")
    return value
