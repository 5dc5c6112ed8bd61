"""Caches across nodes in bus mode (issue 15 point 5): a change made on one node (a shield turned on
or off, an API key revoked, a model promoted or rolled back, a policy reloaded) is announced on the
core NATS subject ``<prefix>.cache.<topic>``, and every node applies it as soon as it arrives
(milliseconds, where polling the tables took up to ``model_check_seconds`` / ``policy_poll_seconds``
and the key cache's 5 s).

Announcements are fire-and-forget: a node that was disconnected catches up by itself (it refreshes
everything when it connects again, and the periodic checks of embedded mode still run as a fallback).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import Any, Final

import orjson

from clearspace.bus.jetstream import JetStreamBus
from clearspace.bus.loop import BusLoop
from clearspace.service.core import Service

TOPICS: Final = ("shields", "keys", "models", "policy")
log = logging.getLogger("clearspace.bus")


class CacheFeed:
    """Announces this node's changes and applies the other nodes' (``forget_key``: the API key cache's)."""

    def __init__(self, service: Service, bus: JetStreamBus, loop: BusLoop,
                 forget_key: Callable[[str], None] | None = None) -> None:
        self.service = service
        self.bus = bus
        self.loop = loop
        self.forget_key = forget_key
        self.applied = 0
        self.listening = False

    def install(self) -> CacheFeed:
        """From now on the service announces its changes through this feed."""
        self.service.announce = self.announce
        return self

    def announce(self, topic: str, payload: Mapping[str, Any]) -> None:
        """Send the change (never raises: the other nodes' periodic checks are the fallback)."""
        self.loop.submit(self._send(topic, payload))

    async def _send(self, topic: str, payload: Mapping[str, Any]) -> None:
        try:
            await self.bus.announce(self.bus.names.cache_subject(topic), orjson.dumps(dict(payload)))
        except Exception as exc:  # noqa: BLE001 - the fallback checks pick the change up
            log.warning("announcing a %s change failed: %s", topic, exc)

    async def listen(self) -> None:
        """Subscribe to every topic (in the bus loop, once the bus is open)."""
        if self.listening:
            return
        for topic in TOPICS:
            await self.bus.listen(self.bus.names.cache_subject(topic), self._handler(topic))
        self.listening = True

    def _handler(self, topic: str) -> Callable[[bytes], Any]:
        async def on(data: bytes) -> None:
            await asyncio.to_thread(self.apply, topic, orjson.loads(data))
        return on

    def apply(self, topic: str, payload: Mapping[str, Any]) -> None:
        """Bring this node's cache of ``topic`` up to date."""
        if topic == "shields":
            self.service.protection.refresh_shields()
        elif topic == "keys" and self.forget_key is not None:
            self.forget_key(str(payload.get("key_id", "")))
        elif topic == "models":
            self.service.learning.model_tick()
        elif topic == "policy":
            self.service.admin.policy_tick()
        self.applied += 1


def announce_once(url: str, subject: str, payload: Mapping[str, Any]) -> None:
    """A one-off announcement from a command-line process (``keys revoke``, ``model promote``, ...)."""
    import nats

    async def send() -> None:
        nc = await asyncio.wait_for(nats.connect(url, connect_timeout=2, allow_reconnect=False), 5)
        await nc.publish(subject, orjson.dumps(dict(payload)))
        await nc.flush()
        await nc.close()

    try:
        asyncio.run(send())
    except Exception as exc:  # noqa: BLE001 - the nodes' periodic checks pick the change up
        log.warning("could not announce the change on NATS (%s); nodes see it at their next check", exc)
