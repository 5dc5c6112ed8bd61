"""Cyber-violence protection: one-click protection (一键防护), pre-send nudges, risk prompts,
pile-on incidents and their evidence bundles (一键取证).

Shields, held folders, incidents and prompts live in the store (through
:class:`~clearspace.service.core.Service`), so they survive a restart and are shared by every
worker on the same database. ``POST /v1/shield/check`` is normally answered by
:class:`clearspace.api.fastpath.ShieldCheckFast`; the route below is its documented twin.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from clearspace.api.auth import Reader, Reporter, Scorer
from clearspace.api.calls import call, service_of
from clearspace.api.jsonio import FastJSON
from clearspace.api.perspective import TEXT_LIMIT
from clearspace.protection.shield import AUDIENCES, Interaction
from clearspace.service.shield_requests import ShieldRequest

router = APIRouter()
Account = Field(min_length=1, max_length=200)
Surface = Literal["comment", "comments", "reply", "post", "dm", "dms", "mention", "mentions", "repost", "reposts",
                  "quote", "danmaku", "livechat"]


ShieldSurface = Literal["comments", "dms", "mentions", "reposts", "danmaku"]
_ALL_SURFACES: tuple[ShieldSurface, ...] = ("comments", "dms", "mentions", "reposts", "danmaku")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ShieldBody(_Strict):
    days: float = Field(default=7.0, gt=0, le=365)
    surfaces: list[ShieldSurface] = Field(default_factory=lambda: list(_ALL_SURFACES), min_length=1)
    audience: Literal["strangers", "non_followers", "new_followers", "all_but_allowed"] = "strangers"
    new_follower_days: float = Field(default=7.0, ge=0, le=3650)
    allow: list[str] = Field(default_factory=list, max_length=10000)
    block: list[str] = Field(default_factory=list, max_length=10000)
    drop_above: float | None = Field(default=0.9, ge=0, le=1)
    reminder_hours: float = Field(default=24.0, ge=0, le=24 * 365)
    assisted: bool = Field(default=False, description="Activated by a moderator with the person (minors); "
                                                      "needs a key with cases:work.")


class CheckBody(_Strict):
    account: str = Account
    author: str = Account
    surface: Surface
    author_follows: bool = False
    follows_author: bool = False
    followed_since: float | None = Field(default=None, description="Epoch seconds the author began following.")
    hostility: float | None = Field(default=None, ge=0, le=1)
    item_id: str = Field(default="", max_length=200)
    text: str = Field(default="", json_schema_extra=TEXT_LIMIT)


class ResolveBody(_Strict):
    decision: Literal["release", "dismiss"]


class NudgeBody(_Strict):
    text: str = Field(min_length=1, json_schema_extra=TEXT_LIMIT)
    author: str | None = Field(default=None, min_length=1, max_length=200)



async def _holds_settled(request: Request) -> None:
    """Wait until every hold answered so far is committed (the fast path may answer a hold before
    its commit), so a folder read right after a check sees it."""
    holds = getattr(request.app.state, "holds", None)
    if holds is not None:
        await asyncio.wrap_future(holds.submit([]))


@router.post("/v1/shield/check", tags=["protection"], summary="Deliver, hold or drop one interaction")
async def shield_check(body: CheckBody, request: Request, _: Scorer) -> Any:
    """Answers in one call, for a platform's hot path; held items go to the person's folder."""
    it = Interaction(body.author, body.surface, body.author_follows, body.follows_author, body.followed_since,
                     body.hostility)
    return FastJSON(await call(service_of(request).protection.check, body.account, it, item_id=body.item_id,
                               text=body.text))


@router.put("/v1/shield/{account}", tags=["protection"], summary="Turn on one-click protection (一键防护)")
async def put_shield(account: str, body: ShieldBody, request: Request, who: Reporter) -> Any:
    """The platform turns it on for the person; a moderator turns it on with a minor (``assisted``).

    Assisted activation is recorded as ``activated_by: assisted:<moderator>`` and audited with the
    moderator as actor.
    """
    wanted = ShieldRequest(account, days=body.days, surfaces=tuple(body.surfaces), audience=body.audience,
                           new_follower_days=body.new_follower_days, allow=tuple(body.allow), block=tuple(body.block),
                           drop_above=body.drop_above, reminder_hours=body.reminder_hours, assisted=body.assisted)
    return FastJSON(await call(service_of(request).protection.turn_on, wanted, role=who.role, actor=who.actor))


@router.get("/v1/shield/{account}", tags=["protection"], summary="An account's active protection")
async def get_shield(account: str, request: Request, _: Reader) -> Any:
    return FastJSON(await call(service_of(request).protection.shield, account))


@router.delete("/v1/shield/{account}", tags=["protection"], summary="Turn protection off")
async def delete_shield(account: str, request: Request, who: Reporter) -> Any:
    return FastJSON(await call(service_of(request).protection.deactivate, account, who.actor))


@router.get("/v1/shield/{account}/held", tags=["protection"], summary="The protected person's held folder")
async def held(account: str, request: Request, _: Reader) -> Any:
    await _holds_settled(request)
    return FastJSON({"account": account, "held": await call(service_of(request).protection.held_folder, account)})


@router.post("/v1/shield/{account}/held/{held_id}", tags=["protection"],
             summary="Release or dismiss one held interaction")
async def resolve_held(account: str, held_id: str, body: ResolveBody, request: Request,
                       who: Reporter) -> Any:
    await _holds_settled(request)
    return FastJSON(await call(service_of(request).protection.resolve_held, account, held_id, body.decision, who.actor))


IncidentStatus = Literal["active", "ended"]


@router.get("/v1/incidents", tags=["incidents"], summary="Pile-on incidents, most recently detected first")
async def list_incidents(request: Request, _: Reader, status: IncidentStatus | None = None,
                         target: str | None = Query(default=None, min_length=1, max_length=200),
                         limit: int = Query(default=100, ge=1, le=1000)) -> Any:
    return FastJSON({"incidents": await call(service_of(request).protection.incidents, status, limit, target)})


@router.get("/v1/incidents/{incident_id}", tags=["incidents"],
            summary="An incident: participants by role, timeline series, review case")
async def get_incident(incident_id: str, request: Request, _: Reader) -> Any:
    return FastJSON(await call(service_of(request).protection.incident, incident_id))


ZIP_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
          "description": "The signed evidence bundle."}}


@router.get("/v1/incidents/{incident_id}/evidence", tags=["incidents"], response_class=Response,
            responses=ZIP_RESPONSE, summary="Evidence bundle (一键取证) of an incident: signed ZIP")
async def incident_evidence(incident_id: str, request: Request, _: Reader,
                            redact: Annotated[list[str], Query(max_length=50)] = []) -> Any:  # noqa: B006
    """JSON items, HTML report, SHA-256 of every file, Ed25519 signature; check it with
    ``clearspace evidence verify``. ``redact``: the protected person's own details to hide."""
    data = await call(service_of(request).protection.evidence, incident_id, redact)
    return Response(data, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="evidence-{incident_id[:40]}.zip"'})


@router.get("/v1/evidence/key", tags=["incidents"], summary="The public key that signs evidence bundles")
async def evidence_key(request: Request, _: Reader) -> Any:
    return FastJSON({"algorithm": "Ed25519",
                     "public_key": await call(service_of(request).protection.evidence_public_key)})


@router.get("/v1/protection/{account}/prompts", tags=["protection"],
            summary="Risk prompts and expiry reminders for an account, newest first")
async def prompts(account: str, request: Request, _: Reporter,
                  limit: int = Query(default=100, ge=1, le=1000)) -> Any:
    return FastJSON({"account": account, "prompts": await call(service_of(request).protection.prompts, account, limit)})


@router.post("/v1/nudge", tags=["protection"], summary="Pre-send nudge: friction level for a draft")
async def post_nudge(body: NudgeBody, request: Request, _: Scorer) -> Any:
    """Scores the draft and weighs the author's active strikes."""
    return FastJSON(await call(service_of(request).protection.nudge_draft, body.text, body.author))


__all__ = ["AUDIENCES", "router"]
