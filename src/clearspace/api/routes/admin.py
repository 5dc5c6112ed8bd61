"""Keys, audit log and health."""

from __future__ import annotations

from typing import Any, Literal

import orjson
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response, StreamingResponse

from clearspace.api.auth import Admin, Auditor, TransparencyReader
from clearspace.api.calls import call, service_of
from clearspace.api.jsonio import FastJSON
from clearspace.api.models import WebhookBody

router = APIRouter()


class KeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["ingest", "moderator", "senior_moderator", "auditor", "admin"]
    name: str = Field(default="", max_length=100)
    rate_limit: float | None = Field(default=None, gt=0, le=1_000_000, description="Requests per second.")


@router.get("/healthz", tags=["admin"], summary="Liveness (no key needed)")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.post("/v1/keys", tags=["admin"], status_code=201, summary="Create an API key (shown once)")
async def create_key(body: KeyIn, request: Request, principal: Admin) -> Any:
    record, key = await call(service_of(request).admin.create_key, body.role, body.name,
                             body.rate_limit, principal.actor)
    return FastJSON({**record, "key": key}, status_code=201)


@router.get("/v1/keys", tags=["admin"], summary="List API keys (never the secrets)")
async def list_keys(request: Request, _: Admin) -> Any:
    return FastJSON({"keys": await call(service_of(request).admin.list_keys)})


@router.delete("/v1/keys/{key_id}", tags=["admin"], summary="Revoke an API key")
async def revoke_key(key_id: str, request: Request, principal: Admin) -> Any:
    """The key stops working at once in this process (other worker processes notice within 5 s)."""
    revoked = await call(service_of(request).admin.revoke_key, key_id, principal.actor)
    request.app.state.keys.forget(key_id)
    return FastJSON(revoked)


@router.get("/v1/audit/verify", tags=["audit"], summary="Check the audit log's hash chain")
async def verify_audit(request: Request, _: Auditor) -> Any:
    result = await call(service_of(request).admin.verify_audit)
    return FastJSON(result.to_dict())


@router.get("/v1/audit", tags=["audit"], summary="Export audit events as JSON Lines")
async def export_audit(request: Request, _: Auditor,
                       start: str | None = Query(default=None, alias="from", max_length=40),
                       end: str | None = Query(default=None, alias="to", max_length=40)) -> Response:
    rows = service_of(request).admin.export_audit(start, end)  # bad bounds fail here, before streaming
    return StreamingResponse((orjson.dumps(r) + b"\n" for r in rows), media_type="application/x-ndjson")


@router.get("/v1/transparency", tags=["transparency"], summary="Transparency report (from the audit log alone)")
async def transparency(request: Request, _: TransparencyReader,
                       start: str | None = Query(default=None, alias="from", min_length=4, max_length=40,
                                                 description="ISO date or time (default: 30 days before today)."),
                       end: str | None = Query(default=None, alias="to", min_length=4, max_length=40,
                                               description="ISO date or time, exclusive (default: tomorrow)."),
                       format: Literal["json", "csv"] = "json") -> Response:
    from clearspace.service.transparency import to_csv

    data = await call(service_of(request).admin.transparency, start, end)
    if format == "csv":
        return Response(to_csv(data), media_type="text/csv")
    return FastJSON(data)


@router.post("/v1/webhooks", tags=["admin"], status_code=201, summary="Register a webhook (answer holds its secret)")
async def add_webhook(body: WebhookBody, request: Request, who: Admin) -> Any:
    row = await call(service_of(request).admin.add_webhook, body.url, list(body.topics), who.actor)
    return FastJSON(row, status_code=201)


@router.get("/v1/webhooks", tags=["admin"], summary="List webhooks (without secrets)")
async def list_webhooks(request: Request, _: Admin) -> Any:
    return FastJSON({"webhooks": await call(service_of(request).admin.webhooks)})


class AcknowledgeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field(default="", max_length=2000, description="What was found and done about it.")


@router.post("/v1/audit/checkpoints", tags=["audit"], status_code=201,
             summary="Sign a checkpoint of the audit chain heads now")
async def make_checkpoint(request: Request, who: Admin) -> Any:
    """The signed document (Ed25519, the evidence key): keep it outside the database and check it
    later with ``clearspace audit verify --checkpoint FILE``. 409 when the chain is broken."""
    document = await call(service_of(request).admin.make_audit_checkpoint, who.actor)
    return FastJSON(document, status_code=201)


@router.get("/v1/audit/checkpoints", tags=["audit"], summary="Signed audit checkpoints, newest first")
async def list_checkpoints(request: Request, _: TransparencyReader,
                           limit: int = Query(default=100, ge=1, le=1000)) -> Any:
    found = await call(service_of(request).admin.audit_checkpoints, limit)
    return FastJSON({"checkpoints": found})


@router.get("/v1/audit/alarms", tags=["audit"], summary="Broken-chain alarms, newest first")
async def list_alarms(request: Request, _: Auditor, limit: int = Query(default=100, ge=1, le=1000)) -> Any:
    return FastJSON({"alarms": await call(service_of(request).admin.audit_alarms, limit)})


@router.post("/v1/audit/alarms/{alarm_id}/acknowledge", tags=["audit"],
             summary="Acknowledge a broken-chain alarm (an audit event)")
async def acknowledge_alarm(alarm_id: str, body: AcknowledgeBody, request: Request, who: Admin) -> Any:
    row = await call(service_of(request).admin.acknowledge_audit_alarm, alarm_id, who.actor, body.note)
    return FastJSON(row)


@router.get("/v1/policy", tags=["admin"], summary="The policy in force: this process's and the database's active one")
async def get_policy(request: Request, _: Auditor) -> Any:
    """``running``: the ``name@version``, file SHA-256 and source this server process scores with;
    ``active``: the database's active policy (every process switches to it within ``policy_poll_seconds``)."""
    return FastJSON(await call(service_of(request).admin.active_policy))


@router.post("/v1/policy/reload", tags=["admin"], summary="Reload the policy file (refused if it has problems)")
async def reload_policy(request: Request, who: Admin) -> Any:
    """Reads the file of the ``policy`` setting again. A file with problems is refused (400, every problem as
    ``file:line:col``) and the policy in force keeps serving; a good one becomes the active policy of every
    process on the database, with an audit event ``policy.reloaded`` naming the old and new policy and hash."""
    return FastJSON(await call(service_of(request).admin.reload_policy, who.actor))
