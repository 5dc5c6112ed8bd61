"""The rumor endpoints: debunks (add, get, list, update, retract, history, clarification), search cards,
matching, labels at ingest and their appeal, backfill jobs, crowd notes; a restart keeps them."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.rumors.claimreview import to_claimreview
from clearspace.rumors.model import Debunk
from clearspace.service.clock import ManualClock
from clearspace.service.core import Service

H = dict[str, dict[str, str]]
WATER: dict[str, Any] = {"id": "water", "claim": "喝热水可以杀死新冠病毒", "verdict": "false",
                         "variants": ["Drinking hot water kills the coronavirus"], "url": "https://fc.example/water",
                         "fact_checker": "Example Check", "about_person": "张三", "clarification": "我从未这样说过"}
FIVE_G: dict[str, Any] = {"id": "5g", "claim": "5G towers spread the coronavirus", "verdict": "fabricated"}
COPY = "喝热水可以杀死新冠病毒！"


def _search(client: TestClient, headers: dict[str, str], q: str) -> list[dict[str, Any]]:
    r = client.get("/v1/debunks/search", params={"q": q}, headers=headers)
    assert r.status_code == 200, r.text
    cards: list[dict[str, Any]] = r.json()["cards"]
    return cards


def test_add_get_and_search_in_chinese_and_english(client: TestClient, h: H) -> None:
    r = client.post("/v1/debunks", json=WATER, headers=h["moderator"])
    assert r.status_code == 200, r.text
    assert r.json()["claim"] == WATER["claim"] and r.json()["claimreview"]["@type"] == "ClaimReview"
    assert client.post("/v1/debunks", json=[FIVE_G], headers=h["moderator"]).json()["created"] == 1
    zh = _search(client, h["moderator"], "喝热水能杀死新冠病毒吗")
    assert zh[0]["debunk_id"] == "water" and zh[0]["clarification"] == WATER["clarification"]
    assert zh[0]["url"] == WATER["url"] and zh[0]["score"] > 0
    assert _search(client, h["auditor"], "do 5G towers spread the coronavirus?")[0]["debunk_id"] == "5g"
    assert _search(client, h["admin"], "drinking hot water kills coronavirus")[0]["debunk_id"] == "water"
    got = client.get("/v1/debunks/water", headers=h["auditor"]).json()
    assert got["fact_checker"] == "Example Check" and got["language"] == "zh"


def test_claimreview_documents_and_per_item_errors(client: TestClient, h: H) -> None:
    review = to_claimreview(Debunk(id="https://fc.example/chip", claim="疫苗里有芯片"))
    r = client.post("/v1/debunks", json={"@context": "https://schema.org", "@graph": [review]}, headers=h["admin"])
    assert r.json()["results"] == [{"index": 0, "id": "https://fc.example/chip", "status": "created"}]
    r = client.post("/v1/debunks", json=[WATER, {"id": "x"}, {**WATER, "id": "y", "verdict": "???"}],
                    headers=h["admin"])
    assert r.status_code == 200
    assert [(x["status"], "error" in x) for x in r.json()["results"]] == [
        ("created", False), ("error", True), ("error", True)]
    assert _search(client, h["admin"], "新冠疫苗里有芯片")[0]["debunk_id"] == "https://fc.example/chip"


def test_errors_and_permissions(client: TestClient, h: H) -> None:
    client.post("/v1/debunks", json=FIVE_G, headers=h["moderator"])
    cases = [
        (client.post("/v1/debunks", json={"id": "x"}, headers=h["moderator"]), 400),
        (client.post("/v1/debunks", json={**FIVE_G, "claim": "other"}, headers=h["moderator"]), 409),
        (client.post("/v1/debunks", json=[], headers=h["moderator"]), 400),
        (client.post("/v1/debunks", content=b"{", headers=h["moderator"]), 400),
        (client.post("/v1/debunks", json=FIVE_G, headers=h["ingest"]), 403),
        (client.post("/v1/debunks", json=FIVE_G, headers=h["auditor"]), 403),
        (client.get("/v1/debunks/search", params={"q": "5G"}, headers=h["ingest"]), 403),
        (client.get("/v1/debunks/search", headers=h["moderator"]), 422),
        (client.get("/v1/debunks/search", params={"q": "5G", "k": 0}, headers=h["moderator"]), 422),
        (client.get("/v1/debunks/nope", headers=h["moderator"]), 404),
        (client.get("/v1/debunks/5g"), 401),
    ]
    for response, status in cases:
        assert response.status_code == status, response.text
        assert response.json()["error"]["code"] == status
    assert _search(client, h["moderator"], "完全无关的内容") == []


def test_debunks_survive_a_restart(open_service: Callable[..., Service], clock: ManualClock) -> None:
    first = open_service(clock=clock)
    key = first.admin.create_key("moderator")[1]
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(first)) as c:
        assert c.post("/v1/debunks", json=[WATER, FIVE_G], headers=headers).json()["created"] == 2
    first.store.close()
    again = open_service(clock=clock)
    with TestClient(create_app(again)) as c:
        assert _search(c, headers, "喝热水杀死新冠病毒")[0]["debunk_id"] == "water"
        assert _search(c, headers, "5G towers coronavirus")[0]["debunk_id"] == "5g"
        assert c.get("/v1/debunks/water", headers=headers).json()["claim"] == WATER["claim"]


def _wait_job(client: TestClient, headers: dict[str, str], job: dict[str, Any]) -> dict[str, Any]:
    for _ in range(250):
        state: dict[str, Any] = client.get(f"/v1/jobs/{job['id']}", headers=headers).json()
        if state["status"] != "running":
            return state
        time.sleep(0.02)
    raise AssertionError(f"job {job['id']} still running")


def test_labels_at_ingest_appeal_and_the_labels_endpoint(client: TestClient, h: H) -> None:
    client.post("/v1/debunks", json=WATER, headers=h["moderator"])
    answer = client.post("/v1/events", json={"id": "p1", "author": "u1", "text": COPY}, headers=h["ingest"]).json()
    [label] = answer["rumor_labels"]
    assert label["debunk_id"] == "water" and label["url"] == WATER["url"]
    got = client.get("/v1/events/p1/labels", headers=h["ingest"]).json()
    assert got["event_id"] == "p1" and got["labels"] == [label] and got["notes"] == []
    assert got["labels"][0]["debunk"]["clarification"] == WATER["clarification"]
    appeal = client.post("/v1/appeals", json={"decision_id": label["decision_id"], "appellant": "u1",
                                              "reason": "I was refuting it"}, headers=h["ingest"]).json()
    r = client.post(f"/v1/appeals/{appeal['id']}/decision", json={"outcome": "reversed", "explanation": "Refutes it."},
                    headers=h["moderator"])
    assert r.status_code == 200, r.text
    assert client.get("/v1/events/p1/labels", headers=h["auditor"]).json()["labels"] == []
    assert client.get("/v1/events/nope/labels", headers=h["ingest"]).status_code == 404


def test_update_retract_history_and_clarification(client: TestClient, h: H) -> None:
    chip = "https://fc.example/chip"
    assert client.post("/v1/debunks", json=[WATER, {"id": chip, "claim": "疫苗里有芯片"}],
                       headers=h["moderator"]).json()["created"] == 2
    client.post("/v1/events", json={"id": "p1", "author": "u1", "text": COPY}, headers=h["ingest"])
    got = client.get(f"/v1/debunks/{chip}", headers=h["auditor"])
    assert got.status_code == 200 and got.json()["id"] == chip  # ids with slashes work in the path
    assert client.get(f"/v1/debunks/{quote(chip, safe='')}", headers=h["auditor"]).json()["id"] == chip
    r = client.patch("/v1/debunks/water", json={"verdict": "misleading", "evidence": [{"publisher": "WHO"}]},
                     params={"reason": "re-rated"}, headers=h["moderator"])
    assert r.status_code == 200 and r.json()["version"] == 2 and r.json()["verdict"] == "misleading", r.text
    edited = {**r.json(), "title": "新标题"}  # a debunk as read, sent back edited
    assert client.put("/v1/debunks/water", json=edited, headers=h["moderator"]).json()["version"] == 3
    r = client.post("/v1/debunks/water/clarification", json={"account": "zhangsan", "text": "我从未这样说过"},
                    headers=h["moderator"])
    assert r.status_code == 201 and r.json()["account"] == "zhangsan"
    card = _search(client, h["moderator"], "喝热水能杀死新冠病毒吗")[0]
    assert card["clarifications"][0]["text"] == "我从未这样说过" and card["verdict"] == "misleading"
    history = client.get("/v1/debunks/water/history", headers=h["auditor"]).json()["versions"]
    assert [(v["version"], v["change"], v["reason"]) for v in history] == [
        (1, "created", ""), (2, "updated", "re-rated"), (3, "updated", "")]
    r = client.delete("/v1/debunks/water", params={"reason": "wrong"}, headers=h["moderator"])
    assert r.status_code == 200 and r.json()["labels_withdrawn"] == 1 and r.json()["debunk"]["status"] == "retracted"
    assert [d["id"] for d in client.get("/v1/debunks", headers=h["auditor"]).json()["debunks"]] == [chip]
    assert len(client.get("/v1/debunks", params={"status": "all"}, headers=h["auditor"]).json()["debunks"]) == 2
    cases = [
        (client.delete("/v1/debunks/water", params={"reason": "again"}, headers=h["moderator"]), 409),
        (client.delete("/v1/debunks/nope", params={"reason": "x"}, headers=h["moderator"]), 404),
        (client.delete(f"/v1/debunks/{chip}", headers=h["moderator"]), 400),
        (client.put("/v1/debunks/water", json={"claim": "x"}, headers=h["moderator"]), 409),
        (client.put(f"/v1/debunks/{chip}", json={"id": "other", "claim": "x"}, headers=h["moderator"]), 400),
        (client.patch(f"/v1/debunks/{chip}", json={"claim": None}, headers=h["moderator"]), 400),
        (client.patch(f"/v1/debunks/{chip}", json={"verdict": "x"}, headers=h["ingest"]), 403),
        (client.post(f"/v1/debunks/{chip}/clarification", json={"account": "a", "text": "t"}, headers=h["ingest"]),
         403),
        (client.post(f"/v1/debunks/{chip}/clarification", json={"account": "a"}, headers=h["moderator"]), 422),
        (client.post(f"/v1/debunks/{chip}/clarification", json={"account": "a", "text": "t", "stated_at": "soon"},
                     headers=h["moderator"]), 400),
        (client.get("/v1/debunks/nope/history", headers=h["auditor"]), 404),
    ]
    for response, status in cases:
        assert response.status_code == status, response.text


def test_backfill_jobs(client: TestClient, h: H) -> None:
    client.post("/v1/events", json=[{"id": f"p{i}", "author": "u", "text": COPY} for i in range(3)],
                headers=h["ingest"])
    r = client.post("/v1/debunks", json=WATER, params={"backfill": "true"}, headers=h["moderator"])
    job = r.json()["backfill_job"]
    assert job["status"] == "running" and job["params"] == {"debunk_ids": ["water"]}
    done = _wait_job(client, h["auditor"], job)
    assert done["status"] == "succeeded" and done["result"]["labelled"] == 3 and done["done"] == 3
    again = client.post("/v1/labels/backfill", json={}, headers=h["moderator"])
    assert again.status_code == 202
    assert _wait_job(client, h["auditor"], again.json())["result"]["labelled"] == 0  # idempotent
    one = client.post("/v1/debunks/water/backfill", headers=h["admin"])
    assert one.status_code == 202 and _wait_job(client, h["auditor"], one.json())["result"]["posts_labelled"] == 0
    assert client.post("/v1/debunks/nope/backfill", headers=h["admin"]).status_code == 404
    assert client.post("/v1/labels/backfill", json={"debunk_ids": []}, headers=h["admin"]).status_code == 422
    assert client.post("/v1/labels/backfill", json={}, headers=h["ingest"]).status_code == 403
    assert client.get("/v1/jobs/job_nope", headers=h["auditor"]).status_code == 404


def test_match_through_the_api(client: TestClient, h: H) -> None:
    client.post("/v1/debunks", json=[WATER, FIVE_G], headers=h["moderator"])
    r = client.post("/v1/match", json={"posts": [{"id": "a", "text": "5G towers spread the coronavirus"},
                                                 {"id": "b", "text": "完全无关"}], "k": 1}, headers=h["ingest"])
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["id"] for x in results] == ["a", "b"] and results[0]["matches"][0]["debunk_id"] == "5g"
    assert len(results[0]["matches"]) == 1 and results[1]["matches"] == []
    assert client.post("/v1/match", json={"posts": []}, headers=h["ingest"]).status_code == 422
    assert client.post("/v1/match", json={"posts": [{"id": "a", "text": "x"}]}, headers=h["auditor"]).status_code == 403


def test_crowd_notes_endpoints(client: TestClient, h: H) -> None:
    client.post("/v1/events", json={"id": "p1", "author": "u1", "text": "今天的照片"}, headers=h["ingest"])
    r = client.post("/v1/notes", json={"event_id": "p1", "author": "w1", "text": "This photo is from 2015.",
                                       "sources": ["https://example.org/a"]}, headers=h["ingest"])
    assert r.status_code == 201, r.text
    note = r.json()
    assert note["status"] == "needs_more_ratings" and not note["shown"] and len(note["history"]) == 1
    rated = client.post(f"/v1/notes/{note['id']}/ratings", json={"rater": "r1", "helpful": "somewhat"},
                        headers=h["ingest"])
    assert rated.status_code == 200 and rated.json()["score"]["ratings"] == 1, rated.text
    listed = client.get("/v1/notes", params={"post": "p1"}, headers=h["ingest"]).json()
    assert listed["post"] == "p1" and [n["id"] for n in listed["notes"]] == [note["id"]]
    assert client.get("/v1/notes", params={"post": "p1", "shown": "true"}, headers=h["ingest"]).json()["notes"] == []
    got = client.get(f"/v1/notes/{note['id']}", headers=h["auditor"]).json()
    assert got["history"][0]["status"] == "needs_more_ratings" and got["sources"] == ["https://example.org/a"]
    cases = [
        (client.post(f"/v1/notes/{note['id']}/ratings", json={"rater": "w1", "helpful": "yes"},
                     headers=h["ingest"]), 403),
        (client.post(f"/v1/notes/{note['id']}/ratings", json={"rater": "r2", "helpful": "maybe"},
                     headers=h["ingest"]), 422),
        (client.post("/v1/notes/note_nope/ratings", json={"rater": "r2", "helpful": "no"}, headers=h["ingest"]), 404),
        (client.post("/v1/notes", json={"event_id": "nope", "author": "w", "text": "t"}, headers=h["ingest"]), 404),
        (client.post("/v1/notes", json={"event_id": "p1", "author": "w", "text": "t"}, headers=h["auditor"]), 403),
        (client.post("/v1/notes", json={"event_id": "p1", "author": "w", "text": "t", "x": 1},
                     headers=h["ingest"]), 422),
        (client.get("/v1/notes/note_nope", headers=h["ingest"]), 404),
        (client.get("/v1/notes", headers=h["ingest"]), 422),
    ]
    for response, status in cases:
        assert response.status_code == status, response.text


def test_webhooks_take_the_rumor_topics(client: TestClient, h: H) -> None:
    r = client.post("/v1/webhooks", json={"url": "https://hooks.example/x",
                                          "topics": ["label.applied", "label.withdrawn", "note.status"]},
                    headers=h["admin"])
    assert r.status_code in (200, 201), r.text
