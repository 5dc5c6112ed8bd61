"""Creator accountability (issue 16): accounts with reach, toxic traffic, monetization eligibility,
creator records, organizations and typical-case announcements. docs/accountability.md."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from clearspace.api.auth import BatchActor, CaseWorker, ContextReader, Ingester, Reader, TransparencyReader
from clearspace.api.calls import call, service_of

router = APIRouter()
Name = Field(min_length=1, max_length=200)
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown account: it never posted and was never set with PUT."}}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AccountBody(_Strict):
    followers: StrictInt | None = Field(default=None, ge=0, le=10**12)
    verified: StrictBool | None = None
    monetized: StrictBool | None = None
    organization: str | None = Field(default=None, min_length=1, max_length=200)


class ProposalBody(_Strict):
    measure: Literal["warning", "monetization_review", "suspend_monetization"]
    reason: str = Field(min_length=1, max_length=2000)


class ProposalDecision(_Strict):
    confirm: bool
    note: str = Field(min_length=1, max_length=2000)


class AnnouncementBody(_Strict):
    cases: list[Annotated[str, Name]] = Field(min_length=1, max_length=20)
    title: str = Field(min_length=1, max_length=200)
    lang: Literal["zh", "en"] = "zh"


@router.put("/v1/accounts/{account}", tags=["accounts"], summary="Set an account's reach (followers, verified, "
            "monetized, organization)")
async def put_account(account: str, body: AccountBody, request: Request, who: Ingester) -> Any:
    return await call(service_of(request).accounts.put, account, body.model_dump(exclude_none=True), who.actor)


@router.get("/v1/accounts/{account}/reach", tags=["accounts"], summary="An account's reach", responses=NOT_FOUND)
async def get_account(account: str, request: Request, _: ContextReader) -> Any:
    return await call(service_of(request).accounts.get, account)


@router.get("/v1/accounts/{account}/monetization", tags=["accounts"], responses=NOT_FOUND,
            summary="Whether the account may be paid now: eligible, reasons, evidence, since, review_at")
async def monetization(account: str, request: Request, _: ContextReader) -> Any:
    return await call(service_of(request).accounts.monetization, account)


@router.get("/v1/accounts/{account}/traffic", tags=["accounts"], responses=NOT_FOUND,
            summary="Toxic-traffic ratio, per day, the most hostile posts and pile-on roles")
async def traffic(account: str, request: Request, _: Reader,
                  posts: Annotated[int, Query(ge=0, le=100)] = 10) -> Any:
    return await call(service_of(request).accounts.traffic, account, posts)


@router.get("/v1/posts/{event_id}/traffic", tags=["accounts"], summary="The engagement one post drew")
async def post_traffic(event_id: str, request: Request, _: Reader) -> Any:
    return await call(service_of(request).accounts.post_traffic, event_id)


@router.get("/v1/accounts/{account}/record", tags=["accounts"], responses=NOT_FOUND,
            summary="The creator record: decisions, strikes, what counts against monetization and until when")
async def record(account: str, request: Request, _: Reader) -> Any:
    return await call(service_of(request).accounts.creator_record, account)


@router.get("/v1/organizations/{name}", tags=["accounts"],
            summary="An organization's accounts: strikes, incidents instigated, rumor labels, ratios")
async def organization(name: str, request: Request, _: Reader) -> Any:
    return await call(service_of(request).accounts.organization, name)


@router.post("/v1/organizations/{name}/proposals", tags=["accounts"], status_code=201,
             summary="Propose a measure against an organization (a senior moderator confirms it)")
async def propose(name: str, body: ProposalBody, request: Request, who: CaseWorker) -> Any:
    return await call(service_of(request).accounts.propose_org_measure, name, body.measure, body.reason, who.actor)


@router.post("/v1/organizations/proposals/{proposal_id}/decision", tags=["accounts"],
             summary="Confirm or reject an organization proposal (senior moderators)")
async def decide(proposal_id: str, body: ProposalDecision, request: Request, who: BatchActor) -> Any:
    return await call(service_of(request).accounts.decide_org_proposal, proposal_id, body.confirm, body.note, who.actor)


@router.post("/v1/announcements", tags=["accounts"], status_code=201,
             summary="Draft a typical-case announcement (典型案例) from decided cases, personal information masked")
async def draft(body: AnnouncementBody, request: Request, who: BatchActor) -> Any:
    return await call(service_of(request).admin.draft_announcement, body.cases, body.title, body.lang, who.actor)


@router.post("/v1/announcements/{announcement_id}/publish", tags=["accounts"], summary="Publish a drafted announcement")
async def publish(announcement_id: str, request: Request, who: BatchActor) -> Any:
    return await call(service_of(request).admin.publish_announcement, announcement_id, who.actor)


@router.get("/v1/announcements", tags=["accounts"], summary="Typical-case announcements (published, or drafts)")
async def announcements(request: Request, _: TransparencyReader,
                        status: Literal["published", "draft"] = "published") -> Any:
    return await call(service_of(request).admin.announcements, status)
