"""The typed results of protection (incidents, prompts, reminders), administration and learning name the
keys the service really answers (issue 14 point 18; the guard over every facade method is in
test_typed_results.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clearspace.plugins.config import PluginStats
from clearspace.protection.events import Event
from clearspace.protection.incidents import Incident
from clearspace.protection.shield import make_shield
from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.service.results_admin import (
    ActivePolicy,
    AnnouncedCase,
    Announcement,
    AppealCounts,
    AuditAlarm,
    AuditEntry,
    ChainHeadView,
    CheckpointDocument,
    DecisionCounts,
    PolicyInfoView,
    TransparencyReport,
    TransparencyTimeline,
    WebhookAdded,
    WebhookView,
)
from clearspace.service.results_learning import (
    ExportedLabel,
    LabelBatch,
    LabelOutcome,
    LabelPage,
    ModelChange,
    ModelListing,
    ModelVersion,
    ShadowSummary,
    Suggestion,
    Suggestions,
    TrainedModel,
    TrainingLabel,
)
from clearspace.service.results_protection import (
    ExpiryReminder,
    IncidentCase,
    IncidentDetail,
    IncidentTimeline,
    Participant,
    ReminderPrompt,
    RiskPromptView,
    TimelineBucket,
)
from clearspace.service.settings import Settings
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store
from tests.learning_data import community
from tests.service.test_typed_results import same_shape

START = 1772362800.0


@pytest.fixture
def service(store_url: str, clock: ManualClock, tmp_path: Path) -> Iterator[Service]:
    """As the suite's service, its evidence key in ``tmp_path`` (checkpoints sign with it)."""
    svc = Service(open_store(store_url), engine=KeywordEngine(), clock=clock, ids=IdFactory(counter_token()),
                  settings=Settings(db=store_url, evidence_key=str(tmp_path / "evidence.pem")))
    yield svc
    svc.close()


def _pileon(target: str) -> Incident:
    incident = Incident(id=f"inc_{target}", target=target, start=START, detected_at=START + 300, last_ts=START + 300)
    for i, author in enumerate(["a", "b", "c", "d", "e"]):
        incident.add(Event(id=f"{target}-e{i}", type="reply", author=author, ts=START + 60 * i, target=target), 0.9,
                     new_account=False, referral=None, referral_author=None)
    return incident


def test_incident_detail_prompts_and_reminders_carry_the_documented_keys(service: Service,
                                                                          clock: ManualClock) -> None:
    service.ingest.events({"id": "own", "author": "v", "text": "今天天气很好", "region": "CN"})
    service.protection.record_incidents([_pileon("v")], prompts=True)
    (listed,) = service.protection.incidents()
    detail = service.protection.incident(listed["id"])
    assert same_shape(detail, IncidentDetail) and list(detail)[:11] == [*list(listed)[:10], "participants"]
    assert detail["participants"] and all(same_shape(p, Participant) for p in detail["participants"])
    assert same_shape(detail["timeline"], IncidentTimeline)
    assert all(same_shape(b, TimelineBucket) for b in detail["timeline"]["series"])
    assert detail["case"] is not None and same_shape(detail["case"], IncidentCase)
    assert listed["case_id"] and service.protection.incident_for_case(listed["case_id"]) == detail

    service.protection.activate(make_shield("v", now=service.protection.epoch(), days=2, reminder_hours=24), "v")
    clock.advance(hours=25)
    [sent] = service.protection.send_expiry_reminders()
    assert same_shape(sent, ExpiryReminder)
    reminder, risk = service.protection.prompts("v")
    assert reminder["kind"] == "shield_expiry_reminder" and same_shape(reminder, ReminderPrompt)
    assert risk["kind"] == "risk_prompt" and same_shape(risk, RiskPromptView) and "lang" in risk
    assert list(risk)[-4:] == ["lang", "region", "detected_at", "protected"]  # in the order stored


def test_a_risk_prompt_stored_before_its_locale_was_is_still_listed(service: Service, store_url: str) -> None:
    """Prompts written before issue 14 point 16 have no ``lang`` or ``region``: listed without them."""
    service.protection.record_incidents([_pileon("w")], prompts=True)
    [stored] = service.protection.prompts("w")
    old = {k: v for k, v in stored.items() if k not in ("id", "kind", "created_at", "lang", "region")}
    import orjson

    statement = "UPDATE notifications SET payload = ? WHERE id = ?"
    if "://" in store_url:
        import psycopg

        with psycopg.connect(store_url) as conn:
            conn.execute(statement.replace("?", "%s"), (orjson.dumps(old).decode(), stored["id"]))
    else:
        with sqlite3.connect(store_url) as conn:
            conn.execute(statement, (orjson.dumps(old).decode(), stored["id"]))
    [listed] = service.protection.prompts("w")
    assert same_shape(listed, RiskPromptView) and "lang" not in listed and listed["links"] == stored["links"]


def _decided_case(service: Service) -> str:
    service.ingest.events({"id": "dox", "author": "farmer", "text": "victim 去死吧，他的手机号是13800001234",
                           "target_user": "victim"})
    (case,) = [c for c in service.cases.queue() if c["event_id"] == "dox"]
    service.cases.claim(case["id"], "mod")
    service.cases.decide(case["id"], "mod", "remove", "doxxing", "farmer 公开了 victim 的电话")
    return case["id"]


def test_admin_results_carry_the_documented_keys(service: Service, store_url: str) -> None:
    case_id = _decided_case(service)
    report = service.admin.transparency()
    assert same_shape(report, TransparencyReport) and same_shape(report["decisions"], DecisionCounts)
    assert same_shape(report["appeals"], AppealCounts) and set(report["period"]) == {"from", "to"}
    period = report["period"]
    timeline = service.admin.transparency_timeline(period["from"][:10], period["to"][:10])
    assert same_shape(timeline, TransparencyTimeline) and len(timeline["human"]) == len(timeline["labels"])

    added = service.admin.add_webhook("https://hooks.example/a", ["decision.made"], "admin")
    assert same_shape(added, WebhookAdded) and added["secret"]
    [hook] = service.admin.webhooks()
    assert same_shape(hook, WebhookView) and list(hook) == [k for k in added if k != "secret"]

    page = service.admin.audit_page(limit=5)
    assert page and all(same_shape(e, AuditEntry) for e in page)
    exported = list(service.admin.export_audit())
    assert all(same_shape(e, AuditEntry) for e in exported) and exported[-1] == page[0]

    document = service.admin.make_audit_checkpoint("admin")
    assert same_shape(document, CheckpointDocument) and all(same_shape(h, ChainHeadView) for h in document["chains"])
    assert service.admin.audit_checkpoints() == [document]
    _sql(store_url, "UPDATE audit SET subject = 'tampered' WHERE seq = 1 AND chain = 'admin'")
    assert not service.admin.verify_audit().ok
    [alarm] = service.admin.audit_alarms()
    assert same_shape(alarm, AuditAlarm) and alarm["acknowledged_at"] is None
    acknowledged = service.admin.acknowledge_audit_alarm(alarm["id"], "admin", "seen")
    assert same_shape(acknowledged, AuditAlarm) and acknowledged["note"] == "seen"

    active = service.admin.active_policy()
    assert same_shape(active, ActivePolicy)
    assert all(same_shape(p, PolicyInfoView) for p in active.values() if p is not None)
    assert service.admin.bus_overview() is None  # no bus_url: embedded mode

    draft = service.admin.draft_announcement([case_id], "典型案例", "zh", "senior")
    assert same_shape(draft, Announcement) and all(same_shape(c, AnnouncedCase) for c in draft["body"])
    published = service.admin.publish_announcement(draft["id"], "senior")
    assert same_shape(published, Announcement) and published["status"] == "published"
    assert service.admin.announcements() == [published] == [service.admin.announcement(draft["id"])]


def _sql(url: str, statement: str) -> None:
    """Tamper with the database behind the service's back."""
    if "://" in url:
        import psycopg

        with psycopg.connect(url) as conn:
            conn.execute(statement)
        return
    with sqlite3.connect(url) as conn:
        conn.execute(statement)


def test_learning_results_carry_the_documented_keys(service: Service) -> None:
    data = community(60, seed=5)
    service.ingest.events([{"id": f"c{i}", "author": f"u{i % 7}", "text": text} for i, (text, _) in enumerate(data)])
    service.ingest.events({"id": "free", "author": "z", "text": "nobody labelled this one yet"})
    single = service.learning.add_labels({"event_id": "c0", "abusive": data[0][1]}, "mod")
    assert same_shape(single, TrainingLabel)
    batch: Any = service.learning.add_labels([{"event_id": f"c{i}", "abusive": abusive}
                                              for i, (_, abusive) in enumerate(data)] + [{"event_id": "nope"}], "mod")
    assert same_shape(batch, LabelBatch) and batch["errors"] == 1
    assert all(same_shape(r, LabelOutcome) for r in batch["results"])
    page = service.learning.labels(limit=3)
    assert same_shape(page, LabelPage) and all(same_shape(label, TrainingLabel) for label in page["labels"])
    assert all(same_shape(label, ExportedLabel) for label in service.learning.export_labels())
    suggested = service.learning.suggest_labels(n=2)
    assert same_shape(suggested, Suggestions) and all(same_shape(s, Suggestion) for s in suggested["items"])

    trained = service.learning.train_model("mod", holdout=0.25, seed=3)
    assert same_shape(trained, TrainedModel)
    promoted = service.learning.promote_model(trained["version"], "admin")
    assert same_shape(promoted, ModelVersion) and promoted["version"] == trained["version"]
    listing = service.learning.list_models()
    assert same_shape(listing, ModelListing) and all(same_shape(v, ModelVersion) for v in listing["versions"])
    assert all(same_shape(c, ModelChange) for c in listing["history"])
    assert same_shape(service.learning.rollback_model("admin"), ModelVersion)

    assert same_shape(service.learning.plugin_stats(), PluginStats)
    assert same_shape(service.learning.shadow_summary(), ShadowSummary)
