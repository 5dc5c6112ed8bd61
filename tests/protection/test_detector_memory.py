"""The pile-on detector's memory is bounded however many targets and events go by (issue 11, point 10).

Before, every target ever seen kept its state (and its last window of events) forever: a stream of
events at ever new targets grew the process by about a kilobyte per event. Then, inside one window,
every hostile event kept its whole event and every open incident a list of all its hostile events:
a 30-minute soak grew by 150 MiB. Now the windows of all targets together, the participants all
open incidents list and the post map are each capped by count too."""

from __future__ import annotations

import gc
import random
import tracemalloc
import unicodedata

import pytest

from clearspace.errors import InputError
from clearspace.protection.detector import DetectorConfig, PileOnDetector
from clearspace.protection.events import Event
from clearspace.protection.incidents import SERIES_MOST, Hit, HostileCounts
from clearspace.service.incidents import detector_config, hostile_series
from clearspace.service.settings import Settings
from clearspace.text.charmap import CharMap

HOSTILE = {"abuse": 0.9}


def _event(i: int, target: str, ts: float, hostile: bool = False) -> Event:
    return Event(id=f"e{i}", type="comment", author=f"a{i % 97}", ts=ts, target=target,
                 scores=HOSTILE if hostile else {"abuse": 0.1})


def test_idle_targets_give_up_their_state_and_baselines_are_capped() -> None:
    cfg = DetectorConfig(window_s=600.0, max_baselines=500, max_posts=1000)
    det = PileOnDetector(cfg)
    for i in range(20_000):  # one event a second, each at a new target, a third hostile
        det.process(_event(i, f"t{i}", float(i), hostile=i % 3 == 0))
    assert len(det.targets_) <= 600 + 10  # only the targets seen within one window
    assert len(det.baselines_) <= 500 and len(det.posts_) <= 1000
    assert sum(len(s.window) for s in det.targets_.values()) <= 610


def test_a_returning_target_keeps_its_baseline() -> None:
    cfg = DetectorConfig(window_s=600.0)
    det = PileOnDetector(cfg)
    for i in range(6):
        det.process(_event(i, "victim", float(i), hostile=True))
    det.process(_event(100, "other", 700.0))  # evicts the victim's window into its baseline
    det.process(_event(101, "victim", 700.0))
    base = det.targets_["victim"].base_count
    det.process(_event(102, "other", 5000.0))  # the victim is idle for a window: retired
    assert "victim" not in det.targets_ and "victim" in det.baselines_
    det.process(_event(103, "victim", 5001.0))
    state = det.targets_["victim"]
    assert state.base_count == base and state.first_seen == 0.0


def test_without_a_timeline_a_hostile_entry_keeps_no_event_id_or_parent() -> None:
    found = {}
    for timeline in (True, False):
        det = PileOnDetector(DetectorConfig(timeline=timeline))
        for i in range(12):
            det.process(Event(id=f"e{i}", type="comment", author=f"a{i}", ts=float(i), target="victim", parent="p0",
                              surface="reply", scores=HOSTILE))
        entries = [e for e in det.targets_["victim"].window if isinstance(e, Hit)]
        found[timeline] = {(e.id, e.parent, e.surface) for e in entries}
        incidents = det.flush()
        assert len(incidents) == 1 and incidents[0].hostile == 12 and len(incidents[0].participants) == 12
        assert [row["event"] for row in incidents[0].timeline] == ([f"e{i}" for i in range(12)] if timeline else [])
    assert found[False] == {("", None, "reply")}
    assert len(found[True]) == 12


def test_one_target_window_is_capped_and_keeps_events_only_for_hostile_entries() -> None:
    det = PileOnDetector(DetectorConfig(max_window=100))
    for i in range(1000):
        det.process(_event(i, "celeb", float(i) / 100, hostile=i % 10 == 0))
    state = det.targets_["celeb"]
    assert len(state.window) == 100 and state.inbound + len(state.reporters) <= 100
    entries = [e for e in state.window if not isinstance(e, float)]  # plain interactions are just a time
    assert len(entries) == 10 and all(e.hostile and isinstance(e, Hit) for e in entries)  # the hit itself


def test_settings_bound_the_service_detector() -> None:
    cfg = detector_config(Settings(pileon_max_posts=10, pileon_max_baselines=20, pileon_max_window=30,
                                   pileon_max_entries=40, pileon_max_targets=50, pileon_max_listed=60))
    assert (cfg.max_posts, cfg.max_baselines, cfg.max_window) == (10, 20, 30)
    assert (cfg.max_entries, cfg.max_targets, cfg.max_listed, cfg.timeline) == (40, 50, 60, False)
    for name in ("pileon_max_entries", "pileon_max_targets", "pileon_max_listed", "pileon_write_seconds"):
        with pytest.raises(InputError, match=name):
            Settings(**{name: -1})


def test_unassigned_code_points_are_not_cached() -> None:
    charmap = CharMap()
    unassigned = "".join(chr(c) for c in range(0xE0080, 0xE00FF) if unicodedata.category(chr(c)) == "Cn")
    private = "".join(chr(c) for c in range(0xF0000, 0xF0400))
    before = (len(charmap._cache), len(charmap._table))
    assert charmap.apply(unassigned + private + "A")[0] == unassigned + private + "a"
    assert (len(charmap._cache), len(charmap._table)) <= (before[0] + 1, before[1] + 1)


def _stream(n: int, *, targets: int, authors: int, seed: int = 0, hostile_share: float = 0.35) -> list[Event]:
    """``n`` events a few milliseconds apart at ``targets`` targets from ``authors`` authors, a share hostile."""
    rng = random.Random(seed)
    return [Event(id=f"s{i}", type="comment", author=f"a{rng.randrange(authors)}", ts=1.8e9 + i * 0.004,
                  target=f"t{rng.randrange(targets)}",
                  scores=HOSTILE if rng.random() < hostile_share else {"abuse": 0.1}) for i in range(n)]


def measure_distinct_stream() -> dict[str, int]:
    """Every event from a new author at a new target, inside one window: only the counts bound it.
    Run in a fresh interpreter by the test below (tracemalloc counts every thread's allocations, and
    threads other tests leave behind would be counted too)."""
    cfg = DetectorConfig(max_posts=5000, max_baselines=5000, max_entries=10_000, max_targets=5000, max_listed=2000,
                         timeline=False)
    det = PileOnDetector(cfg)
    tracemalloc.start()
    try:
        for i in range(200_000):
            if i == 50_000:
                gc.collect()
                filled = tracemalloc.get_traced_memory()[0]
            det.process(Event(id=f"e{i}", type="comment", author=f"a{i}", ts=1.8e9 + i * 0.004, target=f"t{i}",
                              scores=HOSTILE if i % 3 == 0 else {"abuse": 0.1}))
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - filled
    finally:
        tracemalloc.stop()
    assert det.entries_ == sum(len(s.window) for s in det.targets_.values()) <= cfg.max_entries
    assert len(det.posts_) <= cfg.max_posts and len(det.baselines_) <= cfg.max_baselines
    assert len(det.targets_) <= cfg.max_targets + 4  # retired a few at a time
    return {"grown": grown}


def test_200k_events_from_distinct_authors_at_distinct_targets_stay_under_the_caps() -> None:
    import json
    import subprocess
    import sys
    from pathlib import Path

    code = ("import json; from tests.protection.test_detector_memory import measure_distinct_stream as m; "
            "print(json.dumps(m()))")
    run = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    grown = json.loads(run.stdout.strip().splitlines()[-1])["grown"]
    # 150,000 more events once the caps are full add under 20 bytes an event (the caps' own slack)
    assert grown / 150_000 < 20, f"{grown / 150_000:.0f} bytes per event"


def test_a_storm_at_2000_targets_stays_under_the_caps_and_still_finds_pile_ons() -> None:
    cfg = DetectorConfig(max_posts=20_000, max_entries=20_000, max_listed=5000, timeline=False)
    det = PileOnDetector(cfg)
    opened = sum(det.process(e) is not None for e in _stream(100_000, targets=2000, authors=2000))
    assert opened > 100  # every target is attacked by many: pile-ons are found even with short windows
    assert det.entries_ == sum(len(s.window) for s in det.targets_.values()) <= cfg.max_entries
    assert det.listed_ == sum(len(i.participants) for i in det.open_.values()) <= cfg.max_listed
    assert sum(i.unlisted for i in det.open_.values()) > 0  # past the bound: counted, not listed
    assert all(not i.timeline and len(i.series.counts) <= SERIES_MOST for i in det.open_.values())


def test_trimming_other_targets_windows_keeps_what_an_open_incident_lists() -> None:
    cfg = DetectorConfig(max_entries=500)
    det = PileOnDetector(cfg)
    t0 = 1.8e9
    for i in range(8):  # eight hostile accounts at the victim: a pile-on
        det.process(Event(id=f"v{i}", type="reply", author=f"h{i}", ts=t0 + i, target="victim", scores=HOSTILE))
    incident = det.open_["victim"]
    listed = {a: p.count for a, p in incident.participants.items()}
    for i in range(5000):  # a flood elsewhere pushes every window, the victim's too, past the bound
        det.process(Event(id=f"o{i}", type="comment", author=f"x{i}", ts=t0 + 10 + i * 0.01, target=f"o{i % 50}"))
    assert det.entries_ <= cfg.max_entries and not det.targets_["victim"].window
    assert det.open_["victim"] is incident and {a: p.count for a, p in incident.participants.items()} == listed
    det.process(Event(id="late", type="reply", author="h9", ts=t0 + 100, target="victim", scores=HOSTILE))
    assert incident.participants["h9"].count == 1 and incident.hostile == 9  # it still joins the open incident
    done = det.flush()
    assert [i.target for i in done] == ["victim"] and det.listed_ == 0


def test_hostile_counts_give_the_series_of_the_times_in_bounded_memory() -> None:
    rng = random.Random(3)
    for span in (600.0, 7200.0, 5 * 86400.0, 400 * 86400.0):
        times = sorted(1.8e9 + rng.random() * span for _ in range(3000))
        counts = HostileCounts()
        for t in times:
            counts.add(t)
        assert len(counts.counts) <= SERIES_MOST and sum(counts.counts.values()) <= len(times)
        start, end = times[0], times[-1]
        if span < 200 * 86400:  # the largest step drops the oldest days only past 240 of them
            assert hostile_series(counts.items(), start, end) == hostile_series(((t, 1) for t in times), start, end)
