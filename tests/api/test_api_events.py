from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.service.core import Service

H = dict[str, dict[str, str]]
THREAT = "你就是个傻逼 去死吧"


@pytest.fixture(params=[True, False], ids=["fast-path", "fastapi-route"])
def client(request: pytest.FixtureRequest, service: Service) -> Iterator[TestClient]:
    """Every test here runs against the ASGI fast path and against its documented FastAPI twin."""
    with TestClient(create_app(service, fast_path=request.param)) as c:
        yield c


def test_post_one_event_and_look_it_up(client: TestClient, h: dict[str, dict[str, str]]) -> None:
    r = client.post("/v1/events", json={"id": "e1", "author": "a", "text": THREAT, "extra": {"x": 1}},
                    headers=h["ingest"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["action"] == "hold" and body["reasons"] and body["signals"] and body["scores"]["abuse"] > 0.5
    event = client.get("/v1/events/e1", headers=h["moderator"]).json()
    assert event["context"]["extra"] == {"x": 1}
    decision = client.get(f"/v1/decisions/{body['decision_id']}", headers=h["moderator"]).json()
    assert decision["statement_of_reasons"]["decision_ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT"


def test_batch_and_idempotency(client: TestClient, h: dict[str, dict[str, str]]) -> None:
    batch = [{"id": f"b{i}", "text": t} for i, t in enumerate(["hello", THREAT, "你好"])]
    first = client.post("/v1/events", json=batch, headers=h["ingest"]).json()["results"]
    again = client.post("/v1/events", json=batch, headers=h["ingest"]).json()["results"]
    assert [a["id"] for a in first] == ["b0", "b1", "b2"]
    assert [a["decision_id"] for a in first] == [a["decision_id"] for a in again]
    assert all(a["duplicate"] for a in again)


@pytest.mark.parametrize("body, status, message", [
    (b"\xff\xfe not utf-8", 400, "not valid JSON in UTF-8"),
    (b"", 400, "empty"),
    (b"{\"id\": 1", 400, "not valid JSON"),
    (b"{\"id\": \"1\", \"text\": 5}", 400, "'text' must be a string"),
    (b"[1, 2]", 400, "event 0"),
    (b"42", 400, "must be a JSON object"),
])
def test_bad_bodies_are_clear_4xx(client: TestClient, h: dict[str, dict[str, str]], body: bytes, status: int,
                                  message: str) -> None:
    r = client.post("/v1/events", content=body, headers={**h["ingest"], "Content-Type": "application/json"})
    assert r.status_code == status
    assert message in r.json()["error"]["message"]


def test_oversize_body_is_413(client: TestClient, h: dict[str, dict[str, str]]) -> None:
    r = client.post("/v1/events", json={"id": "big", "text": "x" * 1_100_000}, headers=h["ingest"])
    assert r.status_code == 413 and "too large" in r.json()["error"]["message"]


def test_auth_and_roles(client: TestClient, h: dict[str, dict[str, str]]) -> None:
    event = {"id": "z", "text": "hi"}
    assert client.post("/v1/events", json=event).status_code == 401
    assert client.post("/v1/events", json=event, headers={"Authorization": "Bearer cs_nope_nope"}).status_code == 401
    r = client.post("/v1/events", json=event, headers=h["auditor"])
    assert r.status_code == 403 and "ingest" in r.json()["error"]["message"]
    assert client.get("/v1/audit/verify", headers=h["ingest"]).status_code == 403
    assert client.get("/v1/events/z", headers=h["ingest"]).status_code == 403


def test_unknown_things_are_404_json(client: TestClient, h: dict[str, dict[str, str]]) -> None:
    r = client.get("/v1/decisions/nope", headers=h["moderator"])
    assert r.status_code == 404 and r.json()["error"]["status"] == "NOT_FOUND"
    assert client.get("/v1/nothing-here").json()["error"]["code"] == 404


def test_more_malformed_requests(client: TestClient, h: H) -> None:
    r = client.post("/v1/reports", content=b"\xff\xfe", headers={**h["ingest"], "Content-Type": "application/json"})
    assert r.status_code == 400 and "not valid JSON" in r.json()["error"]["message"]
    r = client.post("/v1/events", content=b'{"id":"y","text":"hi"}', headers={**h["ingest"], "Content-Length": "abc"})
    assert r.status_code == 400 and "Content-Length" in r.json()["error"]["message"]
    r = client.post("/v1/events", json={"id": "nul", "text": "a\u0000b"}, headers=h["ingest"])
    assert r.status_code == 400 and "NUL" in r.json()["error"]["message"]
    r = client.get("/v1/cases?limit=abc", headers=h["moderator"])
    assert r.status_code == 422 and "limit" in r.json()["error"]["message"]
    r = client.get("/v1/events/x", headers={"Authorization": "Basic abc"})
    assert r.status_code == 401 and "Bearer" in r.json()["error"]["message"]


def test_app_from_env_serves_events_end_to_end(store_url: str, service: Service,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from clearspace.api.server import app_from_env

    monkeypatch.setenv("CLEARSPACE_DB", store_url)
    app = app_from_env()  # what 'clearspace serve' and uvicorn --factory run
    _, key = service.admin.create_key("admin")
    headers = {"Authorization": f"Bearer {key}"}
    try:
        with TestClient(app) as client:
            r = client.post("/v1/events", json={"id": "p1", "author": "u1", "target_user": "u2", "text": THREAT},
                            headers=headers)
            assert r.status_code == 200, r.text
            assert r.json()["action"] != "allow" and not r.json()["duplicate"]
            assert client.post("/v1/events", json={"id": "p1", "text": "x"}, headers=headers).json()["duplicate"]
            assert client.get("/v1/events/p1", headers=headers).json()["decisions"][0]["id"] == r.json()["decision_id"]
            assert client.get("/v1/audit/verify", headers=headers).json()["ok"] is True
    finally:
        app.state.service.close()
