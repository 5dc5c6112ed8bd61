"""The labelling lane: one suggested post at a time (active learning), labelled abusive or not with one
key (a, n; s skips), so moderators teach the model what their community means (issue 13)."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from clearspace.console.web import Console, Viewer, required
from clearspace.errors import InputError

MAX_SKIPPED = 50
POOL = 2000


def _skipped(raw: str) -> list[str]:
    return [s for s in raw.split(",") if s][-MAX_SKIPPED:]


def _lane(skipped: list[str]) -> str:
    return "/console/label" + (f"?{urlencode({'skip': ','.join(skipped)})}" if skipped else "")


def add_routes(router: APIRouter, console: Console) -> None:
    service = console.service

    @router.get("/label")
    def lane(request: Request, skip: str = "") -> Response:
        def build(viewer: Viewer) -> Response:
            skipped = _skipped(skip)
            found = service.learning.suggest_labels(n=min(len(skipped) + 1, 50), pool=POOL)
            item = next((i for i in found["items"] if i["event_id"] not in skipped), None)
            counts = service.learning.labels(limit=1)
            return console.render(request, viewer, "label.html", item=item, skipped=skipped,
                                  skip_url=_lane([*skipped, item["event_id"]]) if item else _lane(skipped),
                                  model_version=found["model_version"], pool=found["pool"],
                                  any_labels=bool(counts["labels"]))
        return console.page(request, "training:label", build)

    @router.post("/label")
    async def label(request: Request) -> Response:
        form = await request.form()
        back = _lane(_skipped(str(form.get("skip") or "")))

        def act(viewer: Viewer, fields: Mapping[str, str]) -> str:
            verdict = required(fields, "verdict")
            if verdict not in ("abusive", "not_abusive"):
                raise InputError("verdict must be abusive or not_abusive")
            item: dict[str, object] = {"event_id": required(fields, "event_id"), "abusive": verdict == "abusive"}
            if (fields.get("category") or "").strip():
                item["category"] = fields["category"].strip()
            service.learning.add_labels(item, viewer.actor)
            return back
        return await console.act(request, "training:label", back, act)
