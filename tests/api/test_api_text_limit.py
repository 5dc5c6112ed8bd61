"""Every text endpoint takes its limit from the ``max_text_chars`` setting, and so does the OpenAPI schema."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.service.core import Service

LONG = "正常的内容" * 6000  # 30,000 characters


def _bodies(text: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("/v1/events", {"id": "long-1", "text": text}),
        ("/v1alpha1/comments:analyze", {"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}}),
        ("/v1/nudge", {"text": text}),
        ("/v1/shield/check", {"account": "a", "author": "b", "surface": "comment", "text": text}),
        ("/v1/match", {"posts": [{"id": "p", "text": text}]}),
    ]


@pytest.fixture(params=[20_000, 50_000])
def limited(request: pytest.FixtureRequest, service: Service) -> Iterator[tuple[TestClient, int]]:
    service.settings = replace(service.settings, max_text_chars=request.param)
    with TestClient(create_app(service)) as client:
        yield client, request.param


def test_every_text_endpoint_follows_the_setting(limited: tuple[TestClient, int],
                                                 h: dict[str, dict[str, str]]) -> None:
    client, limit = limited
    for path, body in _bodies(LONG):
        answer = client.post(path, json=body, headers=h["admin"])
        if limit > len(LONG):
            assert answer.status_code == 200, (path, answer.text)
        else:
            assert answer.status_code == 400, (path, answer.status_code, answer.text)
            assert f"longer than {limit} characters" in answer.text, (path, answer.text)


def _text_limits(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        if "text" in node.get("properties", {}):
            yield path, node["properties"]["text"].get("maxLength")
        for key, value in node.items():
            yield from _text_limits(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _text_limits(value, f"{path}/{i}")


def test_the_openapi_schema_states_the_configured_limit(limited: tuple[TestClient, int]) -> None:
    client, limit = limited
    spec = client.get("/openapi.json").json()
    assert "x-text-limit" not in str(spec)
    limits = dict(_text_limits(spec))
    scored = {p: v for p, v in limits.items() if not any(s in p for s in ("NoteBody", "ClarificationBody", "debunks"))}
    assert len(scored) >= 5, limits
    assert set(scored.values()) == {limit}, scored
