"""Caches across nodes: a change on one node reaches the others within 2 s through NATS (issue 15 point 5)."""

from __future__ import annotations

import time

import pytest
from bus_helpers import bus_service, until
from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.protection.shield import make_shield

pytestmark = pytest.mark.timeout(120)


def test_a_revoked_key_and_a_new_shield_reach_the_other_node_within_2_s(pg_url: str, bus_prefix: str) -> None:
    first, second = bus_service(pg_url, bus_prefix), bus_service(pg_url, bus_prefix)
    key_id_and_key = first.admin.create_key("moderator")
    key_id, key = key_id_and_key[0]["id"], key_id_and_key[1]
    auth = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(first)) as a, TestClient(create_app(second)) as b:
        assert b.get("/v1/cases", headers=auth).status_code == 200  # now in b's key cache (5 s)
        node_b = b.app.state.bus_node
        first.admin.revoke_key(key_id, "admin")
        started = time.monotonic()
        until(lambda: b.get("/v1/cases", headers=auth).status_code == 401, timeout_s=2.0, what="the revocation")
        assert time.monotonic() - started < 2.0
        before = node_b.feed.applied
        first.protection.activate(make_shield("alice", now=first.protection.epoch()), "admin")
        until(lambda: node_b.feed.applied > before, timeout_s=2.0, what="the shield announcement")
        assert second.protection.shield("alice")["account"] == "alice"
        assert a.app.state.bus_node.feed.applied >= 2  # a node hears its own announcements too (harmless refresh)
