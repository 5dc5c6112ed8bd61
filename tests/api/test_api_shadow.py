"""GET/POST/DELETE /v1/shadow and GET /v1/plugins: admin only, clear 4xx for bad candidates."""

from __future__ import annotations

import re
from importlib.resources import files

from fastapi.testclient import TestClient

from clearspace.service.core import Service

DEFAULT = files("clearspace").joinpath("data/policy/default.yaml").read_text(encoding="utf-8")
STRICTER = re.sub(r"(?m)^version: \d+$", "version: 7", DEFAULT.replace("name: default\n", "name: stricter\n")).replace(
    "    action: nudge\n    category: abuse\n    priority: 10\n",
    "    action: hold\n    category: abuse\n    priority: 10\n")


def test_shadow_lifecycle(client: TestClient, h: dict[str, dict[str, str]], service: Service) -> None:
    assert client.get("/v1/shadow", headers=h["admin"]).json()["run"] is None
    started = client.post("/v1/shadow", json={"policy": STRICTER}, headers=h["admin"])
    assert started.status_code == 201 and started.json()["label"] == "policy stricter@7"
    assert started.json()["candidate"]["policy_sha256"] and "policy" not in started.json()["candidate"]
    events = [{"id": "e1", "text": "你这个傻逼"}, {"id": "e2", "text": "hello there"}]
    assert [a["action"] for a in client.post("/v1/events", json=events, headers=h["ingest"]).json()["results"]] == \
        ["nudge", "allow"]
    assert service.shadow.drain(10)
    summary = client.get("/v1/shadow", headers=h["admin"]).json()
    assert summary["run"]["compared"] == 2 and summary["counts"] == {"action:nudge->hold": 1}
    assert summary["examples"][0]["event_id"] == "e1" and summary["process"]["candidate"] == "policy stricter@7"
    only = client.get("/v1/shadow", params={"kind": "action:allow->hold"}, headers=h["admin"]).json()
    assert only["examples"] == []
    assert client.post("/v1/shadow", json={"policy": DEFAULT}, headers=h["admin"]).status_code == 409
    stopped = client.delete("/v1/shadow", headers=h["admin"])
    assert stopped.status_code == 200 and stopped.json()["status"] == "stopped"
    assert client.delete("/v1/shadow", headers=h["admin"]).status_code == 404
    run_id = stopped.json()["id"]
    assert client.get("/v1/shadow", params={"run": run_id}, headers=h["admin"]).json()["run"]["id"] == run_id
    assert client.get("/v1/shadow", params={"run": "nope"}, headers=h["admin"]).status_code == 404


def test_bad_candidates_are_400_and_nothing_starts(client: TestClient, h: dict[str, dict[str, str]]) -> None:
    cases = [
        ({"policy": "name: x\nversion: 1\nrules: []\n"}, "<candidate policy>:"),
        ({"policy": "rules: [\n"}, "invalid YAML"),
        ({"model_path": "/nowhere/model.npz"}, "no model file"),
        ({}, "needs a policy"),
    ]
    for body, message in cases:
        answer = client.post("/v1/shadow", json=body, headers=h["admin"])
        assert answer.status_code == 400, body
        assert message in answer.json()["error"]["message"]
    for body in ({"policy": 3}, {"policy": "x" * 200_001}, {"model": "/x"}):
        assert client.post("/v1/shadow", json=body, headers=h["admin"]).status_code == 422
    assert client.get("/v1/shadow", headers=h["admin"]).json()["run"] is None


def test_admin_only(client: TestClient, h: dict[str, dict[str, str]]) -> None:
    for role in ("ingest", "moderator", "senior_moderator", "auditor"):
        assert client.get("/v1/shadow", headers=h[role]).status_code == 403
        assert client.post("/v1/shadow", json={"policy": DEFAULT}, headers=h[role]).status_code == 403
        assert client.get("/v1/plugins", headers=h[role]).status_code == 403
    assert client.get("/v1/shadow").status_code == 401


def test_plugins_endpoint_lists_plugins_and_problems(client: TestClient, h: dict[str, dict[str, str]],
                                                     service: Service) -> None:
    from clearspace.plugins.config import PluginSet
    from clearspace.plugins.guard import GuardModel

    assert client.get("/v1/plugins", headers=h["admin"]).json() == {"plugins": [], "problems": []}
    guard = GuardModel("http://127.0.0.1:9/v1", model="g")
    guard.load()
    service.plugin_set = PluginSet((guard,), [{"plugin": "onnx_models.zh", "error": "no model.onnx in /m"}])
    body = client.get("/v1/plugins", headers=h["admin"]).json()
    assert body["plugins"][0]["id"] == "llm@1" and body["plugins"][0]["breaker"]["state"] == "closed"
    assert body["plugins"][0]["latency_ms"] == {"p50": None, "p99": None, "max": None, "window": 0}
    assert body["problems"] == [{"plugin": "onnx_models.zh", "error": "no model.onnx in /m"}]
