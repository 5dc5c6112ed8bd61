"""The HTTP API: a thin FastAPI shell over :class:`~clearspace.service.core.Service`.

::

    app = create_app(service)          # uvicorn.run(app) or TestClient(app)
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from clearspace.api import docs_page, errors
from clearspace.api.auth import KeyCache
from clearspace.api.content_type import JsonBodies
from clearspace.api.edge import Edge
from clearspace.api.fastpath import CHECK_PATH, EventsFastPath, ShieldCheckFast
from clearspace.api.fastpath import PATH as EVENTS_PATH
from clearspace.api.routes import accounts, admin, events, learning, moderation, plugins, protection, rumors
from clearspace.service.batcher import Batcher
from clearspace.service.bus_node import BusNode
from clearspace.service.core import Service
from clearspace.service.events import Event
from clearspace.service.results import Answer
from clearspace.service.webhooks import OutboxWorker

log = logging.getLogger(__name__)

DESCRIPTION = """Trust & safety for Chinese- and English-language communities: score and decide events,
take reports, work review queues, appeal decisions, audit everything. Every request carries an API
key: `Authorization: Bearer KEY` (the Perspective endpoint also accepts `?key=KEY`). Request bodies are
JSON, read as JSON whatever the `Content-Type` header says (or without one)."""


def create_app(service: Service, *, max_batch_items: int = 256, deliver_webhooks: bool = False,
               fast_path: bool = True, protection_jobs: bool = False, console: bool = True,
               console_secret: str | None = None) -> FastAPI:
    """The ASGI app; ingest requests are merged into batches of up to ``max_batch_items`` events.

    With ``deliver_webhooks`` a background thread sends due outbox messages every second; with
    ``protection_jobs`` another runs :meth:`Service.protection.tick` (expiry reminders, ending quiet
    incidents) every ``Settings.protection_tick_seconds``. ``fast_path`` answers ``POST /v1/events``
    and ``POST /v1/shield/check`` from :mod:`clearspace.api.fastpath`. A third thread refreshes the
    in-memory mirror of shields every second. In shared pile-on mode (``Settings.pileon_mode``) a
    fourth runs :meth:`Service.protection.pileon_tick` every ``pileon_tick_seconds`` and gives the detector's
    lease up on shutdown. A fifth follows shadow runs (:meth:`Service.learning.shadow_tick`) every
    ``shadow_sync_seconds``. ``console`` serves the moderator console under
    ``/console`` (sessions signed with ``console_secret``, default :meth:`Service.admin.console_secret`).
    """
    batcher: Batcher[Event, Answer] = Batcher(service.ingest.checked, max_items=max_batch_items)
    holds: Batcher[Any, str] = Batcher(service.protection.store_held, max_items=256, name="held")
    node = BusNode(service) if service.settings.bus_url else None  # bus mode: workers decide (docs/scaleout.md)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        batcher.start()
        holds.start()
        if node is not None:
            await run_in_threadpool(node.start, app.state.keys.forget)
        service.protection.refresh_shields()
        workers = [OutboxWorker(service.protection.refresh_shields, interval=service.protection.refresh_seconds,
                                name="shields").start()]
        if deliver_webhooks:
            import httpx

            client = httpx.Client()
            workers.append(OutboxWorker(lambda: service.admin.deliver_webhooks(client)).start())
        if protection_jobs:
            workers.append(OutboxWorker(service.protection.tick, interval=service.settings.protection_tick_seconds,
                                        name="protection").start())
            workers.append(OutboxWorker(service.accounts.monetization_tick,
                                         # issue 16: restorations after a clean window
                                        interval=service.settings.monetization_tick_seconds,
                                        name="monetization").start())
        workers.append(OutboxWorker(service.admin.policy_tick, interval=service.settings.policy_poll_seconds,
                                    name="policy").start())  # follow policy reloads of other processes
        workers.append(OutboxWorker(service.learning.shadow_tick, interval=service.settings.shadow_sync_seconds,
                                    name="shadow").start())  # issue 13: follow shadow runs started elsewhere
        # issue 13: serve the active model version now, then follow promotions and rollbacks
        await run_in_threadpool(_follow_models, service)
        workers.append(OutboxWorker(lambda: _follow_models(service), interval=service.settings.model_check_seconds,
                                    name="models").start())
        shared = service.protection.shares_pileon_detection
        if shared:
            workers.append(OutboxWorker(service.protection.pileon_tick, interval=service.settings.pileon_tick_seconds,
                                        name="pileons").start())
        try:
            yield
        finally:
            batcher.stop()
            holds.stop()
            if node is not None:
                node.stop()
            for worker in workers:
                worker.stop()
            service.stop_threads()
            if shared:
                service.protection.release_pileon_lease()

    app = ClearspaceApp(title="clearspace", version="0.1.0", description=DESCRIPTION, lifespan=lifespan,
                        docs_url=None, redoc_url=None)  # their pages load from a CDN: docs_page serves /docs
    docs_page.install(app)
    app.state.service = service
    app.text_limit = service.settings.max_text_chars
    app.state.batcher = batcher
    app.state.bus_node = node
    app.state.holds = holds
    app.state.keys = KeyCache(service)
    errors.install(app)
    for module in (events, moderation, admin, protection, rumors, plugins, learning, accounts):
        app.include_router(module.router)
    if console:
        from clearspace.console import mount_console

        mount_console(app, service, console_secret or service.admin.console_secret())
    app.add_middleware(JsonBodies)
    app.add_middleware(Edge, max_bytes=service.settings.max_body_bytes)  # api/edge.py: 413, NUL, depth
    if fast_path:
        routed = app.routed
        limit = service.settings.max_body_bytes
        app.hot_paths = {
            EVENTS_PATH: EventsFastPath(routed, service=service, batcher=batcher, keys=app.state.keys, max_bytes=limit,
                                        node=node),
            CHECK_PATH: ShieldCheckFast(routed, service=service, holds=holds, keys=app.state.keys, max_bytes=limit),
        }
    return app


def _follow_models(service: Service) -> None:
    """One check of the active model version; a failure is logged and the current model kept."""
    try:
        service.learning.model_tick()
    except Exception:  # noqa: BLE001 - scoring goes on with the model in service
        log.exception("checking the active model version failed; the current model stays in service")


class ClearspaceApp(FastAPI):
    """FastAPI, with the hot paths (``POST`` to a path in ``hot_paths``) answered before any of
    FastAPI's per-request machinery (telemetry hooks, middleware stack, routing), which costs
    several times more than answering ``/v1/shield/check`` itself. A hot path hands anything
    unusual to :meth:`routed`: the ordinary app, whose route is the documented twin."""

    hot_paths: dict[str, ASGIApp] = {}  # noqa: RUF012 - replaced per instance by create_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            handler = self.hot_paths.get(scope["path"])
            if handler is not None:
                await handler(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    text_limit = 20_000  # replaced per instance by create_app: Settings.max_text_chars

    def openapi(self) -> dict[str, Any]:
        """The OpenAPI document, every text field's ``maxLength`` taken from the settings."""
        if not self.openapi_schema:
            self.openapi_schema = with_text_limit(super().openapi(), self.text_limit)
        return self.openapi_schema

    async def routed(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The request through FastAPI as usual (middleware, routing, validation)."""
        await FastAPI.__call__(self, scope, receive, send)


def with_text_limit(node: Any, limit: int) -> Any:
    """``node`` (an OpenAPI document or part of one) with each ``x-text-limit`` marker replaced by ``maxLength``."""
    if isinstance(node, dict):
        out = {k: with_text_limit(v, limit) for k, v in node.items() if k != "x-text-limit"}
        if node.get("x-text-limit"):
            out["maxLength"] = limit
        return out
    if isinstance(node, list):
        return [with_text_limit(v, limit) for v in node]
    return node
