"""The service's memory levels off under a long stream of events at ever new targets (issue 11,
point 10): before, each target kept its pile-on state forever (about 1 KB per event)."""

from __future__ import annotations

import gc
import tracemalloc

import pytest

from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.service.settings import Settings
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store

BATCH = 50


def _feed(service: Service, clock: ManualClock, start: int, batches: int) -> None:
    for b in range(start, start + batches):
        service.ingest.events([{"id": f"e{b}-{i}", "text": "你就是个傻逼" if i % 3 == 0 else "hello", "author": f"a{i}",
                         "target_user": f"t{b}-{i}"} for i in range(BATCH)])
        clock.advance(seconds=60)  # 50 events a minute of event time: the 30-minute window turns over


@pytest.mark.sqlite_only("measures the pile-on detector's memory in this process, which no backend changes; "
                          "9,000 more events over PostgreSQL would add time and test nothing more")
def test_memory_per_event_levels_off_once_the_window_has_turned_over(store_url: str, clock: ManualClock) -> None:
    settings = Settings(pileon_max_posts=2000, pileon_max_baselines=1000)
    service = Service(open_store(store_url), engine=KeywordEngine(), settings=settings, clock=clock,
                      ids=IdFactory(counter_token()))
    tracemalloc.start()  # from the start: what is freed later must have been counted when made
    try:
        _feed(service, clock, 0, 60)  # an hour: the window is full, idle targets retire from here on
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        _feed(service, clock, 60, 120)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    per_event = grown / (120 * BATCH)
    assert per_event < 100, f"{per_event:.0f} bytes per event still held"
    assert service.pileons is not None
    det = service.pileons.detector
    assert len(det.targets_) <= 32 * BATCH and len(det.baselines_) <= 1000 and len(det.posts_) <= 2000
