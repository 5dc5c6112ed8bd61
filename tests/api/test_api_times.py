"""Times out of range answer 400 at the edge, never 500 (issue 11, point 1)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from clearspace.service.core import Service

OUT_OF_RANGE = ["0614-08-12T08:58:16Z", -40000000000, "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
                "1969-12-31T23:59:59Z"]


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_api_answers_400_for_a_time_out_of_range(client: TestClient, h: dict[str, dict[str, str]],
                                                 value: object, service: Service) -> None:
    for field in ("ts", "author_created_at"):
        r = client.post("/v1/events", json={"id": f"e-{field}", "text": "hi", field: value}, headers=h["ingest"])
        assert r.status_code == 400, r.text
        assert "1970-01-01 and 2200-01-01" in r.json()["error"]["message"]
    assert not service.ingest.has_event("e-ts")


