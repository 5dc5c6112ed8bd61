"""The audit log viewer (with hash-chain verification, and broken-chain alarms an admin acknowledges)
and the transparency report as charts, with the latest signed audit checkpoint."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response

from clearspace.console import charts
from clearspace.console.web import Console, Viewer, required
from clearspace.errors import NotFound
from clearspace.service import transparency


def transparency_charts(viewer: Viewer, data: Mapping[str, Any], line: Mapping[str, Any]) -> list[str]:
    """The report's four charts, every title, legend, axis and unit in the viewer's language."""
    t, tv = viewer.t, viewer.tv
    days = int(line.get("bucket_days") or 1)
    x_label = t("chart.date") if days == 1 else f"{t('chart.date')} ({days} {t('chart.days_per_bar')})"
    by_category = charts.stacked_bars(
        t("transparency.by_category"), line["labels"],
        [charts.Series(tv("category", name), values) for name, values in line["by_category"].items()],
        chart_id="by-category", data_label=t("chart.data"), y_label=t("chart.decisions"), x_label=x_label)
    automation = charts.stacked_bars(
        t("transparency.automation"), line["labels"],
        [charts.Series(t("chart.automated"), line["automated"]), charts.Series(t("chart.human"), line["human"])],
        chart_id="automation", data_label=t("chart.data"), y_label=t("chart.decisions"), x_label=x_label)
    appeals = charts.bars(  # reversed appeals are some of the filed ones: side by side, never stacked
        t("transparency.appeals"), line["labels"],
        [charts.Series(t("chart.filed"), line["appeals_filed"]),
         charts.Series(t("chart.reversed"), line["appeals_reversed"])],
        chart_id="appeals", data_label=t("chart.data"), grouped=True, y_label=t("chart.appeals"), x_label=x_label)
    medians = data["median_handling_seconds"]
    seconds = {k: float(medians[k] or 0) for k in ("automated", "human", "all")}
    scale, unit = (3600, "unit.h") if max(seconds.values()) >= 7200 else (60, "unit.min")
    handling = charts.hbars(t("transparency.handling"), [(t("chart." + k), round(v / scale, 2))
                                                         for k, v in seconds.items()],
                            chart_id="handling", data_label=t("chart.data"), unit=" " + t(unit),
                            value_label=f"{t('chart.median')} ({t(unit)})")
    return [by_category, automation, appeals, handling]


def add_routes(router: APIRouter, console: Console) -> None:
    service = console.service

    @router.get("/audit")
    def audit(request: Request, before: int | None = None, kind: str = "", subject: str = "",
              actor: str = "", full: bool = False) -> Response:
        def build(viewer: Viewer) -> Response:
            rows = service.admin.audit_page(before=before, kind=kind or None, subject=subject or None,
                                      actor=actor or None, limit=100)
            # only the events since this process last checked, unless the whole chain is asked for
            check = service.admin.verify_audit(full=full).to_dict()
            alarms = [a for a in service.admin.audit_alarms(limit=20) if a["acknowledged_at"] is None]
            return console.render(request, viewer, "audit.html", rows=rows, check=check, alarms=alarms,
                                  kind=kind, subject=subject, actor=actor,
                                  older=rows[-1]["id"] if len(rows) == 100 else None)
        return console.page(request, "audit:read", build)

    @router.post("/audit/alarms/{alarm_id}/acknowledge")
    async def acknowledge(request: Request, alarm_id: str) -> Response:
        def act(viewer: Viewer, form: Mapping[str, str]) -> None:
            service.admin.acknowledge_audit_alarm(alarm_id, viewer.actor, required(form, "note"))
        return await console.act(request, "admin", "/console/audit", act)

    @router.get("/audit/checkpoint.json")
    def latest_checkpoint(request: Request) -> Response:
        def build(viewer: Viewer) -> Response:
            found = service.admin.audit_checkpoints(limit=1)
            if not found:
                raise NotFound("no audit checkpoint has been signed yet")
            name = f"audit-checkpoint-{found[0]['seq']}.json"
            return Response(orjson.dumps(found[0], option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS),
                            media_type="application/json",
                            headers={"Content-Disposition": f'attachment; filename="{name}"'})
        return console.page(request, "transparency:read", build)

    def period(start: str, end: str) -> tuple[str, str]:
        return service.admin.transparency_period(start or None, end or None)

    @router.get("/transparency")
    def report(request: Request, start: str = "", end: str = "") -> Response:
        def build(viewer: Viewer) -> Response:
            lo, hi = period(start, end)
            data = service.admin.transparency(lo, hi)
            line = service.admin.transparency_timeline(lo, hi)
            found = service.admin.audit_checkpoints(limit=1)
            return console.render(request, viewer, "transparency.html", data=data, start=lo, end=hi,
                                  charts=transparency_charts(viewer, data, line),
                                  checkpoint=found[0] if found else None)
        return console.page(request, "transparency:read", build)

    @router.get("/transparency.{fmt}")
    def download(request: Request, fmt: str, start: str = "", end: str = "") -> Response:
        def build(viewer: Viewer) -> Response:
            lo, hi = period(start, end)
            data = service.admin.transparency(lo, hi)
            if fmt == "csv":
                body, media = transparency.to_csv(data), "text/csv; charset=utf-8"
            else:
                body, media = transparency.to_json(data), "application/json"
            name = f"transparency-{lo}-{hi}.{'csv' if fmt == 'csv' else 'json'}"
            return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})
        return console.page(request, "transparency:read", build)
