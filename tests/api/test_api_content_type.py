"""One Content-Type rule on every JSON endpoint: a JSON body is read as JSON with or without the header."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.service.core import Service


def _json_writes(service: Service) -> list[tuple[str, str]]:
    """Every operation whose OpenAPI request body is JSON."""
    spec = create_app(service).openapi()
    return [(method.upper(), re.sub(r"\{[^}]+\}", "x1", path)) for path, ops in spec["paths"].items()
            for method, op in ops.items()
            if "application/json" in op.get("requestBody", {}).get("content", {})]


def test_the_list_covers_the_endpoints_the_issue_named(service: Service) -> None:
    routes = _json_writes(service)
    for expected in [("POST", "/v1/reports"), ("POST", "/v1/appeals"), ("POST", "/v1/nudge"),
                     ("PUT", "/v1/shield/x1"), ("POST", "/v1/events"), ("POST", "/v1alpha1/comments:analyze")]:
        assert expected in routes
    assert len(routes) > 15


@pytest.mark.parametrize("content_type", [None, "text/plain"])
def test_every_json_write_answers_the_same_without_a_json_content_type(
        client: TestClient, service: Service, h: dict[str, dict[str, str]], content_type: str | None) -> None:
    body = b'{"text": "hello", "days": 3, "account": "a", "id": "e1"}'
    for method, path in _json_writes(service):
        declared = client.request(method, path, content=body,
                                  headers={**h["admin"], "Content-Type": "application/json"})
        other = {**h["admin"]} if content_type is None else {**h["admin"], "Content-Type": content_type}
        sent = client.request(method, path, content=body, headers=other)
        assert sent.status_code == declared.status_code, (method, path, sent.text)
        assert "valid dictionary" not in sent.text, (method, path)


def test_the_nudge_endpoint_reads_json_without_a_content_type(client: TestClient,
                                                              h: dict[str, dict[str, str]]) -> None:
    answer = client.post("/v1/nudge", content=b'{"text": "hello there"}', headers=h["ingest"])
    assert answer.status_code == 200, answer.text
