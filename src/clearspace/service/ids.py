"""Identifiers for the records the service creates (``dec_…``, ``case_…``)."""

from __future__ import annotations

import secrets
from collections.abc import Callable

Token = Callable[[int], str]
"""``token(nbytes) -> hex text``; inject a seeded one for reproducible tests."""


class IdFactory:
    """Makes ids such as ``case_3f9a…`` from an injected token source (``secrets`` by default)."""

    def __init__(self, token: Token = secrets.token_hex) -> None:
        self.token = token

    def new(self, prefix: str) -> str:
        return f"{prefix}_{self.token(8)}"


def counter_token(start: int = 0) -> Token:
    """A deterministic token source for tests: 0000000000000001, 0000000000000002, ..."""
    state = [start]

    def token(nbytes: int) -> str:
        state[0] += 1
        return f"{state[0]:0{nbytes * 2}x}"

    return token
