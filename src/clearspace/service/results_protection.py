"""Typed results of :class:`clearspace.service.facades.protection.ProtectionFacade` beyond those in
:mod:`clearspace.service.results` (issue 14 point 18): built key by key where the service makes them."""

from typing import NotRequired, TypedDict

from clearspace.protection.nudge import NudgeFields


class ShieldCheck(TypedDict):
    """deliver / hold / drop for one interaction (``POST /v1/shield/{account}/check``):
    :meth:`ProtectionFacade.check` (``held_id`` when it was held)."""

    action: str
    reason: str
    held_id: NotRequired[str]


class NudgeView(NudgeFields):
    """The pre-send nudge for a draft (``POST /v1/nudge``): :meth:`clearspace.protection.nudge.Nudge.to_dict`
    and the author's ``recent_strikes``."""

    recent_strikes: int


class ProtectionTick(TypedDict):
    """What the periodic protection job did: :meth:`ProtectionFacade.tick`."""

    reminders: int
    incidents_ended: int
    audit_checkpoints: int


class IncidentCounts(TypedDict):
    """Incidents recorded from outside the live detector: :meth:`ProtectionFacade.record_incidents`."""

    opened: int
    updated: int
    ended: int


class PileonTick(IncidentCounts):
    """Shared pile-on detection's step: :func:`clearspace.service.pileon_shared.idle` and
    :meth:`clearspace.service.pileon_shared.SharedDetection.tick`."""

    holder: bool
    events: int
