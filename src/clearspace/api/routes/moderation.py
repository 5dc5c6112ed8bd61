"""Reports, review cases, appeals and accounts."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request

from clearspace.api.auth import AppealJudge, Appellant, BatchActor, CaseWorker, Reader, Reporter
from clearspace.api.calls import call, service_of
from clearspace.api.jsonio import FastJSON
from clearspace.api.models import AppealBody, AppealDecisionBody, BatchBody, CaseDecisionBody, ReportBody, TrustedBody
from clearspace.service.reports import ReportIn

router = APIRouter()
Lane = Literal["minors", "pileon", "trusted_flagger", "severity", "appeal", "standard"]



@router.post("/v1/reports", tags=["reports"], status_code=202, summary="Report an item or account (notice)")
async def file_report(body: ReportBody, request: Request, who: Reporter) -> Any:
    """Acknowledges at once; the reporter is told the outcome when a moderator decides."""
    report = ReportIn(**body.model_dump())
    return FastJSON(await call(service_of(request).cases.file_report, report, who.actor), status_code=202)


@router.get("/v1/reports/{report_id}", tags=["reports"], summary="A report and its status")
async def get_report(report_id: str, request: Request, _: Reader) -> Any:
    return FastJSON(await call(service_of(request).cases.report, report_id))


@router.put("/v1/reporters/{reporter}/trusted", tags=["reports"], summary="Mark a trusted flagger")
async def set_trusted(reporter: str, body: TrustedBody, request: Request,
                      who: BatchActor) -> Any:
    await call(service_of(request).cases.set_trusted_flagger, reporter, body.trusted, who.actor)
    return FastJSON({"reporter": reporter, "trusted": body.trusted})


@router.get("/v1/cases", tags=["cases"], summary="The review queue, most urgent first")
async def list_cases(request: Request, _: Reader, lane: Lane | None = None,
                     status: Literal["open", "closed"] = "open", limit: int = Query(default=100, ge=1, le=1000)) -> Any:
    return FastJSON({"cases": await call(service_of(request).cases.queue, lane, status, limit)})


@router.post("/v1/cases/next", tags=["cases"], summary="Claim the most urgent unclaimed case")
async def next_case(request: Request, who: CaseWorker, lane: Lane | None = None) -> Any:
    return FastJSON({"case": await call(service_of(request).cases.next, who.actor, lane)})


@router.get("/v1/cases/{case_id}", tags=["cases"], summary="A case with its event, decisions and reports")
async def get_case(case_id: str, request: Request, _: Reader) -> Any:
    return FastJSON(await call(service_of(request).cases.get, case_id))


@router.post("/v1/cases/{case_id}/claim", tags=["cases"], summary="Lease a case (409 if someone else holds it)")
async def claim_case(case_id: str, request: Request, who: CaseWorker) -> Any:
    return FastJSON(await call(service_of(request).cases.claim, case_id, who.actor))


@router.post("/v1/cases/{case_id}/release", tags=["cases"], summary="Give a claimed case back")
async def release_case(case_id: str, request: Request, who: CaseWorker) -> Any:
    return FastJSON(await call(service_of(request).cases.release, case_id, who.actor))


@router.post("/v1/cases/{case_id}/decision", tags=["cases"], summary="Decide a case you hold")
async def decide_case(case_id: str, body: CaseDecisionBody, request: Request,
                      who: CaseWorker) -> Any:
    return FastJSON(await call(service_of(request).cases.decide, case_id, who.actor, body.action, body.category,
                               body.explanation))


@router.post("/v1/appeals", tags=["appeals"], status_code=201, summary="Appeal a decision (author or reporter)")
async def file_appeal(body: AppealBody, request: Request, who: Appellant) -> Any:
    appeal = await call(service_of(request).cases.file_appeal, body.decision_id, body.appellant, body.reason, who.actor)
    return FastJSON(appeal, status_code=201)


@router.get("/v1/appeals", tags=["appeals"], summary="Appeals by status")
async def list_appeals(request: Request, _: Reader,
                       status: Literal["pending", "decided"] = "pending",
                       limit: int = Query(default=100, ge=1, le=1000)) -> Any:
    return FastJSON({"appeals": await call(service_of(request).cases.appeals, status, limit)})


@router.get("/v1/appeals/{appeal_id}", tags=["appeals"], summary="One appeal")
async def get_appeal(appeal_id: str, request: Request, _: Reader) -> Any:
    return FastJSON(await call(service_of(request).cases.appeal, appeal_id))


@router.post("/v1/appeals/{appeal_id}/decision", tags=["appeals"], summary="Uphold or reverse (a human decides)")
async def decide_appeal(appeal_id: str, body: AppealDecisionBody, request: Request,
                        who: AppealJudge) -> Any:
    return FastJSON(await call(service_of(request).cases.decide_appeal, appeal_id, who.actor, body.outcome,
                               body.explanation))


@router.get("/v1/accounts/{account}", tags=["accounts"], summary="Strikes and restrictions of an account")
async def account(account: str, request: Request, _: Reader) -> Any:
    return FastJSON(await call(service_of(request).accounts.status, account))


@router.get("/v1/accounts/{account}/notifications", tags=["accounts"], summary="Messages left for an account")
async def notifications(account: str, request: Request, _: Reader,
                        limit: int = Query(default=100, ge=1, le=1000)) -> Any:
    return FastJSON({"notifications": await call(service_of(request).accounts.notifications, account, limit)})


@router.post("/v1/accounts/batch", tags=["accounts"], summary="Strike many accounts (e.g. a pile-on's participants)")
async def batch(body: BatchBody, request: Request, who: BatchActor) -> Any:
    return FastJSON(await call(service_of(request).cases.batch_action, who.actor, body.category, body.explanation,
                               body.accounts, body.target_user, body.window_minutes, body.incident_id, body.roles))
