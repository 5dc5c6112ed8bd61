"""Creator accountability (issue 16): the creator record, an organization's page with its proposals,
and typical-case announcements (典型案例)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from clearspace.console import charts
from clearspace.console.web import Console, Viewer, required
from clearspace.service.organizations import MEASURES


def traffic_chart(record: Mapping[str, Any], viewer: Viewer) -> str:
    """Engagement per day, hostility drawn onto others apart from the rest."""
    t = viewer.t
    days = record["traffic"]["daily"]
    if not days:
        return ""
    rows = [charts.Series(t("creator.hostile"), [d["hostile"] for d in days]),
            charts.Series(t("creator.other"), [d["engagement"] - d["hostile"] for d in days])]
    return charts.stacked_bars(t("creator.traffic"), [d["day"][5:] for d in days], rows, chart_id="creator-traffic",
                               data_label=t("chart.data"), y_label=t("creator.engagement"), x_label=t("chart.time"))


def add_routes(router: APIRouter, console: Console) -> None:
    service = console.service

    @router.get("/creators")
    def creator(request: Request, account: str = "") -> Response:
        def build(viewer: Viewer) -> Response:
            name = account.strip()
            record = service.accounts.creator_record(name) if name else None
            chart = traffic_chart(record, viewer) if record else ""
            return console.render(request, viewer, "creator.html", account=name, record=record, chart=chart)
        return console.page(request, "read", build)

    @router.get("/organizations/{name}")
    def organization(request: Request, name: str) -> Response:
        def build(viewer: Viewer) -> Response:
            return console.render(request, viewer, "organization.html", org=service.accounts.organization(name),
                                  measures=MEASURES, can_propose=viewer.can("cases:work"),
                                  can_confirm=viewer.can("accounts:batch"))
        return console.page(request, "read", build)

    @router.post("/organizations/{name}/propose")
    async def propose(request: Request, name: str) -> Response:
        back = f"/console/organizations/{quote(name)}"

        def act(viewer: Viewer, fields: Mapping[str, str]) -> str:
            service.accounts.propose_org_measure(name, required(fields, "measure"), required(fields, "reason"),
                                                 viewer.actor)
            return back
        return await console.act(request, "cases:work", back, act)

    @router.post("/organizations/proposals/{proposal_id}")
    async def decide(request: Request, proposal_id: str) -> Response:
        org = str((await request.form()).get("organization") or "")
        back = f"/console/organizations/{quote(org)}"

        def act(viewer: Viewer, fields: Mapping[str, str]) -> str:
            service.accounts.decide_org_proposal(proposal_id, fields.get("confirm") == "1", required(fields, "note"),
                                        viewer.actor)
            return back
        return await console.act(request, "accounts:batch", back, act)

    @router.get("/announcements")
    def announcements(request: Request) -> Response:
        def build(viewer: Viewer) -> Response:
            drafts = service.admin.announcements("draft") if viewer.can("accounts:batch") else []
            return console.render(request, viewer, "announcements.html", drafts=drafts,
                                  published=service.admin.announcements("published"),
                                  can_write=viewer.can("accounts:batch"))
        return console.page(request, "transparency:read", build)

    @router.post("/announcements/draft")
    async def draft(request: Request) -> Response:
        def act(viewer: Viewer, fields: Mapping[str, str]) -> str:
            cases = [c for c in required(fields, "cases").replace("，", ",").replace(" ", ",").split(",") if c]
            service.admin.draft_announcement(cases, required(fields, "title"), fields.get("lang") or "zh", viewer.actor)
            return "/console/announcements"
        return await console.act(request, "accounts:batch", "/console/announcements", act)

    @router.post("/announcements/{announcement_id}/publish")
    async def publish(request: Request, announcement_id: str) -> Response:
        def act(viewer: Viewer, fields: Mapping[str, str]) -> str:
            service.admin.publish_announcement(announcement_id, viewer.actor)
            return "/console/announcements"
        return await console.act(request, "accounts:batch", "/console/announcements", act)



