"""The pile-on detector's memory is bounded however many targets and events go by (issue 11, point 10).

Before, every target ever seen kept its state (and its last window of events) forever: a stream of
events at ever new targets grew the process by about a kilobyte per event."""

from __future__ import annotations

import unicodedata

from clearspace.protection.detector import DetectorConfig, PileOnDetector
from clearspace.protection.events import Event
from clearspace.service.incidents import detector_config
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


def test_one_target_window_is_capped_and_keeps_events_only_for_hostile_entries() -> None:
    det = PileOnDetector(DetectorConfig(max_window=100))
    for i in range(1000):
        det.process(_event(i, "celeb", float(i) / 100, hostile=i % 10 == 0))
    state = det.targets_["celeb"]
    assert len(state.window) == 100 and state.inbound + len(state.reporters) <= 100
    entries = [e for e in state.window if not isinstance(e, float)]  # plain interactions are just a time
    assert len(entries) == 10 and all(e.hostile and e.hit is not None for e in entries)


def test_settings_bound_the_service_detector() -> None:
    cfg = detector_config(Settings(pileon_max_posts=10, pileon_max_baselines=20, pileon_max_window=30))
    assert (cfg.max_posts, cfg.max_baselines, cfg.max_window) == (10, 20, 30)


def test_unassigned_code_points_are_not_cached() -> None:
    charmap = CharMap()
    unassigned = "".join(chr(c) for c in range(0xE0080, 0xE00FF) if unicodedata.category(chr(c)) == "Cn")
    private = "".join(chr(c) for c in range(0xF0000, 0xF0400))
    before = (len(charmap._cache), len(charmap._table))
    assert charmap.apply(unassigned + private + "A")[0] == unassigned + private + "a"
    assert (len(charmap._cache), len(charmap._table)) <= (before[0] + 1, before[1] + 1)
