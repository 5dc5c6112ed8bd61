"""Shadow mode (a candidate beside the active engine: where they disagree, with examples) and plug-in health."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import Response

from clearspace.console.web import Console, Viewer
from clearspace.service.shadow_candidates import CandidateSpec


def add_routes(router: APIRouter, console: Console) -> None:
    service = console.service

    @router.get("/shadow")
    def shadow(request: Request, kind: str = "") -> Response:
        def build(viewer: Viewer) -> Response:
            summary = service.learning.shadow_summary(None, kind[:100] or None, 50)
            return console.render(request, viewer, "shadow.html", summary=summary, kind=kind,
                                  plugins=service.learning.plugin_stats())
        return console.page(request, "admin", build)

    @router.post("/shadow/start")
    async def start(request: Request) -> Response:
        def act(viewer: Viewer, form: Mapping[str, str]) -> None:
            policy = (form.get("policy") or "").strip() or None
            model_path = (form.get("model_path") or "").strip() or None
            service.learning.start_shadow(CandidateSpec(policy=policy, model_path=model_path), viewer.actor)
        return await console.act(request, "admin", "/console/shadow", act)

    @router.post("/shadow/stop")
    async def stop(request: Request) -> Response:
        def act(viewer: Viewer, form: Mapping[str, str]) -> None:
            service.learning.stop_shadow(viewer.actor)
        return await console.act(request, "admin", "/console/shadow", act)
