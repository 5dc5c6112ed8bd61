"""Incidents, evidence, prompts, assisted activation and the shield-check fast path over HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.protection.evidence import verify_bundle
from clearspace.protection.shield import make_shield
from clearspace.service.clock import ManualClock
from clearspace.service.core import Service

H = dict[str, dict[str, str]]


def pile_on(client: TestClient, h: H, clock: ManualClock, target: str = "victim", n: int = 5,
            **extra: object) -> None:
    for i in range(n):
        clock.advance(seconds=30)
        event = {"id": f"{target}-{i}", "type": "reply", "author": f"a{i}", "target_user": target,
                 "text": "你就是个傻逼", **extra}
        assert client.post("/v1/events", json=event, headers=h["ingest"]).status_code == 200


def test_incidents_list_detail_and_evidence(client: TestClient, h: H, clock: ManualClock) -> None:
    pile_on(client, h, clock)
    r = client.get("/v1/incidents", headers=h["moderator"])
    assert r.status_code == 200
    [incident] = r.json()["incidents"]
    assert incident["target"] == "victim" and incident["status"] == "active"
    assert client.get("/v1/incidents?status=ended", headers=h["moderator"]).json() == {"incidents": []}
    assert client.get("/v1/incidents?target=nobody", headers=h["moderator"]).json() == {"incidents": []}
    assert client.get("/v1/incidents?status=open", headers=h["moderator"]).status_code == 422
    assert client.get("/v1/incidents", headers=h["ingest"]).status_code == 403

    detail = client.get(f"/v1/incidents/{incident['id']}", headers=h["moderator"]).json()
    assert detail["case_id"] == incident["case_id"] and detail["case"]["lane"] == "pileon"
    assert detail["participants_by_role"]["instigator"] == ["a0"]
    assert sum(b["hostile"] for b in detail["timeline"]["series"]) == 5
    assert client.get("/v1/incidents/inc_nope", headers=h["moderator"]).status_code == 404

    r = client.get(f"/v1/incidents/{incident['id']}/evidence?redact=victim", headers=h["moderator"])
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert "attachment" in r.headers["content-disposition"]
    report = verify_bundle(r.content)
    assert report.ok and report.items == 5
    key = client.get("/v1/evidence/key", headers=h["moderator"]).json()
    assert key == {"algorithm": "Ed25519", "public_key": report.public_key}
    assert verify_bundle(r.content, public_key=key["public_key"]).ok
    assert client.get("/v1/incidents/inc_nope/evidence", headers=h["moderator"]).status_code == 404


def test_the_target_platform_fetches_its_prompts(client: TestClient, h: H, clock: ManualClock) -> None:
    pile_on(client, h, clock)
    r = client.get("/v1/protection/victim/prompts", headers=h["ingest"])
    assert r.status_code == 200
    [prompt] = r.json()["prompts"]
    assert prompt["kind"] == "risk_prompt" and prompt["offer"]["action"] == "shield"
    assert client.get("/v1/protection/victim/prompts", headers=h["auditor"]).status_code == 403
    assert client.get("/v1/protection/nobody/prompts", headers=h["ingest"]).json()["prompts"] == []
    # the same prompt is among the account's notifications too
    kinds = [n["kind"] for n in client.get("/v1/accounts/victim/notifications", headers=h["moderator"]).json()[
        "notifications"]]
    assert kinds == ["risk_prompt"]


def test_assisted_activation_needs_a_moderator_and_is_audited(client: TestClient, h: H, service: Service) -> None:
    assert client.put("/v1/shield/kid", json={"assisted": True}, headers=h["ingest"]).status_code == 403
    r = client.put("/v1/shield/kid", json={"assisted": True, "days": 7}, headers=h["moderator"])
    assert r.status_code == 200 and r.json()["activated_by"] == "assisted:moderator:moderator"
    [event] = [e for e in service.admin.export_audit() if e["kind"] == "shield.activated"]
    assert event["actor"] == "moderator:moderator" and event["payload"]["activated_by"].startswith("assisted:")
    assert client.put("/v1/shield/self", json={}, headers=h["ingest"]).json()["activated_by"] == "self"


def test_batch_action_over_incident_participants(client: TestClient, h: H, clock: ManualClock) -> None:
    pile_on(client, h, clock)
    incident = client.get("/v1/incidents", headers=h["moderator"]).json()["incidents"][0]
    body = {"category": "abuse", "explanation": "pile-on", "incident_id": incident["id"], "roles": ["instigator"]}
    r = client.post("/v1/accounts/batch", json=body, headers=h["senior_moderator"])
    assert r.status_code == 200, r.text
    assert [a["account"] for a in r.json()["accounts"]] == ["a0"]
    assert client.post("/v1/accounts/batch", json=body | {"roles": ["boss"]},
                       headers=h["senior_moderator"]).status_code == 422


def test_webhook_topics_for_protection_can_be_subscribed(client: TestClient, h: H) -> None:
    body = {"url": "https://hooks.example/p", "topics": ["protection.risk_prompt", "protection.expiry_reminder"]}
    assert client.post("/v1/webhooks", json=body, headers=h["admin"]).status_code in (200, 201)


CHECKS = [
    {"account": "v", "author": "x", "surface": "comment", "item_id": "c1", "text": "hi"},
    {"account": "v", "author": "x", "surface": "dm", "hostility": 0.95},
    {"account": "v", "author": "mum", "surface": "dm"},
    {"account": "v", "author": "x", "surface": "danmaku"},
    {"account": "v", "author": "y", "surface": "comment", "author_follows": True, "followed_since": 1},
    {"account": "nobody", "author": "x", "surface": "comment"},
    {"account": "v", "author": "x", "surface": "dm", "author_follows": "yes"},  # not plain: the route answers
]
BAD_CHECKS = [
    {"account": "v"}, {"account": "v", "author": "x", "surface": "email"},
    {"account": "v", "author": "x", "surface": "dm", "hostility": 2}, {"account": "", "author": "x", "surface": "dm"},
    {"account": "v", "author": "x", "surface": "dm", "extra": 1}, [1, 2], "text",
]


@pytest.fixture
def both(service: Service) -> Iterator[tuple[TestClient, TestClient, dict[str, str]]]:
    key = {"Authorization": f"Bearer {service.admin.create_key('moderator', name='m')[1]}"}
    with TestClient(create_app(service)) as fast, TestClient(create_app(service, fast_path=False)) as slow:
        yield fast, slow, key


def test_the_fast_path_answers_like_the_route(both: tuple[TestClient, TestClient, dict[str, str]]) -> None:
    fast, slow, key = both
    r = fast.put("/v1/shield/v", json={"audience": "new_followers", "allow": ["mum"], "surfaces": ["comments", "dms"]},
                 headers=key)
    assert r.status_code == 200
    for body in CHECKS:
        a, b = fast.post("/v1/shield/check", json=body, headers=key), slow.post("/v1/shield/check", json=body,
                                                                                 headers=key)
        assert a.status_code == b.status_code == 200
        ja, jb = a.json(), b.json()
        assert (ja.pop("held_id", None) is None) == (jb.pop("held_id", None) is None)
        assert ja == jb, body
    for body in BAD_CHECKS:
        a, b = fast.post("/v1/shield/check", json=body, headers=key), slow.post("/v1/shield/check", json=body,
                                                                                 headers=key)
        assert a.status_code == b.status_code and a.json() == b.json(), body
        assert a.status_code in (400, 422)
    json_headers = key | {"Content-Type": "application/json"}
    a, b = (c.post("/v1/shield/check", content=b"{not json", headers=json_headers) for c in (fast, slow))
    assert a.status_code == b.status_code == 400 and a.json() == b.json()
    for client in (fast, slow):
        assert client.post("/v1/shield/check", json=CHECKS[0]).status_code == 401
    held = fast.get("/v1/shield/v/held", headers=key).json()["held"]
    assert [h["id"] for h in held] == ["c1", "c1", "", ""]  # each hold once through each path


def test_a_shield_turned_on_by_another_process_is_seen(open_service: Callable[..., Service],
                                                       clock: ManualClock) -> None:
    server = open_service(clock=clock)
    key = {"Authorization": f"Bearer {server.admin.create_key('moderator', name='m')[1]}"}
    body = {"account": "v", "author": "x", "surface": "dm"}
    with TestClient(create_app(server)) as c:
        assert c.post("/v1/shield/check", json=body, headers=key).json()["action"] == "deliver"
        other = open_service(clock=clock)  # e.g. another worker
        other.protection.activate(make_shield("v", now=other.protection.epoch()), "v")
        server.shield_cache.refresh()  # what the background thread does every second
        assert c.post("/v1/shield/check", json=body, headers=key).json()["action"] == "hold"
        other.protection.deactivate("v", "v")
        server.shield_cache.refresh()
        assert c.post("/v1/shield/check", json=body, headers=key).json()["action"] == "deliver"


def test_a_slow_hold_commit_does_not_hold_up_the_answer(service: Service) -> None:
    import time

    key = {"Authorization": f"Bearer {service.admin.create_key('moderator', name='m')[1]}"}
    service.protection.activate(make_shield("v", now=service.protection.epoch()), "v")
    store_held = service.protection.store_held

    def slow(rows: list[dict[str, object]]) -> list[str]:
        if rows:
            time.sleep(0.3)  # a disk busy with a checkpoint
        return store_held(rows)

    service.protection.store_held = slow  # type: ignore[method-assign]
    with TestClient(create_app(service)) as c:
        started = time.perf_counter()
        r = c.post("/v1/shield/check", json={"account": "v", "author": "x", "surface": "dm", "item_id": "d1"},
                   headers=key)
        assert r.status_code == 200 and r.json()["action"] == "hold"
        assert time.perf_counter() - started < 0.25
        held = c.get("/v1/shield/v/held", headers=key).json()["held"]  # waits for the commit
        assert [(h["id"], h["held_id"]) for h in held] == [("d1", r.json()["held_id"])]
