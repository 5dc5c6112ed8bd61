"""The HTTP API: a thin FastAPI shell over :class:`~clearspace.service.core.Service`.

::

    app = create_app(service)          # uvicorn.run(app) or TestClient(app)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from clearspace.api import errors
from clearspace.api.auth import KeyCache
from clearspace.api.fastpath import EventsFastPath
from clearspace.api.limits import BodyLimit
from clearspace.api.routes import admin, events, moderation, protection, rumors
from clearspace.service.batcher import Batcher
from clearspace.service.core import Service
from clearspace.service.events import Event
from clearspace.service.webhooks import OutboxWorker

DESCRIPTION = """Trust & safety for Chinese- and English-language communities: score and decide events,
take reports, work review queues, appeal decisions, audit everything. Every request carries an API
key: `Authorization: Bearer KEY` (the Perspective endpoint also accepts `?key=KEY`)."""


def create_app(service: Service, *, max_batch_items: int = 256, deliver_webhooks: bool = False,
               fast_path: bool = True, console: bool = True, console_secret: str | None = None) -> FastAPI:
    """The ASGI app; ingest requests are merged into batches of up to ``max_batch_items`` events.

    With ``deliver_webhooks`` a background thread sends due outbox messages every second;
    ``fast_path`` answers ``POST /v1/events`` from :mod:`clearspace.api.fastpath`; ``console``
    serves the moderator console under ``/console`` (sessions signed with ``console_secret``).
    """
    batcher: Batcher[Event, dict[str, Any]] = Batcher(service.ingest_events, max_items=max_batch_items)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        batcher.start()
        worker = None
        if deliver_webhooks:
            import httpx

            client = httpx.Client()
            worker = OutboxWorker(lambda: service.deliver_webhooks(client)).start()
        try:
            yield
        finally:
            batcher.stop()
            if worker:
                worker.stop()

    app = FastAPI(title="clearspace", version="0.1.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.service = service
    app.state.batcher = batcher
    app.state.keys = KeyCache(service)
    errors.install(app)
    for module in (events, moderation, admin, protection, rumors):
        app.include_router(module.router)
    if console:
        from clearspace.console import mount_console

        mount_console(app, service, console_secret)
    app.add_middleware(BodyLimit, max_bytes=service.settings.max_body_bytes)
    if fast_path:
        app.add_middleware(EventsFastPath, service=service, batcher=batcher, keys=app.state.keys,
                           max_bytes=service.settings.max_body_bytes)
    return app
