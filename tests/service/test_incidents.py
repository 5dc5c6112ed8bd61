"""Live pile-on detection in the service, incidents, risk prompts, expiry reminders and evidence
(migration 6), on every backend, including a restart over the same database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from clearspace.errors import InputError, NotFound
from clearspace.protection.evidence import verify_bundle
from clearspace.protection.shield import make_shield
from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.service.incidents import iso_ts
from clearspace.service.settings import Settings
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import Store, open_store
from clearspace.store.schema import KEYS, LATEST

HOSTILE = "你就是个傻逼"
FRIENDLY = "谢谢分享"
TOPICS = ["protection.risk_prompt", "protection.expiry_reminder"]


def make_service(store: Store, clock: ManualClock, tmp_path: Path, ids_from: int = 0, **settings: Any) -> Service:
    return Service(store, engine=KeywordEngine(), clock=clock, ids=IdFactory(counter_token(ids_from)),
                   settings=Settings(evidence_key=str(tmp_path / "evidence.pem"), **settings))


@pytest.fixture
def service(store: Store, clock: ManualClock, tmp_path: Path) -> Service:
    return make_service(store, clock, tmp_path)


class Feed:
    """Sends events one at a time, the clock moving ``step`` seconds before each."""

    def __init__(self, service: Service, clock: ManualClock, prefix: str = "e") -> None:
        self.service, self.clock, self.prefix, self.n = service, clock, prefix, 0

    def send(self, author: str, target: str, text: str = HOSTILE, step: float = 30.0, **extra: Any) -> dict[str, Any]:
        self.clock.advance(seconds=step)
        self.n += 1
        event = {"id": f"{self.prefix}{self.n}", "type": "reply", "author": author, "target_user": target,
                 "text": text, **extra}
        return self.service.ingest.events(event)[0]

    def pile_on(self, target: str, authors: list[str], **extra: Any) -> None:
        for author in authors:
            self.send(author, target, **extra)


def outbox_topics(service: Service) -> list[str]:
    with service.store.read() as tx:
        return [m["topic"] for m in tx.select("outbox", order_by=["created_at", "id"])]


def test_migration_6_adds_the_incidents_table(store: Store) -> None:
    assert LATEST >= 6 and store.schema_version() == LATEST
    assert KEYS["incidents"] == "id"


def test_a_pile_on_becomes_one_incident_one_case_and_one_prompt(service: Service, clock: ManualClock) -> None:
    service.admin.add_webhook("https://hooks.example/p", TOPICS, "admin")
    feed = Feed(service, clock)
    feed.pile_on("victim", [f"a{i}" for i in range(5)])
    [incident] = service.protection.incidents()
    assert incident["target"] == "victim" and incident["status"] == "active" and incident["source"] == "live"
    assert incident["participant_count"] == 5 and incident["hostile_events"] == 5
    assert incident["detected_at"] == incident["end"] > incident["start"]
    case = service.cases.get(incident["case_id"])
    assert (case["kind"], case["lane"], case["account"]) == ("incident", "pileon", None)
    [prompt] = service.protection.prompts("victim")
    assert prompt["kind"] == "risk_prompt" and prompt["incident_id"] == incident["id"]
    assert prompt["offer"]["action"] == "shield" and prompt["offer"]["days"] == 7
    assert {link["kind"] for link in prompt["links"]} >= {"legal_aid", "counselling", "police_howto"}
    assert all(link["url"].startswith(("https://", "tel:")) for link in prompt["links"])
    assert prompt["assisted_activation"] is False and prompt["protected"] is False
    assert outbox_topics(service) == ["protection.risk_prompt"]

    # later events of the same pile-on update it: no second case, no second prompt
    feed.pile_on("victim", ["a5", "a6", "a1"])
    [again] = service.protection.incidents()
    assert again["id"] == incident["id"] and again["case_id"] == incident["case_id"]
    assert again["participant_count"] == 7 and again["hostile_events"] == 8 and again["end"] > incident["end"]
    assert len(service.cases.queue(lane="pileon")) == 1
    assert len(service.protection.prompts("victim")) == 1
    assert service.cases.get(incident["case_id"])["priority"] == 7
    assert service.admin.verify_audit().ok
    kinds = [r["kind"] for r in service.admin.export_audit()]
    assert kinds.count("incident.detected") == 1 and kinds.count("protection.risk_prompt") == 1


def test_the_incident_detail_has_roles_a_chart_series_and_the_case(service: Service, clock: ManualClock) -> None:
    feed = Feed(service, clock)
    feed.send("fan", "victim", FRIENDLY)
    feed.pile_on("victim", ["a0", "a1", "a2", "a3", "a4", "a1"])
    feed.send("fan2", "victim", FRIENDLY)
    incident = service.protection.incident(service.protection.incidents()[0]["id"])
    roles = incident["participants_by_role"]
    assert set(roles) == {"instigator", "first_poster", "repeat", "follower"}
    assert roles["instigator"] == ["a0"] and roles["repeat"] == ["a1"]
    assert sorted(roles["follower"]) == ["a2", "a3", "a4"]
    assert [p["account"] for p in incident["participants"]] == ["a0", "a1", "a2", "a3", "a4"]
    assert {p["account"]: p["events"] for p in incident["participants"]}["a1"] == 2
    timeline = incident["timeline"]
    assert timeline["source"] == "events" and timeline["bucket_s"] > 0
    assert sum(b["hostile"] for b in timeline["series"]) == 6
    assert sum(b["other"] for b in timeline["series"]) == 2
    times = [b["t"] for b in timeline["series"]]
    assert times == sorted(times) and len(times) <= 61
    assert incident["case"]["id"] == incident["case_id"] and incident["case"]["status"] == "open"
    with pytest.raises(NotFound):
        service.protection.incident("inc_nope")


def test_arguments_and_friendly_attention_are_not_pile_ons(service: Service, clock: ManualClock) -> None:
    feed = Feed(service, clock)
    for _ in range(6):
        feed.send("x", "y")
        feed.send("y", "x")
    for i in range(40):
        feed.send(f"fan{i}", "star", FRIENDLY, step=5)
    for i in range(3):
        feed.send(f"rude{i}", "star", step=5)
    assert service.protection.incidents() == []
    assert service.protection.prompts("x") == [] and service.protection.prompts("star") == []


def test_a_minor_target_goes_to_the_minors_lane_with_assisted_activation(service: Service,
                                                                          clock: ManualClock) -> None:
    Feed(service, clock).pile_on("kid", [f"a{i}" for i in range(5)], minor=True)
    [incident] = service.protection.incidents()
    assert incident["minor"] is True
    assert service.cases.get(incident["case_id"])["lane"] == "minors"
    assert service.protection.prompts("kid")[0]["assisted_activation"] is True


def test_quiet_incidents_end_and_a_new_pile_on_is_a_new_incident(service: Service, clock: ManualClock) -> None:
    feed = Feed(service, clock)
    feed.pile_on("victim", [f"a{i}" for i in range(5)])
    clock.advance(hours=2)
    assert service.protection.close_quiet_incidents() == 1
    assert service.protection.incidents(status="active") == []
    [ended] = service.protection.incidents(status="ended")
    assert ended["ended_at"] is not None
    assert service.protection.close_quiet_incidents() == 0
    feed.pile_on("victim", [f"b{i}" for i in range(9)])  # the first one raised the target's baseline
    [active] = service.protection.incidents(status="active")
    assert active["id"] != ended["id"] and active["case_id"] != ended["case_id"]
    assert len(service.protection.incidents()) == 2 and len(service.protection.prompts("victim")) == 2
    with pytest.raises(InputError):
        service.protection.incidents(status="open")


def test_detection_can_be_turned_off(store: Store, clock: ManualClock, tmp_path: Path) -> None:
    service = make_service(store, clock, tmp_path, pileon_detection=False)
    Feed(service, clock).pile_on("victim", [f"a{i}" for i in range(6)])
    assert service.protection.incidents() == [] and service.pileons is None


def test_evidence_bundle_of_an_incident_verifies(service: Service, clock: ManualClock, tmp_path: Path) -> None:
    feed = Feed(service, clock)
    feed.send("fan", "victim", FRIENDLY)
    feed.pile_on("victim", [f"a{i}" for i in range(5)])
    incident = service.protection.incidents()[0]
    data = service.protection.evidence(incident["id"], redact=["victim"])
    report = verify_bundle(data)
    assert report.ok, report.problems
    assert report.items == 5 and report.public_key == service.protection.evidence_public_key()
    assert b"victim" not in data.replace(b"[redacted]", b"")  # hashed items hold no trace of the redacted name
    assert (tmp_path / "evidence.pem").exists()
    tampered = data.replace(HOSTILE.encode(), "你好".encode()) if HOSTILE.encode() in data else data[:-10]
    assert not verify_bundle(tampered).ok


def test_batch_action_over_an_incidents_participants_by_role(service: Service, clock: ManualClock) -> None:
    Feed(service, clock).pile_on("victim", ["a0", "a1", "a2", "a3", "a4", "a1"])
    incident = service.protection.incidents()[0]
    result = service.cases.batch_action("mod", "abuse", "coordinated pile-on", incident_id=incident["id"],
                                  roles=["instigator", "repeat"])
    assert [r["account"] for r in result["accounts"]] == ["a0", "a1"] and result["incident_id"] == incident["id"]
    assert service.accounts.status("victim")["strikes"] == []
    with pytest.raises(NotFound):
        service.cases.batch_action("mod", "abuse", "x", incident_id="inc_missing")


def test_replayed_incidents_are_recorded_once(service: Service) -> None:
    import orjson

    from clearspace.protection.replay import replay
    from clearspace.protection.simulate import SimConfig, simulate

    events, truths = simulate(SimConfig(seed=3, hours=6, users=600, pileons=2, viral=1, arguments=2,
                                        high_baseline=1))
    found = list(replay([orjson.dumps(e) for e in events], warmup_s=3600))
    assert found
    counts = service.protection.record_incidents(found)
    assert counts["opened"] == len(found)
    assert service.protection.record_incidents(found)["opened"] == 0  # the same incidents again: updated, not doubled
    listed = service.protection.incidents()
    assert len(listed) == len(found) and {i["source"] for i in listed} == {"replay"}
    assert len(service.cases.queue(lane="pileon")) + len(service.cases.queue(lane="minors")) == len(found)
    assert all(service.protection.prompts(i["target"]) == [] for i in listed)  # no prompts for history
    detail = service.protection.incident(listed[0]["id"])
    assert detail["timeline"]["source"] == "incident"  # its events are not in this store
    assert sum(b["hostile"] for b in detail["timeline"]["series"]) == detail["hostile_events"]


def test_expiry_reminders_are_sent_once_per_activation(service: Service, clock: ManualClock) -> None:
    service.admin.add_webhook("https://hooks.example/p", TOPICS, "admin")
    service.protection.activate(make_shield("v", now=service.protection.epoch(), days=2, reminder_hours=24), "v")
    assert service.protection.send_expiry_reminders() == []
    clock.advance(hours=25)
    [sent] = service.protection.send_expiry_reminders()
    assert sent["account"] == "v" and 22 < sent["hours_left"] < 24
    assert service.protection.send_expiry_reminders() == []
    [prompt] = service.protection.prompts("v")
    assert prompt["kind"] == "shield_expiry_reminder" and prompt["offer"]["action"] == "extend"
    assert outbox_topics(service) == ["protection.expiry_reminder"]
    # a new activation is reminded again when its time comes; an expired shield never
    service.protection.activate(make_shield("v", now=service.protection.epoch(), days=2, reminder_hours=24), "v")
    assert service.protection.send_expiry_reminders() == []
    clock.advance(hours=25)
    assert len(service.protection.send_expiry_reminders()) == 1
    service.protection.activate(make_shield("w", now=service.protection.epoch(), days=1, reminder_hours=1), "w")
    clock.advance(days=2)
    assert service.protection.send_expiry_reminders() == []
    assert [r["kind"] for r in service.admin.export_audit()].count("shield.reminded") == 2


def test_state_survives_a_restart_and_detection_goes_on(store_url: str, clock: ManualClock, tmp_path: Path) -> None:
    first = make_service(open_store(store_url), clock, tmp_path)
    feed = Feed(first, clock)
    feed.pile_on("victim", [f"a{i}" for i in range(5)])
    first.protection.activate(make_shield("victim", now=first.protection.epoch(), days=2, reminder_hours=47.5),
                              "victim")
    clock.advance(minutes=40)
    assert len(first.protection.send_expiry_reminders()) == 1
    [incident] = first.protection.incidents()
    key = first.protection.evidence_public_key()
    first.store.close()

    clock.advance(minutes=1)
    again = make_service(open_store(store_url), clock, tmp_path, ids_from=10_000)
    try:
        assert again.protection.incidents() == [incident]
        assert again.protection.shield("victim")["account"] == "victim"
        assert again.protection.send_expiry_reminders() == []  # the reminded flag was kept
        assert again.protection.evidence_public_key() == key
        feed.service = again
        feed.pile_on("victim", ["a5", "a6"], step=20)  # the same pile-on goes on after the restart
        [updated] = again.protection.incidents()
        assert updated["id"] == incident["id"] and updated["participant_count"] == 7
        assert len(again.cases.queue(lane="pileon")) == 1 and len(again.protection.prompts("victim")) == 2
        assert again.pileons is not None and again.pileons.rebuilt_events == 5
        feed.pile_on("other", [f"b{i}" for i in range(5)])  # and a new one is detected
        assert {i["target"] for i in again.protection.incidents()} == {"victim", "other"}
        assert again.admin.verify_audit().ok
    finally:
        again.store.close()


def test_an_incident_quiet_across_a_restart_is_ended(store_url: str, clock: ManualClock, tmp_path: Path) -> None:
    first = make_service(open_store(store_url), clock, tmp_path)
    Feed(first, clock).pile_on("victim", [f"a{i}" for i in range(5)])
    first.store.close()
    clock.advance(hours=3)
    again = make_service(open_store(store_url), clock, tmp_path, ids_from=10_000).warm_up()
    try:
        [incident] = again.protection.incidents()
        assert incident["status"] == "ended"
    finally:
        again.store.close()


def test_a_restored_incident_is_joined_even_when_its_events_are_older_than_the_rebuild(
        store_url: str, clock: ManualClock, tmp_path: Path) -> None:
    first = make_service(open_store(store_url), clock, tmp_path, pileon_rebuild_hours=0.01)
    feed = Feed(first, clock)
    feed.pile_on("victim", [f"a{i}" for i in range(5)])
    first.store.close()
    clock.advance(minutes=5)
    again = make_service(open_store(store_url), clock, tmp_path, ids_from=10_000, pileon_rebuild_hours=0.01)
    try:
        feed.service = again
        feed.send("a9", "victim")
        [incident] = again.protection.incidents()
        assert incident["participant_count"] == 6
        assert [p["account"] for p in again.protection.incident(incident["id"])["participants"]][:5] == [
            f"a{i}" for i in range(5)]
    finally:
        again.store.close()


class PrecomputedScores:
    """A scoring engine that answers the ``scores`` each event carries (as replay reads them)."""

    def __init__(self) -> None:
        from clearspace.policy import load_default_policy

        self.policy_ = load_default_policy()

    def warm_up(self) -> PrecomputedScores:
        return self

    def score(self, text: str, **context: Any) -> Any:
        from clearspace.result import ScoreResult

        scores = dict(context.get("scores") or {})
        return ScoreResult(id=context.get("id"), abusive=False, action="allow", scores=scores, signals=())

    def score_many(self, items: Any) -> Any:
        for item in items:
            yield self.score(item["text"], **{k: v for k, v in item.items() if k != "text"})


def test_live_detection_over_ingest_finds_what_replay_finds(store: Store, clock: ManualClock, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    import orjson

    from clearspace.protection.replay import replay
    from clearspace.protection.simulate import SimConfig, simulate

    events, truths = simulate(SimConfig(seed=5, hours=4, users=500, ambient_per_hour=200, pileons=2, viral=1,
                                        arguments=2, high_baseline=1))
    expected = {(i.target, round(i.start, 3)) for i in replay([orjson.dumps(e) for e in events])}
    assert {t.target for t in truths} <= {target for target, _ in expected}
    service = Service(store, engine=PrecomputedScores(), clock=clock, ids=IdFactory(counter_token()),
                      settings=Settings(evidence_key=str(tmp_path / "k.pem")))
    for e in events:  # the service's event types and surfaces
        e["type"] = {"quote": "repost"}.get(e["type"], e["type"])
        e["surface"] = {"mention": "comment"}.get(e["surface"], e["surface"])
    for i in range(0, len(events), 100):
        batch = events[i:i + 100]
        clock.current = datetime.fromtimestamp(batch[-1]["ts"], UTC)
        service.ingest.events(batch)
    found = {(i["target"], round(datetime.fromisoformat(i["start"]).timestamp(), 3))
             for i in service.protection.incidents(limit=1000)}
    assert found == expected
    assert all(service.protection.prompts(target) for target, _ in found)
    assert len(service.cases.queue(lane="pileon", limit=1000)) == len(found)


def test_a_restart_in_the_middle_of_the_stream_loses_no_pile_on(store_url: str, clock: ManualClock,
                                                                 tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from clearspace.protection.simulate import SimConfig, simulate

    events, truths = simulate(SimConfig(seed=9, hours=4, users=500, ambient_per_hour=200, pileons=3, viral=1,
                                        arguments=2, high_baseline=1))
    for e in events:
        e["type"] = {"quote": "repost"}.get(e["type"], e["type"])
        e["surface"] = {"mention": "comment"}.get(e["surface"], e["surface"])
    middle = min(t.start + (t.end - t.start) / 2 for t in truths)  # inside the first pile-on
    services = []
    for part in ([e for e in events if e["ts"] < middle], [e for e in events if e["ts"] >= middle]):
        service = Service(open_store(store_url), engine=PrecomputedScores(), clock=clock,
                          ids=IdFactory(counter_token(len(services) * 1_000_000)),
                          settings=Settings(evidence_key=str(tmp_path / "k.pem")))
        services.append(service)
        for i in range(0, len(part), 100):
            batch = part[i:i + 100]
            clock.current = datetime.fromtimestamp(batch[-1]["ts"], UTC)
            service.ingest.events(batch)
        if len(services) == 1:
            service.store.close()
    again = services[-1]
    try:
        listed = again.protection.incidents(limit=1000)
        for truth in truths:
            mine = [i for i in listed if i["target"] == truth.target]
            assert len(mine) == 1, truth.target  # the pile-on cut by the restart is still one incident
        first = min(truths, key=lambda t: t.start)
        [cut] = [i for i in listed if i["target"] == first.target]
        assert cut["start"] < iso_ts(middle) < cut["end"]  # it spans the restart
        assert cut["participant_count"] >= len(again.protection.incident(cut["id"])["participants_by_role"]["follower"])
        assert len(again.cases.queue(lane="pileon", limit=1000)) == len(listed)
    finally:
        again.store.close()


def test_the_transparency_report_counts_pile_ons(service: Service, clock: ManualClock) -> None:
    Feed(service, clock).pile_on("victim", [f"a{i}" for i in range(5)])
    service.protection.activate(make_shield("victim", now=service.protection.epoch(), days=1), "victim")
    service.protection.send_expiry_reminders()
    report = service.admin.transparency("2026-01-01", "2027-01-01")
    assert report["pileons"] == {"incidents_detected": 1, "risk_prompts_sent": 1, "shield_expiry_reminders_sent": 1}
