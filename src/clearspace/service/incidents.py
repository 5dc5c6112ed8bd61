"""Pile-on incidents in the service: live detection over ingested events, the ``incidents`` table.

In local mode (``Settings.pileon_mode``, the default) every event stored by
:meth:`~clearspace.service.core.Service.ingest_events` is fed, with the scores of its automated
decision, to one :class:`~clearspace.protection.detector.PileOnDetector` per service process
(:class:`LiveDetector`), inside the transaction that stores the events; in shared mode one process
at a time feeds its detector from the stored events (:mod:`clearspace.service.pileon_shared`). When
the detector opens an incident, the same transaction inserts its row in ``incidents``, opens one
review case for it (:func:`clearspace.service.cases.open_incident_case`) and leaves the target a
risk prompt (notification ``risk_prompt`` + webhook topic ``protection.risk_prompt``). Later events
of the incident update its row (participants, roles, end); when it has been quiet for the
detector's ``quiet_s`` it is marked ``ended``.

Restart: the detector's state is *rebuilt*, not persisted. On the first use after start the
service replays the events stored in the last ``Settings.pileon_rebuild_hours`` (with their stored
scores) into a fresh detector without recording anything, then re-attaches the incidents the
table still has as ``active``: an incident the replay found open again keeps its stored id; one it
did not find is put back into the detector as the target's open incident (so later events join it);
one quiet for longer than ``quiet_s`` is marked ``ended``. An incident the replay opened but the
table does not have is dropped (it is recorded if the pile-on goes on). Baselines are learned from
the replayed hours only.

Times: ``start``, ``detected_at`` and ``end`` are event time (the events' ``ts``, or their
receipt time when they have none), as in ``clearspace replay``; ``recorded_at``, ``updated_at``
and ``ended_at`` are service time.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from clearspace.errors import InputError, NotFound
from clearspace.protection.detector import DetectorConfig, PileOnDetector
from clearspace.protection.events import Event as DetectorEvent
from clearspace.protection.evidence import BundleSpec
from clearspace.protection.incidents import SERIES_STEPS, Incident
from clearspace.protection.nudge import SupportLink, risk_prompt, support_links
from clearspace.service import cases
from clearspace.service.account_evidence import note_incident_roles
from clearspace.service.clock import iso, parse_time
from clearspace.service.events import Event
from clearspace.service.results import IncidentSummary
from clearspace.service.results_protection import IncidentCase, IncidentDetail, IncidentTimeline, Participant
from clearspace.service.settings import Settings
from clearspace.service.support_locale import links_for, target_locale
from clearspace.service.unit import Unit
from clearspace.store import Op, Row, Store, Tx

STATUSES: Final = ("active", "ended")
ROLES: Final = ("instigator", "first_poster", "repeat", "follower")
SCORE_KEYS: Final = ("abuse", "threat", "incitement", "doxxing", "insult")
BUCKETS_S: Final = SERIES_STEPS  # each a multiple of the one before: an incident's own buckets add up exactly
MAX_BUCKETS: Final = 60
MAX_SERIES_EVENTS: Final = 100_000
CHUNK: Final = 500
RISK_PROMPT: Final = "risk_prompt"
RISK_TOPIC: Final = "protection.risk_prompt"
log = logging.getLogger("clearspace.incidents")
Keep = Callable[[list[Row]], list[Row]]
"""Picks, from a batch of stored event rows about to be read, those to feed the detector."""
Source = Callable[[str, list[float]], Iterable[DetectorEvent]]
"""What a rebuild replays: ``source(since, received)`` as :func:`stored_events` (the default)."""


_MINUTES: dict[str, float] = {}


def epoch(text: str) -> float:
    """Epoch seconds of ISO text; the store's own fixed-width form (``2026-01-02T03:04:05.000000Z``)
    is read without a full parse (replaying stored events reads three per event)."""
    if len(text) == 27 and text[19] == "." and text[26] == "Z":
        base = _MINUTES.get(text[:16])
        if base is None:
            if len(_MINUTES) > 100_000:
                _MINUTES.clear()
            base = _MINUTES[text[:16]] = parse_time(text[:16] + ":00Z", "time").timestamp()
        try:
            return base + int(text[17:19]) + int(text[20:26]) / 1e6
        except ValueError:
            pass
    return parse_time(text, "time").timestamp()


def iso_ts(ts: float) -> str:
    """Fixed-width ISO text (the store's format) for epoch seconds."""
    return iso(datetime.fromtimestamp(ts, UTC))


def incident_id(target: str, start: float) -> str:
    """A stable id from the target and the start: the same incident found again keeps its id."""
    digest = hashlib.sha256(f"{target}\n{iso_ts(start)}".encode()).hexdigest()
    return f"inc_{digest[:16]}"


def detector_config(settings: Settings) -> DetectorConfig:
    """The detector's parameters, with the memory bounds from the settings."""
    return DetectorConfig(max_posts=settings.pileon_max_posts, max_baselines=settings.pileon_max_baselines,
                          max_window=settings.pileon_max_window, max_entries=settings.pileon_max_entries,
                          max_targets=settings.pileon_max_targets, max_listed=settings.pileon_max_listed,
                          timeline=False)


# ---------------------------------------------------------------------------------------- events
def detector_event(event_id: str, ctx: Mapping[str, Any], scores: Mapping[str, float] | None,
                   received: float | str) -> DetectorEvent:
    """The detector's view of one stored event (its context and its decision's scores); event time
    is its ``ts``, else ``received`` (epoch seconds or the store's ISO text)."""
    ts = ctx.get("ts")
    created = ctx.get("author_created_at")
    follows = ctx.get("author_follows_target")
    link = ctx.get("link")
    return DetectorEvent(
        id=event_id, type=str(ctx.get("type") or "post"), author=str(ctx.get("author") or ""),
        ts=epoch(ts) if isinstance(ts, str) else epoch(received) if isinstance(received, str) else received,
        target=ctx.get("target_user"),
        parent=ctx.get("parent"), surface=str(ctx.get("surface") or "post"),
        author_created_at=epoch(created) if isinstance(created, str) else None,
        author_follows_target=follows if isinstance(follows, bool) else None,
        minor=ctx.get("minor") is True, link=link if isinstance(link, str) and link else None,
        scores={k: float(v) for k, v in scores.items() if k in SCORE_KEYS} if scores else None)


def hostile(scores: Mapping[str, Any] | None, config: DetectorConfig) -> bool:
    """The detector's own test: the highest hostile score reaches ``hostile_threshold``."""
    if not scores:
        return False
    return max((float(scores.get(k) or 0.0) for k in config.hostile_keys), default=0.0) >= config.hostile_threshold


# ---------------------------------------------------------------------------------------- snapshots
@dataclass(frozen=True, slots=True)
class Snapshot:
    """What is written about an incident, taken while the detector holds it still."""

    id: str
    target: str
    start: float
    detected_at: float
    last: float
    minor: bool
    closed: bool
    participants: list[dict[str, Any]]
    instigators: list[str]
    top_referrals: list[list[Any]]
    reporters: int
    unlisted: int = 0  # hostile interactions of accounts not listed (the detector's max_listed was reached)
    hostile_counts: list[tuple[float, int]] = field(default_factory=list)  # (bucket start, hostile events)


def snapshot(incident: Incident) -> Snapshot:
    instigators = incident.instigators if incident.closed and incident.instigators else incident.find_instigators()
    participants = [{"account": p.account, "events": p.count, "first_ts": iso_ts(p.first_ts),
                     "max_hostility": round(p.max_hostility, 4), "new_account": p.new_account,
                     "follower": p.follower}
                    for p in incident.participants.values()]
    referrals = sorted(incident.referrals.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    return Snapshot(id=incident.id, target=incident.target, start=incident.start, detected_at=incident.detected_at,
                    last=incident.last_ts, minor=incident.minor, closed=incident.closed, participants=participants,
                    instigators=list(instigators), top_referrals=[[r, n] for r, n in referrals],
                    reporters=len(incident.reporters), unlisted=incident.unlisted,
                    hostile_counts=list(incident.series.items()))


def merge_participants(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Union by account: most events, earliest first time, highest hostility (writes only add)."""
    out: dict[str, dict[str, Any]] = {p["account"]: dict(p) for p in old}
    for p in new:
        mine = out.get(p["account"])
        if mine is None:
            out[p["account"]] = dict(p)
            continue
        mine["events"] = max(int(mine.get("events") or 0), int(p.get("events") or 0))
        mine["first_ts"] = min(mine["first_ts"], p["first_ts"])
        mine["max_hostility"] = max(float(mine.get("max_hostility") or 0.0), float(p.get("max_hostility") or 0.0))
        mine["new_account"] = bool(mine.get("new_account")) or bool(p.get("new_account"))
        mine["follower"] = bool(mine.get("follower")) or bool(p.get("follower"))
    return sorted(out.values(), key=lambda p: (p["first_ts"], p["account"]))


def assign_roles(participants: list[dict[str, Any]], instigators: Sequence[str]) -> list[dict[str, Any]]:
    """Instigator > first poster > repeat (more than one hostile event) > follower, as in replay."""
    chosen = set(instigators)
    first = participants[0]["account"] if participants else None
    for p in participants:
        account = p["account"]
        p["role"] = ("instigator" if account in chosen else "first_poster" if account == first
                     else "repeat" if int(p.get("events") or 0) > 1 else "follower")
    return participants


def roles_of(row: Row) -> dict[str, str]:
    """Account -> role of a stored incident, with ``instigators`` as the one source of the instigator role:
    every instigator, also one with no hostile event of their own (the author of the source the others
    quote), then each other participant with their role. Listing, evidence and batch actions read this."""
    roles = {account: "instigator" for account in row["instigators"]}
    for p in row["participants"]:
        if p["account"] not in roles:
            roles[p["account"]] = "follower" if p["role"] == "instigator" else p["role"]
    return roles


def hostile_series(counts_at: Iterable[tuple[float, int]], start: float, end: float) -> dict[str, Any]:
    """Per-bucket counts of the incident's own hostile events (used when the store lacks the events), from
    ``(time, count)`` pairs: each event's time, or the incident's own buckets (:class:`HostileCounts`, whose
    steps divide these buckets)."""
    bucket = bucket_size(end - start)
    lo = math.floor(start / bucket) * bucket
    counts = [0] * (int((end - lo) // bucket) + 1)
    for t, n in counts_at:
        i = int((t - lo) // bucket)
        if 0 <= i < len(counts):
            counts[i] += n
    return {"bucket_s": bucket, "from": iso_ts(lo), "hostile": counts}


def bucket_size(span: float) -> int:
    """The smallest bucket that draws ``span`` seconds in at most ``MAX_BUCKETS`` bars."""
    return next((b for b in BUCKETS_S if span / b <= MAX_BUCKETS), BUCKETS_S[-1])


# ---------------------------------------------------------------------------------------- writing
def upsert(unit: Unit, snap: Snapshot, *, source: str, links: Sequence[SupportLink] | None,
           actor: str = "detector") -> str:
    """Insert or update the incident's row; a new one also gets its case and (with ``links``) a
    risk prompt. Returns ``"opened"``, ``"updated"`` or ``"ended"``."""
    tx = unit.tx
    unit.lock("incident", snap.id)  # the row is read, merged and written back
    row = tx.get("incidents", snap.id)
    if row is None:
        participants = assign_roles(merge_participants([], snap.participants), snap.instigators)
        row = _row(unit, snap, participants, snap.instigators, source)
        tx.insert("incidents", row)
        note_incident_roles(unit, snap.id, participants, snap.instigators, row["start_at"])  # issue 16
        case = cases.open_incident_case(unit, public_record(row), actor)
        tx.update("incidents", {"id": snap.id}, {"case_id": case["id"]})
        unit.log("incident.detected", actor, snap.id, {"target": snap.target, "case_id": case["id"],
                                                       "participants": len(participants), "source": source})
        if links is not None:
            send_risk_prompt(unit, snap, participants, links)
        if snap.closed:
            unit.log("incident.ended", actor, snap.id, {"target": snap.target})
        return "opened"
    stored = list(row["participants"])
    participants = merge_participants(stored, snap.participants)
    covered = {p["account"] for p in snap.participants} >= {p["account"] for p in stored}
    instigators = list(snap.instigators) if covered else list(dict.fromkeys([*row["instigators"], *snap.instigators]))
    assign_roles(participants, instigators)
    changes = {k: v for k, v in _row(unit, snap, participants, instigators, row["source"]).items()
               if k not in ("id", "recorded_at", "case_id", "source")}
    changes["start_at"] = min(row["start_at"], changes["start_at"])
    changes["last_at"] = max(row["last_at"], changes["last_at"])
    changes["detected_at"] = min(row["detected_at"], changes["detected_at"])
    changes["minor"] = int(bool(row["minor"]) or snap.minor)
    if row["status"] == "ended":  # ended stays ended, at the time it first ended
        changes.update(status="ended", ended_at=row["ended_at"])
    tx.update("incidents", {"id": snap.id}, changes)
    note_incident_roles(unit, snap.id, participants, instigators, changes["start_at"])  # issue 16
    if row["case_id"]:  # more participants: a more urgent case (capped below the severity lane, as on opening)
        priority = min(cases.SEVERITY_PRIORITY - 1, len(participants))
        tx.update("cases", {"id": row["case_id"], "status": "open", "priority": Op("<", priority)},
                  {"priority": priority})
    if snap.closed and row["status"] != "ended":
        unit.log("incident.ended", actor, snap.id, {"target": snap.target, "participants": len(participants)})
        return "ended"
    return "updated"


def _row(unit: Unit, snap: Snapshot, participants: list[dict[str, Any]], instigators: list[str],
         source: str) -> Row:
    summary = {"top_referrals": snap.top_referrals, "reporters": snap.reporters, "unlisted_events": snap.unlisted,
               "hostile_series": hostile_series(snap.hostile_counts, snap.start, snap.last)}
    return {"id": snap.id, "target": snap.target, "status": "ended" if snap.closed else "active", "source": source,
            "start_at": iso_ts(snap.start), "detected_at": iso_ts(snap.detected_at), "last_at": iso_ts(snap.last),
            "minor": int(snap.minor), "participant_count": len(participants),
            "hostile_events": sum(int(p.get("events") or 0) for p in participants), "participants": participants,
            "instigators": instigators, "summary": summary, "case_id": None, "recorded_at": unit.ts,
            "updated_at": unit.ts, "ended_at": unit.ts if snap.closed else None}


def record(unit: Unit, snaps: Iterable[Snapshot], links: Sequence[SupportLink], *,
           over: Iterable[Row] = ()) -> list[str]:
    """Write what the live detector found, in ``unit``: end the stored incidents in ``over`` (quiet
    across a rebuild), then upsert each snapshot; ``"ended"`` for each incident of ``over`` ended,
    then the results of :func:`upsert`, in order."""
    ended = ["ended" for row in over if end_incident(unit, row)]
    return ended + [upsert(unit, snap, source="live", links=links) for snap in snaps]


def end_incident(unit: Unit, row: Row, actor: str = "detector") -> bool:
    """Mark a stored incident ended (quiet for longer than the detector waits); False when it was not active."""
    if not unit.tx.update("incidents", {"id": row["id"], "status": "active"},
                          {"status": "ended", "ended_at": unit.ts, "updated_at": unit.ts}):
        return False
    unit.log("incident.ended", actor, row["id"], {"target": row["target"]})
    return True


def send_risk_prompt(unit: Unit, snap: Snapshot, participants: Sequence[Mapping[str, Any]],
                     links: Sequence[SupportLink]) -> dict[str, Any]:
    """Leave the target the risk prompt (notification ``risk_prompt``) and queue it for webhooks."""
    stand_in = Incident(id=snap.id, target=snap.target, start=snap.start, detected_at=snap.detected_at,
                        last_ts=snap.last, minor=snap.minor)
    stand_in.participants = {p["account"]: None for p in participants}  # type: ignore[misc]  # only counted
    lang, region = target_locale(unit.tx, snap.target, unit.settings.support_lang, unit.settings.support_region)
    prompt = risk_prompt(stand_in, links_for(links, lang, region)).to_dict()
    prompt["lang"], prompt["region"] = lang, region  # the target's, as the links were chosen for
    prompt["since"] = iso_ts(snap.start)
    prompt["detected_at"] = iso_ts(snap.detected_at)
    prompt["protected"] = _protected(unit.tx, snap.target, unit.now.timestamp())
    unit.notify(snap.target, RISK_PROMPT, prompt)  # also webhook topic "notification", as every notification
    unit.emit(RISK_TOPIC, {"recipient": snap.target, **prompt})
    unit.log("protection.risk_prompt", "detector", snap.target, {"incident_id": snap.id,
                                                                  "assisted_activation": snap.minor})
    return prompt


def _protected(tx: Tx, account: str, now: float) -> bool:
    from clearspace.service.shields import active

    return active(tx, account, now) is not None


def configured_links(entries: Iterable[Mapping[str, Any]]) -> tuple[SupportLink, ...]:
    return support_links(list(entries))


# ---------------------------------------------------------------------------------------- the live detector
class LiveDetector:
    """The service's pile-on detector: thread-safe, rebuilt from the store on first use."""

    def __init__(self, config: DetectorConfig | None = None, *, rebuild_s: float = 86400.0,
                 write_s: float = 0.0) -> None:
        self.config = config or DetectorConfig()
        self.rebuild_s = rebuild_s
        self.write_s = write_s
        self.detector = PileOnDetector(self.config)
        self.lock = threading.Lock()
        self.ready = False
        self.last_ts = -math.inf  # latest event time seen
        self.last_wall = 0.0  # service time (epoch seconds) when it was seen
        self.rebuilt_events = 0
        self._written: dict[str, float] = {}  # open incident id -> service time of its last snapshot
        self._pending: dict[str, Incident] = {}  # open incidents grown since their last snapshot

    # -- feeding ----------------------------------------------------------------------------
    def observe(self, events: Sequence[DetectorEvent], wall: float) -> list[Snapshot]:
        """Process events in order; snapshots of every incident they opened or closed, and of those
        they grew whose last snapshot is ``write_s`` old (the others wait: :meth:`due`, :meth:`flush`)."""
        now: dict[int, Incident] = {}
        det = self.detector
        with self.lock:
            for event in events:
                before = det.open_.get(event.target) if event.target is not None else None
                size = (before.hostile, len(before.reporters)) if before is not None else None
                opened = det.process(event)
                if opened is not None:
                    opened.id = incident_id(opened.target, opened.start)
                    now[id(opened)] = opened
                elif before is not None and (before.hostile, len(before.reporters)) != size:
                    self._pending[before.id] = before
                if event.ts > self.last_ts:
                    self.last_ts = event.ts
            self.last_wall = wall
            now.update((id(i), i) for i in det.closed_)
            det.closed_ = []
            return self._snapshots([*now.values()], wall, every=self.write_s <= 0)

    def due(self, wall: float) -> list[Snapshot]:
        """Snapshots of the grown incidents whose last snapshot is ``write_s`` old."""
        with self.lock:
            return self._snapshots([], wall)

    def flush(self, wall: float) -> list[Snapshot]:
        """Snapshots of every incident grown since its last snapshot (before incidents are read)."""
        with self.lock:
            return self._snapshots([], wall, every=True)

    def _snapshots(self, changed: list[Incident], wall: float, every: bool = False) -> list[Snapshot]:
        """``changed`` (opened or closed) and the pending incidents that are due, as snapshots; bookkeeping
        of when each was taken (an incident that closed is forgotten: both maps hold open incidents only)."""
        for incident in changed:
            self._pending.pop(incident.id, None)
        written = self._written
        due = [i for key, i in self._pending.items() if every or wall - written.get(key, -math.inf) >= self.write_s]
        out = changed + due
        for incident in due:
            del self._pending[incident.id]
        for incident in out:
            if incident.closed:
                self._written.pop(incident.id, None)
            else:
                self._written[incident.id] = wall
        return [snapshot(i) for i in out]

    def expire(self, wall: float) -> list[Snapshot]:
        """Close incidents quiet for ``quiet_s`` of event time, estimated as the last event's time
        plus the service time passed since (live traffic: the clock; a replay in progress: its time);
        their snapshots, and those of grown incidents that are due."""
        with self.lock:
            if self.last_ts == -math.inf:
                return []
            now = self.last_ts + max(0.0, wall - self.last_wall)
            return self._snapshots(self.detector.close_quiet(now), wall)

    # -- restart ----------------------------------------------------------------------------
    def rebuild(self, store: Store, wall: float, source: Source | None = None) -> list[Row]:
        """Replay the stored events of the last ``rebuild_s`` and re-attach active incidents.

        Returns the stored active incidents that are over (to be marked ended by the caller).
        ``source`` reads the events to replay (default :func:`stored_events`: all of them).
        """
        with self.lock:
            if self.ready:
                return []
            det = self.detector
            since = iso_ts(wall - self.rebuild_s)
            count = 0
            received = [wall]
            replayed = stored_events(store, since, received) if source is None else source(since, received)
            for event in replayed:
                det.process(event)
                count += 1
                if event.ts > self.last_ts:
                    self.last_ts = event.ts
            self.rebuilt_events = count
            if not count:
                self.last_ts = wall
            self.last_wall = received[0]
            now = self.last_ts + max(0.0, wall - self.last_wall)  # event time now (as in expire)
            det.close_quiet(now)  # what went quiet while the service was down
            self.last_wall = wall
            self.last_ts = now
            with store.read() as tx:
                active = tx.select("incidents", {"status": "active"}, order_by=["detected_at"])
            over: list[Row] = []
            for row in active:
                try:
                    self._reattach(row, now, over)
                except (InputError, TypeError, ValueError, OverflowError) as exc:
                    log.error("pile-on detector: skipped stored incident %r that cannot be read: %s", row["id"], exc)
            stored_targets = {row["target"] for row in active}
            for target in [t for t in det.open_ if t not in stored_targets]:
                det.forget(target)
            self.ready = True
            return over

    def _reattach(self, row: Row, now: float, over: list[Row]) -> None:
        """Give a stored active incident back to the detector (or to ``over``, when it went quiet)."""
        found = self.detector.open_.get(row["target"])
        if found is not None:
            found.id = row["id"]
            return
        last = epoch(row["last_at"])
        if now - last > self.config.quiet_s:
            over.append(row)
            return
        restored = Incident(id=row["id"], target=row["target"], start=epoch(row["start_at"]),
                            detected_at=epoch(row["detected_at"]), last_ts=last, minor=bool(row["minor"]))
        self.detector.restore(restored, last)


def stored_events(store: Store, since: str, received: list[float] | None = None, batch: int = 1000,
                  keep: Keep | None = None, until: str | None = None) -> Iterator[DetectorEvent]:
    """Events received since ``since`` (and up to ``until``, included), oldest first, with their
    automated decisions' scores (``received[0]`` is set to the receipt time of the last one, epoch
    seconds). With ``keep`` only the rows it picks from each batch (in receipt order) are read
    further and answered."""
    pending: list[Row] = []
    received_at = Op(">=", since) if until is None else Op("between", (since, until))
    for row in store.iterate("events", {"received_at": received_at}, order_by=["received_at", "id"],
                             columns=["id", "received_at", "context"]):
        pending.append(row)
        if len(pending) >= batch:
            yield from _with_scores(store, pending, received, keep)
            pending = []
    yield from _with_scores(store, pending, received, keep)


def _with_scores(store: Store, rows: list[Row], received: list[float] | None,
                 keep: Keep | None = None) -> list[DetectorEvent]:
    if keep is not None:
        rows = keep(rows)
    if not rows:
        return []
    scores = _scores(store, [r["id"] for r in rows])
    out = readable(((r["id"], r["context"], scores.get(r["id"]), r["received_at"]) for r in rows), "stored event")
    if received is not None:
        received[0] = _epoch_or(rows[-1]["received_at"], received[0])
    out.sort(key=lambda e: e.ts)
    return out


def _epoch_or(text: Any, default: float) -> float:
    try:
        return epoch(text)
    except (InputError, TypeError):
        return default


def readable(items: Iterable[tuple[str, Any, Mapping[str, float] | None, float | str]],
             what: str) -> list[DetectorEvent]:
    """:func:`detector_event` of each ``(id, context, scores, received)``; one that cannot be read
    (a time out of range, a context that is not an object) is logged and skipped, the rest go on."""
    out = []
    for event_id, ctx, scores, received in items:
        try:
            out.append(detector_event(event_id, ctx, scores, received))
        except (InputError, TypeError, ValueError, AttributeError, OverflowError) as exc:
            log.error("pile-on detector: skipped %s %r that cannot be read: %s", what, event_id, exc)
    return out


def _scores(store: Store, ids: Sequence[str]) -> dict[str, dict[str, float]]:
    with store.read() as tx:
        return scores_of(tx, ids)


def events_for_detector(events: Sequence[Event], scores: Mapping[str, Mapping[str, float]],
                        received: float) -> list[DetectorEvent]:
    """Freshly stored events (service form) for the detector, in event-time order."""
    out = readable(((e.id, e.context, scores.get(e.id), received) for e in events), "event")
    out.sort(key=lambda e: e.ts)
    return out


def observe_ingest(unit: Unit, live: LiveDetector, events: Sequence[Event],
                   scores: Mapping[str, Mapping[str, float]], links: Sequence[SupportLink]) -> list[str]:
    """Feed events just recorded in ``unit`` to the detector and record what it found, in ``unit``.

    A fault in the detector itself is logged and never fails ingestion.
    """
    wall = unit.now.timestamp()
    try:
        snaps = live.observe(events_for_detector(events, scores, wall), wall)
    except Exception:  # noqa: BLE001 - detection must never stop events from being stored
        log.exception("pile-on detector failed on a batch of %d events", len(events))
        return []
    return record(unit, snaps, links)


# ---------------------------------------------------------------------------------------- reading
def public_record(row: Row) -> dict[str, Any]:
    """An incident as listed (:func:`summary`) with its participants' accounts, after ``hostile_events``."""
    fields = list(summary(row).items())
    at = [name for name, _ in fields].index("hostile_events") + 1
    return dict([*fields[:at], ("participants", [p["account"] for p in row["participants"]]), *fields[at:]])


def summary(row: Row) -> IncidentSummary:
    """An incident as listed: :func:`public_record` but for its participants."""
    return {"id": row["id"], "target": row["target"], "status": row["status"], "source": row["source"],
            "start": row["start_at"], "detected_at": row["detected_at"], "end": row["last_at"],
            "minor": bool(row["minor"]), "participant_count": row["participant_count"],
            "hostile_events": row["hostile_events"], "instigators": list(row["instigators"]),
            "case_id": row["case_id"], "recorded_at": row["recorded_at"], "updated_at": row["updated_at"],
            "ended_at": row["ended_at"]}


def listing(tx: Tx, status: str | None, limit: int, target: str | None = None) -> list[IncidentSummary]:
    if status is not None and status not in STATUSES:
        raise InputError(f"status must be one of {', '.join(STATUSES)}")
    where: dict[str, Any] = {}
    if status:
        where["status"] = status
    if target:
        where["target"] = target
    rows = tx.select("incidents", where, order_by=["-detected_at", "id"], limit=limit)
    return [summary(row) for row in rows]


def get_row(tx: Tx, incident: str) -> Row:
    row = None if "\x00" in incident else tx.get("incidents", incident)
    if row is None:
        raise NotFound(f"no incident {incident!r}")
    return row


def detail(tx: Tx, row: Row, config: DetectorConfig) -> IncidentDetail:
    """The incident as listed (:func:`public_record`, its participants in full) with participants by role,
    the chart series and its case."""
    listed = summary(row)
    participants: list[Participant] = list(row["participants"])  # as upsert stored them: snapshot + role
    by_role: dict[str, list[str]] = {role: [] for role in ROLES}
    for account, role in roles_of(row).items():
        by_role.setdefault(role, []).append(account)
    case = tx.get("cases", row["case_id"]) if row["case_id"] else None
    return {
        "id": listed["id"], "target": listed["target"], "status": listed["status"], "source": listed["source"],
        "start": listed["start"], "detected_at": listed["detected_at"], "end": listed["end"],
        "minor": listed["minor"], "participant_count": listed["participant_count"],
        "hostile_events": listed["hostile_events"], "participants": participants,
        "instigators": listed["instigators"], "case_id": listed["case_id"], "recorded_at": listed["recorded_at"],
        "updated_at": listed["updated_at"], "ended_at": listed["ended_at"],
        "participants_by_role": by_role,
        "top_referrals": row["summary"].get("top_referrals", []),
        "reporters": row["summary"].get("reporters", 0),
        "timeline": timeline(tx, row, config),
        "case": None if case is None else incident_case(case),
    }


def incident_case(case: Row) -> IncidentCase:
    """The review case of an incident as :func:`detail` shows it."""
    return {"id": case["id"], "lane": case["lane"], "status": case["status"], "priority": case["priority"],
            "opened_at": case["opened_at"], "due_at": case["due_at"], "lease_owner": case["lease_owner"],
            "decision_id": case["decision_id"]}


def inbound(tx: Tx, target: str, lo: float, hi: float, limit: int = MAX_SERIES_EVENTS) -> list[tuple[float, Row]]:
    """``(event time, event row)`` of events aimed at ``target`` with ``lo <= time <= hi``."""
    lo_iso, hi_iso = iso_ts(lo), iso_ts(hi)
    rows = tx.select("events", {"target_user": target, "ts": Op("between", (lo_iso, hi_iso))}, limit=limit)
    rows += tx.select("events", {"target_user": target, "ts": None, "received_at": Op("between", (lo_iso, hi_iso))},
                      limit=limit)
    out = []
    for r in rows:
        t = epoch(r["ts"] or r["received_at"])
        if lo <= t <= hi:
            out.append((t, r))
    out.sort(key=lambda tr: (tr[0], tr[1]["id"]))
    return out[:limit]


def scores_of(tx: Tx, ids: Sequence[str]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for i in range(0, len(ids), CHUNK):
        for d in tx.select("decisions", {"event_id": Op("in", list(ids[i:i + CHUNK])), "automated": 1},
                           columns=["event_id", "scores"]):
            out.setdefault(d["event_id"], d["scores"])
    return out


def timeline(tx: Tx, row: Row, config: DetectorConfig) -> IncidentTimeline:
    """Per-bucket counts of hostile and other interactions aimed at the target, for a chart.

    From the stored events (a window before the start to a window after the end) when the store
    has them (``source: "events"``); otherwise the incident's own hostile events
    (``source: "incident"``, ``other`` unknown: null).
    """
    start, end = epoch(row["start_at"]), epoch(row["last_at"])
    lo, hi = start - config.window_s, end + config.window_s
    bucket = bucket_size(hi - lo)
    first = math.floor(lo / bucket) * bucket
    n = int((hi - first) // bucket) + 1
    events = inbound(tx, row["target"], lo, hi)
    if not events:
        series = row["summary"].get("hostile_series") or {}
        counts = series.get("hostile", [])
        begin = epoch(series["from"]) if series.get("from") else start
        size = int(series.get("bucket_s") or bucket)
        return {"bucket_s": size, "source": "incident", "start": row["start_at"], "detected_at": row["detected_at"],
                "series": [{"t": iso_ts(begin + i * size), "hostile": c, "other": None} for i, c in enumerate(counts)]}
    scores = scores_of(tx, [r["id"] for _, r in events])
    hostile_counts, other = [0] * n, [0] * n
    for t, r in events:
        i = min(n - 1, int((t - first) // bucket))
        if hostile(scores.get(r["id"]), config):
            hostile_counts[i] += 1
        else:
            other[i] += 1
    return {"bucket_s": bucket, "source": "events", "start": row["start_at"], "detected_at": row["detected_at"],
            "series": [{"t": iso_ts(first + i * bucket), "hostile": hostile_counts[i], "other": other[i]}
                       for i in range(n)]}


def evidence_items(tx: Tx, row: Row) -> list[dict[str, Any]]:
    """The stored events of the incident's participants aimed at its target, in its time span."""
    accounts = {p["account"] for p in row["participants"]} | set(row["instigators"])
    events = [(t, r) for t, r in inbound(tx, row["target"], epoch(row["start_at"]), epoch(row["last_at"]))
              if r["author"] in accounts]
    scores = scores_of(tx, [r["id"] for _, r in events])
    items = []
    for t, r in events:
        ctx = dict(r["context"])
        item = {"id": r["id"], "type": r["type"], "author": r["author"], "ts": t, "text": r["text"],
                "target_user": r["target_user"], "parent": r["parent"], "surface": r["surface"],
                "link": ctx.pop("link", None), "author_created_at": ctx.pop("author_created_at", None),
                "scores": scores.get(r["id"]), "received_at": r["received_at"],
                "context": {k: v for k, v in ctx.items() if k not in ("id", "type", "author", "ts", "target_user",
                                                                      "parent", "surface")}}
        items.append({k: v for k, v in item.items() if v is not None})
    return items


def bundle_spec(tx: Tx, row: Row, created_at: float, redact: Sequence[str] = ()) -> BundleSpec:
    """What the evidence bundle of an incident holds: its stored events and its record with roles."""
    record = public_record(row)
    record["roles"] = roles_of(row)
    return BundleSpec(subject=row["target"], items=evidence_items(tx, row), created_at=created_at, incident=record,
                      redact=tuple(redact), title=f"Pile-on against {row['target']} ({row['id']})")
