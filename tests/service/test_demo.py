from __future__ import annotations

from clearspace.service.core import Service
from clearspace.service.demo import fill_demo


def test_demo_shows_every_feature_and_is_safe_to_repeat(service: Service) -> None:
    summary = fill_demo(service)
    assert set(summary["keys"]) == {"ingest", "moderator", "senior_moderator", "auditor", "admin"}
    counts = summary["counts"]
    assert counts["events"] == 20 and counts["appeals"] == 2 and counts["open_cases"] > 0 and counts["debunks"] == 2
    assert service.cases.appeals("pending") and service.cases.appeals("decided")
    assert any(c["brigade"] for c in service.cases.queue())
    assert sum(service.accounts.status(f"demo_troll_{i}")["strike_points"] for i in range(8)) >= 3
    report = service.admin.transparency("2000-01-01", "2100-01-01")
    assert report["decisions"]["human"] >= 2 and report["reports"]["brigade_flagged"] >= 1
    assert fill_demo(service)["counts"] == "already loaded"
    assert service.admin.verify_audit().ok


def test_a_restarted_demo_prints_the_same_keys_and_adds_none(service: Service) -> None:
    first = fill_demo(service)["keys"]
    count = len(service.admin.list_keys())
    again = fill_demo(service)["keys"]
    assert again == first and len(service.admin.list_keys()) == count == 5
    assert service.admin.authenticate(again["moderator"], "cases:work").role == "moderator"


def test_the_demo_fills_the_rumors_page(service: Service) -> None:
    fill_demo(service)
    assert len(service.rumors.debunks()) >= 2
    labelled = [e for e in ("demo-rumor-0", "demo-rumor-1") if service.rumors.post_labels(e)]
    assert len(labelled) == 2


def test_demo_events_are_spread_over_time(service: Service) -> None:
    fill_demo(service)
    times = {service.ingest.event(f"demo-pile-{i}")["ts"] for i in range(8)}
    assert len(times) == 8
    (incident,) = service.protection.incidents()
    series = service.protection.incident(incident["id"])["timeline"]["series"]
    assert sum(1 for bar in series if bar["hostile"]) >= 3, series
