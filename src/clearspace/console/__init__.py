"""The moderator console: server-rendered pages over the service, in English and 中文.

``mount_console(app, service)`` adds the pages under ``/console`` and their static assets
(shipped in the package; no CDN, no front-end build). The pages are left out of the OpenAPI
document: they are for people, the ``/v1`` API is for programs.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from clearspace.console.headers import ConsoleHeaders
from clearspace.console.routes import (
    accounts,
    appeals,
    audit,
    auth,
    bus,
    cases,
    incidents,
    protection,
    queue,
    rumors,
    shadow,
    training,
)
from clearspace.console.web import Console
from clearspace.service.core import Service
from clearspace.text.tables import data_path

__all__ = ["Console", "mount_console"]


def mount_console(app: FastAPI, service: Service, secret: str | None = None) -> Console:
    """Serve the console on ``app``; ``secret`` signs session cookies (default: new at each start)."""
    console = Console(service, secret)
    router = APIRouter(prefix="/console", include_in_schema=False)
    for module in (auth, bus, queue, cases, incidents, appeals, audit, protection, rumors, shadow, training, accounts):
        module.add_routes(router, console)

    @app.get("/console", include_in_schema=False)
    def console_root() -> Response:
        return RedirectResponse("/console/", status_code=308)

    app.include_router(router)
    app.mount("/console/static", StaticFiles(directory=str(data_path("console/static"))), name="console-static")
    app.add_middleware(ConsoleHeaders)  # CSP and the other security headers on every /console response
    app.state.console = console
    return console
