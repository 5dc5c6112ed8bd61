"""Bus mode's state for admins and auditors: partitions with their owners, consumed and pending
counts, and the recent dead letters (issue 15 point 6); one line in embedded mode."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from clearspace.console.web import Console, Viewer
from clearspace.errors import BusUnavailable

RECENT_DEAD = 50


def add_routes(router: APIRouter, console: Console) -> None:
    service = console.service

    @router.get("/bus")
    def bus(request: Request) -> Response:
        def build(viewer: Viewer) -> Response:
            unreachable = None
            try:
                state = service.admin.bus_overview(RECENT_DEAD)
            except BusUnavailable as exc:  # the page says so instead of failing: this is where one looks
                state, unreachable = None, str(exc)
            return console.render(request, viewer, "bus.html", state=state, unreachable=unreachable)
        return console.page(request, "audit:read", build)
