"""The protection endpoints: shield CRUD, /v1/shield/check, /v1/nudge."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))


@pytest.fixture
def setup(tmp_path: Path, clock: ManualClock) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    service = Service(open_store(tmp_path / "p.db"), engine=KeywordEngine(), clock=clock)
    keys = {r: {"Authorization": f"Bearer {service.admin.create_key(r, name=r)[1]}"}
            for r in ("ingest", "moderator", "auditor")}
    with TestClient(create_app(service)) as c:
        yield c, keys


def test_shield_lifecycle_and_check(setup, clock: ManualClock) -> None:  # type: ignore[no-untyped-def]
    c, k = setup
    check = {"account": "v", "author": "x", "surface": "comment", "item_id": "c1", "text": "hello"}
    assert c.post("/v1/shield/check", json=check, headers=k["ingest"]).json()["action"] == "deliver"
    r = c.put("/v1/shield/v", json={"days": 2, "surfaces": ["comments", "dms"]}, headers=k["ingest"])
    assert r.status_code == 200, r.text
    assert r.json()["audience"] == "strangers"
    assert c.get("/v1/shield/v", headers=k["moderator"]).json()["surfaces"] == ["comments", "dms"]
    assert c.post("/v1/shield/check", json=check, headers=k["ingest"]).json()["action"] == "hold"
    assert c.post("/v1/shield/check", json=check | {"surface": "danmaku"}, headers=k["ingest"]).json()["action"] \
        == "deliver"
    assert c.post("/v1/shield/check", json=check | {"hostility": 0.95}, headers=k["ingest"]).json()["action"] == "drop"
    held = c.get("/v1/shield/v/held", headers=k["moderator"]).json()["held"]
    assert [h["id"] for h in held] == ["c1"]
    clock.advance(days=3)
    assert c.post("/v1/shield/check", json=check, headers=k["ingest"]).json()["action"] == "deliver"
    assert c.get("/v1/shield/v", headers=k["moderator"]).status_code == 404
    assert c.delete("/v1/shield/v", headers=k["moderator"]).status_code == 200
    assert c.delete("/v1/shield/v", headers=k["moderator"]).status_code == 404


def test_permissions_and_validation(setup) -> None:  # type: ignore[no-untyped-def]
    c, k = setup
    assert c.put("/v1/shield/v", json={}, headers=k["auditor"]).status_code == 403
    assert c.put("/v1/shield/v", json={"surfaces": ["email"]}, headers=k["ingest"]).status_code == 422
    assert c.put("/v1/shield/v", json={"days": 0}, headers=k["ingest"]).status_code == 422
    assert c.post("/v1/shield/check", json={"account": "v"}, headers=k["ingest"]).status_code == 422
    assert c.post("/v1/nudge", json={"text": "hi"}).status_code == 401


def test_nudge_levels(setup) -> None:  # type: ignore[no-untyped-def]
    c, k = setup
    calm = c.post("/v1/nudge", json={"text": "thanks for sharing"}, headers=k["ingest"]).json()
    assert calm["level"] == "none" and calm["show"] is False
    rude = c.post("/v1/nudge", json={"text": "你就是个傻逼 去死吧", "author": "u1"}, headers=k["ingest"]).json()
    assert rude["show"] is True and rude["level"] in ("warn", "strong")
    assert rude["recent_strikes"] == 0


def test_held_folder_is_per_account(setup) -> None:  # type: ignore[no-untyped-def]
    c, k = setup
    c.put("/v1/shield/a", json={"audience": "all_but_allowed", "allow": ["mum"]}, headers=k["moderator"])
    body = {"account": "a", "author": "mum", "surface": "dm"}
    assert c.post("/v1/shield/check", json=body, headers=k["ingest"]).json()["action"] == "deliver"
    c.post("/v1/shield/check", json=body | {"author": "z", "item_id": "d1"}, headers=k["ingest"])
    assert c.get("/v1/shield/b/held", headers=k["moderator"]).json()["held"] == []
    assert len(c.get("/v1/shield/a/held", headers=k["moderator"]).json()["held"]) == 1


def test_api_surfaces_match_the_core() -> None:
    from clearspace.api.routes.protection import _ALL_SURFACES
    from clearspace.protection.shield import SURFACES

    assert set(_ALL_SURFACES) == set(SURFACES)


def test_shield_and_held_folder_survive_a_restart(tmp_path: Path, clock: ManualClock) -> None:
    db = tmp_path / "restart.db"
    first = Service(open_store(db), engine=KeywordEngine(), clock=clock)
    key = {"Authorization": f"Bearer {first.admin.create_key('moderator', name='m')[1]}"}
    with TestClient(create_app(first)) as c:
        assert c.put("/v1/shield/v", json={"days": 3, "allow": ["mum"]}, headers=key).status_code == 200
        check = {"account": "v", "author": "x", "surface": "dm", "item_id": "d1", "text": "hi"}
        assert c.post("/v1/shield/check", json=check, headers=key).json()["action"] == "hold"
        shield = c.get("/v1/shield/v", headers=key).json()
    first.store.close()
    again = Service(open_store(db), engine=KeywordEngine(), clock=clock)
    with TestClient(create_app(again)) as c:
        assert c.get("/v1/shield/v", headers=key).json() == shield
        held = c.get("/v1/shield/v/held", headers=key).json()["held"]
        assert [(h["id"], h["author"], h["text"]) for h in held] == [("d1", "x", "hi")]
        r = c.post(f"/v1/shield/v/held/{held[0]['held_id']}", json={"decision": "release"}, headers=key)
        assert r.status_code == 200 and r.json()["status"] == "released"
        assert c.get("/v1/shield/v/held", headers=key).json()["held"] == []
        assert c.post(f"/v1/shield/v/held/{held[0]['held_id']}", json={"decision": "dismiss"},
                      headers=key).status_code == 404
        assert c.post("/v1/shield/v/held/x", json={"decision": "keep"}, headers=key).status_code == 422
