"""Webhooks: messages written to the outbox in the deciding transaction, delivered after commit.

Each delivery is a POST of the JSON message with headers ``X-Clearspace-Topic``,
``X-Clearspace-Delivery`` (the message id, for de-duplication) and ``X-Clearspace-Signature:
t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the hook's secret>``. A failed
delivery is retried with exponential backoff (2, 4, 8 ... s, at most an hour) until
``Settings.webhook_max_attempts``; then it is marked failed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Final

import httpx
import orjson

from clearspace.errors import InputError
from clearspace.service.clock import iso
from clearspace.service.results_admin import WebhookAdded, WebhookView
from clearspace.store import Op, Row, Store
from clearspace.text.urls import is_web_url

TOPICS: Final = ("decision.made", "case.opened", "restriction.applied", "appeal.filed", "appeal.decided",
                 "notification", "label.applied", "label.withdrawn", "note.status", "protection.risk_prompt",
                 "protection.expiry_reminder", "audit.checkpoint", "accounts.monetization", "*")
MAX_BACKOFF_SECONDS: Final = 3600.0


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(secret: str, body: bytes, header: str) -> bool:
    """What a receiver runs: recompute the HMAC and compare in constant time."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    if "t" not in parts or "v1" not in parts or not parts["t"].isdigit():
        return False
    return hmac.compare_digest(sign(secret, body, int(parts["t"])), header)


def check_hook(url: str, topics: list[str]) -> None:
    if not is_web_url(url):
        raise InputError(f"webhook url must be an absolute http(s) URL, got {url!r}")
    unknown = [t for t in topics if t not in TOPICS]
    if unknown or not topics:
        raise InputError(f"topics must be a non-empty list of: {', '.join(TOPICS)}")


def new_hook(hook_id: str, url: str, topics: list[str], now: str, secret: str | None = None) -> WebhookAdded:
    """A webhook's row as stored and answered once (with its signing secret)."""
    check_hook(url, topics)
    return {"id": hook_id, "url": url, "secret": secret or secrets.token_hex(32), "topics": topics,
            "created_at": now, "active": True}


def public(row: Row) -> WebhookView:
    """A stored webhook as listed: every column but its secret, in table order."""
    return {"id": row["id"], "url": row["url"], "topics": row["topics"], "created_at": row["created_at"],
            "active": row["active"]}


def backoff(attempts: int) -> float:
    return float(min(MAX_BACKOFF_SECONDS, 2.0 ** attempts))


def deliver_due(store: Store, client: httpx.Client, now: datetime, max_attempts: int,
                limit: int = 100) -> dict[str, int]:
    """Try every outbox message that is due; returns counts of delivered, retried and failed."""
    ts = iso(now)
    with store.read() as tx:
        due = tx.select("outbox", {"delivered_at": None, "failed_at": None, "next_attempt_at": Op("<=", ts)},
                        order_by=["created_at"], limit=limit)
        hooks = {h["id"]: h for h in tx.select("webhooks", {"id": Op("in", sorted({m["webhook_id"] for m in due}))})}
    counts = {"delivered": 0, "retried": 0, "failed": 0}
    for message in due:
        error = _send(client, hooks.get(message["webhook_id"]), message, now)
        attempts = message["attempts"] + 1
        if error is None:
            changes: dict[str, Any] = {"attempts": attempts, "delivered_at": ts, "last_error": None}
            counts["delivered"] += 1
        elif attempts >= max_attempts:
            changes = {"attempts": attempts, "failed_at": ts, "last_error": error}
            counts["failed"] += 1
        else:
            changes = {"attempts": attempts, "last_error": error,
                       "next_attempt_at": iso(now + timedelta(seconds=backoff(attempts)))}
            counts["retried"] += 1
        with store.transaction() as tx:
            tx.update("outbox", {"id": message["id"]}, changes)
    return counts


def _send(client: httpx.Client, hook: Row | None, message: Row, now: datetime) -> str | None:
    if hook is None or not hook["active"]:
        return "webhook deleted or inactive"
    body = orjson.dumps(message["payload"])
    headers = {"Content-Type": "application/json", "X-Clearspace-Topic": message["topic"],
               "X-Clearspace-Delivery": message["id"], "X-Clearspace-Signature": sign(hook["secret"], body,
                                                                                      int(now.timestamp()))}
    try:
        response = client.post(hook["url"], content=body, headers=headers, timeout=5.0)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"[:500]
    return None if response.is_success else f"HTTP {response.status_code}"


class OutboxWorker:
    """A daemon thread that calls ``tick()`` every ``interval`` seconds until stopped."""

    def __init__(self, tick: Callable[[], object], interval: float = 1.0, name: str = "outbox") -> None:
        self.tick = tick
        self.interval = interval
        self.name = name
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> OutboxWorker:
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.tick()
            except Exception:  # noqa: BLE001 - keep delivering; errors are recorded per message
                continue

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=10)
