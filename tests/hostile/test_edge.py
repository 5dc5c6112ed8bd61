"""Hostile input at the edge, on SQLite and PostgreSQL (issue 11, points 1, 2 and 4): whatever
cannot be stored is a 4xx naming the problem, never a 5xx, and nothing of it is stored."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearspace.service import pipeline
from clearspace.service.core import Service


def _deep(levels: int) -> str:
    """JSON text of a value nested ``levels`` deep (arrays, or objects for an even count), written by
    hand: the JSON encoders themselves refuse deep values."""
    if levels % 2:
        return "[" * levels + "1" + "]" * levels
    return '{"k":' * levels + "1" + "}" * levels


def _post(client: TestClient, path: str, body: str, headers: dict[str, str]) -> Any:
    return client.post(path, content=body.encode(), headers={**headers, "Content-Type": "application/json"})


def _setup(service: Service) -> dict[str, str]:
    [answer] = service.ingest.events({"id": "ev1", "text": "你就是个傻逼", "author": "alice"})
    return {"decision": answer["decision_id"]}


NUL_CASES: list[tuple[str, str, Any]] = [
    ("post", "/v1/reports", {"reporter": "r\x00", "category": "abuse", "item": "ev1", "good_faith": True}),
    ("post", "/v1/reports", {"reporter": "r", "category": "abuse", "explanation": "x\x00", "item": "ev1",
                             "good_faith": True}),
    ("post", "/v1/appeals", {"decision_id": "{decision}", "appellant": "alice", "reason": "x\x00y"}),
    ("post", "/v1/notes", {"event_id": "ev1", "author": "a", "text": "hello\x00 note"}),
    ("post", "/v1/nudge", {"text": "你\x00就是个傻逼", "author": "alice"}),
    ("post", "/v1/keys", {"role": "admin", "name": "k\x00"}),
    ("post", "/v1/events", {"id": "x1", "text": "t", "extra": {"k\x00": 1}}),
    ("post", "/v1/events", {"id": "x2", "text": "t", "extra": ["a\x00"]}),
    ("post", "/v1/events", {"id": "x3\x00", "text": "t"}),
    ("post", "/v1/shield/check", {"account": "v", "author": "x", "surface": "dm", "text": "a\x00b"}),
    ("post", "/v1/shield/check", {"account": "v", "author": "x\x00", "surface": "dm"}),
    ("put", "/v1/shield/v%00w", {"days": 1}),
    ("get", "/v1/events/ab%00c", None),
    ("get", "/v1/accounts/a%00b", None),
    ("get", "/v1/debunks/d%00/history", None),
    ("post", "/v1/debunks/d%00/clarification", {"account": "a", "text": "t"}),
    ("get", "/v1/audit?actor=a%00", None),
    ("post", "/v1/match", {"posts": [{"id": "p\x00", "text": "t"}]}),
    ("post", "/v1alpha1/comments:analyze", {"comment": {"text": "hi\x00"}, "requestedAttributes": {"TOXICITY": {}}}),
]


@pytest.fixture
def ready(service: Service, client: TestClient, h: dict[str, dict[str, str]]) -> Iterator[dict[str, str]]:
    yield _setup(service)


@pytest.mark.parametrize(("method", "path", "body"), NUL_CASES, ids=[f"{m} {p}" for m, p, _ in NUL_CASES])
def test_nul_characters_are_400(client: TestClient, h: dict[str, dict[str, str]], ready: dict[str, str],
                                service: Service, method: str, path: str, body: Any) -> None:
    if isinstance(body, dict) and body.get("decision_id") == "{decision}":
        body = {**body, "decision_id": ready["decision"]}
    send = getattr(client, method)
    r = send(path, json=body, headers=h["admin"]) if body is not None else send(path, headers=h["admin"])
    assert r.status_code == 400, r.text
    assert "NUL" in r.json()["error"]["message"]
    for event_id in ("x1", "x2"):
        assert not service.ingest.has_event(event_id)


@pytest.mark.parametrize("levels", [33, 254, 600, 1000])
def test_deep_nesting_is_400_everywhere(client: TestClient, h: dict[str, dict[str, str]], service: Service,
                                        levels: int) -> None:
    r = _post(client, "/v1/events", f'{{"id": "deep", "text": "x", "extra": {_deep(levels)}}}', h["ingest"])
    assert r.status_code == 400 and "nested more than 32" in r.json()["error"]["message"], r.text
    r = _post(client, "/v1/reports", f'{{"reporter": {_deep(levels)}}}', h["admin"])
    assert r.status_code == 400, r.text
    assert not service.ingest.has_event("deep")
    ok = _post(client, "/v1/events", f'{{"id": "shallow", "text": "x", "extra": {_deep(30)}}}', h["ingest"])
    assert ok.status_code == 200 and service.ingest.has_event("shallow")


@pytest.mark.parametrize("value", [2**63, 2**64 - 1])  # orjson reads larger ones as floats
def test_integers_past_64_bits_are_400(client: TestClient, h: dict[str, dict[str, str]], value: int) -> None:
    r = client.post("/v1/events", json={"id": "big", "text": "x", "n": value}, headers=h["ingest"])
    assert r.status_code == 400 and "64-bit" in r.json()["error"]["message"], r.text


def test_oversized_extra_fields_are_400(client: TestClient, h: dict[str, dict[str, str]]) -> None:
    r = client.post("/v1/events", json={"id": "fat", "text": "x", "extra": "y" * 70_000}, headers=h["ingest"])
    assert r.status_code == 400 and "65536 bytes" in r.json()["error"]["message"], r.text


@pytest.mark.parametrize("path", ["/v1/reports", "/v1/events", "/v1/shield/check", "/v1/notes", "/v1/match"])
def test_chunked_bodies_over_the_limit_are_413(client: TestClient, h: dict[str, dict[str, str]], path: str) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(1100):
            yield b"x" * 1000

    r = client.post(path, content=chunks(), headers={**h["admin"], "Content-Type": "application/json"})
    assert r.status_code == 413, r.text


def test_server_errors_are_logged_with_their_cause(client: TestClient, h: dict[str, dict[str, str]],
                                                  service: Service, monkeypatch: pytest.MonkeyPatch,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("the disk caught fire")

    monkeypatch.setattr(service.ingest, "event", broken)
    monkeypatch.setattr(pipeline, "record", broken)
    with caplog.at_level(logging.ERROR):
        r1 = client.get("/v1/events/ev1", headers=h["admin"])
        r2 = client.post("/v1/events", json={"id": "e", "text": "x"}, headers=h["ingest"])
    assert r1.status_code == 500 and r2.status_code == 500
    causes = [r for r in caplog.records if r.exc_info and "the disk caught fire" in str(r.exc_info[1])]
    assert len(causes) >= 2, [r.getMessage() for r in caplog.records]
