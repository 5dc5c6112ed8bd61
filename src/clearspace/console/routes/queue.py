"""The review queue: lanes with counts, cases with SLA timers, claim, release, next case."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import Response

from clearspace.console.web import Console, Viewer, age_text
from clearspace.service.cases import LANES


def add_routes(router: APIRouter, console: Console) -> None:
    service = console.service

    @router.get("/")
    def queue(request: Request, lane: str | None = None) -> Response:
        def build(viewer: Viewer) -> Response:
            every = service.cases.queue(limit=5000)
            counts = Counter(c["lane"] for c in every)
            overdue = Counter(c["lane"] for c in every if c["overdue"])
            shown = [c for c in every if not lane or c["lane"] == lane][:200]
            now = service.now()
            return console.render(request, viewer, "queue.html", lanes=LANES, counts=counts, overdue=overdue,
                                  lane=lane if lane in LANES else None, cases=shown, now=now,
                                  summaries=service.cases.summaries(shown),
                                  age=lambda since: age_text(since, now, viewer.t))
        return console.page(request, "read", build)

    @router.post("/next")
    async def next_case(request: Request) -> Response:
        def act(viewer: Viewer, form: Mapping[str, str]) -> str:
            case = service.cases.next(viewer.actor, form.get("lane") or None)
            return f"/console/cases/{case['id']}" if case else "/console/"
        return await console.act(request, "cases:work", "/console/", act)

    @router.post("/cases/{case_id}/claim")
    async def claim(request: Request, case_id: str) -> Response:
        def act(viewer: Viewer, form: Mapping[str, str]) -> str:
            service.cases.claim(case_id, viewer.actor)
            return f"/console/cases/{case_id}"
        return await console.act(request, "cases:work", f"/console/cases/{case_id}", act)

    @router.post("/cases/{case_id}/release")
    async def release(request: Request, case_id: str) -> Response:
        def act(viewer: Viewer, form: Mapping[str, str]) -> str:
            service.cases.release(case_id, viewer.actor)
            return "/console/"
        return await console.act(request, "cases:work", f"/console/cases/{case_id}", act)
