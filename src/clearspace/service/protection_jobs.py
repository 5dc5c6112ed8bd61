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
from typing import Final

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from clearspace.protection.evidence import generate_key, load_key
from clearspace.service import shields
from clearspace.service.incidents import RISK_PROMPT, iso_ts
from clearspace.service.results_protection import ExpiryReminder, PromptLocale, ReminderPrompt, RiskPromptView
from clearspace.service.settings import Settings
from clearspace.service.unit import Unit
from clearspace.store import Op, Row, Store, Tx, is_postgres_url

REMINDER: Final = "shield_expiry_reminder"
REMINDER_TOPIC: Final = "protection.expiry_reminder"
PROMPT_KINDS: Final = (RISK_PROMPT, REMINDER)
PG_KEY_FILE: Final = "clearspace-evidence.pem"
Prompt = RiskPromptView | ReminderPrompt
"""What the protected person's platform shows them: one type per prompt kind (``kind`` tells which)."""


def send_reminders(unit: Unit, now: float, limit: int = 1000) -> list[ExpiryReminder]:
    """Remind every shield that is due (once per activation); returns the reminders sent."""
    sent: list[ExpiryReminder] = []
    for row in shields.due_reminders(unit.tx, now, limit):
        if not shields.mark_reminded(unit, row):
            continue
        expires = float(row["expires_at"])
        payload: ExpiryReminder = {"type": "expiry_reminder", "account": row["account"], "expires_at": expires,
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


def prompts(tx: Tx, account: str, limit: int = 100) -> list[Prompt]:
    """Risk prompts and expiry reminders left for ``account``, newest first: each its notification's
    ``id``, ``kind`` and ``created_at``, then the fields of its payload as stored."""
    rows = tx.select("notifications", {"recipient": account, "kind": Op("in", list(PROMPT_KINDS))},
                     order_by=["-created_at", "-id"], limit=limit)
    return [risk_prompt_view(r) if r["kind"] == RISK_PROMPT else reminder_view(r) for r in rows]


def reminder_view(row: Row) -> ReminderPrompt:
    """A stored expiry reminder (:func:`send_reminders`) as :func:`prompts` lists it."""
    p = row["payload"]
    return {"id": row["id"], "kind": row["kind"], "created_at": row["created_at"], "type": p["type"],
            "account": p["account"], "expires_at": p["expires_at"], "expires_at_iso": p["expires_at_iso"],
            "hours_left": p["hours_left"], "activated_by": p["activated_by"], "offer": p["offer"],
            "message": p["message"]}


def risk_prompt_view(row: Row) -> RiskPromptView:
    """A stored risk prompt (:func:`clearspace.service.incidents.send_risk_prompt`) as :func:`prompts` lists it,
    its fields in the order they were stored (``lang`` and ``region`` only on prompts that have them)."""
    p = row["payload"]
    where: PromptLocale = {"lang": p["lang"], "region": p["region"]} if "lang" in p else {}
    return {"id": row["id"], "kind": row["kind"], "created_at": row["created_at"], "type": p["type"],
            "account": p["account"], "incident_id": p["incident_id"], "participants": p["participants"],
            "since": p["since"], "offer": p["offer"], "links": p["links"],
            "assisted_activation": p["assisted_activation"], "message": p["message"], **where,
            "detected_at": p["detected_at"], "protected": p["protected"]}


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
