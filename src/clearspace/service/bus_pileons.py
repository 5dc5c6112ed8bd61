"""Pile-on detection in bus mode: the worker that owns a partition detects over its events, with one
:class:`~clearspace.service.incidents.LiveDetector` per owned partition.

Events are partitioned by ``target_user`` first, so every event about one person reaches one
worker, and detection needs no coordination. On taking a partition the worker rebuilds the
partition's detector from the store (the events of the last ``pileon_rebuild_hours`` whose target
falls in the partition, and the stored active incidents of those targets), after the partition's
fencing token was raised, so the previous owner can no longer commit anything it would miss.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from clearspace.protection.events import Event as DetectorEvent
from clearspace.protection.nudge import SupportLink
from clearspace.service import incidents
from clearspace.service.events import Event
from clearspace.service.partitions import partition_of_key
from clearspace.service.unit import Unit
from clearspace.store import Store


def target_partition(target: str, partitions: int) -> int:
    """The partition of every event about ``target`` (its routing key is ``t:<target>``)."""
    return partition_of_key(f"t:{target}", partitions)


class PartitionDetectors:
    """The live detectors of the partitions this worker owns."""

    def __init__(self, store: Store, partitions: int, new_detector: Callable[[], incidents.LiveDetector],
                 links: Sequence[SupportLink], unit: Callable[[], AbstractContextManager[Unit]],
                 wall: Callable[[], float]) -> None:
        self.store = store
        self.partitions = partitions
        self.new_detector = new_detector
        self.links = links
        self.unit = unit
        self.wall = wall
        self.live: dict[int, incidents.LiveDetector] = {}
        self._lock = threading.Lock()

    def take(self, partition: int) -> int:
        """Rebuild ``partition``'s detector from the store; answers how many stored events it replayed."""
        live = self.new_detector()
        mine = self._mine(partition)

        def source(since: str, received: list[float]) -> Iterator[DetectorEvent]:
            return (e for e in incidents.stored_events(self.store, since, received) if mine(e.target))

        over = [row for row in live.rebuild(self.store, self.wall(), source) if mine(row["target"])]
        for target in [t for t in live.detector.open_ if not mine(t)]:
            live.detector.forget(target)  # incidents of other partitions' targets are their owners'
        if over:
            with self.unit() as unit:
                incidents.record(unit, [], self.links, over=over)
        with self._lock:
            self.live[partition] = live
        return live.rebuilt_events

    def drop(self, partition: int) -> None:
        with self._lock:
            self.live.pop(partition, None)

    def observe(self, unit: Unit, partition: int, recorded: list[tuple[Event, Any]]) -> None:
        """Feed the events just recorded in ``unit`` to the partition's detector (in ``unit``)."""
        live = self.live.get(partition)
        if live is None or not recorded:
            return
        incidents.observe_ingest(unit, live, [e for e, _ in recorded], {e.id: s for e, s in recorded}, self.links)

    def expire(self, partition: int) -> int:
        """End the incidents gone quiet in ``partition`` (if owned); how many ended. The caller keeps the
        partition's batches out meanwhile (the worker holds the partition's lock)."""
        live = self.live.get(partition)
        snaps = live.expire(self.wall()) if live is not None else []
        if not snaps:
            return 0
        with self.unit() as unit:
            return incidents.record(unit, snaps, self.links).count("ended")

    def _mine(self, partition: int) -> Callable[[Any], bool]:
        def mine(target: Any) -> bool:
            return isinstance(target, str) and bool(target) and target_partition(target, self.partitions) == partition
        return mine


