"""Rumor labels as decisions (at ingest and by backfill), appeals of labels, debunk versions and
retraction, the person's clarification: on every backend (migration 7)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from clearspace.errors import Conflict, InputError, NotFound, PermissionDenied
from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.service.labels import is_label_track
from clearspace.service.reports import ReportIn
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import Store, open_store

WATER: dict[str, Any] = {"id": "water", "claim": "喝热水可以杀死新冠病毒", "verdict": "false",
                         "variants": ["Drinking hot water kills the coronavirus"], "url": "https://fc.example/water",
                         "fact_checker": "Example Check", "about_person": "张三"}
FIVE_G: dict[str, Any] = {"id": "https://fc.example/5g", "claim": "5G towers spread the coronavirus",
                          "verdict": "fabricated", "language": "en"}
COPY = "喝热水可以杀死新冠病毒！"
OTHER = "今天天气很好，适合散步"


@pytest.fixture
def service(store: Store, clock: ManualClock) -> Service:
    return Service(store, engine=KeywordEngine(), clock=clock, ids=IdFactory(counter_token()))


def _kinds(service: Service, prefix: str) -> list[str]:
    return [r["kind"] for r in service.admin.export_audit() if r["kind"].startswith(prefix)]


def test_no_registry_no_labels(service: Service) -> None:
    answer = service.ingest.events({"id": "p1", "author": "u1", "text": COPY})[0]
    assert answer["rumor_labels"] == [] and service.rumors.post_labels("p1") == []
    assert [d["action"] for d in service.ingest.event("p1")["decisions"]] == ["allow"]


def test_a_new_post_is_labelled_at_ingest_with_a_decision(service: Service) -> None:
    service.rumors.add_debunks([WATER, FIVE_G], "fc")
    first, other = service.ingest.events([{"id": "p1", "author": "u1", "text": COPY, "ts": "2026-02-28T10:00:00Z"},
                                   {"id": "p2", "author": "u2", "text": OTHER}])
    assert other["rumor_labels"] == []
    assert first["action"] == "allow" and first["rules"] == []  # the engine's own decision is untouched
    [label] = first["rumor_labels"]
    assert label["debunk_id"] == "water" and label["status"] == "active" and label["rule"] == "claim_match@1"
    assert label["verdict"] == "false" and label["url"] == WATER["url"]
    assert label["debunk"]["fact_checker"] == "Example Check" and label["debunk"]["clarifications"] == []
    decision = service.ingest.decision(label["decision_id"])
    assert (decision["action"], decision["category"], decision["automated"], decision["account"]) == (
        "label", "rumor", True, "u1")
    assert decision["rules"] == ["claim_match@1"] and decision["labels"] == ["rumor:false"]
    sor = decision["statement_of_reasons"]
    assert sor["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_LABELLED"]
    assert sor["category_specification"] == ["KEYWORD_MISINFORMATION"]
    assert sor["source_type"] == "SOURCE_TRUSTED_FLAGGER"  # the debunk names its fact-checker
    assert "Example Check" in sor["decision_facts"] and WATER["url"] in sor["decision_facts"]
    assert sor["content_date"] == "2026-02-28T10:00:00.000000Z"
    assert service.rumors.post_labels("p1") == [label]
    assert _kinds(service, "label.") == ["label.applied"]
    [note] = service.accounts.notifications("u1")
    assert note["kind"] == "label.applied" and note["payload"]["decision_id"] == label["decision_id"]
    assert service.admin.verify_audit().ok


def test_a_repeated_event_answers_the_engine_decision_and_its_labels(service: Service) -> None:
    service.rumors.add_debunks(WATER, "fc")
    first = service.ingest.events({"id": "p1", "author": "u1", "text": COPY})[0]
    again = service.ingest.events({"id": "p1", "author": "u1", "text": COPY})[0]
    assert again["duplicate"] and again["decision_id"] == first["decision_id"] and again["action"] == "allow"
    assert again["rumor_labels"] == first["rumor_labels"]
    assert len(service.rumors.post_labels("p1")) == 1


def test_a_debunk_without_fact_checker_labels_on_own_initiative(service: Service) -> None:
    service.rumors.add_debunks(FIVE_G, "fc")
    [label] = service.ingest.events({"id": "p1", "author": "u1", "text": "5G towers spread the coronavirus!!"})[0][
        "rumor_labels"]
    assert service.ingest.decision(label["decision_id"])["statement_of_reasons"]["source_type"] == "SOURCE_VOLUNTARY"


def test_backfill_labels_stored_posts_once_with_progress(service: Service) -> None:
    posts = [{"id": f"p{i:02d}", "author": f"u{i}", "text": COPY if i % 3 == 0 else OTHER} for i in range(12)]
    service.ingest.events(posts)
    assert service.rumors.backfill_labels()["scanned"] == 0  # an empty registry has nothing to label with
    service.rumors.add_debunks([WATER, FIVE_G], "fc")
    seen: list[tuple[int, int, int]] = []
    result = service.rumors.backfill_labels(progress=lambda *a: seen.append(a), page_size=5)
    assert result == {"scanned": 12, "total": 12, "labelled": 4, "posts_labelled": 4, "debunk_ids": None}
    assert seen == [(5, 12, 2), (10, 12, 4), (12, 12, 4)]
    assert [p for p in ("p00", "p03", "p06", "p09") if service.rumors.post_labels(p)] == ["p00", "p03", "p06", "p09"]
    assert service.rumors.backfill_labels()["labelled"] == 0  # idempotent
    assert service.rumors.backfill_labels(["https://fc.example/5g"])["labelled"] == 0
    assert len(_kinds(service, "label.applied")) == 4 and _kinds(service, "labels.") == ["labels.backfilled"] * 4
    with pytest.raises(NotFound):
        service.rumors.backfill_labels(["nope"])


def test_backfill_for_some_debunks_only(service: Service) -> None:
    service.ingest.events([{"id": "a", "text": COPY}, {"id": "b", "text": "5G towers spread the coronavirus"}])
    service.rumors.add_debunks([WATER, FIVE_G], "fc")
    assert service.rumors.backfill_labels(["https://fc.example/5g"])["posts_labelled"] == 1
    assert service.rumors.post_labels("a") == [] and service.rumors.post_labels("b")[0]["debunk_id"] == "https://fc.example/5g"


def test_the_author_appeals_a_label_and_reversal_withdraws_it(service: Service) -> None:
    service.rumors.add_debunks(WATER, "fc")
    [label] = service.ingest.events({"id": "p1", "author": "u1", "text": COPY})[0]["rumor_labels"]
    with pytest.raises(PermissionDenied):
        service.cases.file_appeal(label["decision_id"], "someone_else", "not mine to appeal")
    appeal = service.cases.file_appeal(label["decision_id"], "u1", "I quoted the rumor to refute it")
    assert service.cases.get(appeal["case_id"])["lane"] == "appeal"
    service.cases.decide_appeal(appeal["id"], "moderator:m", "reversed", "The post refutes the rumor.")
    assert service.rumors.post_labels("p1") == []
    [withdrawn] = service.rumors.post_labels("p1", include_withdrawn=True)
    assert withdrawn["status"] == "withdrawn" and withdrawn["withdrawn_reason"].startswith("appeal reversed")
    decisions = service.ingest.event("p1")["decisions"]
    assert [(d["action"], d["status"]) for d in decisions] == [("allow", "active"), ("label", "reversed"),
                                                               ("allow", "active")]
    assert decisions[2]["supersedes"] == label["decision_id"] and is_label_track(decisions[2])
    assert service.rumors.backfill_labels()["labelled"] == 0  # a withdrawn label is never put back
    again = service.ingest.events({"id": "p1", "text": COPY})[0]
    assert again["decision_id"] == decisions[0]["id"] and again["rumor_labels"] == []
    assert "label.withdrawn" in _kinds(service, "label.")
    assert service.admin.verify_audit().ok


def test_an_upheld_label_stays(service: Service) -> None:
    service.rumors.add_debunks(WATER, "fc")
    [label] = service.ingest.events({"id": "p1", "author": "u1", "text": COPY})[0]["rumor_labels"]
    appeal = service.cases.file_appeal(label["decision_id"], "u1", "it is true")
    service.cases.decide_appeal(appeal["id"], "moderator:m", "upheld", "The claim was debunked.")
    assert service.rumors.post_labels("p1")[0]["status"] == "active"


def test_a_moderator_decision_supersedes_the_engine_decision_not_the_label(service: Service) -> None:
    service.rumors.add_debunks(WATER, "fc")
    answer = service.ingest.events({"id": "p1", "author": "u1", "text": COPY})[0]
    assert answer["action"] == "allow" and answer["rumor_labels"]
    ack = service.cases.file_report(ReportIn(reporter="r1", item="p1", category="rumor", explanation="spreads a rumor",
                                       good_faith=True))
    service.cases.claim(ack["case_id"], "moderator:m")
    decided = service.cases.decide(ack["case_id"], "moderator:m", "limit", "rumor", "Keeps spreading a rumor.")
    assert decided["supersedes"] == answer["decision_id"]
    statuses = {d["action"]: d["status"] for d in service.ingest.event("p1")["decisions"]}
    assert statuses == {"allow": "superseded", "label": "active", "limit": "active"}


def test_label_event_records_and_answers_the_post_labels(service: Service) -> None:
    service.ingest.events({"id": "p1", "text": COPY})
    service.rumors.add_debunks(WATER, "fc")
    labels = service.rumors.label_event("p1")
    assert [(lb["debunk_id"], lb["rule"]) for lb in labels] == [("water", "claim_match@1")]
    assert service.rumors.label_event("p1") == labels == service.rumors.post_labels("p1")
    for missing in ("nope", "p1\x00"):
        with pytest.raises(NotFound):
            service.rumors.label_event(missing)
    with pytest.raises(NotFound):
        service.rumors.post_context("nope")


def test_update_makes_a_new_version_and_the_matcher_follows(service: Service, clock: ManualClock) -> None:
    service.rumors.add_debunks(WATER, "fc")
    clock.advance(minutes=1)
    updated = service.rumors.update_debunk("water", {"claim": "多吃大蒜可以预防新冠病毒", "variants": None}, "fc",
                                    partial=True, reason="reworded")
    assert updated["version"] == 2 and updated["claim"] == "多吃大蒜可以预防新冠病毒" and "variants" not in updated
    assert updated["updated_at"] > updated["created_at"] and updated["verdict"] == "false"
    assert service.rumors.search("多吃大蒜预防新冠")[0]["debunk_id"] == "water"
    assert service.rumors.search("Drinking hot water kills the coronavirus") == []
    assert service.rumors.update_debunk("water", updated, "fc")["version"] == 2  # sent back as read: no new version
    assert service.rumors.update_debunk("water", {"claim": updated["claim"]}, "fc", partial=True)["version"] == 2
    replaced = service.rumors.update_debunk("water", {"claim": "喝热水可以杀死新冠病毒", "verdict": "misleading"}, "fc")
    assert replaced["version"] == 3 and "url" not in replaced  # PUT replaces the whole debunk
    history = service.rumors.debunk_history("water")
    assert [(h["version"], h["change"], h["reason"]) for h in history] == [
        (1, "created", ""), (2, "updated", "reworded"), (3, "updated", "")]
    assert history[0]["debunk"]["variants"] == WATER["variants"]
    audit = [r for r in service.admin.export_audit() if r["kind"] == "debunk.updated"]
    assert audit[0]["payload"]["changed"] == ["claim", "variants"] and audit[0]["payload"]["version"] == 2
    for bad in ({"id": "other"}, {"claim": None}, ["x"], {"verdict": "maybe"}):
        with pytest.raises(InputError):
            service.rumors.update_debunk("water", bad, "fc", partial=True)
    with pytest.raises(InputError):
        service.rumors.update_debunk("water", {"id": "other", "claim": "x"}, "fc")
    with pytest.raises(NotFound):
        service.rumors.update_debunk("nope", {"claim": "x"}, "fc")


def test_retraction_withdraws_labels_and_stops_matching(service: Service) -> None:
    service.rumors.add_debunks([WATER, FIVE_G], "fc")
    service.ingest.events([{"id": "p1", "author": "u1", "text": COPY}, {"id": "p2", "author": "u2", "text": COPY}])
    with pytest.raises(InputError):
        service.rumors.retract_debunk("water", "fc", "  ")
    result = service.rumors.retract_debunk("water", "fc", "the fact-check was wrong")
    assert result["labels_withdrawn"] == 2 and result["debunk"]["status"] == "retracted"
    assert result["debunk"]["version"] == 2 and result["debunk"]["retracted_at"]
    assert service.rumors.post_labels("p1") == [] and service.rumors.search(COPY) == []
    withdrawn = service.rumors.post_labels("p1", include_withdrawn=True)[0]
    assert withdrawn["debunk"]["status"] == "retracted"  # the link still resolves
    assert service.ingest.decision(withdrawn["decision_id"])["status"] == "withdrawn"
    assert [n["kind"] for n in service.accounts.notifications("u2")] == ["label.applied", "label.withdrawn"]
    assert service.ingest.events({"id": "p3", "text": COPY})[0]["rumor_labels"] == []
    assert service.rumors.backfill_labels()["labelled"] == 0
    assert [d["id"] for d in service.rumors.debunks()] == ["https://fc.example/5g"]
    assert [d["id"] for d in service.rumors.debunks(status="retracted")] == ["water"]
    assert len(service.rumors.debunks(status=None)) == 2
    with pytest.raises(Conflict):
        service.rumors.retract_debunk("water", "fc", "again")
    with pytest.raises(Conflict):
        service.rumors.update_debunk("water", {"verdict": "misleading"}, "fc", partial=True)
    with pytest.raises(Conflict):
        service.rumors.add_debunks(WATER, "fc")
    with pytest.raises(Conflict):
        service.rumors.backfill_labels(["water"])
    with pytest.raises(Conflict):
        service.rumors.add_clarification("water", "zhangsan", "text", "moderator:m")
    assert [h["change"] for h in service.rumors.debunk_history("water")] == ["created", "retracted"]
    assert _kinds(service, "debunk.") == ["debunk.created", "debunk.created", "debunk.retracted"]
    assert service.admin.verify_audit().ok


def test_the_persons_clarification_is_shown_with_card_and_label(service: Service, clock: ManualClock) -> None:
    service.rumors.add_debunks(WATER, "fc")
    service.ingest.events({"id": "p1", "author": "u1", "text": COPY})
    first = service.rumors.add_clarification("water", "zhangsan", "我从未这样说过", "moderator:m",
                                      stated_at="2026-02-27T08:00:00+08:00")
    assert first["stated_at"] == "2026-02-27T00:00:00.000000Z" and first["created_by"] == "moderator:m"
    clock.advance(minutes=1)
    second = service.rumors.add_clarification("water", "zhangsan", "我从未说过喝热水能杀死病毒", "moderator:m")
    card = service.rumors.search(COPY)[0]
    assert [c["id"] for c in card["clarifications"]] == [second["id"]]  # the newer one replaces the older
    assert service.rumors.debunk("water")["clarifications"][0]["text"] == "我从未说过喝热水能杀死病毒"
    label = service.rumors.post_context("p1")["labels"][0]
    assert label["debunk"]["clarifications"][0]["account"] == "zhangsan"
    rows = [r for r in service.admin.export_audit() if r["kind"] == "debunk.clarified"]
    assert rows[1]["payload"]["replaces"] == [first["id"]] and rows[1]["subject"] == "water"
    for account, text, when in (("", "x", None), ("a", " ", None), ("a", "x", "yesterday"), ("a\x00", "x", None)):
        with pytest.raises(InputError):
            service.rumors.add_clarification("water", account, text, "moderator:m", stated_at=when)
    with pytest.raises(NotFound):
        service.rumors.add_clarification("nope", "a", "x", "moderator:m")


def test_another_process_sees_updates_and_retractions(store_url: str, clock: ManualClock) -> None:
    first = Service(open_store(store_url), engine=KeywordEngine(), clock=clock)
    second = Service(open_store(store_url), engine=KeywordEngine(), clock=clock)
    try:
        first.rumors.add_debunks(WATER, "fc")
        assert second.rumors.search(COPY)[0]["debunk_id"] == "water"
        first.rumors.update_debunk("water", {"claim": "多吃大蒜可以预防新冠病毒", "variants": None}, "fc", partial=True)
        assert second.rumors.search("多吃大蒜预防新冠")[0]["debunk_id"] == "water"
        assert second.rumors.search(COPY) == []
        first.rumors.retract_debunk("water", "fc", "wrong")
        assert second.rumors.search("多吃大蒜预防新冠") == []
        assert second.ingest.events({"id": "p1", "text": "多吃大蒜可以预防新冠病毒"})[0]["rumor_labels"] == []
    finally:
        first.store.close()
        second.store.close()


def test_a_backfill_job_records_its_progress(service: Service) -> None:
    service.ingest.events([{"id": f"p{i}", "text": COPY} for i in range(3)])
    service.rumors.add_debunks(WATER, "fc")
    job = service.rumors.start_backfill(["water"], "moderator:m")
    assert job["kind"] == "backfill_labels" and job["params"] == {"debunk_ids": ["water"]}
    for _ in range(200):
        done = service.rumors.job(job["id"])
        if done["status"] != "running":
            break
        time.sleep(0.02)
    assert done["status"] == "succeeded", done
    assert done["result"]["labelled"] == 3 and done["done"] == done["total"] == 3 and done["finished_at"]
    with pytest.raises(NotFound):
        service.rumors.job("job_nope")
    with pytest.raises(NotFound):
        service.rumors.start_backfill(["nope"], "moderator:m")


def test_concurrent_ingest_labels_each_post_once(store_url: str, clock: ManualClock) -> None:
    workers = [Service(open_store(store_url), engine=KeywordEngine(), clock=clock,
                       ids=IdFactory(counter_token(n * 10**6))) for n in (1, 2)]
    try:
        workers[0].rumors.add_debunks(WATER, "fc")
        events = [{"id": f"e{i}", "author": f"a{i}", "text": COPY if i % 2 else OTHER} for i in range(10)]

        def send(i: int) -> None:
            for n in range(0, len(events), 2):
                workers[i % 2].ingest.events(events[n:n + 2] if i % 2 else events[::-1][n:n + 2])

        threads = [threading.Thread(target=send, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        with workers[0].store.read() as tx:
            assert tx.count("post_labels") == 5 and tx.count("decisions", {"action": "label"}) == 5
        assert workers[1].admin.verify_audit().ok
    finally:
        for w in workers:
            w.store.close()


class _BrokenEncoder:
    name = "broken"

    def encode(self, texts: Any) -> Any:
        raise RuntimeError("the encoder's model is gone")


def test_a_failing_matcher_never_stops_ingest(store: Store, clock: ManualClock,
                                              caplog: pytest.LogCaptureFixture) -> None:
    service = Service(store, engine=KeywordEngine(), clock=clock, debunk_encoder=_BrokenEncoder())
    service.rumors.add_debunks(WATER, "fc")
    answer = service.ingest.events({"id": "p1", "author": "u1", "text": COPY})[0]
    assert answer["action"] == "allow" and answer["rumor_labels"] == []
    assert "claim matching failed" in caplog.text
