"""``POST /v1/policy/reload`` and ``GET /v1/policy``: the admin reloads the configured policy file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from fastapi.testclient import TestClient

from clearspace.service.core import Service

H = dict[str, dict[str, str]]
STRICT = """name: strict-community
version: 2
rules:
  - {name: insult-remove, version: 1, when: {signal: lexicon.insult, min: 0.5}, action: remove, category: abuse}
"""


def test_reload_through_the_api(client: TestClient, service: Service, h: H, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("name: x\nversion: 1\nrules:\n  - {name: a, version: 1, when: {signal: abuse, min: 3}, "
                      "action: boom}\n", encoding="utf-8")
    service.settings = replace(service.settings, policy=str(policy))
    service.warm_up()
    assert client.post("/v1/policy/reload", headers=h["moderator"]).status_code == 403
    refused = client.post("/v1/policy/reload", headers=h["admin"])
    assert refused.status_code == 400
    message = refused.json()["error"]["message"]
    assert message.count(f"{policy}:4:") == 2, message  # both problems, each with file:line:col
    assert client.get("/v1/policy", headers=h["auditor"]).json()["running"]["policy"].startswith("default@")
    policy.write_text(STRICT, encoding="utf-8")
    done = client.post("/v1/policy/reload", headers=h["admin"])
    assert done.status_code == 200, done.text
    assert done.json()["changed"] and done.json()["new"]["policy"] == "strict-community@2"
    state = client.get("/v1/policy", headers=h["auditor"]).json()
    assert state["running"]["sha256"] == state["active"]["sha256"] == done.json()["new"]["sha256"]
    answer = client.post("/v1/events", json={"id": "e1", "text": "你就是个傻逼"}, headers=h["ingest"]).json()
    assert answer["action"] == "remove" and answer["rules"] == ["insult-remove@1"]


def test_a_reload_reaches_another_server_process(tmp_path: Path, store_url: str,
                                                 open_service: Callable[..., Service]) -> None:
    """Two apps over one database, as two worker processes: the second follows the first's reload by itself."""
    import time

    from clearspace.api.app import create_app
    from clearspace.service.settings import Settings

    policy = tmp_path / "policy.yaml"
    policy.write_text(STRICT, encoding="utf-8")
    settings = Settings(db=store_url, policy=str(policy), policy_poll_seconds=0.1, pileon_detection=False)
    first, second = (open_service(settings=settings).warm_up() for _ in range(2))
    key = first.admin.create_key("admin")[1]
    with TestClient(create_app(first, console=False)) as a, TestClient(create_app(second, console=False)) as b:
        auth = {"Authorization": f"Bearer {key}"}
        assert a.post("/v1/policy/reload", headers=auth).json()["new"]["policy"] == "strict-community@2"
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if b.get("/v1/policy", headers=auth).json()["running"]["policy"] == "strict-community@2":
                break
            time.sleep(0.05)
        answer = b.post("/v1/events", json={"id": "e1", "text": "你就是个傻逼"}, headers=auth).json()
    assert answer["rules"] == ["insult-remove@1"]
