"""Protection work that is not an answer to one request: expiry reminders, prompts, evidence keys.

* **Expiry reminders**: a shield's reminder time is ``max(starts_at, expires_at - reminder_s)``
  (24 hours before expiry by default). :func:`send_reminders` finds the shields in force whose
  reminder time has passed and that were not reminded, and for each one records a notification
  (kind ``shield_expiry_reminder``), a webhook message (topic ``protection.expiry_reminder``) and
  an audit event, and sets the shield's ``reminded_at``, all in one transaction. The update is
  conditional on ``reminded_at`` still being empty, so each activation is reminded exactly once
  however many processes run the job; turning protection on again (a new activation) clears it.
* **Prompts**: what the protected person's platform shows them: risk prompts and expiry reminders.
* **Evidence key**: the Ed25519 key that signs evidence bundles served over the API.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Any, Final

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from clearspace.protection.evidence import generate_key, load_key
from clearspace.service import shields
from clearspace.service.incidents import RISK_PROMPT, iso_ts
from clearspace.service.settings import Settings
from clearspace.service.unit import Unit
from clearspace.store import Op, Store, Tx, is_postgres_url

REMINDER: Final = "shield_expiry_reminder"
REMINDER_TOPIC: Final = "protection.expiry_reminder"
PROMPT_KINDS: Final = (RISK_PROMPT, REMINDER)
PG_KEY_FILE: Final = "clearspace-evidence.pem"


def send_reminders(unit: Unit, now: float, limit: int = 1000) -> list[dict[str, Any]]:
    """Remind every shield that is due (once per activation); returns the reminders sent."""
    sent = []
    for row in shields.due_reminders(unit.tx, now, limit):
        if not shields.mark_reminded(unit, row):
            continue
        expires = float(row["expires_at"])
        payload = {"type": "expiry_reminder", "account": row["account"], "expires_at": expires,
                   "expires_at_iso": iso_ts(expires), "hours_left": round(max(0.0, expires - now) / 3600, 2),
                   "activated_by": row["activated_by"],
                   "offer": {"action": "extend", "days": 7, "surfaces": list(row["surfaces"]),
                             "audience": row["audience"]},
                   "message": {"en": "Your protection ends soon. Keep it on for another 7 days?",
                               "zh": "你的防护即将到期，需要再延长 7 天吗？"}}
        unit.notify(row["account"], REMINDER, payload)  # also webhook topic "notification"
        unit.emit(REMINDER_TOPIC, {"recipient": row["account"], **payload})
        unit.log("shield.reminded", "protection", row["account"], {"expires_at": expires})
        sent.append(payload)
    return sent


def prompts(tx: Tx, account: str, limit: int = 100) -> list[dict[str, Any]]:
    """Risk prompts and expiry reminders left for ``account``, newest first."""
    rows = tx.select("notifications", {"recipient": account, "kind": Op("in", list(PROMPT_KINDS))},
                     order_by=["-created_at", "-id"], limit=limit)
    return [{"id": r["id"], "kind": r["kind"], "created_at": r["created_at"], **r["payload"]} for r in rows]


# ---------------------------------------------------------------------------------------- evidence key
def key_path(settings: Settings, store: Store) -> Path | None:
    """Where the evidence signing key lives: ``evidence_key``, else next to the SQLite file
    (``<db>.evidence.pem``), else ``./clearspace-evidence.pem`` for PostgreSQL; None for an
    in-memory database (a key for this process only)."""
    if settings.evidence_key:
        return Path(settings.evidence_key)
    path = getattr(store, "path", None)
    if isinstance(path, str) and path and path != ":memory:" and not is_postgres_url(path):
        return Path(f"{path}.evidence.pem")
    if is_postgres_url(settings.db) or getattr(store, "url", None):
        return Path(PG_KEY_FILE)
    return None


def derive_secret(key: Ed25519PrivateKey, purpose: bytes) -> str:
    """A secret for ``purpose`` derived from ``key`` (HMAC-SHA256 keyed with its raw private bytes)."""
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return hmac.new(raw, purpose, hashlib.sha256).hexdigest()


def load_or_create(path: Path | None) -> Ed25519PrivateKey:
    """The key at ``path``, created (mode 0600) if it does not exist yet; several processes
    starting at once agree on one key (the file is linked into place atomically)."""
    if path is None:
        return generate_key()
    if path.exists():
        return load_key(path)
    key = generate_key()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return load_key(path)
    finally:
        tmp.unlink(missing_ok=True)
    return key
