"""One exception tree for clearspace.

::

    ClearspaceError
    ├── InputError            bad input from a caller (wrong type, invalid UTF-8, too large)
    ├── PolicyError           a policy file that does not validate (carries file:line:col)
    ├── LexiconError          a lexicon data file that cannot be parsed
    ├── ModelError            model weights missing, corrupt or incompatible
    └── DatasetError          an evaluation/training dataset is missing or malformed
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
