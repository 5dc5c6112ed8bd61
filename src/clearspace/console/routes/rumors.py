"""Rumors: the debunk registry (add, edit, retract, clarifications, history), automatic labels
awaiting a moderator's confirmation, and crowd notes with their status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from clearspace.console.web import Console, Viewer, required
from clearspace.errors import InputError
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


def _debunk_page(debunk_id: str) -> str:
    return f"/console/rumors/debunk?id={quote(debunk_id, safe='')}"


def add_routes(router: APIRouter, console: Console) -> None:
    service = console.service

    @router.get("/rumors")
    def rumors(request: Request, q: str = "") -> Response:
        def build(viewer: Viewer) -> Response:
            matches = service.rumors.search(q, 5) if q.strip() else []
            return console.render(request, viewer, "rumors.html", debunks=service.rumors.debunks(limit=200), q=q,
                                  matches=matches, verdicts=[v.value for v in Verdict],
                                  waiting=service.rumors.labels_to_review(waiting=True, limit=50),
                                  notes=service.rumors.recent_notes(limit=50))
        return console.page(request, "read", build)

    @router.get("/rumors/debunk")
    def debunk(request: Request, id: str) -> Response:
        def build(viewer: Viewer) -> Response:
            return console.render(request, viewer, "debunk.html", debunk=service.rumors.debunk(id),
                                  history=service.rumors.debunk_history(id), verdicts=[v.value for v in Verdict])
        return console.page(request, "read", build)

    @router.post("/rumors/debunk/edit")
    async def edit(request: Request) -> Response:
        debunk_id = str((await request.form()).get("id") or "")

        def act(viewer: Viewer, form: Mapping[str, str]) -> str:
            changes: dict[str, Any] = {"claim": required(form, "claim"), "verdict": required(form, "verdict")}
            for name in ("fact_checker", "url"):
                changes[name] = (form.get(name) or "").strip() or None
            variants = [v.strip() for v in (form.get("variants") or "").splitlines() if v.strip()]
            changes["variants"] = variants or None
            service.rumors.update_debunk(debunk_id, changes, viewer.actor, partial=True,
                                         reason=form.get("reason") or "")
            return _debunk_page(debunk_id)
        return await console.act(request, "cases:work", _debunk_page(debunk_id), act)

    @router.post("/rumors/debunk/retract")
    async def retract(request: Request) -> Response:
        debunk_id = str((await request.form()).get("id") or "")

        def act(viewer: Viewer, form: Mapping[str, str]) -> str:
            service.rumors.retract_debunk(debunk_id, viewer.actor, required(form, "reason"))
            return _debunk_page(debunk_id)
        return await console.act(request, "cases:work", _debunk_page(debunk_id), act)

    @router.post("/rumors/debunk/clarification")
    async def clarify(request: Request) -> Response:
        debunk_id = str((await request.form()).get("id") or "")

        def act(viewer: Viewer, form: Mapping[str, str]) -> str:
            service.rumors.add_clarification(debunk_id, required(form, "account"), required(form, "text"), viewer.actor)
            return _debunk_page(debunk_id)
        return await console.act(request, "cases:work", _debunk_page(debunk_id), act)

    @router.post("/rumors/labels/{label_id}")
    async def review(request: Request, label_id: str) -> Response:
        def act(viewer: Viewer, form: Mapping[str, str]) -> str:
            decision = required(form, "decision")
            if decision not in ("confirm", "reject"):
                raise InputError("decision must be confirm or reject")
            service.rumors.review_label(label_id, viewer.actor, decision == "confirm", form.get("reason") or "")
            return "/console/rumors"
        return await console.act(request, "cases:work", "/console/rumors", act)

    @router.post("/rumors/debunks")
    async def add(request: Request) -> Response:
        def act(viewer: Viewer, form: Mapping[str, str]) -> str:
            service.rumors.add_debunks(debunk_from_form(form, service.rumors.new_debunk_id()), viewer.actor)
            return "/console/rumors"
        return await console.act(request, "cases:work", "/console/rumors", act)
