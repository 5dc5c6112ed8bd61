"""The debunk endpoints: add (one, a list, a ClaimReview document), get, search cards; restart keeps them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.rumors.claimreview import to_claimreview
from clearspace.rumors.model import Debunk
from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store

H = dict[str, dict[str, str]]
WATER: dict[str, Any] = {"id": "water", "claim": "喝热水可以杀死新冠病毒", "verdict": "false",
                         "variants": ["Drinking hot water kills the coronavirus"], "url": "https://fc.example/water",
                         "fact_checker": "Example Check", "about_person": "张三", "clarification": "我从未这样说过"}
FIVE_G: dict[str, Any] = {"id": "5g", "claim": "5G towers spread the coronavirus", "verdict": "fabricated"}


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


def test_debunks_survive_a_restart(tmp_path: Path, clock: ManualClock) -> None:
    db = tmp_path / "restart.db"
    first = Service(open_store(db), engine=KeywordEngine(), clock=clock)
    key = first.create_key("moderator")[1]
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(first)) as c:
        assert c.post("/v1/debunks", json=[WATER, FIVE_G], headers=headers).json()["created"] == 2
    first.store.close()
    again = Service(open_store(db), engine=KeywordEngine(), clock=clock)
    try:
        with TestClient(create_app(again)) as c:
            assert _search(c, headers, "喝热水杀死新冠病毒")[0]["debunk_id"] == "water"
            assert _search(c, headers, "5G towers coronavirus")[0]["debunk_id"] == "5g"
            assert c.get("/v1/debunks/water", headers=headers).json()["claim"] == WATER["claim"]
    finally:
        again.store.close()
