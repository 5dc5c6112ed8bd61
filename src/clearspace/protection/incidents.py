"""Incidents: one pile-on against one target, with participants and their roles.

Roles: ``instigator`` (the source others reply to or quote, or who incites), ``first_poster``
(the earliest hostile participant), ``repeat`` (more than one hostile interaction) and
``follower`` (everyone else who joined in).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clearspace.protection.events import Event, iso


@dataclass(slots=True)
class Participant:
    """One account's hostile interactions with the target during an incident."""

    account: str
    first_ts: float
    events: list[str] = field(default_factory=list)
    max_hostility: float = 0.0
    incitement: float = 0.0
    new_account: bool = False
    follower: bool = False

    @property
    def count(self) -> int:
        return len(self.events)


@dataclass(slots=True)
class Incident:
    """A pile-on: its target, when it started, when it was detected, and who took part."""

    id: str
    target: str
    start: float
    detected_at: float
    last_ts: float
    participants: dict[str, Participant] = field(default_factory=dict)
    referrals: dict[str, int] = field(default_factory=dict)
    referral_authors: dict[str, str] = field(default_factory=dict)
    reporters: set[str] = field(default_factory=set)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    minor: bool = False
    closed: bool = False
    instigators: list[str] = field(default_factory=list)

    def add(self, event: Event, hostility: float, *, new_account: bool, referral: str | None,
            referral_author: str | None) -> None:
        """Record one hostile interaction with the target."""
        p = self.participants.get(event.author)
        if p is None:
            p = Participant(event.author, event.ts, new_account=new_account,
                            follower=bool(event.author_follows_target))
            self.participants[event.author] = p
        p.events.append(event.id)
        p.max_hostility = max(p.max_hostility, hostility)
        if event.scores:
            p.incitement = max(p.incitement, event.scores.get("incitement", 0.0))
        if referral is not None:
            self.referrals[referral] = self.referrals.get(referral, 0) + 1
            if referral_author is not None and referral_author != self.target:
                self.referral_authors.setdefault(referral, referral_author)
        self.start = min(self.start, event.ts)
        self.last_ts = max(self.last_ts, event.ts)
        self.minor = self.minor or event.minor
        self.timeline.append({"ts": event.ts, "event": event.id, "author": event.author,
                              "surface": event.surface, "hostility": round(hostility, 4),
                              "parent": event.parent})

    def first_poster(self) -> str | None:
        if not self.participants:
            return None
        return min(self.participants.values(), key=lambda p: (p.first_ts, p.account)).account

    def find_instigators(self, min_share: float = 0.15, incite: float = 0.6) -> list[str]:
        """Authors of the most-referenced sources, and early inciters; else the first poster."""
        n = sum(p.count for p in self.participants.values()) or 1
        found: dict[str, int] = {}
        for ref, count in self.referrals.items():
            author = self.referral_authors.get(ref)
            if author is not None and count >= max(2, min_share * n):
                found[author] = max(found.get(author, 0), count)
        for p in self.participants.values():
            if p.incitement >= incite and p.first_ts <= self.detected_at and p.account not in found:
                found[p.account] = 1
        if not found:
            first = self.first_poster()
            return [first] if first else []
        return sorted(found, key=lambda a: (-found[a], a))

    def roles(self) -> dict[str, str]:
        """Account -> role; instigator wins over first poster over repeat over follower."""
        instigators = set(self.instigators or self.find_instigators())
        first = self.first_poster()
        out: dict[str, str] = {}
        for account in instigators:
            out[account] = "instigator"
        for p in sorted(self.participants.values(), key=lambda p: (p.first_ts, p.account)):
            if p.account in out:
                continue
            if p.account == first:
                out[p.account] = "first_poster"
            elif p.count > 1:
                out[p.account] = "repeat"
            else:
                out[p.account] = "follower"
        return out

    def to_dict(self, *, timeline: bool = False) -> dict[str, Any]:
        """The replay record: target, start, detected_at, participants, instigators (+ roles)."""
        self.instigators = self.find_instigators()
        roles = self.roles()
        ordered = sorted(self.participants.values(), key=lambda p: (p.first_ts, p.account))
        out: dict[str, Any] = {
            "id": self.id,
            "target": self.target,
            "start": iso(self.start),
            "detected_at": iso(self.detected_at),
            "end": iso(self.last_ts),
            "participants": [p.account for p in ordered],
            "instigators": list(self.instigators),
            "roles": roles,
            "hostile_events": sum(p.count for p in ordered),
            "top_referrals": sorted(self.referrals.items(), key=lambda kv: (-kv[1], kv[0]))[:3],
        }
        if self.reporters:
            out["reporters"] = sorted(self.reporters)
        if self.minor:
            out["minor"] = True
        if timeline:
            out["timeline"] = list(self.timeline)
        return out
