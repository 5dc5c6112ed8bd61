"""One-click protection (一键防护) for a person: status, turn on or off, the held folder."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import Response

from clearspace.console.web import Console, Viewer, required
from clearspace.errors import InputError, NotFound
from clearspace.protection import shield as verdicts
from clearspace.protection.shield import AUDIENCES
from clearspace.service.results import HeldView, ShieldView
from clearspace.service.shield_requests import ShieldRequest

SURFACES = ("comments", "dms", "mentions", "reposts", "danmaku")
HELD_REASONS = {verdicts.HOLD.reason: "held.for_review", verdicts.DROP_HOSTILE.reason: "held.hostile",
                verdicts.DROP_BLOCKED.reason: "held.blocked"}
"""Why an item was held, as the shield says it, to its key in the console's catalogue."""


def _number(form: Mapping[str, str], name: str, default: float) -> float:
    """A number from the form; its range is the service's rule (clearspace.protection.shield.make_shield)."""
    raw = (form.get(name) or "").strip()
    try:
        return float(raw) if raw else default
    except ValueError as exc:
        raise InputError(f"'{name}' must be a number") from exc


def add_routes(router: APIRouter, console: Console) -> None:
    service = console.service

    def back(account: str) -> str:
        from urllib.parse import quote

        return f"/console/protection?account={quote(account)}"

    @router.get("/protection")
    def protection(request: Request, account: str = "") -> Response:
        def build(viewer: Viewer) -> Response:
            name = account.strip()
            shield: ShieldView | None = None
            held: list[HeldView] = []
            if name:
                try:
                    shield = service.protection.shield(name)
                except NotFound:
                    shield = None
                held = service.protection.held_folder(name, limit=200)
            return console.render(request, viewer, "protection.html", account=name, shield=shield, held=held,
                                  surfaces=SURFACES, audiences=AUDIENCES, now=service.protection.epoch(),
                                  held_reasons=HELD_REASONS)
        return console.page(request, "read", build)

    @router.post("/protection/on")
    async def turn_on(request: Request) -> Response:
        form = await request.form()
        account = str(form.get("account") or "").strip()
        chosen = [s for s in SURFACES if form.get(f"surface_{s}")]

        def act(viewer: Viewer, fields: Mapping[str, str]) -> str:
            name = required(fields, "account")
            audience = fields.get("audience") or "strangers"  # the service checks it, the surfaces and the days
            wanted = ShieldRequest(name, days=_number(fields, "days", 7.0), surfaces=tuple(chosen),
                                   audience=audience, assisted=bool(fields.get("assisted")))
            service.protection.turn_on(wanted, role=viewer.role, actor=viewer.actor, via=f"console:{viewer.actor}")
            return back(name)
        return await console.act(request, "reports:write", back(account), act)

    @router.post("/protection/off")
    async def turn_off(request: Request) -> Response:
        account = str((await request.form()).get("account") or "").strip()

        def act(viewer: Viewer, fields: Mapping[str, str]) -> str:
            service.protection.deactivate(required(fields, "account"), viewer.actor)
            return back(account)
        return await console.act(request, "reports:write", back(account), act)

    @router.post("/protection/held/{held_id}")
    async def resolve(request: Request, held_id: str) -> Response:
        account = str((await request.form()).get("account") or "").strip()

        def act(viewer: Viewer, fields: Mapping[str, str]) -> str:
            decision = required(fields, "decision")
            if decision not in ("release", "dismiss"):
                raise InputError("decision must be release or dismiss")
            service.protection.resolve_held(required(fields, "account"), held_id, decision, viewer.actor)  # type: ignore[arg-type]
            return back(account)
        return await console.act(request, "reports:write", back(account), act)
