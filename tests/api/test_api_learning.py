"""The learning endpoints: labels, suggest, model versions; a promotion reaches a running server within
the bound, without a restart (issue 13)."""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Callable

from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.engine import Engine
from clearspace.model.abuse import DEFAULT_MODEL
from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.service.settings import Settings
from clearspace.text.tables import data_path


def _events(client: TestClient, h: dict[str, dict[str, str]], n: int) -> None:
    events = [{"id": f"e{i}", "author": "a", "text": f"post number {i} about cats"} for i in range(n)]
    assert client.post("/v1/events", json=events, headers=h["ingest"]).status_code == 200


def test_labels_one_many_unknown_and_oversized(client: TestClient, h: dict[str, dict[str, str]]) -> None:
    _events(client, h, 3)
    one = client.post("/v1/training/labels", json={"event_id": "e0", "abusive": True}, headers=h["moderator"])
    assert one.status_code == 200 and one.json()["source"] == "explicit"
    assert one.json()["actor"] == "moderator:moderator"
    missing = client.post("/v1/training/labels", json={"event_id": "nope", "abusive": True}, headers=h["moderator"])
    assert missing.status_code == 404 and "no event 'nope'" in missing.json()["error"]["message"]
    bad = client.post("/v1/training/labels", json={"event_id": "e0", "abusive": 1}, headers=h["moderator"])
    assert bad.status_code == 400
    mixed = client.post("/v1/training/labels", headers=h["senior_moderator"],
                        json=[{"event_id": "e1", "abusive": False}, {"event_id": "nope", "abusive": True}])
    assert mixed.status_code == 200 and (mixed.json()["stored"], mixed.json()["errors"]) == (1, 1)
    too_many = client.post("/v1/training/labels", headers=h["moderator"],
                           json=[{"event_id": "e1", "abusive": False}] * 1001)
    assert too_many.status_code == 400 and "at most 1000" in too_many.json()["error"]["message"]
    assert client.post("/v1/training/labels", content=b"{broken", headers=h["moderator"]).status_code == 400
    for role in ("ingest", "auditor"):
        assert client.post("/v1/training/labels", json={"event_id": "e0", "abusive": True},
                           headers=h[role]).status_code == 403
    page = client.get("/v1/training/labels?limit=1", headers=h["auditor"]).json()
    assert [lbl["event_id"] for lbl in page["labels"]] == ["e0"] and page["next_after"] == page["labels"][0]["id"]
    rest = client.get(f"/v1/training/labels?after={page['next_after']}", headers=h["auditor"]).json()
    assert [lbl["event_id"] for lbl in rest["labels"]] == ["e1"] and rest["next_after"] is None


def test_suggest_and_models(client: TestClient, h: dict[str, dict[str, str]]) -> None:
    _events(client, h, 8)
    found = client.get("/v1/training/suggest?n=3", headers=h["moderator"])
    assert found.status_code == 200 and len(found.json()["items"]) == 3
    assert {"event_id", "text", "score", "reason"} <= set(found.json()["items"][0])
    assert client.get("/v1/training/suggest?n=0", headers=h["moderator"]).status_code == 422
    assert client.get("/v1/training/suggest", headers=h["auditor"]).status_code == 403
    models = client.get("/v1/models", headers=h["auditor"]).json()
    assert models["active"]["version"] == "shipped" and models["versions"][-1]["version"] == "shipped"
    assert client.post("/v1/models/shipped/promote", headers=h["moderator"]).status_code == 403
    assert client.post("/v1/models/v7/promote", headers=h["admin"]).status_code == 404
    assert client.post("/v1/models/shipped/promote", headers=h["admin"]).status_code == 409
    assert client.post("/v1/models/rollback", headers=h["admin"]).status_code == 409
    assert client.post("/v1/models/rollback", content=b'{"why": 1}', headers=h["admin"]).status_code == 400


def _add_version(service: Service, version: str, seq: int) -> None:
    data = data_path(DEFAULT_MODEL).read_bytes()
    with service.store.transaction() as tx:
        tx.insert("model_versions", {"id": version, "seq": seq, "parent": "shipped", "created_at": "t",
                                     "created_by": "test", "sha256": hashlib.sha256(data).hexdigest(),
                                     "size": len(data), "weights": base64.b64encode(data).decode(),
                                     "training": {}, "evaluation": {}})


def _served(service: Service) -> str:
    return str(service.engine.model_.model.meta["version"])  # type: ignore[union-attr]


def _wait_for(service: Service, version: str, bound: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < bound:
        if _served(service) == version:
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"still serving {_served(service)} after {bound}s, expected {version}")


def test_a_promotion_and_a_rollback_reach_a_running_server_within_10_s(
        open_service: Callable[..., Service], store_url: str, clock: ManualClock) -> None:
    admin = open_service(engine=None, clock=clock)
    server = open_service(engine=Engine(), settings=Settings(db=store_url, model_check_seconds=1.0), clock=clock,
                          ids=IdFactory(counter_token(10**6)))
    _add_version(admin, "v1", 1)
    with TestClient(create_app(server, fast_path=False, console=False)):
        assert _served(server) == "1"  # the shipped model
        admin.learning.promote_model("v1", "admin:root")
        assert _wait_for(server, "v1", 10.0) < 10.0
        [answer] = server.ingest.events({"id": "x1", "author": "a", "text": "hello there"})
        assert server.ingest.decision(answer["decision_id"])["model_version"] == "v1"
        admin.learning.rollback_model("admin:root")
        assert _wait_for(server, "1", 10.0) < 10.0
