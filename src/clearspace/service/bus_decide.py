"""How a bus worker decides a batch of one partition: the service's ingest path, with the partition's
offset commit (fenced by its token) and its pile-on detector in the same transaction.

This is the one seam between bus mode and the ingest pipeline (:meth:`clearspace.service.pipeline.Pipeline.decide`,
whose ``in_transaction`` hook commits the offset with the decisions).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from clearspace.service import bus_offsets
from clearspace.service.bus_pileons import PartitionDetectors
from clearspace.service.core import Service
from clearspace.service.events import Event
from clearspace.service.results import Answer
from clearspace.service.unit import Unit

ACTOR = "bus"


@dataclass(frozen=True, slots=True)
class Claim:
    """A partition as this worker holds it: ``token`` fences every commit."""

    prefix: str
    partition: int
    token: int


@dataclass(slots=True)
class Spent:
    """The calling thread's CPU seconds spent committing offsets (coordination, not the pipeline's work)."""

    offsets_cpu_s: float = 0.0


def decide_batch(service: Service, claim: Claim, events: list[Event], last_seq: int,
                 detectors: PartitionDetectors | None, spent: Spent | None = None) -> list[Answer]:
    """Decide ``events`` (checked, of ``claim.partition``, up to stream sequence ``last_seq``) and commit the
    decisions with the partition's offset; Conflict (nothing committed) when the token is stale. An event
    already decided answers its stored decision and is not decided again. ``spent`` adds up the CPU of the
    offset commit."""

    def before_commit(unit: Unit, answers: Sequence[Mapping[str, Any]]) -> None:
        recorded = {e.id: (e, a["scores"]) for e, a in zip(events, answers, strict=True) if not a.get("duplicate")}
        started = time.thread_time()
        bus_offsets.commit(unit.tx, claim.prefix, claim.partition, claim.token, last_seq, len(recorded), unit.ts)
        if spent is not None:
            spent.offsets_cpu_s += time.thread_time() - started
        if detectors is not None:
            detectors.observe(unit, claim.partition, list(recorded.values()))

    return service.ingest.checked(events, ACTOR, in_transaction=before_commit)
