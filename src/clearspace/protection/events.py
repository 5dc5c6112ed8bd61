"""The event model the protection detectors read (fields as in DESIGN.md).

``ts`` is ISO 8601 or epoch seconds; an optional ``scores`` mapping (as produced by
:meth:`clearspace.engine.Engine.score`) lets replay run without the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from clearspace.errors import InputError

HOSTILE_KEYS: tuple[str, ...] = ("abuse", "threat", "incitement", "doxxing")
KNOWN_FIELDS = frozenset({
    "id", "type", "author", "text", "ts", "target_user", "parent", "surface", "lang",
    "author_created_at", "author_follows_target", "reporter", "minor", "scores", "link",
})


@dataclass(slots=True)
class Event:
    """One interaction. ``ts`` and ``author_created_at`` are epoch seconds."""

    id: str
    type: str
    author: str
    ts: float
    target: str | None = None
    parent: str | None = None
    surface: str = "post"
    text: str = ""
    author_created_at: float | None = None
    author_follows_target: bool | None = None
    reporter: str | None = None
    minor: bool = False
    link: str | None = None
    scores: dict[str, float] | None = None
    context: dict[str, Any] = field(default_factory=dict)

    def hostility(self, keys: tuple[str, ...] = HOSTILE_KEYS) -> float:
        """The highest hostile score (0 when the event carries no scores)."""
        scores = self.scores
        if not scores:
            return 0.0
        best = 0.0
        for k in keys:
            v = scores.get(k)
            if v is not None and v > best:
                best = v
        return float(best)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "type": self.type, "author": self.author, "ts": self.ts}
        for name in ("target", "parent", "text", "author_created_at", "author_follows_target",
                     "reporter", "link", "scores"):
            value = getattr(self, name)
            if value is not None and value != "":
                out["target_user" if name == "target" else name] = value
        out["surface"] = self.surface
        if self.minor:
            out["minor"] = True
        out.update(self.context)
        return out


def parse_ts(value: Any, name: str = "ts") -> float:
    """Epoch seconds from a number or an ISO 8601 string (naive times are UTC)."""
    if isinstance(value, bool):
        raise InputError(f"'{name}' must be ISO 8601 or epoch seconds, got a boolean")
    if isinstance(value, (int, float)):
        return _in_range(float(value), name)
    if isinstance(value, str):
        if value[:1].isdigit() and "-" not in value[1:] and ":" not in value:
            try:
                number = float(value)
            except ValueError:
                pass
            else:
                return _in_range(number, name)
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            ts = parsed.timestamp()
        except (ValueError, OverflowError):
            raise InputError(f"'{name}' is not ISO 8601 or epoch seconds: {value[:40]!r}") from None
        return _in_range(ts, name)
    raise InputError(f"'{name}' must be ISO 8601 or epoch seconds, got {type(value).__name__}")


EARLIEST_TS: Final = 0.0
"""1970-01-01 UTC: the earliest event time accepted (as the service's :mod:`~clearspace.service.clock`)."""
LATEST_TS: Final = 7258118400.0
"""2200-01-01 UTC: the first event time no longer accepted."""


def _in_range(ts: float, name: str) -> float:
    if not EARLIEST_TS <= ts < LATEST_TS:  # also NaN and infinities
        raise InputError(f"'{name}' must be a time between 1970-01-01 and 2200-01-01 UTC, got {ts}")
    return ts


def iso(ts: float) -> str:
    """ISO 8601 UTC text for epoch seconds (``2026-01-01T00:00:00Z``)."""
    text = datetime.fromtimestamp(ts, tz=UTC).isoformat()
    return text.replace("+00:00", "Z")


def _opt_str(obj: Mapping[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None or type(value) is str:
        return value
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value)
    raise InputError(f"'{key}' must be a string, got {type(value).__name__}")


def _scores(value: Any) -> dict[str, float] | None:
    if value is None:
        return None
    if type(value) is dict and all(type(v) is float for v in value.values()):
        return value
    if not isinstance(value, Mapping):
        raise InputError("'scores' must be an object of numbers")
    out: dict[str, float] = {}
    for k, v in value.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise InputError(f"'scores.{k}' must be a number")
        out[str(k)] = float(v)
    return out


_STR_OR_NONE = frozenset({str, type(None)})
_BOOL_OR_NONE = frozenset({bool, type(None)})
_NUM_OR_NONE = frozenset({float, int, type(None)})


def parse_event(obj: Any) -> Event:
    """An :class:`Event` from a decoded JSON object; :class:`InputError` says what is wrong."""
    fast = _parse_fast(obj) if type(obj) is dict else None
    return fast if fast is not None else _parse_checked(obj)


def _parse_fast(obj: dict[str, Any]) -> Event | None:
    """The common case (well-typed fields) without per-field error messages."""
    get = obj.get
    author, ts, created, scores = get("author"), get("ts"), get("author_created_at"), get("scores")
    eid, etype, target, parent = get("id"), get("type"), get("target_user"), get("parent")
    surface, link, reporter = get("surface"), get("link"), get("reporter")
    follows, text, minor = get("author_follows_target"), get("text", ""), get("minor", False)
    ok = _STR_OR_NONE
    if not (type(author) is str and type(eid) in ok and type(etype) in ok and type(target) in ok
            and type(parent) in ok and type(surface) in ok and type(link) in ok and type(reporter) in ok
            and type(text) is str and type(minor) is bool and type(follows) in _BOOL_OR_NONE
            and type(created) in _NUM_OR_NONE):
        return None
    tt = type(ts)
    if tt is str:
        ts = parse_ts(ts)
    elif tt is not float and tt is not int:
        return None
    if scores is not None:
        if type(scores) is not dict:
            return None
        for v in scores.values():
            if type(v) is not float:
                return None
    return Event(
        eid or "", etype or "post", author, float(ts), target, parent, surface or "post", text,  # type: ignore[arg-type]
        None if created is None else float(created), follows, reporter, minor, link, scores,
        {} if obj.keys() <= KNOWN_FIELDS else {k: v for k, v in obj.items() if k not in KNOWN_FIELDS},
    )


def _parse_checked(obj: Any) -> Event:
    if not isinstance(obj, Mapping):
        raise InputError(f"an event must be a JSON object, got {type(obj).__name__}")
    author = _opt_str(obj, "author")
    etype = _opt_str(obj, "type") or "post"
    reporter = _opt_str(obj, "reporter")
    if author is None:
        if etype == "report" and reporter is not None:
            author = reporter
        else:
            raise InputError("missing field 'author'")
    if "ts" not in obj:
        raise InputError("missing field 'ts'")
    raw_ts = obj["ts"]
    ts = float(raw_ts) if type(raw_ts) is float or type(raw_ts) is int else parse_ts(raw_ts)
    created = obj.get("author_created_at")
    follows = obj.get("author_follows_target")
    if follows is not None and not isinstance(follows, bool):
        raise InputError("'author_follows_target' must be true or false")
    text = obj.get("text", "")
    if not isinstance(text, str):
        raise InputError("'text' must be a string")
    return Event(
        id=_opt_str(obj, "id") or "",
        type=etype,
        author=author,
        ts=ts,
        target=_opt_str(obj, "target_user"),
        parent=_opt_str(obj, "parent"),
        surface=_opt_str(obj, "surface") or "post",
        text=text,
        author_created_at=(None if created is None else float(created) if type(created) is float
                           else parse_ts(created, "author_created_at")),
        author_follows_target=follows,
        reporter=reporter,
        minor=bool(obj.get("minor", False)),
        link=_opt_str(obj, "link"),
        scores=_scores(obj.get("scores")),
        context={k: v for k, v in obj.items() if k not in KNOWN_FIELDS},
    )
