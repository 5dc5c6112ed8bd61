"""Target-centric pile-on detection over an event stream.

For each target the detector keeps a sliding window of inbound interactions and compares the
hostile attention in it with the target's own baseline (hostile interactions that left the
window, exponentially decayed). A pile-on is declared when, inside one window:

* enough *distinct* hostile participants aim at the target (weighted: new accounts and
  non-followers count more, a common referral source such as a quote post or link counts more,
  a surge of reports adds pressure), and that number clears the target's baseline by a margin;
* hostile interactions are a large enough share of all inbound attention (a popular person with
  lots of friendly attention is not piled on by a handful of rude replies).

One-to-one arguments never trigger: they have one hostile participant. Events are fed in time
order; :meth:`PileOnDetector.process` returns an incident when it is first detected.

Memory stays bounded however many targets and events go by, by time and by count: a target quiet for
a whole window (and with no open incident) gives up its state, keeping only its baseline (three
numbers; at most ``max_baselines`` targets, the longest idle forgotten first), and so does the least
recently seen one when more than ``max_targets`` targets hold state; the window keeps a plain
interaction as its time only and a hostile one as a :class:`~clearspace.protection.incidents.Hit`
(what an incident lists; its event id and parent only when ``timeline`` is set, as nothing else shows
them); a target's window holds at most ``max_window`` interactions and all
windows together at most ``max_entries`` (past that the least recently seen targets' oldest
interactions leave early, into their baselines; an open incident has its own copy of its hits, so
this never drops what it lists); the map of posts to their authors (for referrals) holds the last
``max_posts`` in flat arrays (:class:`~clearspace.protection.posts.PostAuthors`, about 40 bytes a
post); and an incident keeps its participants and counts, with a list of every hit only when
``timeline`` is set, and all open incidents together list at most ``max_listed`` participants (past
that a new account's hostile interactions are counted, as ``unlisted``, but the account is not
listed).
"""

from __future__ import annotations

import math
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from clearspace.protection.events import HOSTILE_KEYS, Event
from clearspace.protection.incidents import Hit, Incident
from clearspace.protection.posts import PostAuthors


@dataclass(frozen=True, slots=True)
class DetectorConfig:
    """Parameters of :class:`PileOnDetector` (defaults are what the benchmark reports)."""

    window_s: float = 1800.0
    hostile_threshold: float = 0.5
    min_participants: float = 5.0
    min_distinct: int = 4
    min_share: float = 0.3
    baseline_ratio: float = 2.0
    baseline_sigmas: float = 4.0
    baseline_tau_s: float = 86400.0
    new_account_days: float = 30.0
    new_account_weight: float = 1.5
    non_follower_weight: float = 1.2
    coordination_share: float = 0.4
    coordination_weight: float = 1.3
    report_weight: float = 0.5
    quiet_s: float = 3600.0
    max_posts: int = 200_000
    max_window: int = 20_000
    max_baselines: int = 100_000
    max_entries: int = 200_000
    max_targets: int = 20_000
    max_listed: int = 100_000
    timeline: bool = True
    hostile_keys: tuple[str, ...] = HOSTILE_KEYS


@dataclass(frozen=True, slots=True)
class _Entry(Hit):
    """A hostile interaction or a report in a target's window: what an incident lists of it (a hostile
    one is the :class:`Hit` itself, one object per interaction) and what the window's counters need."""

    hostile: bool = False
    report: bool = False
    ref: str | None = None
    hostility: float = 0.0
    weight: float = 0.0  # its author's weight when it was the author's first in the window, else 0
    new_account: bool = False


@dataclass(slots=True)
class TargetState:
    """Sliding-window counters and baseline of one target."""

    first_seen: float
    window: deque[_Entry | float] = field(default_factory=deque)  # a plain interaction is just its time
    authors: dict[str, int] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    weighted: float = 0.0
    hostile: int = 0
    inbound: int = 0
    reporters: dict[str, int] = field(default_factory=dict)
    refs: dict[str, int] = field(default_factory=dict)
    base_count: float = 0.0
    base_ts: float = 0.0
    incident: Incident | None = None
    last_hostile: float = 0.0
    last_trigger: float = 0.0
    last_seen: float = 0.0


class PileOnDetector:
    """Feed events in time order; collect incidents. ``config`` is a :class:`DetectorConfig`."""

    def __init__(self, config: DetectorConfig | None = None) -> None:
        self.config = config or DetectorConfig()
        self.targets_: dict[str, TargetState] = {}  # least recently seen first
        self.baselines_: dict[str, tuple[float, float, float]] = {}  # idle targets: first_seen, base_count, base_ts
        self.posts_ = PostAuthors(self.config.max_posts)  # fixed memory: hashes of ids and author refs
        self.closed_: list[Incident] = []
        self.open_: dict[str, Incident] = {}
        self.detected_count_ = 0
        self.entries_ = 0  # interactions in all targets' windows
        self.listed_ = 0  # participants listed by all open incidents
        self._last_sweep = -math.inf

    # -- public ---------------------------------------------------------------------------
    def process(self, event: Event) -> Incident | None:
        """Update state with one event; the new incident if this event revealed one."""
        cfg = self.config
        if event.id:
            self._remember(event)
        if event.ts - self._last_sweep > cfg.quiet_s:
            self._sweep(event.ts)
        target = event.target
        if target is None or target == event.author:
            return None
        state = self._state(target, event.ts)
        self._evict(state, event.ts)
        report = event.type == "report"
        hostility = 0.0 if report else event.hostility(cfg.hostile_keys)
        hostile = hostility >= cfg.hostile_threshold
        ref = self._referral(event, target)
        self._push(state, event, hostile, report, ref, hostility)
        incident = state.incident
        if incident is not None:
            if event.ts - state.last_trigger > cfg.quiet_s:
                self._close(target, state)
                incident = None
            else:
                if hostile:
                    self._add(incident, Hit.of(event), hostility, self._is_new(event), ref)
                    state.last_hostile = event.ts
                    if event.ts - state.last_trigger > 60.0 and self._triggered(state, event.ts):
                        state.last_trigger = event.ts
                elif report:
                    incident.reporters.add(event.author)
                return None
        if hostile:
            state.last_hostile = event.ts
        if (hostile or report) and len(state.authors) >= cfg.min_distinct and self._triggered(state, event.ts):
            return self._open(target, state, event)
        return None

    def _state(self, target: str, now: float) -> TargetState:
        """The target's state, now its most recently seen; a target idle for a window gives its up."""
        targets = self.targets_
        state = targets.pop(target, None)
        if state is None:
            first_seen, base_count, base_ts = self.baselines_.pop(target, (now, 0.0, now))
            state = TargetState(first_seen=first_seen, base_count=base_count, base_ts=base_ts)
        state.last_seen = now
        targets[target] = state
        self._retire(now)
        return state

    def _retire(self, now: float, most: int = 4) -> None:
        """Give up the state of up to ``most`` targets idle for a window, or (more than ``max_targets``
        targets) the least recently seen ones, their window leaving early (amortized constant time)."""
        targets, horizon = self.targets_, now - self.config.window_s
        for _ in range(most):
            target = next(iter(targets))
            state = targets[target]
            crowded = len(targets) > self.config.max_targets
            if state.last_seen >= horizon and not crowded:
                return
            del targets[target]
            if state.incident is not None:  # still open: it stays, as recently seen, until it closes
                targets[target] = state
                return
            while state.window and (crowded or _ts(state.window[0]) < horizon):
                self._drop_oldest(state)
            self.baselines_[target] = (state.first_seen, state.base_count, state.base_ts)
            if len(self.baselines_) > self.config.max_baselines:  # the longest idle one is forgotten
                del self.baselines_[next(iter(self.baselines_))]

    def run(self, events: Iterable[Event]) -> Iterator[Incident]:
        """Process every event; yield incidents as they close, then those still open."""
        for event in events:
            self.process(event)
            if self.closed_:
                yield from self.closed_
                self.closed_.clear()
        yield from self.flush()

    def flush(self) -> list[Incident]:
        """Close every open incident (end of stream) and return all closed, oldest first."""
        for target in list(self.open_):
            self._close(target, self.targets_[target])
        out = sorted(self.closed_, key=lambda i: (i.detected_at, i.target))
        self.closed_ = []
        return out

    def close_quiet(self, now: float) -> list[Incident]:
        """Close the incidents quiet for ``quiet_s`` at ``now``; return every closed one not yet taken."""
        self._sweep(now)
        out, self.closed_ = self.closed_, []
        return out

    def restore(self, incident: Incident, last_trigger: float) -> None:
        """Make ``incident`` the open incident of its target again (after a restart): later hostile
        events against the target join it instead of opening a new one."""
        state = self._state(incident.target, incident.last_ts)
        state.incident = incident
        state.last_trigger = last_trigger
        state.last_hostile = max(state.last_hostile, incident.last_ts)
        incident.keep_timeline = incident.keep_timeline and self.config.timeline
        self.open_[incident.target] = incident
        self.listed_ += len(incident.participants)

    def forget(self, target: str) -> None:
        """Drop the target's open incident without closing it (it was never recorded)."""
        state = self.targets_.get(target)
        if state is not None:
            state.incident = None
        dropped = self.open_.pop(target, None)
        if dropped is not None:
            self.listed_ -= len(dropped.participants)

    # -- window ---------------------------------------------------------------------------
    def _push(self, state: TargetState, event: Event, hostile: bool, report: bool, ref: str | None,
              hostility: float) -> None:
        author = sys.intern(event.author)  # one copy of each name, however many windows and posts hold it
        if len(state.window) >= self.config.max_window:
            self._drop_oldest(state)
        self.entries_ += 1
        if self.entries_ > self.config.max_entries:
            self._trim()
        if not (hostile or report):  # most of the traffic: only its time is needed, to leave the window
            state.window.append(float(event.ts))
            state.inbound += 1
            return
        weight = 0.0
        if not report:
            count = state.authors.get(author, 0)
            state.authors[author] = count + 1
            if count == 0:
                weight = self._weight(event)
                state.weights[author] = weight
                state.weighted += weight
        listed = self.config.timeline  # the event's id and parent only ever show in an incident's timeline
        entry = _Entry(event.id if listed else "", author, event.ts, sys.intern(event.surface),
                       event.parent if listed else None, event.minor,
                       event.scores.get("incitement", 0.0) if event.scores else 0.0, event.author_follows_target,
                       hostile, report, ref, hostility, weight, self._is_new(event))
        state.window.append(entry)
        if report:
            state.reporters[author] = state.reporters.get(author, 0) + 1
            return
        state.inbound += 1
        state.hostile += 1
        if ref is not None:
            state.refs[ref] = state.refs.get(ref, 0) + 1

    def _evict(self, state: TargetState, now: float) -> None:
        cfg = self.config
        horizon = now - cfg.window_s
        window = state.window
        while window and _ts(window[0]) < horizon:
            self._drop_oldest(state)

    def _trim(self) -> None:
        """More than ``max_entries`` interactions in all windows: the least recently seen targets give up
        their oldest ones, down to nine tenths of the bound (one pass over the targets per tenth)."""
        excess = self.entries_ - self.config.max_entries * 9 // 10
        for state in self.targets_.values():  # least recently seen first
            while excess > 0 and state.window:
                self._drop_oldest(state)
                excess -= 1
            if excess <= 0:
                return

    def _drop_oldest(self, state: TargetState) -> None:
        """The oldest interaction leaves the target's window (hostile ones go into its baseline)."""
        e = state.window.popleft()
        self.entries_ -= 1
        if type(e) is float:
            state.inbound -= 1
            return
        assert isinstance(e, _Entry)
        if e.report:
            _decrement(state.reporters, e.author)
            return
        state.inbound -= 1
        state.hostile -= 1
        if not _decrement(state.authors, e.author):
            state.weighted -= state.weights.pop(e.author)
        if e.ref is not None:
            _decrement(state.refs, e.ref)
        state.base_count = state.base_count * math.exp(-(e.ts - state.base_ts) / self.config.baseline_tau_s) + e.weight
        state.base_ts = e.ts

    # -- decision -------------------------------------------------------------------------
    def expected(self, state: TargetState, now: float) -> float:
        """Weighted hostile participants the target usually gets in one window (its baseline)."""
        cfg = self.config
        history = now - cfg.window_s - state.first_seen
        if history <= 0 or state.base_count <= 0:
            return 0.0
        tau = cfg.baseline_tau_s
        decayed = state.base_count * math.exp(-(now - state.base_ts) / tau)
        exposure = tau * (1.0 - math.exp(-history / tau))
        return decayed * cfg.window_s / max(exposure, cfg.window_s)

    def pressure(self, state: TargetState) -> float:
        """Weighted distinct hostile participants, with coordination and report bonuses."""
        cfg = self.config
        value = state.weighted
        if state.refs and state.hostile:
            top = max(state.refs.values())
            if top >= 2 and top >= cfg.coordination_share * state.hostile:
                value *= cfg.coordination_weight
        return value + cfg.report_weight * len(state.reporters)

    def _triggered(self, state: TargetState, now: float) -> bool:
        cfg = self.config
        if state.inbound == 0 or state.hostile < cfg.min_share * state.inbound:
            return False
        expected = self.expected(state, now)
        need = max(cfg.min_participants, cfg.baseline_ratio * expected + cfg.baseline_sigmas * math.sqrt(expected))
        return self.pressure(state) >= need

    def _weight(self, event: Event) -> float:
        cfg = self.config
        w = 1.0
        if self._is_new(event):
            w *= cfg.new_account_weight
        if event.author_follows_target is False:
            w *= cfg.non_follower_weight
        return w

    def _is_new(self, event: Event) -> bool:
        created = event.author_created_at
        return created is not None and event.ts - created < self.config.new_account_days * 86400.0

    # -- referrals and incidents ----------------------------------------------------------
    def _remember(self, event: Event) -> None:
        posts, author = self.posts_, sys.intern(event.author)
        posts.add(event.id, author)
        if event.link:
            posts.add("link:" + event.link, author, replace=False)

    def _referral(self, event: Event, target: str) -> str | None:
        """The outside link or the post (not the target's own) that sent this event here."""
        if event.link:
            return "link:" + event.link
        parent = event.parent
        if parent is None or self.posts_.get(parent) == target:
            return None
        return parent

    def _ref_author(self, ref: str | None) -> str | None:
        return None if ref is None else self.posts_.get(ref)

    def _open(self, target: str, state: TargetState, event: Event) -> Incident:
        self.detected_count_ += 1
        incident = Incident(id=f"inc_{self.detected_count_:06d}", target=target, start=event.ts,
                            detected_at=event.ts, last_ts=event.ts, keep_timeline=self.config.timeline)
        for entry in state.window:
            if type(entry) is float:
                continue
            assert isinstance(entry, _Entry)
            if entry.report:
                incident.reporters.add(entry.author)
            elif entry.hostile:
                self._add(incident, entry, entry.hostility, entry.new_account, entry.ref)
        incident.detected_at = event.ts
        state.last_trigger = event.ts
        state.incident = incident
        self.open_[target] = incident
        return incident

    def _add(self, incident: Incident, hit: Hit, hostility: float, new_account: bool, ref: str | None) -> None:
        """One hostile interaction joins ``incident``; a new participant is listed while under ``max_listed``."""
        known = len(incident.participants)
        incident.add(hit, hostility, new_account=new_account, referral=ref, referral_author=self._ref_author(ref),
                     list_new=self.listed_ < self.config.max_listed)
        self.listed_ += len(incident.participants) - known

    def _close(self, target: str, state: TargetState) -> None:
        incident = state.incident
        if incident is None:
            return
        self.listed_ -= len(incident.participants)
        incident.closed = True
        incident.instigators = incident.find_instigators()
        state.incident = None
        self.open_.pop(target, None)
        self.closed_.append(incident)

    def _sweep(self, now: float) -> None:
        self._last_sweep = now
        quiet = self.config.quiet_s
        for target in list(self.open_):
            if now - self.targets_[target].last_trigger > quiet:
                self._close(target, self.targets_[target])


def _decrement(counts: dict[str, int], key: str) -> int:
    """One less of ``key`` (removed at zero); the count left."""
    left = counts[key] - 1
    if left:
        counts[key] = left
    else:
        del counts[key]
    return left


def _ts(entry: _Entry | float) -> float:
    return entry if type(entry) is float else entry.ts  # type: ignore[union-attr]
