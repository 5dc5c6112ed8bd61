"""Storage types never leak into answers: flags are JSON booleans and times are ISO-8601 strings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient

H = dict[str, dict[str, str]]
FLAGS = frozenset({"good_faith", "active", "brigade", "trusted", "minor", "duplicate", "assisted", "author_follows",
                   "follows_author", "revoked", "shown", "retracted", "reminded"})


def _leaks(node: Any, path: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}"
            if key in FLAGS and not isinstance(value, bool):
                yield f"{where} = {value!r} (not a boolean)"
            if key.endswith("_at") and value is not None:
                if not isinstance(value, str):
                    yield f"{where} = {value!r} (not an ISO-8601 string)"
                else:
                    try:
                        datetime.fromisoformat(value.replace("Z", "+00:00"))
                    except ValueError:
                        yield f"{where} = {value!r} (not ISO-8601)"
            yield from _leaks(value, where)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaks(value, f"{path}[{i}]")


def test_answers_carry_booleans_and_iso_times(client: TestClient, h: H) -> None:
    answers: list[tuple[str, Any]] = []

    def keep(label: str, response: Any) -> Any:
        assert response.status_code < 300, (label, response.text)
        answers.append((label, response.json()))
        return response.json()

    keep("event", client.post("/v1/events", json={"id": "p1", "author": "au", "text": "nmsl sb 滚", "target_user": "v"},
                              headers=h["ingest"]))
    report = keep("report", client.post("/v1/reports", json={"reporter": "rep", "category": "abuse", "item": "p1",
                                                             "good_faith": True}, headers=h["ingest"]))
    keep("get report", client.get(f"/v1/reports/{report['id']}", headers=h["moderator"]))
    case = keep("next", client.post("/v1/cases/next", headers=h["moderator"]))["case"]
    keep("case", client.get(f"/v1/cases/{case['id']}", headers=h["moderator"]))
    decision = keep("decide", client.post(f"/v1/cases/{case['id']}/decision", headers=h["moderator"],
                                          json={"action": "remove", "category": "abuse", "explanation": "Insult."}))
    appeal = keep("appeal", client.post("/v1/appeals", json={"decision_id": decision["id"], "appellant": "au",
                                                             "reason": "joke"}, headers=h["ingest"]))
    decided = keep("appeal decision", client.post(f"/v1/appeals/{appeal['id']}/decision", headers=h["senior_moderator"],
                                                  json={"outcome": "upheld", "explanation": "It is an insult."}))
    assert isinstance(decided["decided_at"], str)
    keep("get appeal", client.get(f"/v1/appeals/{appeal['id']}", headers=h["moderator"]))
    keep("shield", client.put("/v1/shield/v", json={"days": 3}, headers=h["ingest"]))
    keep("get shield", client.get("/v1/shield/v", headers=h["moderator"]))
    keep("account", client.get("/v1/accounts/au", headers=h["auditor"]))
    keep("keys", client.get("/v1/keys", headers=h["admin"]))
    keep("webhook", client.post("/v1/webhooks", json={"url": "https://hooks.example/x", "topics": ["*"]},
                                headers=h["admin"]))
    keep("webhooks", client.get("/v1/webhooks", headers=h["admin"]))
    problems = [f"{label}: {leak}" for label, body in answers for leak in _leaks(body)]
    assert not problems, "\n".join(problems)


def test_transparency_defaults_to_the_last_30_days(client: TestClient, h: H) -> None:
    client.post("/v1/events", json={"id": "p1", "author": "au", "text": "nmsl sb 滚"}, headers=h["ingest"])
    answer = client.get("/v1/transparency", headers=h["auditor"])
    assert answer.status_code == 200, answer.text
    body = answer.json()  # the clock says 2026-03-01 12:00
    assert body["period"] == {"from": "2026-01-30T00:00:00.000000Z", "to": "2026-03-02T00:00:00.000000Z"}
    assert body["decisions"]["total"] == 1
    only_from = client.get("/v1/transparency?from=2026-02-20", headers=h["auditor"]).json()
    assert only_from["period"]["from"][:10] == "2026-02-20"
