from __future__ import annotations

from clearspace.service.core import Service
from clearspace.service.demo import fill_demo


def test_demo_shows_every_feature_and_is_safe_to_repeat(service: Service) -> None:
    summary = fill_demo(service)
    assert set(summary["keys"]) == {"ingest", "moderator", "senior_moderator", "auditor", "admin"}
    counts = summary["counts"]
    assert counts["events"] == 18 and counts["appeals"] == 2 and counts["open_cases"] > 0
    assert service.list_appeals("pending") and service.list_appeals("decided")
    assert any(c["brigade"] for c in service.list_cases())
    assert sum(service.account_status(f"demo_troll_{i}")["strike_points"] for i in range(8)) >= 3
    report = service.transparency("2000-01-01", "2100-01-01")
    assert report["decisions"]["human"] >= 2 and report["reports"]["brigade_flagged"] >= 1
    assert fill_demo(service)["counts"] == "already loaded"
    assert service.verify_audit().ok
