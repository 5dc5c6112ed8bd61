"""API keys, roles and what each role may do.

Keys look like ``cs_<id>_<secret>``; only the SHA-256 of the whole key is stored, so a
leaked database does not leak usable keys. The secret has 256 bits, so a plain hash is enough
(no slow password hash needed) and lookups stay fast.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final, TypedDict

from clearspace.errors import InputError, PermissionDenied, Unauthenticated
from clearspace.store import Row, Tx

ROLES: Final[tuple[str, ...]] = ("ingest", "moderator", "senior_moderator", "auditor", "admin")

PERMISSIONS: Final[Mapping[str, frozenset[str]]] = {
    "events:write": frozenset({"ingest", "admin"}),
    "score": frozenset({"ingest", "moderator", "senior_moderator", "admin"}),
    "reports:write": frozenset({"ingest", "moderator", "senior_moderator", "admin"}),
    "appeals:write": frozenset({"ingest", "moderator", "senior_moderator", "admin"}),
    "read": frozenset({"moderator", "senior_moderator", "auditor", "admin"}),
    "context:read": frozenset({"ingest", "moderator", "senior_moderator", "auditor", "admin"}),
    "notes:write": frozenset({"ingest", "moderator", "senior_moderator", "admin"}),
    "cases:work": frozenset({"moderator", "senior_moderator", "admin"}),
    "appeals:decide": frozenset({"moderator", "senior_moderator", "admin"}),
    "accounts:batch": frozenset({"senior_moderator", "admin"}),
    "audit:read": frozenset({"auditor", "admin"}),
    "transparency:read": frozenset({"auditor", "senior_moderator", "admin"}),
    "admin": frozenset({"admin"}),
    "training:label": frozenset({"moderator", "senior_moderator", "admin"}),
}
"""``permission -> roles that have it``; every endpoint names one permission."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the key's id, role, name and rate limit (requests per second)."""

    key_id: str
    role: str
    name: str
    rate_limit: float

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.name}"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def new_key(token: Callable[[int], str] = secrets.token_urlsafe) -> tuple[str, str]:
    """``(key_id, full key)``."""
    key_id = secrets.token_hex(4) if token is secrets.token_urlsafe else token(4)[:8]
    return key_id, f"cs_{key_id}_{token(32)}"


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    return role


def authenticate(tx: Tx, key: str | None) -> Principal:
    if not key:
        raise Unauthenticated("missing API key: send 'Authorization: Bearer KEY' (create one with "
                              "'clearspace keys create --role ROLE')")
    rows = tx.select("api_keys", {"hash": hash_key(key)}, limit=1)
    if not rows or rows[0]["revoked_at"]:
        raise Unauthenticated("unknown or revoked API key")
    return principal_of(rows[0])


def principal_of(row: Row) -> Principal:
    """The caller of an ``api_keys`` row."""
    return Principal(key_id=row["id"], role=row["role"], name=row["name"], rate_limit=float(row["rate_limit"]))


def authorize(principal: Principal, permission: str) -> None:
    authorize_role(principal.role, permission)


def authorize_role(role: str, permission: str) -> None:
    """PermissionDenied unless ``role`` has ``permission`` (for the console, whose viewer is a role)."""
    allowed = PERMISSIONS[permission]
    if role not in allowed:
        raise PermissionDenied(f"role '{role}' may not do this ({permission}); "
                               f"it needs one of: {', '.join(sorted(allowed))}")


class KeyRecord(TypedDict):
    """An API key as listed and answered (never the secret or its hash)."""

    id: str
    prefix: str
    role: str
    name: str
    rate_limit: float
    created_at: str
    revoked_at: str | None


def public_key(row: Row) -> KeyRecord:
    """A key as listed (never the secret or its hash)."""
    return {"id": row["id"], "prefix": row["prefix"], "role": row["role"], "name": row["name"],
            "rate_limit": row["rate_limit"], "created_at": row["created_at"], "revoked_at": row["revoked_at"]}
