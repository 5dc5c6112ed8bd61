"""Shields and held folders in the service (migration 4), on every backend."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from clearspace.errors import NotFound
from clearspace.protection.shield import DAY, Interaction, make_shield
from clearspace.service.clock import ManualClock, iso
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.store import Store, open_store
from clearspace.store.schema import KEYS

STRANGER = Interaction("x", "comment")





@pytest.fixture
def service(store: Store, clock: ManualClock) -> Service:
    return Service(store, clock=clock, ids=IdFactory(counter_token()))


def _shield(service: Service, account: str = "v", **kwargs: Any) -> dict[str, Any]:
    return service.protection.activate(make_shield(account, now=service.protection.epoch(), **kwargs), "tester")


def test_the_tables_are_known_to_the_store() -> None:
    assert KEYS["shields"] == "account" and KEYS["held_interactions"] == "id"


def test_a_shield_round_trips_exactly(service: Service) -> None:
    stored = _shield(service, days=2, surfaces={"dms", "comments"}, audience="new_followers", new_follower_days=3,
                     allow={"mum", "dad"}, block={"troll"}, drop_above=None, reminder_hours=6,
                     activated_by="assisted:mod")
    assert service.protection.shield("v") == stored
    assert stored["surfaces"] == ["comments", "dms"] and stored["drop_above"] is None
    assert stored["expires_at"] == iso(datetime.fromtimestamp(service.protection.epoch() + 2 * DAY,
                                                              UTC))  # ISO, as every time


def test_turning_on_again_replaces_and_turning_off_ends(service: Service, clock: ManualClock) -> None:
    _shield(service, days=1)
    _shield(service, days=5, audience="all_but_allowed")
    assert service.protection.shield("v")["audience"] == "all_but_allowed"
    assert service.protection.deactivate("v", "tester") == {"account": "v", "active": False}
    with pytest.raises(NotFound):
        service.protection.shield("v")
    with pytest.raises(NotFound):
        service.protection.deactivate("v", "tester")
    _shield(service, days=1)
    clock.advance(days=2)
    with pytest.raises(NotFound, match="no active protection"):
        service.protection.shield("v")
    assert service.protection.check("v", STRANGER)["action"] == "deliver"


def test_held_interactions_fill_the_folder_per_account(service: Service) -> None:
    _shield(service)
    answer = service.protection.check("v", STRANGER, item_id="c1", text="hello")
    held_id = answer.pop("held_id")
    assert answer == {"action": "hold", "reason": "held for the protected person to review"}
    assert service.protection.check("v", Interaction("x", "comment", hostility=0.95))["action"] == "drop"
    assert service.protection.check("w", STRANGER)["action"] == "deliver"
    folder = service.protection.held_folder("v")
    assert [(h["id"], h["held_id"], h["author"], h["surface"], h["text"], h["status"]) for h in folder] == [
        ("c1", held_id, "x", "comment", "hello", "held")]
    assert service.protection.held_folder("w") == []


def test_held_items_are_released_or_dismissed_once(service: Service) -> None:
    _shield(service)
    for item in ("c1", "c2"):
        service.protection.check("v", STRANGER, item_id=item)
    first, second = service.protection.held_folder("v")
    assert service.protection.resolve_held("v", first["held_id"], "release", "v")["status"] == "released"
    assert service.protection.resolve_held("v", second["held_id"], "dismiss", "v")["status"] == "dismissed"
    assert service.protection.held_folder("v") == []
    with pytest.raises(NotFound):
        service.protection.resolve_held("v", first["held_id"], "dismiss", "v")
    with pytest.raises(NotFound):
        service.protection.resolve_held("w", second["held_id"], "release", "w")


def test_shields_and_folders_survive_reopening(store_url: str, clock: ManualClock) -> None:
    first = Service(open_store(store_url), clock=clock)
    stored = _shield(first, allow={"mum"})
    first.protection.check("v", STRANGER, item_id="c1")
    first.store.close()
    again = Service(open_store(store_url), clock=clock)
    try:
        assert again.protection.shield("v") == stored
        assert [h["id"] for h in again.protection.held_folder("v")] == ["c1"]
    finally:
        again.store.close()


def test_shield_changes_are_audited(service: Service) -> None:
    _shield(service)
    service.protection.deactivate("v", "tester")
    kinds = [row["kind"] for row in service.admin.export_audit()]
    assert kinds == ["shield.activated", "shield.deactivated"]
    assert service.admin.verify_audit().ok
