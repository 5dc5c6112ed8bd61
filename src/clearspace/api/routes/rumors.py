"""Rumor handling: the debunk registry (add, list, get, update, retract, history, the person's
clarification), debunk cards (``GET /v1/debunks/search?q=``) that a platform pins on top of a search for
a rumor, claim matching (``POST /v1/match``), labels on posts and the backfill job, and crowd notes.

Everything lives in the store (through :class:`~clearspace.service.core.Service`), so it survives a
restart and is shared by every worker on the same database. Debunk ids are often URLs: the
``{debunk_id}`` path parameters take slashes.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from clearspace.api.auth import CaseWorker, ContextReader, NoteWriter, Reader, Scorer
from clearspace.api.calls import call, service_of
from clearspace.api.jsonio import FastJSON, read_json
from clearspace.api.models import BackfillBody, ClarificationBody, MatchBody, NoteBody, RatingBody

router = APIRouter()

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
PUT_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    **DEBUNK_SCHEMA, "required": ["claim"]}}}}}
PATCH_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "additionalProperties": False, "minProperties": 1,
    "description": "The fields to change; null removes an optional field.",
    "properties": {k: {"anyOf": [v, {"type": "null"}]} for k, v in DEBUNK_SCHEMA["properties"].items()}}}}}}
Reason = Annotated[str, Query(max_length=5000, description="Why (recorded in the audit log and the version history).")]



@router.get("/v1/debunks/search", tags=["rumors"], summary="Debunk cards for a search query")
async def search_debunks(request: Request, _: Reader,
                         q: Annotated[str, Query(min_length=1, max_length=2000, description="The search query.")],
                         k: Annotated[int, Query(ge=1, le=50, description="At most this many cards.")] = 5) -> Any:
    """The debunks matching ``q``, best first, as cards (claim, verdict, fact-checker, link,
    evidence, the clarification of the person concerned, ``score``); zh and en queries alike."""
    return FastJSON({"query": q, "cards": await call(service_of(request).rumors.search, q, k)})


@router.post("/v1/debunks", tags=["rumors"], openapi_extra=DEBUNKS_BODY, response_class=FastJSON,
             summary="Add debunks: one, a list, or a ClaimReview document")
async def post_debunks(request: Request, who: CaseWorker,
                       backfill: Annotated[bool, Query(description="Then label the stored posts that match the "
                                                                   "debunks created (a background job).")] = False
                       ) -> Any:
    """One debunk object answers the stored debunk (400 when invalid, 409 when its id holds a different
    debunk). A list or a ClaimReview document answers ``{"results": [...], "created": n, "errors": n}``
    with a ``status`` per item (``created``, ``unchanged``, ``error`` with its message), in order.
    With ``backfill=true`` the answer also holds ``backfill_job`` (see ``GET /v1/jobs/{job_id}``) for the
    debunks created (a single debunk: always)."""
    raw = await read_json(request)
    service = service_of(request)
    add = service.rumors.add_debunks_and_backfill if backfill else service.rumors.add_debunks
    return FastJSON(await call(add, raw, who.actor))


@router.get("/v1/debunks", tags=["rumors"], summary="Debunks, oldest first")
async def list_debunks(request: Request, _: Reader,
                       status: Literal["active", "retracted", "all"] = "active",
                       limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                       after: Annotated[str | None, Query(max_length=64, description="Continue from this created_at "
                                                                                     "(inclusive).")] = None) -> Any:
    found = await call(service_of(request).rumors.debunks, limit, after, None if status == "all" else status)
    return FastJSON({"debunks": found})


@router.post("/v1/match", tags=["rumors"], summary="Match posts against the debunk registry (nothing is stored)")
async def match(body: MatchBody, request: Request, _: Scorer) -> Any:
    """``clearspace match`` through the API: per post ``{"id", "matches": [{"debunk_id", "score"}]}``,
    best first, in the order sent."""
    posts = [(p.id, p.text) for p in body.posts]
    return FastJSON({"results": await call(service_of(request).rumors.match_posts, posts, body.k)})


@router.post("/v1/labels/backfill", tags=["rumors"], status_code=202, response_class=FastJSON,
             summary="Start labelling stored posts that match the registry (a job)")
async def backfill_all(body: BackfillBody, request: Request, who: CaseWorker) -> Any:
    """Answers the job at once (202); follow it with ``GET /v1/jobs/{job_id}``. Running it again adds no
    duplicate labels."""
    return FastJSON(await call(service_of(request).rumors.start_backfill, body.debunk_ids, who.actor), status_code=202)


@router.get("/v1/jobs/{job_id}", tags=["rumors"], summary="A background job and its progress")
async def get_job(job_id: str, request: Request, _: Reader) -> Any:
    """``status`` (running, succeeded, failed), ``done`` of ``total`` and ``result`` (a backfill's counts)."""
    return FastJSON(await call(service_of(request).rumors.job, job_id))


@router.get("/v1/events/{event_id}/labels", tags=["rumors"], summary="A post's rumor labels and shown notes")
async def post_labels(event_id: str, request: Request, _: ContextReader) -> Any:
    """``{"event_id", "labels": [...], "notes": [...]}``: each active label with its decision (appealable
    through ``POST /v1/appeals``) and the debunk's card with the person's clarifications; the crowd notes
    rated helpful."""
    return FastJSON(await call(service_of(request).rumors.post_context, event_id))


@router.post("/v1/notes", tags=["notes"], status_code=201, summary="Write a crowd note on a post")
async def write_note(body: NoteBody, request: Request, who: NoteWriter) -> Any:
    """The note starts as ``needs_more_ratings``; it is shown once raters who usually disagree both rate it
    helpful."""
    note = await call(service_of(request).rumors.write_note, body.event_id, body.author, body.text, body.sources,
                      who.actor)
    return FastJSON(note, status_code=201)


@router.post("/v1/notes/{note_id}/ratings", tags=["notes"], summary="Rate a note (a later rating replaces it)")
async def rate_note(note_id: str, body: RatingBody, request: Request, who: NoteWriter) -> Any:
    """Answers the note as it stands after the rating (status, score, history); 403 for its own author."""
    return FastJSON(await call(service_of(request).rumors.rate_note, note_id, body.rater, body.helpful, who.actor))


@router.get("/v1/notes", tags=["notes"], summary="The notes on a post")
async def list_notes(request: Request, _: ContextReader,
                     post: Annotated[str, Query(min_length=1, max_length=200, description="The post's event id.")],
                     shown: Annotated[bool, Query(description="Only the notes shown (rated helpful).")] = False
                     ) -> Any:
    return FastJSON({"post": post, "notes": await call(service_of(request).rumors.notes, post, shown)})


@router.get("/v1/notes/{note_id}", tags=["notes"], summary="A note with its score and status history")
async def get_note(note_id: str, request: Request, _: ContextReader) -> Any:
    return FastJSON(await call(service_of(request).rumors.note, note_id))


# the debunk routes with a suffix come before the plain ones: ids may hold slashes
@router.get("/v1/debunks/{debunk_id:path}/history", tags=["rumors"], summary="Every version of a debunk")
async def debunk_history(debunk_id: str, request: Request, _: Reader) -> Any:
    return FastJSON({"debunk_id": debunk_id, "versions": await call(service_of(request).rumors.debunk_history,
                                                                    debunk_id)})


@router.post("/v1/debunks/{debunk_id:path}/clarification", tags=["rumors"], status_code=201,
             summary="Add the clarification of the person a rumor is about")
async def add_clarification(debunk_id: str, body: ClarificationBody, request: Request,
                            who: CaseWorker) -> Any:
    """Recorded by a moderator who checked it comes from that person (``account``); it replaces their earlier
    one and is shown on the debunk's card and with every label from it. Audited (``debunk.clarified``)."""
    found = await call(service_of(request).rumors.add_clarification, debunk_id, body.account, body.text, who.actor,
                       body.stated_at)
    return FastJSON(found, status_code=201)


@router.post("/v1/debunks/{debunk_id:path}/backfill", tags=["rumors"], status_code=202, response_class=FastJSON,
             summary="Start labelling stored posts that match one debunk (a job)")
async def backfill_one(debunk_id: str, request: Request, who: CaseWorker) -> Any:
    return FastJSON(await call(service_of(request).rumors.start_backfill, [debunk_id], who.actor), status_code=202)


@router.get("/v1/debunks/{debunk_id:path}", tags=["rumors"], summary="One debunk, with its ClaimReview form")
async def get_debunk(debunk_id: str, request: Request, _: Reader) -> Any:
    return FastJSON(await call(service_of(request).rumors.debunk, debunk_id))


@router.put("/v1/debunks/{debunk_id:path}", tags=["rumors"], openapi_extra=PUT_BODY, response_class=FastJSON,
            summary="Replace a debunk with a new version")
async def put_debunk(debunk_id: str, request: Request, who: CaseWorker, reason: Reason = "") -> Any:
    """The whole debunk (``id`` may be left out); answers it with its new ``version`` (unchanged content keeps
    the version). Audited (``debunk.updated``); labels already on posts stay."""
    raw = await read_json(request)
    return FastJSON(await call(service_of(request).rumors.update_debunk, debunk_id, raw, who.actor, partial=False,
                               reason=reason))


@router.patch("/v1/debunks/{debunk_id:path}", tags=["rumors"], openapi_extra=PATCH_BODY, response_class=FastJSON,
              summary="Change some fields of a debunk (a new version)")
async def patch_debunk(debunk_id: str, request: Request, who: CaseWorker, reason: Reason = "") -> Any:
    raw = await read_json(request)
    return FastJSON(await call(service_of(request).rumors.update_debunk, debunk_id, raw, who.actor, partial=True,
                               reason=reason))


@router.delete("/v1/debunks/{debunk_id:path}", tags=["rumors"], response_class=FastJSON,
               summary="Retract a debunk: it stops matching and its labels are withdrawn")
async def retract_debunk(debunk_id: str, request: Request, who: CaseWorker,
                         reason: Annotated[str, Query(min_length=1, max_length=5000,
                                                      description="Why it is retracted (sent to labelled authors)."
                                                      )] = "") -> Any:
    """Answers ``{"debunk": ..., "labels_withdrawn": n}``; 409 when already retracted. The debunk stays
    readable (``status`` ``retracted``), so labels that linked to it still resolve."""
    return FastJSON(await call(service_of(request).rumors.retract_debunk, debunk_id, who.actor, reason))


__all__ = ["router"]
