from __future__ import annotations

from fastapi.testclient import TestClient

from clearspace.service.core import Service

H = dict[str, dict[str, str]]


def test_keys_lifecycle_and_rate_limit(client: TestClient, h: dict[str, dict[str, str]], service: Service) -> None:
    r = client.post("/v1/keys", json={"role": "ingest", "name": "slow", "rate_limit": 1},
                    headers=h["admin"])
    assert r.status_code == 201, r.text
    slow = r.json()["key"]
    listed = client.get("/v1/keys", headers=h["admin"]).json()["keys"]
    assert all("hash" not in k and "key" not in k for k in listed)
    slow_headers = {"Authorization": f"Bearer {slow}"}
    statuses = [client.post("/v1/events", json={"id": f"r{i}", "text": "hi"}, headers=slow_headers).status_code
                for i in range(4)]
    assert statuses[:2] == [200, 200] and statuses[-1] == 429
    assert client.post("/v1/keys", json={"role": "god"}, headers=h["admin"]).status_code == 422
    assert client.post("/v1/keys", json={"role": "admin", "x": 1}, headers=h["admin"]).status_code == 422
    key_id = r.json()["id"]
    assert client.delete(f"/v1/keys/{key_id}", headers=h["admin"]).json()["revoked_at"]


def test_audit_verify_and_export(client: TestClient, h: dict[str, dict[str, str]]) -> None:
    client.post("/v1/events", json={"id": "a1", "text": "hello"}, headers=h["ingest"])
    verdict = client.get("/v1/audit/verify", headers=h["auditor"]).json()
    assert verdict["ok"] and verdict["events"] >= 6  # 5 keys + 1 decision
    lines = client.get("/v1/audit", headers=h["auditor"]).text.splitlines()
    assert len(lines) == verdict["events"]


def test_audit_export_filters_by_time(client: TestClient, h: H) -> None:
    assert client.get("/v1/audit?from=2030-01-01", headers=h["auditor"]).text == ""
    assert client.get("/v1/audit?to=2026-03-01T13:00:00Z", headers=h["auditor"]).text.count("\n") == 5
    bad = client.get("/v1/audit?from=soon", headers=h["auditor"])
    assert bad.status_code == 400 and "ISO-8601" in bad.json()["error"]["message"]


def test_audit_export_streams_page_by_page_in_order(client: TestClient, h: H, service: Service) -> None:
    from clearspace.service import audit

    client.post("/v1/events", json=[{"id": f"s{i}", "text": "hello"} for i in range(7)], headers=h["ingest"])
    everything = [r["id"] for r in audit.export(service.store)]  # in the order written, over every chain
    assert everything == sorted(everything) and len(everything) >= 12
    assert [r["id"] for r in audit.export(service.store, page=2)] == everything
    assert [r["id"] for r in audit.export(service.store, page=len(everything))] == everything
    per_chain: dict[str, list[int]] = {}
    for row in audit.export(service.store):
        per_chain.setdefault(row["chain"], []).append(row["seq"])
    assert len(per_chain) > 2 and all(seqs == list(range(1, len(seqs) + 1)) for seqs in per_chain.values())
    streamed = client.get("/v1/audit", headers=h["auditor"]).text.splitlines()
    assert len(streamed) == len(everything)


def test_a_revoked_key_stops_working_at_once(client: TestClient, h: H) -> None:
    made = client.post("/v1/keys", json={"role": "moderator"}, headers=h["admin"]).json()
    own = {"Authorization": f"Bearer {made['key']}"}
    assert client.get("/v1/cases", headers=own).status_code == 200  # now cached
    assert client.delete(f"/v1/keys/{made['id']}", headers=h["admin"]).status_code == 200
    assert client.get("/v1/cases", headers=own).status_code == 401
