"""Turning one-click protection (一键防护) on, as the API and the console ask for it (issue 14 point 18).

Both faces send a :class:`ShieldRequest`; the rules live here, once: an *assisted* activation (a
moderator turning it on with the person, e.g. a minor) needs a role with ``cases:work`` and is
recorded as ``activated_by: assisted:<moderator>``; otherwise the face says how it was turned on
(``self`` from the platform's API call, ``console:<moderator>`` from the console).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from clearspace.protection.shield import SURFACES, Shield, make_shield
from clearspace.service import access

ASSISTED_PERMISSION: Final = "cases:work"


@dataclass(frozen=True, slots=True)
class ShieldRequest:
    """The options of a new shield for ``account`` (see :func:`clearspace.protection.shield.make_shield`)."""

    account: str
    days: float = 7.0
    surfaces: Sequence[str] = SURFACES
    audience: str = "strangers"
    new_follower_days: float = 7.0
    allow: Sequence[str] = ()
    block: Sequence[str] = ()
    drop_above: float | None = 0.9
    reminder_hours: float = 24.0
    assisted: bool = False


def activated_by(request: ShieldRequest, role: str, actor: str, unassisted: str) -> str:
    """Who turned it on, as recorded; PermissionDenied for an assisted activation by a role without cases:work."""
    if request.assisted:
        access.authorize_role(role, ASSISTED_PERMISSION)
        return f"assisted:{actor}"
    return unassisted


def build(request: ShieldRequest, *, role: str, actor: str, unassisted: str, now: float) -> Shield:
    """The validated shield from ``now`` (InputError says what to change)."""
    by = activated_by(request, role, actor, unassisted)
    return make_shield(request.account, now=now, days=request.days, surfaces=request.surfaces,
                       audience=request.audience, new_follower_days=request.new_follower_days, allow=request.allow,
                       block=request.block, drop_above=request.drop_above, reminder_hours=request.reminder_hours,
                       activated_by=by)
