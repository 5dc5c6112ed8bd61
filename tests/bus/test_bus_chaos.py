"""The chaos test, short version (benchmarks/bench_bus.py runs it with at least 10 kills)."""

from __future__ import annotations

import pytest
from chaos import chaos

pytestmark = pytest.mark.timeout(240)


def test_workers_killed_with_sigkill_lose_nothing_and_duplicate_nothing(pg_url: str, bus_prefix: str) -> None:
    found = chaos(pg_url, bus_prefix, seconds=20, kill_every=3.0, workers=3, rate=30)
    assert found["kills"] >= 5
    assert found["acknowledged"] > 300
    assert found["lost"] == 0 and found["duplicates"] == 0
    assert found["incidents"] == 1
    assert found["audit_ok"]
