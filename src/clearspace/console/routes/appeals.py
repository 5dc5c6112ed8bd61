"""Appeals: the pending queue, decided history, one appeal with its decision and the verdict form."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import Response

from clearspace.console.highlight import evidence
from clearspace.console.web import Console, Viewer, required
from clearspace.errors import ClearspaceError


def add_routes(router: APIRouter, console: Console) -> None:
    service = console.service

    @router.get("/appeals")
    def appeals(request: Request) -> Response:
        def build(viewer: Viewer) -> Response:
            decided = sorted(service.cases.appeals("decided", limit=200), key=lambda a: a["decided_at"] or "",
                             reverse=True)
            return console.render(request, viewer, "appeals.html", pending=service.cases.appeals("pending", 200),
                                  decided=decided)
        return console.page(request, "read", build)

    @router.get("/appeals/{appeal_id}")
    def appeal(request: Request, appeal_id: str) -> Response:
        def build(viewer: Viewer) -> Response:
            row = service.cases.appeal(appeal_id)
            decision = service.ingest.decision(row["decision_id"])
            event = None
            if decision["event_id"]:
                try:
                    event = service.ingest.event(decision["event_id"])
                except ClearspaceError:
                    event = None
            account = decision["account"]
            return console.render(request, viewer, "appeal.html", appeal=row, decision=decision, event=event,
                                  pieces=evidence(event)[0],
                                  history=service.accounts.history(account) if account else None, account=account)
        return console.page(request, "read", build)

    @router.post("/appeals/{appeal_id}/decide")
    async def decide(request: Request, appeal_id: str) -> Response:
        def act(viewer: Viewer, form: Mapping[str, str]) -> str:
            service.cases.decide_appeal(appeal_id, viewer.actor, required(form, "outcome"), required(form,
                                                                                                     "explanation"))
            return f"/console/appeals/{appeal_id}"
        return await console.act(request, "appeals:decide", f"/console/appeals/{appeal_id}", act)
