"""Incidents: one pile-on against one target, with participants and their roles.

Roles: ``instigator`` (the source others reply to or quote, or who incites), ``first_poster``
(the earliest hostile participant), ``repeat`` (more than one hostile interaction) and
``follower`` (everyone else who joined in).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from clearspace.protection.events import Event, iso

SERIES_STEPS: Final = (60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400)
"""Bucket sizes (seconds) of an incident's hostile series; each is a multiple of the one before."""
SERIES_MOST: Final = 240
"""The most buckets :class:`HostileCounts` keeps (it moves to the next step instead)."""


@dataclass(frozen=True, slots=True)
class Hit:
    """What an incident keeps of one hostile interaction (the detector's window holds these, not events)."""

    id: str
    author: str
    ts: float
    surface: str = "post"
    parent: str | None = None
    minor: bool = False
    incitement: float = 0.0
    author_follows_target: bool | None = None

    @classmethod
    def of(cls, event: Event) -> Hit:
        incitement = event.scores.get("incitement", 0.0) if event.scores else 0.0
        return cls(event.id, event.author, event.ts, event.surface, event.parent, event.minor, incitement,
                   event.author_follows_target)


@dataclass(slots=True)
class HostileCounts:
    """Hostile interactions per time bucket of ``step`` seconds (bucket start -> count), in at most
    :data:`SERIES_MOST` buckets: past that the step grows to the next of :data:`SERIES_STEPS` (the counts
    merge). A series drawn in any step of that chain at least as large is exact, in bounded memory
    however long the incident lasts (at the largest step the oldest days are dropped)."""

    step: int = SERIES_STEPS[0]
    counts: dict[int, int] = field(default_factory=dict)

    def add(self, ts: float, n: int = 1) -> None:
        key = int(ts // self.step) * self.step
        self.counts[key] = self.counts.get(key, 0) + n
        if len(self.counts) > SERIES_MOST:
            self._coarsen()

    def _coarsen(self) -> None:
        if self.step == SERIES_STEPS[-1]:
            del self.counts[min(self.counts)]
            return
        old, self.counts = self.counts, {}
        self.step = SERIES_STEPS[SERIES_STEPS.index(self.step) + 1]
        for key, n in old.items():
            self.add(key, n)

    def items(self) -> Iterator[tuple[float, int]]:
        """``(bucket start, count)``, oldest first."""
        for key in sorted(self.counts):
            yield float(key), self.counts[key]


@dataclass(slots=True)
class Participant:
    """One account's hostile interactions with the target during an incident."""

    account: str
    first_ts: float
    count: int = 0
    max_hostility: float = 0.0
    incitement: float = 0.0
    new_account: bool = False
    follower: bool = False


@dataclass(slots=True)
class Incident:
    """A pile-on: its target, when it started, when it was detected, and who took part.

    ``hostile`` counts its hostile interactions and ``series`` buckets them in time; ``timeline`` lists
    each of them only when ``keep_timeline`` (``clearspace replay --timeline``; the service's live detector
    keeps none, so an incident that lasts for days holds no more than its participants)."""

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
    hostile: int = 0
    unlisted: int = 0
    series: HostileCounts = field(default_factory=HostileCounts)
    keep_timeline: bool = True

    def add(self, event: Event | Hit, hostility: float, *, new_account: bool, referral: str | None,
            referral_author: str | None, list_new: bool = True) -> None:
        """Record one hostile interaction with the target. Without ``list_new`` (the detector's bound on
        participants listed is reached) an account not yet a participant is not listed: its interaction
        is counted in ``hostile``, ``unlisted`` and ``series`` only."""
        hit = event if isinstance(event, Hit) else Hit.of(event)
        p = self.participants.get(hit.author)
        if p is None and list_new:
            p = Participant(hit.author, hit.ts, new_account=new_account, follower=bool(hit.author_follows_target))
            self.participants[hit.author] = p
        if p is None:
            self.unlisted += 1
        else:
            p.count += 1
            p.max_hostility = max(p.max_hostility, hostility)
            p.incitement = max(p.incitement, hit.incitement)
        if referral is not None:
            self.referrals[referral] = self.referrals.get(referral, 0) + 1
            if referral_author is not None and referral_author != self.target:
                self.referral_authors.setdefault(referral, referral_author)
        self.start = min(self.start, hit.ts)
        self.last_ts = max(self.last_ts, hit.ts)
        self.minor = self.minor or hit.minor
        self.hostile += 1
        self.series.add(hit.ts)
        if self.keep_timeline:
            self.timeline.append({"ts": hit.ts, "event": hit.id, "author": hit.author, "surface": hit.surface,
                                  "hostility": round(hostility, 4), "parent": hit.parent})

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
