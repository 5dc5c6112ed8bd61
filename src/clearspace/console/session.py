"""Console sessions: a signed, expiring cookie naming the API key the moderator signed in with.

The cookie holds no secret, only ``key_id|role|name|expiry`` and an HMAC over it. Every request
checks the signature, the expiry and that the key is still active in the store, so revoking a key
ends its console sessions at once. Forms carry a CSRF token bound to the session.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Final

from clearspace.errors import Unauthenticated

COOKIE: Final = "cs_console"
LIFETIME_SECONDS: Final = 12 * 3600.0


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in moderator: the API key's id, role and name, and when the session ends."""

    key_id: str
    role: str
    name: str
    expires: float

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.name}"


class Sessions:
    """Issues and checks session cookies and CSRF tokens with one server secret."""

    def __init__(self, secret: str | None = None, lifetime: float = LIFETIME_SECONDS) -> None:
        self._secret = (secret or secrets.token_hex(32)).encode()
        self.lifetime = lifetime

    def _mac(self, message: str) -> str:
        return hmac.new(self._secret, message.encode(), hashlib.sha256).hexdigest()

    def issue(self, key_id: str, role: str, name: str, now: float | None = None) -> str:
        expires = (time.time() if now is None else now) + self.lifetime
        body = base64.urlsafe_b64encode(f"{key_id}|{role}|{name}|{expires:.0f}".encode()).decode()
        return f"{body}.{self._mac(body)}"

    def read(self, cookie: str | None, now: float | None = None) -> Session:
        """The session in ``cookie``; Unauthenticated when missing, forged or expired."""
        if not cookie or "." not in cookie:
            raise Unauthenticated("sign in first")
        body, _, mac = cookie.rpartition(".")
        if not hmac.compare_digest(mac, self._mac(body)):
            raise Unauthenticated("the session cookie is not valid; sign in again")
        try:
            key_id, role, name, expires = base64.urlsafe_b64decode(body.encode()).decode().split("|", 3)
            ends = float(expires)
        except (ValueError, UnicodeDecodeError) as exc:
            raise Unauthenticated("the session cookie is not valid; sign in again") from exc
        if ends <= (time.time() if now is None else now):
            raise Unauthenticated("the session has expired; sign in again")
        return Session(key_id=key_id, role=role, name=name, expires=ends)

    def csrf(self, cookie: str) -> str:
        """The token forms of this session must send back."""
        return self._mac(f"csrf:{cookie}")[:32]

    def check_csrf(self, cookie: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf(cookie), token or "")
