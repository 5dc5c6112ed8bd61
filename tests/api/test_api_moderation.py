from __future__ import annotations

from fastapi.testclient import TestClient

H = dict[str, dict[str, str]]
RUDE = "nmsl sb 滚"


def test_report_case_decision_appeal_flow(client: TestClient, h: H) -> None:
    client.post("/v1/events", json={"id": "p1", "author": "au", "text": RUDE, "target_user": "v"}, headers=h["ingest"])
    r = client.post("/v1/reports", json={"reporter": "rep", "category": "abuse", "item": "p1", "good_faith": True,
                                         "explanation": "insult"}, headers=h["ingest"])
    assert r.status_code == 202, r.text
    ack = r.json()
    cases = client.get("/v1/cases", headers=h["moderator"]).json()["cases"]
    assert [c["id"] for c in cases] == [ack["case_id"]]
    claimed = client.post("/v1/cases/next", headers=h["moderator"]).json()["case"]
    assert claimed["id"] == ack["case_id"]
    assert client.post(f"/v1/cases/{claimed['id']}/claim", headers=h["senior_moderator"]).status_code == 409
    decision = client.post(f"/v1/cases/{claimed['id']}/decision", headers=h["moderator"],
                           json={"action": "remove", "category": "abuse", "explanation": "Insult."})
    assert decision.status_code == 200, decision.text
    decision_id = decision.json()["id"]
    assert decision.json()["statement_of_reasons"]["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
    appeal = client.post("/v1/appeals", json={"decision_id": decision_id, "appellant": "au", "reason": "joke"},
                         headers=h["ingest"])
    assert appeal.status_code == 201, appeal.text
    same_mod = client.post(f"/v1/appeals/{appeal.json()['id']}/decision", headers=h["moderator"],
                           json={"outcome": "reversed", "explanation": "x"})
    assert same_mod.status_code == 409 and "different moderator" in same_mod.json()["error"]["message"]
    done = client.post(f"/v1/appeals/{appeal.json()['id']}/decision", headers=h["senior_moderator"],
                       json={"outcome": "upheld", "explanation": "It is an insult."})
    assert done.json()["outcome"] == "upheld"
    notes = client.get("/v1/accounts/rep/notifications", headers=h["moderator"]).json()["notifications"]
    assert notes[0]["kind"] == "report.outcome"
    assert client.get("/v1/accounts/au", headers=h["auditor"]).json()["strike_points"] == 1.0
    report = client.get("/v1/transparency?from=2026-01-01&to=2027-01-01", headers=h["auditor"]).json()
    assert report["appeals"] == {"filed": 1, "decided": 1, "reversed": 0, "reversal_rate": 0.0}
    csv = client.get("/v1/transparency?from=2026-01-01&to=2027-01-01&format=csv", headers=h["auditor"])
    assert csv.text.startswith("metric,value") and "appeals.filed,1" in csv.text


def test_moderation_input_errors(client: TestClient, h: H) -> None:
    bad = client.post("/v1/reports", json={"reporter": "r", "category": "politics", "good_faith": True},
                      headers=h["ingest"])
    assert bad.status_code == 422 and "category" in bad.json()["error"]["message"]
    extra = client.post("/v1/appeals", json={"decision_id": "d", "appellant": "a", "reason": "r", "x": 1},
                        headers=h["ingest"])
    assert extra.status_code == 422 and "x" in extra.json()["error"]["message"]
    assert client.post("/v1/appeals", json={"decision_id": "d", "appellant": "a", "reason": "r"},
                       headers=h["ingest"]).status_code == 404
    assert client.post("/v1/cases/nope/claim", headers=h["moderator"]).status_code == 404
    assert client.post("/v1/accounts/batch", json={"category": "abuse", "explanation": "x"},
                       headers=h["moderator"]).status_code == 403
    assert client.post("/v1/accounts/batch", json={"category": "abuse", "explanation": "x"},
                       headers=h["senior_moderator"]).status_code == 400
    assert client.get("/v1/transparency?from=2027-01-01&to=2026-01-01", headers=h["auditor"]).status_code == 400
    assert client.post("/v1/webhooks", json={"url": "ftp://x.example/", "topics": ["*"]},
                       headers=h["admin"]).status_code == 400


def test_perspective_endpoint(client: TestClient, h: H, keys: dict[str, str]) -> None:
    body = {"comment": {"text": "你就是个傻逼 去死吧"}, "languages": ["zh"],
            "requestedAttributes": {"TOXICITY": {}, "THREAT": {}, "INSULT": {}, "PROFANITY": {}}}
    r = client.post(f"/v1alpha1/comments:analyze?key={keys['ingest']}", json=body)
    assert r.status_code == 200, r.text
    scores = r.json()["attributeScores"]
    assert set(scores) == {"TOXICITY", "THREAT", "INSULT", "PROFANITY"}
    assert scores["TOXICITY"]["summaryScore"]["value"] > 0.5
    assert scores["THREAT"]["spanScores"][0]["begin"] >= 0
    assert r.json()["languages"] == ["zh"]
    body["requestedAttributes"] = {"TOXICITY": {"scoreThreshold": 0.99}}
    assert client.post("/v1alpha1/comments:analyze", json=body, headers=h["ingest"]).json()["attributeScores"] == {}
    body["requestedAttributes"] = {"FLIRTATION": {}}
    bad = client.post("/v1alpha1/comments:analyze", json=body, headers=h["ingest"])
    assert bad.status_code == 400 and "FLIRTATION" in bad.json()["error"]["message"]
    assert client.post("/v1alpha1/comments:analyze", json=body).status_code == 401
    bad = client.post("/v1alpha1/comments:analyze", json={"comment": {}}, headers=h["ingest"])
    assert bad.status_code == 400 and "comment.text" in bad.json()["error"]["message"]
    form_headers = {**h["ingest"], "Content-Type": "application/x-www-form-urlencoded"}
    form = client.post("/v1alpha1/comments:analyze", content=b'{"comment": {"text": "hi"}, "requestedAttributes": '
                       b'{"TOXICITY": {}}}', headers=form_headers)
    assert form.status_code == 200  # Perspective reads JSON whatever the Content-Type
