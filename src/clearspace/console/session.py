"""Console sessions: a signed, expiring cookie naming the session and the API key it was opened with.

The cookie holds no secret, only a JSON body (session id, key id, role, name, expiry; any character
in a key's name is fine) and an HMAC over it. Every request checks the signature, the expiry, that
the session is still open in the store (sign-out ends it there, for every process) and that the key
is still active, so revoking a key ends its console sessions at once. Forms carry a CSRF token bound
to the session; error details shown after a redirect carry an HMAC bound to it too (:meth:`Sessions.seal`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
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
    sid: str = ""

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

    def issue(self, key_id: str, role: str, name: str, now: float | None = None, sid: str | None = None) -> str:
        """A cookie for a new session ``sid`` (default: a fresh random id) of key ``key_id``."""
        expires = (time.time() if now is None else now) + self.lifetime
        body = {"sid": sid or new_sid(), "key_id": key_id, "role": role, "name": name, "exp": round(expires)}
        encoded = base64.urlsafe_b64encode(json.dumps(body, ensure_ascii=True).encode()).decode()
        return f"{encoded}.{self._mac(encoded)}"

    def read(self, cookie: str | None, now: float | None = None) -> Session:
        """The session in ``cookie``; Unauthenticated when missing, forged or expired."""
        if not cookie or "." not in cookie:
            raise Unauthenticated("sign in first")
        body, _, mac = cookie.rpartition(".")
        if not hmac.compare_digest(mac, self._mac(body)):
            raise Unauthenticated("the session cookie is not valid; sign in again")
        try:
            data = json.loads(base64.urlsafe_b64decode(body.encode()).decode())
            session = Session(key_id=str(data["key_id"]), role=str(data["role"]), name=str(data["name"]),
                              expires=float(data["exp"]), sid=str(data["sid"]))
        except (ValueError, UnicodeDecodeError, KeyError, TypeError) as exc:
            raise Unauthenticated("the session cookie is not valid; sign in again") from exc
        if session.expires <= (time.time() if now is None else now):
            raise Unauthenticated("the session has expired; sign in again")
        return session

    def seal(self, cookie: str, text: str) -> str:
        """A tag that lets this session, and only it, show ``text`` from a URL (an error's detail)."""
        return self._mac(f"detail:{cookie}:{text}")[:32]

    def check_seal(self, cookie: str, text: str, tag: str | None) -> bool:
        return bool(cookie) and bool(tag) and hmac.compare_digest(self.seal(cookie, text), tag or "")

    def csrf(self, cookie: str) -> str:
        """The token forms of this session must send back."""
        return self._mac(f"csrf:{cookie}")[:32]

    def check_csrf(self, cookie: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf(cookie), token or "")


def new_sid() -> str:
    """A new session id (128 random bits)."""
    return secrets.token_urlsafe(16)
