"""Pile-on incidents: the list, and one incident's timeline, participants by role, batch action,
the target's protection and the evidence bundle."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from clearspace.console import charts
from clearspace.console.templates_data import statement_templates
from clearspace.console.web import Console, Viewer, required
from clearspace.errors import NotFound
from clearspace.service.results import ShieldView

ROLE_ORDER = ("instigator", "first_poster", "repeat_poster", "follower")


def timeline_chart(incident: Mapping[str, Any], viewer: Viewer) -> str:
    """Hostile vs other interactions towards the target, per time bucket."""
    t = viewer.t
    series = incident["timeline"]["series"]
    labels = [point["t"][5:16].replace("T", " ") for point in series]
    rows = [charts.Series(t("chart.hostile"), [p["hostile"] for p in series])]
    if any(p["other"] is not None for p in series):
        rows.append(charts.Series(t("chart.other"), [p["other"] or 0 for p in series]))
    return charts.stacked_bars(t("incident.timeline"), labels, rows, chart_id="incident-timeline",
                               data_label=t("chart.data"), y_label=t("chart.interactions"), x_label=t("chart.time"))


def add_routes(router: APIRouter, console: Console) -> None:
    service = console.service
    templates = statement_templates()

    @router.get("/incidents")
    def incidents(request: Request, status: str = "", case: str = "") -> Response:
        def build(viewer: Viewer) -> Response:
            if case:
                match = service.protection.incident_for_case(case)
                if match is None or (status and match["status"] != status):
                    raise NotFound(f"no incident with case {case!r}")
                return RedirectResponse(f"/console/incidents/{match['id']}", status_code=303)
            rows = service.protection.incidents(status or None, limit=500)
            return console.render(request, viewer, "incidents.html", incidents=rows, chosen=status)
        return console.page(request, "read", build)

    @router.get("/incidents/{incident_id}")
    def incident(request: Request, incident_id: str) -> Response:
        def build(viewer: Viewer) -> Response:
            found = service.protection.incident(incident_id)
            try:
                shield: ShieldView | None = service.protection.shield(found["target"])
            except NotFound:
                shield = None
            roles = {role: found["participants_by_role"].get(role, []) for role in ROLE_ORDER}
            return console.render(request, viewer, "incident.html", incident=found, chart=timeline_chart(found, viewer),
                                  roles=roles, shield=shield, templates=templates)
        return console.page(request, "read", build)

    @router.post("/incidents/{incident_id}/batch")
    async def batch(request: Request, incident_id: str) -> Response:
        form = await request.form()
        chosen = [role for role in ROLE_ORDER if form.get(f"role_{role}")]

        def act(viewer: Viewer, fields: Mapping[str, str]) -> str:
            service.cases.batch_action(viewer.actor, required(fields, "category"), required(fields, "explanation"),
                                 incident_id=incident_id, roles=chosen or None)
            return f"/console/incidents/{incident_id}"
        return await console.act(request, "accounts:batch", f"/console/incidents/{incident_id}", act)

    @router.get("/incidents/{incident_id}/evidence")
    def evidence(request: Request, incident_id: str) -> Response:
        def build(viewer: Viewer) -> Response:
            body = service.protection.evidence(incident_id)
            return Response(body, media_type="application/zip", headers={
                "Content-Disposition": f'attachment; filename="evidence-{incident_id}.zip"'})
        return console.page(request, "cases:work", build)
