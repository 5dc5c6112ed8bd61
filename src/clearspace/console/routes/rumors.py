"""The debunk registry: list, add, and test a text against it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from clearspace.console.web import Console, Viewer, required
from clearspace.rumors.model import Verdict


def debunk_from_form(form: Mapping[str, str], new_id: str) -> dict[str, Any]:
    """A debunk object (as ``POST /v1/debunks`` takes it) from the console's form."""
    item: dict[str, Any] = {"id": (form.get("id") or "").strip() or new_id, "claim": required(form, "claim"),
                            "verdict": form.get("verdict") or "false"}
    for name in ("fact_checker", "url", "language", "text", "about_person", "clarification"):
        value = (form.get(name) or "").strip()
        if value:
            item[name] = value
    variants = [v.strip() for v in (form.get("variants") or "").splitlines() if v.strip()]
    if variants:
        item["variants"] = variants
    if (form.get("evidence_url") or "").strip():
        publisher = (form.get("fact_checker") or "").strip()
        item["evidence"] = [{"url": form["evidence_url"].strip(), "publisher": publisher}]
    return item


def add_routes(router: APIRouter, console: Console) -> None:
    service = console.service

    @router.get("/rumors")
    def rumors(request: Request, q: str = "") -> Response:
        def build(viewer: Viewer) -> Response:
            matches = service.search_debunks(q, 5) if q.strip() else []
            return console.render(request, viewer, "rumors.html", debunks=service.list_debunks(limit=200), q=q,
                                  matches=matches, verdicts=[v.value for v in Verdict])
        return console.page(request, "read", build)

    @router.post("/rumors/debunks")
    async def add(request: Request) -> Response:
        def act(viewer: Viewer, form: Mapping[str, str]) -> str:
            service.add_debunks(debunk_from_form(form, service.ids.new("dbk")), viewer.actor)
            return "/console/rumors"
        return await console.act(request, "cases:work", "/console/rumors", act)
