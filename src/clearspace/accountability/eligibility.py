"""Monetization eligibility: four rules, each a *mark* with the time it stops counting.

An account is ineligible while it has a mark that has not expired. Each rule looks back over the
same window (``Thresholds.window_days``, 90 by default) and its mark expires a full window after
the evidence that keeps it in force, so eligibility comes back by itself after a clean window:

* ``pileon_instigator``: it instigated a pile-on that a moderator confirmed (the incident's case
  was decided with an action other than ``allow``, and that decision was not reversed);
* ``strikes``: it has more than ``max_strikes`` active strikes from decisions in the window;
* ``toxic_traffic``: its toxic-traffic ratio over the last ``ratio_days`` went above
  ``max_ratio`` (with at least ``min_engagement`` engagement) at some time in the window;
* ``rumor_repeats``: after its first post with a rumor label, it posted at least
  ``rumor_repeats`` more labelled copies (labels withdrawn on appeal do not count);
* ``organization``: a senior moderator confirmed a measure against its organization.

Evidence at or before ``cleared_at`` (a reversed appeal against a suspension) no longer counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

RULES: Final = ("pileon_instigator", "strikes", "toxic_traffic", "rumor_repeats", "organization")
CATEGORY: Final[Mapping[str, str]] = {"pileon_instigator": "incitement", "strikes": "abuse",
                                      "toxic_traffic": "incitement", "rumor_repeats": "rumor",
                                      "organization": "incitement"}
"""The statement-of-reasons category of a suspension whose first mark is this rule."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    window_days: float = 90.0
    max_strikes: int = 2
    ratio_days: float = 30.0
    max_ratio: float = 0.3
    min_engagement: int = 20
    rumor_repeats: int = 2


@dataclass(frozen=True, slots=True)
class Evidence:
    """A dated thing that counts: a strike, a confirmed incident, a labelled post, a hostile post."""

    kind: str
    id: str
    at: str
    detail: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "id": self.id, "at": self.at}
        if self.detail:
            out.update(self.detail)
        return out


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _plus(at: str, days: float) -> str:
    moment = datetime.strptime(at, "%Y-%m-%dT%H:%M:%S.%fZ")
    return _iso(moment + timedelta(days=days))


def mark(rule: str, reason: str, expires_at: str, evidence: Sequence[Evidence]) -> dict[str, Any]:
    return {"rule": rule, "reason": reason, "expires_at": expires_at,
            "evidence": [e.to_dict() for e in evidence]}


def counted(items: Sequence[Evidence], since: str, cleared_at: str | None) -> list[Evidence]:
    """Items inside the window and after the last clearance, newest first."""
    floor = max(since, cleared_at or "")
    return sorted((e for e in items if e.at > floor), key=lambda e: e.at, reverse=True)


def strikes_mark(strikes: Sequence[Evidence], since: str, cleared_at: str | None,
                 t: Thresholds) -> dict[str, Any] | None:
    live = counted(strikes, since, cleared_at)
    if len(live) <= t.max_strikes:
        return None
    # it stops counting when only max_strikes of them are left in the window
    expires = _plus(live[t.max_strikes].at, t.window_days)
    return mark("strikes", f"{len(live)} strikes in {t.window_days:g} days (more than {t.max_strikes})",
                expires, live)


def instigator_mark(incidents: Sequence[Evidence], since: str, cleared_at: str | None,
                    t: Thresholds) -> dict[str, Any] | None:
    live = counted(incidents, since, cleared_at)
    if not live:
        return None
    return mark("pileon_instigator", f"instigated {len(live)} pile-on(s) a moderator confirmed",
                _plus(live[0].at, t.window_days), live)


def rumor_mark(posts: Sequence[Evidence], since: str, cleared_at: str | None,
               t: Thresholds) -> dict[str, Any] | None:
    live = counted(posts, since, cleared_at)
    repeats = len(live) - 1
    if repeats < t.rumor_repeats:
        return None
    return mark("rumor_repeats", f"posted {repeats} more copies of debunked rumors after the first label",
                _plus(live[t.rumor_repeats - 1].at, t.window_days), live)


def ratio_over(ratio: float, engagement: int, t: Thresholds) -> bool:
    """Whether the toxic-traffic ratio counts against the account now."""
    return engagement >= t.min_engagement and ratio > t.max_ratio


def ratio_mark(over_at: str | None, since: str, cleared_at: str | None, ratio: float, engagement: int,
               hostile_posts: Sequence[Evidence], t: Thresholds) -> dict[str, Any] | None:
    if not over_at or over_at <= max(since, cleared_at or ""):
        return None
    reason = (f"toxic-traffic ratio above {t.max_ratio:g} within {t.window_days:g} days "
              f"(now {ratio:.2f} of {engagement} engagements over {t.ratio_days:g} days)")
    return mark("toxic_traffic", reason, _plus(over_at, t.window_days), hostile_posts)


def organization_mark(measures: Sequence[Evidence], since: str, cleared_at: str | None,
                      t: Thresholds) -> dict[str, Any] | None:
    live = counted(measures, since, cleared_at)
    if not live:
        return None
    return mark("organization", "a senior moderator confirmed a measure against its organization",
                _plus(live[0].at, t.window_days), live)


def in_force(marks: Sequence[Mapping[str, Any]], now: str) -> list[Mapping[str, Any]]:
    """The marks that have not expired at ``now``."""
    return [m for m in marks if m["expires_at"] > now]


def answer(account: str, marks: Sequence[Mapping[str, Any]], now: str, since: str,
           decision_id: str | None = None) -> dict[str, Any]:
    """The monetization answer from stored marks: ineligible while one is in force; ``review_at`` is
    when the last one expires (eligibility comes back then unless new evidence arrives)."""
    live = in_force(marks, now)
    if not live:
        latest = max((m["expires_at"] for m in marks), default=None)
        return {"account": account, "eligible": True, "reasons": [], "evidence": [],
                "since": max(since, latest) if latest else since, "review_at": None, "decision_id": None}
    return {"account": account, "eligible": False,
            "reasons": [{"rule": m["rule"], "reason": m["reason"], "expires_at": m["expires_at"]} for m in live],
            "evidence": [{"rule": m["rule"], **e} for m in live for e in m["evidence"]],
            "since": since, "review_at": max(m["expires_at"] for m in live), "decision_id": decision_id}


def window_start(now: datetime, days: float) -> str:
    return _iso(now - timedelta(days=days))
