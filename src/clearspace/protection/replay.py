"""Run the pile-on detector over a recorded stream of JSON Lines events.

Lines that cannot be read are reported (line number and reason) and the rest goes on. Events
without ``scores`` are scored by an optional ``scorer`` (for example the engine), in batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from clearspace.errors import InputError
from clearspace.protection.detector import DetectorConfig, PileOnDetector
from clearspace.protection.events import Event, parse_event
from clearspace.protection.incidents import Incident

Scorer = Callable[[Sequence[Event]], Sequence[dict[str, float]]]


@dataclass(slots=True)
class ReplayStats:
    """What a replay read: events, bad lines (line number, reason), incidents, out-of-order events,
    incidents dropped because they were detected during the warm-up."""

    events: int = 0
    incidents: int = 0
    out_of_order: int = 0
    warmup_dropped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def read_events(lines: Iterable[bytes | str], stats: ReplayStats) -> Iterator[Event]:
    """Parse each line; a bad line is recorded in ``stats.errors`` and skipped."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj: Any = orjson.loads(line)
            yield parse_event(obj)
        except orjson.JSONDecodeError as exc:
            stats.errors.append((number, f"not JSON: {exc}"))
        except InputError as exc:
            stats.errors.append((number, str(exc)))


def _scored(events: Iterator[Event], scorer: Scorer | None, batch: int = 256) -> Iterator[Event]:
    if scorer is None:
        yield from events
        return
    pending: list[Event] = []
    for event in events:
        pending.append(event)
        if len(pending) >= batch:
            yield from _score(pending, scorer)
            pending = []
    yield from _score(pending, scorer)


def _score(events: list[Event], scorer: Scorer) -> list[Event]:
    todo = [e for e in events if e.scores is None and e.text and e.type != "report"]
    if todo:
        for event, scores in zip(todo, scorer(todo), strict=True):
            event.scores = scores
    return events


def replay(lines: Iterable[bytes | str], *, config: DetectorConfig | None = None, scorer: Scorer | None = None,
           stats: ReplayStats | None = None, warmup_s: float = 0.0) -> Iterator[Incident]:
    """Incidents found in the stream, each yielded once it has closed (or at the end).

    ``warmup_s``: the first seconds of the stream only teach the detector each target's
    baseline (a recording starts in the middle of a community's history); incidents detected
    then are dropped.
    """
    stats = stats if stats is not None else ReplayStats()
    detector = PileOnDetector(config)
    last = float("-inf")
    first: float | None = None
    for event in _scored(read_events(lines, stats), scorer):
        stats.events += 1
        if event.ts < last:
            stats.out_of_order += 1
        else:
            last = event.ts
        if first is None:
            first = event.ts
        detector.process(event)
        if detector.closed_:
            yield from _keep(detector.closed_, first + warmup_s, stats)
            detector.closed_.clear()
    yield from _keep(detector.flush(), (first or 0.0) + warmup_s, stats)


def _keep(incidents: list[Incident], after: float, stats: ReplayStats) -> Iterator[Incident]:
    for incident in incidents:
        if incident.detected_at >= after:
            stats.incidents += 1
            yield incident
        else:
            stats.warmup_dropped += 1


def engine_scorer(engine: Any) -> Scorer:
    """A :data:`Scorer` over :meth:`clearspace.engine.Engine.score_many`."""

    def score(events: Sequence[Event]) -> list[dict[str, float]]:
        items = [{"text": e.text, "surface": e.surface} for e in events]
        out: list[dict[str, float]] = []
        for result in engine.score_many(items):
            out.append(dict(getattr(result, "scores", {}) or {}))
        return out

    return score
