"""Learning from the community (issue 13): training labels, what to label next, model versions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from clearspace.api.auth import Admin, Reader, require
from clearspace.api.calls import call, service_of
from clearspace.api.jsonio import FastJSON, read_json
from clearspace.errors import InputError
from clearspace.service import access

router = APIRouter()
Labeller = Annotated[access.Principal, Depends(require("training:label"))]

_LABEL: dict[str, Any] = {
    "type": "object", "required": ["event_id", "abusive"], "additionalProperties": False,
    "properties": {"event_id": {"type": "string", "minLength": 1, "maxLength": 200},
                   "abusive": {"type": "boolean"},
                   "category": {"type": "string", "minLength": 1, "maxLength": 64}},
}
LABELS_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {"oneOf": [
    _LABEL, {"type": "array", "items": _LABEL, "minItems": 1, "maxItems": 1000}]}}}}}


class ChangeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(default="", max_length=2000, description="Why (recorded in the audit log).")



async def _reason(request: Request) -> str:
    body = await request.body()
    if not body.strip():
        return ""
    try:
        return ChangeBody.model_validate_json(body).reason
    except ValidationError as exc:
        raise InputError(f"the body must be {{\"reason\": \"...\"}} or empty: {exc.errors()[0]['msg']}") from exc


@router.post("/v1/training/labels", tags=["learning"], openapi_extra=LABELS_BODY, response_class=FastJSON,
             summary="Label stored events as abusive or not (one or up to 1,000)")
async def add_labels(request: Request, who: Labeller) -> Any:
    """One label ``{"event_id", "abusive", "category"?}`` answers the stored label (404 when the event is
    not stored, 400 when the label is malformed). A list answers ``{"results": [...], "stored": n,
    "errors": n}`` with a ``status`` per item (``stored`` with its label, or ``error`` with its message);
    the good items are stored. A later label on an event supersedes the earlier one; both stay in the history."""
    raw = await read_json(request)
    return FastJSON(await call(service_of(request).learning.add_labels, raw, who.actor))


@router.get("/v1/training/labels", tags=["learning"], summary="Training labels with their provenance (paged)")
async def list_labels(request: Request, _: Reader,
                      after: Annotated[int, Query(ge=0, description="Continue after this label id.")] = 0,
                      limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                      history: Annotated[bool, Query(description="Also superseded labels.")] = False,
                      event_id: Annotated[str | None, Query(max_length=200)] = None) -> Any:
    """``{"labels": [...], "next_after": id or null}``, oldest first: each label's ``id``, ``event_id``,
    ``abusive``, ``category``, ``source`` (decision, report, appeal, explicit), ``source_id``,
    ``decision_id``, ``actor``, ``created_at``, ``current`` and ``superseded_at``."""
    return FastJSON(await call(service_of(request).learning.labels, after, limit, not history, event_id))


@router.get("/v1/training/suggest", tags=["learning"], summary="Unlabelled events worth labelling next")
async def suggest(request: Request, _: Labeller,
                  n: Annotated[int, Query(ge=1, le=500, description="At most this many events.")] = 20,
                  pool: Annotated[int, Query(ge=1, le=50_000, description="Among this many most recent "
                                                                           "events.")] = 5000) -> Any:
    """Active learning: ``{"items": [{"event_id", "text", "score", "threshold", "uncertainty", "reason",
    "lang", "received_at"}], "model_version", "pool"}``, chosen for uncertainty under the active model
    and diversity (near-duplicates are not all picked), most uncertain first; see docs/learning.md."""
    return FastJSON(await call(service_of(request).learning.suggest_labels, n, max(pool, n)))


@router.get("/v1/models", tags=["learning"], summary="Model versions and the active one")
async def list_models(request: Request, _: Reader) -> Any:
    """``{"active": {"version", ...}, "versions": [...], "history": [...]}``: each version's ``version``,
    ``parent``, ``created_at``, ``created_by``, ``sha256``, ``size``, ``training`` and held-out
    ``evaluation``; ``history`` lists promotions and rollbacks, newest first."""
    return FastJSON(await call(service_of(request).learning.list_models))


@router.post("/v1/models/{version}/promote", tags=["learning"], summary="Serve a model version everywhere",
             openapi_extra={"requestBody": {"required": False, "content": {"application/json": {
                 "schema": ChangeBody.model_json_schema()}}}})
async def promote(version: str, request: Request, who: Admin) -> Any:
    """Every server process over this database serves ``version`` within ``model_check_seconds`` (3 s by
    default). 404 for an unknown version, 409 when it is active already, 400 when its file cannot be
    loaded (nothing changes). Answers the active version."""
    return FastJSON(await call(service_of(request).learning.promote_model, version, who.actor, await _reason(request)))


@router.post("/v1/models/rollback", tags=["learning"], summary="Return to the previously active model version",
             openapi_extra={"requestBody": {"required": False, "content": {"application/json": {
                 "schema": ChangeBody.model_json_schema()}}}})
async def rollback(request: Request, who: Admin) -> Any:
    """Back to the version that was active before the current one was promoted (409 when there is none)."""
    return FastJSON(await call(service_of(request).learning.rollback_model, who.actor, await _reason(request)))
