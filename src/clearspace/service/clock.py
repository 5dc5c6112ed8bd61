"""Time for the service comes from an injected clock; timestamps are stored as ISO-8601 UTC text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

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


def iso(moment: datetime) -> str:
    """``2026-01-02T03:04:05.000000Z``: fixed width, so text order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(value: object, field: str) -> datetime:
    """An aware UTC datetime from ISO-8601 text or epoch seconds; InputError otherwise."""
    if isinstance(value, bool):
        raise InputError(f"'{field}' must be an ISO-8601 time or epoch seconds, got a boolean")
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(float(value), UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise InputError(f"'{field}' is not a valid epoch time: {value}") from exc
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
        except ValueError as exc:
            raise InputError(f"'{field}' is not an ISO-8601 time: {value[:40]!r}") from exc
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    raise InputError(f"'{field}' must be an ISO-8601 time or epoch seconds, got {type(value).__name__}")
