"""Time for the service comes from an injected clock; timestamps are stored as ISO-8601 UTC text.

Every time the service stores is written by :func:`iso` in one fixed-width form
(``2026-01-02T03:04:05.000000Z``), so text order is time order and every stored time reads back.
Times from callers go through :func:`parse_time`, which accepts only ``[EARLIEST, LATEST)``
(1970-01-01 to 2200-01-01 UTC): ISO-8601 text with any offset, or epoch seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Final

from clearspace.errors import InputError

Clock = Callable[[], datetime]
"""Anything that returns the current time as an aware UTC ``datetime``."""


def system_clock() -> datetime:
    """The real time, in UTC."""
    return datetime.now(UTC)


class ManualClock:
    """A clock for tests and demos: starts at ``start`` and moves only when told to."""

    def __init__(self, start: datetime) -> None:
        self.current = start.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        """Move forward by ``timedelta(**delta)`` and return the new time."""
        self.current += timedelta(**delta)
        return self.current


EARLIEST: Final = datetime(1970, 1, 1, tzinfo=UTC)
"""The earliest time the service accepts from a caller (included)."""
LATEST: Final = datetime(2200, 1, 1, tzinfo=UTC)
"""The first time the service no longer accepts from a caller."""
_RANGE: Final = "between 1970-01-01 and 2200-01-01 UTC"


def iso(moment: datetime) -> str:
    """``2026-01-02T03:04:05.000000Z``: fixed width (the year always has four digits; ``strftime``
    writes year 614 as ``614``), so text order is time order and the text always reads back."""
    d = moment.astimezone(UTC)
    return (f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{d.hour:02d}:{d.minute:02d}:{d.second:02d}"
            f".{d.microsecond:06d}Z")


def parse_time(value: object, field: str) -> datetime:
    """An aware UTC datetime from ISO-8601 text or epoch seconds; InputError otherwise."""
    if isinstance(value, bool):
        raise InputError(f"'{field}' must be an ISO-8601 time or epoch seconds, got a boolean")
    if isinstance(value, int | float):
        if not EARLIEST.timestamp() <= value < LATEST.timestamp():  # also NaN and infinities
            raise InputError(f"'{field}' must be a time {_RANGE}, got epoch seconds {value}")
        return datetime.fromtimestamp(float(value), UTC)
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
            moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        except (ValueError, OverflowError) as exc:  # OverflowError: year 1 at +14:00 is before year 1 in UTC
            raise InputError(f"'{field}' is not an ISO-8601 time {_RANGE}: {value[:40]!r}") from exc
        if not EARLIEST <= moment < LATEST:
            raise InputError(f"'{field}' must be a time {_RANGE}, got {value[:40]!r}")
        return moment
    raise InputError(f"'{field}' must be an ISO-8601 time or epoch seconds, got {type(value).__name__}")
