"""Debunks and post labels in the service (migration 5), on every backend."""

from __future__ import annotations

from typing import Any

import pytest

from clearspace.errors import Conflict, InputError, NotFound
from clearspace.rumors.claimreview import to_claimreview
from clearspace.rumors.model import Debunk, Evidence, Verdict
from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import Store, open_store
from clearspace.store.schema import KEYS

WATER: dict[str, Any] = {
    "id": "water", "claim": "喝热水可以杀死新冠病毒", "verdict": "false",
    "variants": ["Drinking hot water kills the coronavirus"], "text": "专家指出，喝热水不能杀死病毒。",
    "title": "喝热水能杀死新冠病毒？不能", "url": "https://fc.example/water", "fact_checker": "Example Check",
    "evidence": [{"publisher": "WHO", "url": "https://who.example/myth", "quote": "Hot water does not kill it",
                  "date": "2020-03-01"}],
    "published": "2020-03-02", "claim_date": "2020-02-28", "about_person": "张三", "clarification": "我从未这样说过",
}
FIVE_G: dict[str, Any] = {"id": "5g", "claim": "5G towers spread the coronavirus", "verdict": "fabricated",
                          "language": "en"}





@pytest.fixture
def service(store: Store, clock: ManualClock) -> Service:
    return Service(store, engine=KeywordEngine(), clock=clock, ids=IdFactory(counter_token()))


def test_the_tables_are_known_to_the_store() -> None:
    assert KEYS["debunks"] == "id" and KEYS["post_labels"] == "id"


def test_a_debunk_round_trips_every_field(service: Service) -> None:
    stored = service.rumors.add_debunks(WATER, "fc")
    assert {k: stored[k] for k in WATER} == WATER
    assert stored["language"] == "zh" and stored["created_by"] == "fc"
    assert stored["created_at"] == stored["updated_at"] == "2026-03-01T12:00:00.000000Z"
    assert stored["claimreview"] == to_claimreview(Debunk.from_dict(WATER))
    assert service.rumors.debunk("water") == stored
    with pytest.raises(NotFound):
        service.rumors.debunk("nope")


def test_a_batch_reports_every_item(service: Service) -> None:
    review = to_claimreview(Debunk(id="https://fc.example/chip", claim="疫苗里有芯片", verdict=Verdict.FALSE,
                                   evidence=(Evidence(publisher="X"),)))
    result = service.rumors.add_debunks([WATER, {"claim": "no id"}, 7, FIVE_G, WATER, review], "fc")
    assert [r["status"] for r in result["results"]] == ["created", "error", "error", "created", "error", "created"]
    assert result["created"] == 3 and result["errors"] == 3
    assert "duplicate id" in result["results"][4]["error"]
    again = service.rumors.add_debunks([WATER, {**FIVE_G, "claim": "changed"}], "fc")
    assert [r["status"] for r in again["results"]] == ["unchanged", "error"]
    assert [d["id"] for d in service.rumors.debunks()] == ["5g", "https://fc.example/chip", "water"]  # same time: by id
    assert service.rumors.debunk("https://fc.example/chip")["evidence"] == [{"publisher": "X"}]


def test_a_single_bad_debunk_is_an_error(service: Service) -> None:
    service.rumors.add_debunks(FIVE_G, "fc")
    with pytest.raises(Conflict):
        service.rumors.add_debunks({**FIVE_G, "claim": "something else"}, "fc")
    bad: Any
    for bad in ({"id": "x"}, {"id": "x", "claim": "c", "verdict": "maybe"}, {"id": "x\x00", "claim": "c"}, [], 3,
                {"@graph": []}, {"dataFeedElement": 5}):
        with pytest.raises(InputError):
            service.rumors.add_debunks(bad, "fc")
    assert len(service.rumors.debunks()) == 1


def test_a_claimreview_document_is_imported(service: Service) -> None:
    feed = {"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": [
        {"item": to_claimreview(Debunk.from_dict(WATER))}, {"item": {"@type": "ClaimReview"}}]}
    result = service.rumors.add_debunks(feed, "fc")
    assert [r["status"] for r in result["results"]] == ["created", "error"]
    assert service.rumors.debunk("water")["clarification"] == WATER["clarification"]


def test_search_finds_debunks_in_chinese_and_english(service: Service) -> None:
    assert service.rumors.search("热水") == []
    service.rumors.add_debunks([WATER, FIVE_G], "fc")
    assert service.rumors.search("喝热水能杀死新冠病毒吗")[0]["debunk_id"] == "water"
    assert service.rumors.search("do 5G towers spread coronavirus")[0]["debunk_id"] == "5g"
    service.rumors.add_debunks({"id": "chip", "claim": "疫苗里有芯片"}, "fc")  # added to the built index
    assert service.rumors.search("新冠疫苗里有芯片")[0]["debunk_id"] == "chip"
    assert service.rumors.search("   ") == []


def test_labels_are_stored_per_post_once(service: Service) -> None:
    service.rumors.add_debunks([WATER, FIVE_G], "fc")
    service.ingest.events([{"id": "p1", "text": "喝热水可以杀死新冠病毒，转发！"}, {"id": "p2",
                                                                     "text": "今天天气很好"}])
    labels = service.rumors.label_event("p1")
    assert [(lb["debunk_id"], lb["rule"]) for lb in labels] == [("water", "claim_match@1")]
    assert labels[0]["url"] == WATER["url"]
    assert service.rumors.label_event("p1") == labels
    stored = service.rumors.post_labels("p1")
    assert [(r["event_id"], r["debunk_id"], r["rule"]) for r in stored] == [("p1", "water", "claim_match@1")]
    assert stored[0]["score"] == pytest.approx(labels[0]["score"])
    assert service.rumors.label_event("p2") == [] and service.rumors.post_labels("p2") == []
    with pytest.raises(NotFound):
        service.rumors.label_event("nope")


def test_debunks_survive_reopening_and_other_processes_see_them(store_url: str, clock: ManualClock) -> None:
    first = Service(open_store(store_url), clock=clock)
    second = Service(open_store(store_url), clock=clock)
    try:
        first.rumors.add_debunks(WATER, "fc")
        assert second.rumors.search("喝热水杀死新冠病毒")[0]["debunk_id"] == "water"
        clock.advance(seconds=1)
        first.rumors.add_debunks(FIVE_G, "fc")
        assert second.rumors.search("5G towers coronavirus")[0]["debunk_id"] == "5g"
    finally:
        first.store.close()
        second.store.close()
    again = Service(open_store(store_url), clock=clock)
    try:
        assert again.rumors.debunk("water")["claim"] == WATER["claim"]
        assert again.rumors.search("Drinking hot water kills the coronavirus")[0]["debunk_id"] == "water"
    finally:
        again.store.close()


def test_debunk_creation_is_audited(service: Service) -> None:
    service.rumors.add_debunks([WATER, FIVE_G], "fc")
    service.rumors.add_debunks(WATER, "fc")  # unchanged: nothing to log
    rows = [row for row in service.admin.export_audit() if row["kind"].startswith("debunk.")]
    assert [(r["kind"], r["subject"], r["actor"]) for r in rows] == [
        ("debunk.created", "water", "fc"), ("debunk.created", "5g", "fc")]
    assert service.admin.verify_audit().ok


def test_an_id_with_a_nul_character_is_simply_not_found(service: Service) -> None:
    with pytest.raises(NotFound):
        service.rumors.debunk("a\x00b")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_7_keeps_debunks_and_labels_of_migration_5(backend: str, request: pytest.FixtureRequest,
                                                             tmp_path: Any, monkeypatch: pytest.MonkeyPatch,
                                                             clock: ManualClock) -> None:
    import clearspace.store.postgres as postgres_module
    import clearspace.store.sqlite as sqlite_module
    from clearspace.store.schema import LATEST, MIGRATIONS

    url = str(tmp_path / "old.db") if backend == "sqlite" else request.getfixturevalue("postgres_fresh_url")
    module = sqlite_module if backend == "sqlite" else postgres_module
    monkeypatch.setattr(module, "MIGRATIONS", tuple(m for m in MIGRATIONS if m[0] <= 5))
    old = open_store(url)
    assert old.schema_version() == 5
    with old.transaction() as tx:
        for debunk_id, claim, ts in (("b", "Bridges collapsed in the storm", "2026-01-02T00:00:00.000000Z"),
                                     ("a", "Apples cure every cancer", "2026-01-01T00:00:00.000000Z")):
            tx.insert("debunks", {"id": debunk_id, "claim": claim, "language": "en", "verdict": "false",
                                  "fact_checker": "", "url": "", "payload": {"id": debunk_id, "claim": claim},
                                  "created_by": "fc", "created_at": ts, "updated_at": ts})
        tx.insert("post_labels", {"id": "l1", "event_id": "e1", "debunk_id": "a", "score": 0.5, "rule": "claim_match@1",
                                  "created_at": "2026-01-03T00:00:00.000000Z"})
    old.close()
    monkeypatch.setattr(module, "MIGRATIONS", MIGRATIONS)
    store = open_store(url)
    try:
        assert store.schema_version() == LATEST
        service = Service(store, clock=clock)
        assert [(h["version"], h["change"], h["actor"]) for h in service.rumors.debunk_history("a")] == [
            (1, "created", "fc")]
        assert service.rumors.debunk("b")["status"] == "active" and service.rumors.debunk("b")["version"] == 1
        with store.read() as tx:
            assert [r["seq"] for r in tx.select("debunk_versions", order_by=["seq"])] == [1, 2]
            label = tx.get("post_labels", "l1")
        assert label is not None and label["status"] == "active" and label["decision_id"] is None
        service.rumors.update_debunk("a", {"verdict": "misleading"}, "fc", partial=True)
        assert [h["version"] for h in service.rumors.debunk_history("a")] == [1, 2]
        assert [c["debunk_id"] for c in service.rumors.search("apples cure cancer")] == ["a"]
        assert service.rumors.retract_debunk("a", "fc",
                                             "gone")["labels_withdrawn"] == 1  # an old label without decision
    finally:
        store.close()
