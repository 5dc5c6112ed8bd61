"""The accounts API (issue 16): reach, monetization, traffic, records, organizations, announcements; roles."""

from __future__ import annotations

from fastapi.testclient import TestClient

from clearspace.service.core import Service

INSULT = "你这个傻逼"
H = dict[str, dict[str, str]]


def _farm(service: Service) -> None:
    service.ingest.events({"id": "f-post", "author": "farmer", "text": "看看这个人", "type": "post"})
    service.ingest.events([{"id": f"r{i}", "author": f"fan{i}", "type": "reply", "parent": "f-post", "target_user": "v",
                     "text": INSULT} for i in range(25)])


def test_put_account_roles_and_malformed_followers(client: TestClient, h: H) -> None:
    body = {"followers": 1_500_000, "verified": True, "monetized": True, "organization": "mcn"}
    assert client.put("/v1/accounts/star", json=body, headers=h["moderator"]).status_code == 403
    answer = client.put("/v1/accounts/star", json=body, headers=h["ingest"])
    assert answer.status_code == 200 and answer.json()["followers"] == 1_500_000
    for bad in ({"followers": -5}, {"followers": "1M"}, {"followers": 2.5}, {"followers": True},
                {"verified": "yes"}, {"colour": "red"}):
        response = client.put("/v1/accounts/star", json=bad, headers=h["ingest"])
        assert response.status_code == 422, (bad, response.text)
    got = client.get("/v1/accounts/star/reach", headers=h["ingest"])
    assert got.json().get("followers") == 1_500_000, got.text


def test_monetization_roles_unknown_account_and_answer(client: TestClient, h: H, service: Service) -> None:
    assert client.get("/v1/accounts/ghost/monetization", headers=h["ingest"]).status_code == 404
    _farm(service)
    for role in ("ingest", "moderator", "senior_moderator", "auditor", "admin"):
        response = client.get("/v1/accounts/farmer/monetization", headers=h[role])
        assert response.status_code == 200, role
    answer = response.json()
    assert set(answer) >= {"eligible", "reasons", "evidence", "since", "review_at"} and answer["eligible"] is False
    assert client.get("/v1/accounts/farmer/monetization").status_code == 401
    fine = client.get("/v1/accounts/fan1/monetization", headers=h["ingest"]).json()
    assert fine["eligible"] is True and fine["reasons"] == [] and fine["review_at"] is None


def test_traffic_record_and_posts(client: TestClient, h: H, service: Service) -> None:
    _farm(service)
    traffic = client.get("/v1/accounts/farmer/traffic", headers=h["moderator"]).json()
    assert traffic["engagement"] == 25 and traffic["hostile"] == 25 and traffic["posts"][0]["post"] == "f-post"
    assert client.get("/v1/accounts/farmer/traffic", headers=h["ingest"]).status_code == 403
    assert client.get("/v1/posts/f-post/traffic", headers=h["moderator"]).json()["ratio"] == 1.0
    assert client.get("/v1/posts/nope/traffic", headers=h["moderator"]).status_code == 404
    record = client.get("/v1/accounts/farmer/record", headers=h["moderator"]).json()
    assert record["monetization"]["eligible"] is False
    assert [d["action"] for d in record["decisions"]] == ["suspend_monetization"]
    assert client.get("/v1/accounts/ghost/record", headers=h["moderator"]).status_code == 404


def test_organization_proposal_needs_a_senior_moderator(client: TestClient, h: H, service: Service) -> None:
    client.put("/v1/accounts/a1", json={"organization": "mcn"}, headers=h["ingest"])
    assert client.get("/v1/organizations/mcn", headers=h["moderator"]).json()["accounts"][0]["account"] == "a1"
    made = client.post("/v1/organizations/mcn/proposals", json={"measure": "warning", "reason": "hostile accounts"},
                       headers=h["moderator"])
    assert made.status_code == 201
    path = f"/v1/organizations/proposals/{made.json()['id']}/decision"
    assert client.post(path, json={"confirm": True, "note": "ok"}, headers=h["moderator"]).status_code == 403
    done = client.post(path, json={"confirm": True, "note": "ok"}, headers=h["senior_moderator"])
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    assert client.get("/v1/organizations/none", headers=h["moderator"]).status_code == 404


def test_announcements_flow(client: TestClient, h: H, service: Service) -> None:
    service.ingest.events({"id": "bad", "author": "x", "text": "去死吧 13800001234", "target_user": "y"})
    (case,) = service.cases.queue()
    service.cases.claim(case["id"], "mod")
    service.cases.decide(case["id"], "mod", "remove", "threat", "x threatened y")
    body = {"cases": [case["id"]], "title": "典型案例", "lang": "zh"}
    assert client.post("/v1/announcements", json=body, headers=h["moderator"]).status_code == 403
    made = client.post("/v1/announcements", json=body, headers=h["senior_moderator"])
    assert made.status_code == 201 and "13800001234" not in made.text
    assert client.get("/v1/announcements", headers=h["auditor"]).json() == []
    client.post(f"/v1/announcements/{made.json()['id']}/publish", headers=h["senior_moderator"])
    assert len(client.get("/v1/announcements", headers=h["auditor"]).json()) == 1
