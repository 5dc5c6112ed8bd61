"""One exception tree for clearspace.

::

    ClearspaceError
    ├── InputError            bad input from a caller (wrong type, invalid UTF-8, too large)
    ├── PolicyError           a policy file that does not validate (carries file:line:col)
    ├── LexiconError          a lexicon data file that cannot be parsed
    ├── ModelError            model weights missing, corrupt or incompatible
    ├── DatasetError          an evaluation/training dataset is missing or malformed
    ├── NotFound              the service has no such event, decision, case, appeal, key ...
    ├── Conflict              the request clashes with current state (lease held, already decided)
    ├── Unauthenticated       no API key, or an unknown or revoked one
    ├── PermissionDenied      the API key's role may not do this
    ├── RateLimited           the API key went over its rate limit (carries ``retry_after``)
    ├── StoreError            the database cannot be opened, migrated or written
    └── BusUnavailable        the message bus (NATS JetStream) cannot be reached (carries ``retry_after``)
"""

from __future__ import annotations


class ClearspaceError(Exception):
    """Base class of every error clearspace raises on purpose."""


class InputError(ClearspaceError, ValueError):
    """The caller gave input clearspace cannot score (wrong type, invalid UTF-8, too large)."""


class PolicyError(ClearspaceError):
    """A policy file failed validation. ``str()`` reads ``file:line:col: message``."""

    def __init__(self, message: str, *, source: str = "<policy>", line: int = 0, col: int = 0) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.col = col
        super().__init__(f"{source}:{line}:{col}: {message}")


class LexiconError(ClearspaceError):
    """A lexicon file could not be parsed."""


class ModelError(ClearspaceError):
    """Model weights are missing, corrupt or do not match this version of clearspace."""


class DatasetError(ClearspaceError):
    """A dataset folder or file needed for evaluation or training is missing or malformed."""


class NotFound(ClearspaceError, LookupError):
    """The service has no such event, decision, case, appeal, key or webhook."""


class Conflict(ClearspaceError):
    """The request clashes with the current state (a lease someone else holds, a closed case)."""


class Unauthenticated(ClearspaceError):
    """No API key was given, or the key is unknown or revoked."""


class PermissionDenied(ClearspaceError):
    """The API key's role does not allow this operation."""


class RateLimited(ClearspaceError):
    """The API key made more requests than its rate limit allows; retry after ``retry_after`` s."""

    def __init__(self, message: str, *, retry_after: float = 1.0) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class StoreError(ClearspaceError):
    """The database cannot be opened, migrated or written."""


class BusUnavailable(ClearspaceError):
    """The message bus (NATS JetStream, bus mode) did not store the message in time; nothing was
    accepted, so the caller may retry after ``retry_after`` seconds."""

    def __init__(self, message: str, *, retry_after: float = 1.0) -> None:
        self.retry_after = retry_after
        super().__init__(message)
