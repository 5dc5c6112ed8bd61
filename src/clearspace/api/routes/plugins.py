"""Plug-in health and cost, and shadow mode (a candidate scoring beside the active engine)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from clearspace.api.auth import Admin
from clearspace.api.calls import call, service_of
from clearspace.api.jsonio import FastJSON
from clearspace.service.shadow_candidates import MAX_POLICY_CHARS, CandidateSpec

router = APIRouter()


class ShadowBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    policy: str | None = Field(default=None, max_length=MAX_POLICY_CHARS,
                               description="A candidate policy's YAML text (validated now; errors read file:line:col).")
    model_path: str | None = Field(default=None, min_length=1, max_length=4096,
                                   description="A candidate model file, as a path on the server.")
    version: str | None = Field(default=None, min_length=1, max_length=200,
                                description="A stored model version, where the server can load versions.")


@router.get("/v1/plugins", tags=["admin"], summary="Plug-ins: health, calls, latency, circuit breaker")
async def plugins(request: Request, _: Admin) -> Any:
    """Each configured plug-in with its counters (a guard: calls, ok, timeouts, failures, garbage answers,
    skipped calls, tokens, p50/p99 latency, breaker state) and the plug-ins that could not load."""
    return FastJSON(await call(service_of(request).learning.plugin_stats))


@router.get("/v1/shadow", tags=["admin"], summary="The shadow run: disagreements by kind, with examples")
async def shadow(request: Request, _: Admin, run: str | None = Query(default=None, max_length=100),
                 kind: str | None = Query(default=None, max_length=100, description="e.g. action:allow->hold"),
                 limit: int = Query(default=20, ge=1, le=500)) -> Any:
    """The running run (else the latest, or ``run``), its counts by kind of disagreement and the latest
    example posts (of one ``kind`` when given). ``{"run": null, ...}`` when no run was ever started."""
    return FastJSON(await call(service_of(request).learning.shadow_summary, run, kind, limit))


@router.post("/v1/shadow", tags=["admin"], status_code=201, summary="Start a shadow run with a candidate")
async def start_shadow(body: ShadowBody, request: Request, who: Admin) -> Any:
    """The candidate is checked now (a bad policy or model file is a 400 and nothing starts); 409 when a
    run is already running. It scores ingested posts beside the active engine and never acts."""
    spec = CandidateSpec(policy=body.policy, model_path=body.model_path, version=body.version)
    return FastJSON(await call(service_of(request).learning.start_shadow, spec, who.actor),
                    status_code=201)


@router.delete("/v1/shadow", tags=["admin"], summary="Stop the shadow run")
async def stop_shadow(request: Request, who: Admin) -> Any:
    return FastJSON(await call(service_of(request).learning.stop_shadow, who.actor))
