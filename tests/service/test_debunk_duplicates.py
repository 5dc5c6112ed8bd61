"""A debunk that repeats an active debunk's claim is flagged in the answer and the log."""

from __future__ import annotations

import pytest

from clearspace.service.core import Service


def test_a_debunk_that_repeats_a_claim_is_flagged(service: Service, caplog: pytest.LogCaptureFixture) -> None:
    service.rumors.add_debunks({"id": "a", "claim": "喝高度白酒可以预防新冠病毒感染"}, "mod")
    with caplog.at_level("WARNING", logger="clearspace.service.debunks"):
        again = service.rumors.add_debunks({"id": "b", "claim": "喝高度白酒，可以预防新冠病毒感染！"}, "mod")
    assert again["duplicate_of"] == ["a"] and "repeats the claim" in caplog.text
    batch = service.rumors.add_debunks([{"id": "c", "claim": "喝高度白酒可以預防新冠病毒感染"},
                                 {"id": "d", "claim": "5G towers spread the coronavirus"}], "mod")
    assert [r.get("duplicate_of") for r in batch["results"]] == [["a", "b"], None]
    assert "duplicate_of" not in service.rumors.add_debunks({"id": "e", "claim": "疫苗里有芯片"}, "mod")
