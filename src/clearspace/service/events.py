"""Checking incoming events (fields in DESIGN.md); unknown fields are kept as context."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import orjson

from clearspace.errors import InputError
from clearspace.service.clock import iso, parse_time
from clearspace.service.storable import check_value

EVENT_TYPES: Final = frozenset({"post", "reply", "comment", "dm", "danmaku", "livechat", "mention", "repost"})
SURFACES: Final = frozenset({"post", "comment", "dm", "danmaku", "livechat"})
ID_FIELDS: Final = ("author", "target_user", "parent", "reporter")
BOOL_FIELDS: Final = ("minor", "author_follows_target", "author_verified", "monetized")
COUNT_FIELDS: Final = ("author_followers",)
"""Whole numbers of 0 or more (reach, issue 16)."""
TEXT_FIELDS: Final = ("organization",)
"""Short names (an MCN or agency, issue 16), checked like ids."""
MAX_COUNT: Final = 10**12
TIME_FIELDS: Final = ("ts", "author_created_at")
MAX_ID_CHARS: Final = 200
MAX_CONTEXT_BYTES: Final = 65_536
"""Largest size of an event's fields other than ``text``, as JSON (unknown fields are stored as context)."""


@dataclass(frozen=True, slots=True)
class Event:
    """A checked event: ``context`` holds every field but ``text`` (unknown ones included)."""

    id: str
    type: str
    text: str
    context: dict[str, Any]

    def get(self, name: str) -> Any:
        return self.context.get(name)


def _ident(value: Any, name: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError(f"'{name}' must be a string (or integer), got {type(value).__name__}")
    text = str(value)
    if "\x00" in text:
        raise InputError(f"'{name}' must not contain NUL characters")
    if not text or len(text) > MAX_ID_CHARS:
        raise InputError(f"'{name}' must be 1 to {MAX_ID_CHARS} characters long")
    return text


def check_count(value: Any, name: str) -> int:
    """A follower count: a whole number from 0 to 10^12 (not a bool, not a float, not text)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"'{name}' must be a whole number of 0 or more, got {type(value).__name__}")
    if not 0 <= value <= MAX_COUNT:
        raise InputError(f"'{name}' must be between 0 and {MAX_COUNT}, got {value}")
    return value


def _not_text(value: Any, name: str) -> str:
    raise InputError(f"'{name}' must be a string, got {type(value).__name__}")


def check_length(text: str, max_text_chars: int, name: str = "text") -> str:
    """``text`` when it is at most ``max_text_chars`` long (the one text limit of every endpoint), else InputError."""
    if len(text) > max_text_chars:
        raise InputError(f"'{name}' is longer than {max_text_chars} characters (setting max_text_chars)")
    return text


def parse_event(raw: Any, *, max_text_chars: int) -> Event:
    """Check one event object; raises InputError with a message naming the field."""
    if not isinstance(raw, Mapping):
        raise InputError(f"an event must be a JSON object, got {type(raw).__name__}")
    if "id" not in raw:
        raise InputError("missing field 'id' (events are idempotent by id, so every event needs one)")
    context: dict[str, Any] = {k: v for k, v in raw.items() if k != "text"}
    context["id"] = _ident(raw["id"], "id")
    kind = raw.get("type", "post")
    if not isinstance(kind, str) or kind not in EVENT_TYPES:
        raise InputError(f"'type' must be one of {', '.join(sorted(EVENT_TYPES))} (reports go to /v1/reports)")
    context["type"] = kind
    text = raw.get("text")
    if not isinstance(text, str):
        problem = "missing field 'text'" if text is None else f"'text' must be a string, got {type(text).__name__}"
        raise InputError(problem)
    check_length(text, max_text_chars)
    if "\x00" in text:
        raise InputError("'text' must not contain NUL characters")
    for name in ID_FIELDS:
        if raw.get(name) is not None:
            context[name] = _ident(raw[name], name)
    for name in BOOL_FIELDS:
        if raw.get(name) is not None and not isinstance(raw[name], bool):
            raise InputError(f"'{name}' must be true or false, got {type(raw[name]).__name__}")
    for name in COUNT_FIELDS:
        if raw.get(name) is not None:
            context[name] = check_count(raw[name], name)
    for name in TEXT_FIELDS:
        if raw.get(name) is not None:
            context[name] = _ident(raw[name], name) if isinstance(raw[name], str) else _not_text(raw[name], name)
    for name in TIME_FIELDS:
        if raw.get(name) is not None:
            context[name] = iso(parse_time(raw[name], name))
    surface = raw.get("surface")
    if surface is not None and (not isinstance(surface, str) or surface not in SURFACES):
        raise InputError(f"'surface' must be one of {', '.join(sorted(SURFACES))}")
    if raw.get("lang") is not None and not isinstance(raw["lang"], str):
        raise InputError("'lang' must be a language code such as 'zh' or 'en'")
    check_value(context, "event")  # everything stored as context: NUL, nesting, types (service/storable.py)
    if len(orjson.dumps(context)) > MAX_CONTEXT_BYTES:
        raise InputError(f"the event's fields other than 'text' take more than {MAX_CONTEXT_BYTES} bytes as JSON")
    return Event(id=context["id"], type=kind, text=text, context=context)


def parse_events(raw: Any, *, max_text_chars: int, max_batch: int) -> list[Event]:
    """One event or a list of them; an error names the index of the bad item."""
    items: Sequence[Any] = raw if isinstance(raw, list) else [raw]
    if not items:
        raise InputError("the batch is empty: send one event object or a list of them")
    if len(items) > max_batch:
        raise InputError(f"a batch may hold at most {max_batch} events, got {len(items)}")
    out = []
    for i, item in enumerate(items):
        try:
            out.append(parse_event(item, max_text_chars=max_text_chars))
        except InputError as exc:
            raise InputError(f"event {i}: {exc}" if isinstance(raw, list) else str(exc)) from exc
    return out
