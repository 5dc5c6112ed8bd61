"""Behaviour of the pile-on detector on small hand-built streams."""

from __future__ import annotations

from clearspace.protection.detector import DetectorConfig, PileOnDetector
from clearspace.protection.events import Event

T0 = 1767571200.0


def ev(i: int, author: str, target: str | None, ts: float, *, abuse: float = 0.9, parent: str | None = None,
       follows: bool | None = False, etype: str = "reply", incite: float = 0.0) -> Event:
    return Event(id=f"e{i}", type=etype, author=author, ts=T0 + ts, target=target, parent=parent,
                 author_follows_target=follows, scores={"abuse": abuse, "incitement": incite})


def run(events: list[Event], config: DetectorConfig | None = None) -> tuple[PileOnDetector, list]:
    d = PileOnDetector(config)
    found = [inc for e in events if (inc := d.process(e)) is not None]
    return d, found


def pileon(n: int = 20, start: float = 0.0, target: str = "victim") -> list[Event]:
    out = [ev(0, "boss", target, start, incite=0.9, etype="quote")]
    out += [ev(i, f"p{i}", target, start + 30 * i, parent="e0") for i in range(1, n)]
    return out


def test_pileon_detected_early_with_instigator_and_roles() -> None:
    d, found = run(pileon(20))
    assert len(found) == 1
    inc = found[0]
    assert inc.target == "victim"
    assert inc.detected_at <= T0 + 30 * 5  # by the 5th hostile event of 20
    (closed,) = d.flush()
    assert closed is inc
    out = closed.to_dict()
    assert out["instigators"] == ["boss"]
    assert out["roles"]["boss"] == "instigator"
    assert out["roles"]["p1"] == "follower"
    assert len(out["participants"]) == 20
    assert out["start"] == "2026-01-05T00:00:00Z"


def test_repeat_poster_role() -> None:
    events = pileon(10) + [ev(99, "p3", "victim", 400)]
    d, _ = run(sorted(events, key=lambda e: e.ts))
    roles = d.flush()[0].roles()
    assert roles["p3"] == "repeat"


def test_two_person_argument_is_not_a_pileon() -> None:
    events = [ev(i, "a" if i % 2 else "b", "b" if i % 2 else "a", 20 * i) for i in range(60)]
    d, found = run(events)
    assert found == [] and d.flush() == []


def test_friendly_attention_with_a_few_rude_replies_is_not_a_pileon() -> None:
    events = []
    for i in range(400):
        rude = i % 25 == 0
        events.append(ev(i, f"fan{i}", "star", 5 * i, abuse=0.9 if rude else 0.05, follows=True))
    d, found = run(events)
    assert found == []


def test_high_baseline_account_needs_more_than_its_usual_hostility() -> None:
    # 8 hostile strangers an hour for a day: the usual for this account
    events = [ev(i, f"h{i}", "celeb", 450 * i, follows=None) for i in range(200)]
    cfg = DetectorConfig()
    d = PileOnDetector(cfg)
    late = []
    for e in events:
        inc = d.process(e)
        if inc is not None and e.ts > T0 + 6 * 3600:
            late.append(inc)
    assert late == []
    state = d.targets_["celeb"]
    assert 2.0 < d.expected(state, events[-1].ts) < 6.0


def test_same_burst_on_fresh_account_is_a_pileon() -> None:
    events = [ev(i, f"h{i}", "fresh", 60 * i, follows=None) for i in range(8)]
    _, found = run(events)
    assert len(found) == 1


def test_incident_closes_after_quiet_and_a_new_one_can_open() -> None:
    events = pileon(12) + [e for e in pileon(12, start=5 * 3600) if e.author != "boss"]
    for e in events[12:]:
        e.id = e.id + "b"
    d = PileOnDetector()
    for e in events:
        d.process(e)
    incidents = d.flush()
    assert len(incidents) == 2
    assert incidents[0].detected_at < incidents[1].detected_at


def test_report_surge_adds_pressure() -> None:
    hostile = [ev(i, f"h{i}", "t", 60 * i) for i in range(4)]
    reports = [Event(id=f"r{i}", type="report", author=f"r{i}", ts=T0 + 10 + i, target="t") for i in range(6)]
    cfg = DetectorConfig(min_participants=6.0, non_follower_weight=1.0)
    _, without = run(hostile, cfg)
    _, with_reports = run(sorted(hostile + reports, key=lambda e: e.ts), cfg)
    assert without == [] and len(with_reports) == 1


def test_new_accounts_and_coordination_weigh_more() -> None:
    d = PileOnDetector()
    state_events = [ev(i, f"x{i}", "t", i, follows=True) for i in range(3)]
    for e in state_events:
        d.process(e)
    plain = d.pressure(d.targets_["t"])
    d2 = PileOnDetector()
    d2.process(Event(id="q", type="quote", author="boss", ts=T0, target=None))
    for i in range(3):
        e = ev(i, f"x{i}", "t", i + 1, follows=False, parent="q")
        e.author_created_at = T0 - 86400
        d2.process(e)
    assert d2.pressure(d2.targets_["t"]) > plain * 2


def test_replies_to_the_targets_own_post_are_not_coordination() -> None:
    d = PileOnDetector()
    d.process(Event(id="own", type="post", author="t", ts=T0))
    for i in range(3):
        d.process(ev(i, f"x{i}", "t", i + 1, parent="own"))
    assert d.targets_["t"].refs == {}
