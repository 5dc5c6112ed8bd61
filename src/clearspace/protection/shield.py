"""One-click protection (一键防护): time-boxed shields and the hot-path check.

A :class:`Shield` says, for one protected account, which surfaces are covered, which audience
is held back, and until when. :func:`check` answers for one incoming interaction whether to
``deliver`` it, ``hold`` it in the protected person's review folder, or ``drop`` it. It is a
handful of comparisons (microseconds), so it can sit on a platform's hot path.

Audiences:

* ``strangers``: no follow relation either way;
* ``non_followers``: anyone who does not follow the protected account;
* ``new_followers``: non-followers and followers newer than ``new_follower_days``;
* ``all_but_allowed``: everyone except the accounts in ``allow``.

The allow list always passes; the block list is always dropped; on covered surfaces, an
interaction from the held audience whose hostility is at least ``drop_above`` is dropped,
otherwise held.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypedDict

from clearspace.errors import InputError

SURFACES: tuple[str, ...] = ("comments", "dms", "mentions", "reposts", "danmaku")
AUDIENCES: tuple[str, ...] = ("strangers", "non_followers", "new_followers", "all_but_allowed")
SURFACE_OF: dict[str, str] = {
    "comment": "comments", "comments": "comments", "reply": "comments", "post": "comments",
    "dm": "dms", "dms": "dms", "mention": "mentions", "mentions": "mentions",
    "repost": "reposts", "reposts": "reposts", "quote": "reposts",
    "danmaku": "danmaku", "livechat": "danmaku",
}
DAY = 86400.0
Action = Literal["deliver", "hold", "drop"]


@dataclass(frozen=True, slots=True)
class Shield:
    """Protection for one account. Times are epoch seconds."""

    account: str
    starts_at: float
    expires_at: float
    surfaces: frozenset[str] = frozenset(SURFACES)
    audience: str = "strangers"
    new_follower_days: float = 7.0
    allow: frozenset[str] = frozenset()
    block: frozenset[str] = frozenset()
    drop_above: float | None = 0.9
    reminder_s: float = DAY
    activated_by: str = "self"

    @property
    def reminder_at(self) -> float:
        """When to remind the person that protection is about to expire."""
        return max(self.starts_at, self.expires_at - self.reminder_s)

    def active(self, now: float) -> bool:
        return self.starts_at <= now < self.expires_at

    def extend(self, days: float) -> Shield:
        return replace(self, expires_at=self.expires_at + days * DAY)

    def to_dict(self) -> dict[str, Any]:
        return {"account": self.account, "starts_at": self.starts_at, "expires_at": self.expires_at,
                "reminder_at": self.reminder_at, "surfaces": sorted(self.surfaces), "audience": self.audience,
                "new_follower_days": self.new_follower_days, "allow": sorted(self.allow),
                "block": sorted(self.block), "drop_above": self.drop_above, "activated_by": self.activated_by}


def make_shield(account: str, *, now: float, days: float = 7.0, surfaces: Any = SURFACES,
                audience: str = "strangers", new_follower_days: float = 7.0, allow: Any = (), block: Any = (),
                drop_above: float | None = 0.9, reminder_hours: float = 24.0, activated_by: str = "self") -> Shield:
    """A validated shield from now for ``days`` (default 7); errors say what to change."""
    if not account:
        raise InputError("'account' is required")
    if not 0 < days <= 365:
        raise InputError(f"'days' must be in (0, 365], got {days}")
    chosen = frozenset(surfaces)
    unknown = chosen - set(SURFACES)
    if unknown or not chosen:
        raise InputError(f"'surfaces' must be a non-empty subset of {', '.join(SURFACES)}; got {sorted(unknown)}")
    if audience not in AUDIENCES:
        raise InputError(f"'audience' must be one of {', '.join(AUDIENCES)}, got {audience!r}")
    if new_follower_days < 0:
        raise InputError("'new_follower_days' must be >= 0")
    if drop_above is not None and not 0 <= drop_above <= 1:
        raise InputError("'drop_above' must be in [0, 1] or null")
    return Shield(account=account, starts_at=now, expires_at=now + days * DAY, surfaces=chosen, audience=audience,
                  new_follower_days=new_follower_days, allow=frozenset(allow), block=frozenset(block),
                  drop_above=drop_above, reminder_s=reminder_hours * 3600, activated_by=activated_by)


@dataclass(frozen=True, slots=True)
class Interaction:
    """An interaction about to reach the protected account."""

    author: str
    surface: str
    author_follows: bool = False
    follows_author: bool = False
    followed_since: float | None = None
    hostility: float | None = None


class VerdictFields(TypedDict):
    """A verdict as JSON (:meth:`Verdict.to_dict`)."""

    action: str
    reason: str


@dataclass(frozen=True, slots=True)
class Verdict:
    action: Action
    reason: str

    def to_dict(self) -> VerdictFields:
        return {"action": self.action, "reason": self.reason}


DELIVER_OFF = Verdict("deliver", "no active protection")
DELIVER_SURFACE = Verdict("deliver", "surface not covered")
DELIVER_ALLOWED = Verdict("deliver", "author is on the allow list")
DELIVER_AUDIENCE = Verdict("deliver", "author is outside the protected audience")
DROP_BLOCKED = Verdict("drop", "author is on the block list")
DROP_HOSTILE = Verdict("drop", "held audience and hostile content")
HOLD = Verdict("hold", "held for the protected person to review")


def check(shield: Shield | None, interaction: Interaction, now: float) -> Verdict:
    """deliver / hold / drop for one interaction (pure; microseconds)."""
    if shield is None or not (shield.starts_at <= now < shield.expires_at):
        return DELIVER_OFF
    author = interaction.author
    if author in shield.allow:
        return DELIVER_ALLOWED
    if author in shield.block:
        return DROP_BLOCKED
    if SURFACE_OF.get(interaction.surface, interaction.surface) not in shield.surfaces:
        return DELIVER_SURFACE
    if not _in_audience(shield, interaction, now):
        return DELIVER_AUDIENCE
    h = interaction.hostility
    if shield.drop_above is not None and h is not None and h >= shield.drop_above:
        return DROP_HOSTILE
    return HOLD


def _in_audience(shield: Shield, it: Interaction, now: float) -> bool:
    audience = shield.audience
    if audience == "all_but_allowed":
        return True
    if audience == "strangers":
        return not it.author_follows and not it.follows_author
    if audience == "non_followers":
        return not it.author_follows
    # new_followers
    if not it.author_follows:
        return True
    return it.followed_since is None or now - it.followed_since < shield.new_follower_days * DAY


@dataclass(slots=True)
class HeldItem:
    """An interaction waiting in the protected person's folder."""

    id: str
    account: str
    author: str
    surface: str
    ts: float
    text: str = ""
    reason: str = ""
    status: str = "held"


@dataclass(slots=True)
class ShieldBook:
    """In-memory shields and held folders (the store persists the same records)."""

    shields: dict[str, Shield] = field(default_factory=dict)
    held: dict[str, list[HeldItem]] = field(default_factory=dict)
    reminded: set[tuple[str, float]] = field(default_factory=set)

    def activate(self, shield: Shield) -> Shield:
        self.shields[shield.account] = shield
        return shield

    def deactivate(self, account: str) -> bool:
        return self.shields.pop(account, None) is not None

    def get(self, account: str, now: float) -> Shield | None:
        shield = self.shields.get(account)
        return shield if shield is not None and shield.active(now) else None

    def check(self, account: str, interaction: Interaction, now: float, *, item_id: str = "",
              text: str = "") -> Verdict:
        verdict = check(self.shields.get(account), interaction, now)
        if verdict.action == "hold":
            self.held.setdefault(account, []).append(
                HeldItem(item_id, account, interaction.author, interaction.surface, now, text, verdict.reason))
        return verdict

    def folder(self, account: str) -> list[HeldItem]:
        return [i for i in self.held.get(account, []) if i.status == "held"]

    def resolve(self, account: str, item_id: str, decision: Literal["release", "dismiss"]) -> HeldItem:
        for item in self.held.get(account, []):
            if item.id == item_id and item.status == "held":
                item.status = "released" if decision == "release" else "dismissed"
                return item
        raise InputError(f"no held item {item_id!r} for {account!r}")

    def due_reminders(self, now: float) -> list[Shield]:
        """Shields whose reminder time has come (each reminded once)."""
        out = []
        for shield in self.shields.values():
            key = (shield.account, shield.expires_at)
            if shield.reminder_at <= now < shield.expires_at and key not in self.reminded:
                self.reminded.add(key)
                out.append(shield)
        return out
