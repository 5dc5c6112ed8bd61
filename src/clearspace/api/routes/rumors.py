"""Rumor handling: the debunk registry (``POST /v1/debunks``, ``GET /v1/debunks/{id}``) and debunk cards
(``GET /v1/debunks/search?q=``) that a platform pins on top of a search for a rumor.

Debunks live in the store (through :class:`~clearspace.service.core.Service`), so they survive a
restart and are shared by every worker on the same database.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool

from clearspace.api.auth import Reader, require
from clearspace.api.jsonio import FastJSON, read_json

router = APIRouter()
DebunkWriter = Depends(require("cases:work"))

_EVIDENCE: dict[str, Any] = {"type": "object", "properties": {
    "publisher": {"type": "string"}, "url": {"type": "string"}, "quote": {"type": "string"},
    "date": {"type": "string"}}, "additionalProperties": False}
DEBUNK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "claim"],
    "properties": {
        "id": {"type": "string", "minLength": 1, "maxLength": 500},
        "claim": {"type": "string", "minLength": 1, "description": "The claim as the fact-checker states it."},
        "verdict": {"type": "string", "enum": ["false", "misleading", "fabricated", "ai_generated", "out_of_context",
                                               "old_content", "unverified"]},
        "variants": {"type": "array", "items": {"type": "string"}},
        "text": {"type": "string"}, "title": {"type": "string"}, "url": {"type": "string"},
        "fact_checker": {"type": "string"}, "evidence": {"type": "array", "items": _EVIDENCE},
        "language": {"type": "string"}, "published": {"type": "string"}, "updated": {"type": "string"},
        "claim_date": {"type": "string"}, "about_person": {"type": "string"}, "clarification": {"type": "string"},
    },
    "additionalProperties": False,
}
CLAIMREVIEW_SCHEMA: dict[str, Any] = {
    "type": "object", "description": "schema.org ClaimReview JSON-LD: one ClaimReview, an @graph or a DataFeed.",
    "additionalProperties": True,
}
DEBUNKS_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {"oneOf": [
    DEBUNK_SCHEMA, CLAIMREVIEW_SCHEMA,
    {"type": "array", "items": {"oneOf": [DEBUNK_SCHEMA, CLAIMREVIEW_SCHEMA]}, "minItems": 1, "maxItems": 1000},
]}}}}}


async def _call(request: Request, method: str, *args: Any, **kwargs: Any) -> Any:
    return await run_in_threadpool(getattr(request.app.state.service, method), *args, **kwargs)


@router.get("/v1/debunks/search", tags=["rumors"], summary="Debunk cards for a search query")
async def search_debunks(request: Request, _: Reader,
                         q: Annotated[str, Query(min_length=1, max_length=2000, description="The search query.")],
                         k: Annotated[int, Query(ge=1, le=50, description="At most this many cards.")] = 5) -> Any:
    """The debunks matching ``q``, best first, as cards (claim, verdict, fact-checker, link,
    evidence, the clarification of the person concerned, ``score``); zh and en queries alike."""
    return FastJSON({"query": q, "cards": await _call(request, "search_debunks", q, k)})


@router.post("/v1/debunks", tags=["rumors"], openapi_extra=DEBUNKS_BODY, response_class=FastJSON,
             summary="Add debunks: one, a list, or a ClaimReview document")
async def post_debunks(request: Request, who: Any = DebunkWriter) -> Any:
    """One debunk object answers the stored debunk (400 when invalid, 409 when its id holds a different
    debunk). A list or a ClaimReview document answers ``{"results": [...], "created": n, "errors": n}``
    with a ``status`` per item (``created``, ``unchanged``, ``error`` with its message), in order."""
    raw = await read_json(request)
    return FastJSON(await _call(request, "add_debunks", raw, who.actor))


@router.get("/v1/debunks/{debunk_id}", tags=["rumors"], summary="One debunk, with its ClaimReview form")
async def get_debunk(debunk_id: str, request: Request, _: Reader) -> Any:
    return FastJSON(await _call(request, "get_debunk", debunk_id))


__all__ = ["router"]
