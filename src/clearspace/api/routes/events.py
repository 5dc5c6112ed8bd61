"""Ingest and scoring: ``POST /v1/events``, event and decision lookups, the Perspective endpoint."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request

from clearspace.api import perspective
from clearspace.api.auth import Reader, Scorer, bearer_key
from clearspace.api.calls import call, service_of
from clearspace.api.jsonio import FastJSON, read_json
from clearspace.service.bus_node import wait_ms

router = APIRouter()

EVENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "text"],
    "properties": {
        "id": {"type": "string", "minLength": 1, "maxLength": 200, "description": "Idempotency key."},
        "type": {"type": "string", "enum": ["post", "reply", "comment", "dm", "danmaku", "livechat", "mention",
                                            "repost"]},
        "text": {"type": "string", "x-text-limit": True},
        "author": {"type": "string", "minLength": 1, "maxLength": 200},
        "target_user": {"type": "string", "minLength": 1, "maxLength": 200},
        "parent": {"type": "string", "minLength": 1, "maxLength": 200},
        "surface": {"type": "string", "enum": ["post", "comment", "dm", "danmaku", "livechat"]},
        "lang": {"type": "string"},
        "ts": {"type": "string", "format": "date-time"},
        "author_created_at": {"type": "string", "format": "date-time"},
        "author_follows_target": {"type": "boolean"},
        "minor": {"type": "boolean"},
        "author_followers": {"type": "integer", "minimum": 0, "maximum": 10**12},
        "author_verified": {"type": "boolean"},
        "monetized": {"type": "boolean"},
        "organization": {"type": "string", "minLength": 1, "maxLength": 200},
    },
    "additionalProperties": True,
}
EVENTS_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "oneOf": [EVENT_SCHEMA, {"type": "array", "items": EVENT_SCHEMA, "minItems": 1, "maxItems": 1000}]}}}},
    "security": [{"HTTPBearer": []}]}


@router.post("/v1/events", tags=["events"], openapi_extra=EVENTS_BODY, response_class=FastJSON,
             summary="Score, decide and store one event or a batch (idempotent by id)")
async def post_events(request: Request) -> Any:
    """One event object answers one result; a list answers ``{"results": [...]}`` in the same order.

    In bus mode (``bus_url``) the events are published for the workers and the answer is 202 with
    ``{"id", "status": "accepted", "partition"}`` per event; ``?wait=MS`` waits up to MS milliseconds for
    the decisions and answers them as here when they all came.

    Each result has the action, scores, signals, reasons, the decision id and its statement of
    reasons id. Sending an event id again answers the stored decision with ``duplicate: true``.
    """
    # the hot path: authenticate by hand rather than through a FastAPI dependency (measurably cheaper)
    await request.app.state.keys.principal(bearer_key(request), "events:write")
    raw = await read_json(request)
    service = service_of(request)
    events = service.ingest.check(raw)
    node = request.app.state.bus_node
    if node is not None:  # bus mode (docs/scaleout.md): published for the workers; 202, or 200 with ?wait=MS
        status, published = await node.accept(raw, events, wait_ms(request.query_params.get("wait")))
        return FastJSON(published, status_code=status)
    answers = await asyncio.wrap_future(request.app.state.batcher.submit(events))
    return FastJSON({"results": answers} if isinstance(raw, list) else answers[0])


@router.get("/v1/events/{event_id}", tags=["events"], summary="An event and every decision on it")
async def get_event(event_id: str, request: Request, _: Reader) -> Any:
    return FastJSON(await call(service_of(request).ingest.event, event_id))


@router.get("/v1/decisions/{decision_id}", tags=["events"], summary="A decision with its statement of reasons")
async def get_decision(decision_id: str, request: Request, _: Reader) -> Any:
    return FastJSON(await call(service_of(request).ingest.decision, decision_id))


ANALYZE_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": perspective.request_schema()}}}}


@router.post("/v1alpha1/comments:analyze", tags=["perspective"], openapi_extra=ANALYZE_BODY,
             summary="Perspective API compatible scoring (nothing is stored)")
async def analyze(request: Request, _: Scorer) -> Any:
    """Accepts Perspective's AnalyzeCommentRequest and answers its AnalyzeCommentResponse.

    The body is read as JSON whatever its Content-Type, as Perspective does.
    """
    body = perspective.parse(await read_json(request))
    names = perspective.check(body)
    result = await call(service_of(request).ingest.score_text, body.comment.text)
    return FastJSON(perspective.respond(body, names, result))
