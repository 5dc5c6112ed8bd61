from __future__ import annotations

import orjson
import pytest

from clearspace.errors import InputError
from clearspace.rumors.claimreview import from_claimreview, to_claimreview
from clearspace.rumors.model import Debunk, Evidence, Verdict
from clearspace.rumors.registry_io import export_claimreview, parse_claimreview, parse_jsonl, read_debunks

FULL = Debunk(
    id="db-1", claim="某市自来水含有新冠病毒", verdict=Verdict.FABRICATED,
    variants=("Tap water in the city carries the coronavirus",), text="经查，该说法不实。",
    title="自来水含病毒？不实", url="https://factcheck.example/db-1", fact_checker="Example Check",
    evidence=(Evidence(publisher="City Water Works", url="https://water.example/n1", quote="水质检测合格",
                       date="2026-01-02"),),
    language="zh", published="2026-01-03", updated="2026-01-04", claim_date="2026-01-01",
    about_person="Person A", clarification="I never said this.",
)


def test_claimreview_round_trip_keeps_every_field() -> None:
    assert from_claimreview(to_claimreview(FULL)) == FULL


def test_claimreview_export_is_schema_org() -> None:
    doc = to_claimreview(FULL)
    assert doc["@context"] == "https://schema.org" and doc["@type"] == "ClaimReview"
    assert doc["claimReviewed"] == FULL.claim
    assert doc["author"] == {"@type": "Organization", "name": "Example Check"}
    assert doc["reviewRating"]["alternateName"] == "Fabricated"


def test_claimreview_feed_and_numeric_rating() -> None:
    feed = {"@type": "DataFeed", "dataFeedElement": [
        {"@type": "DataFeedItem", "item": [{"@type": "ClaimReview", "claimReviewed": "Moon is cheese",
                                            "url": "https://x.example/1",
                                            "reviewRating": {"ratingValue": 1, "worstRating": 1, "bestRating": 5}}]},
        {"@type": "DataFeedItem", "item": {"@type": "ClaimReview", "claimReviewed": ""}},
    ]}
    result = parse_claimreview(feed)
    assert [d.id for d in result.debunks] == ["https://x.example/1"]
    assert result.debunks[0].verdict is Verdict.FALSE
    assert result.errors == [(2, "ClaimReview needs a non-empty 'claimReviewed'")]


def test_jsonl_import_reports_errors_per_line() -> None:
    lines = [
        b'{"id": "a", "claim": "one", "verdict": "out of context"}',
        b"",
        b"{not json",
        b'{"id": "b"}',
        b'{"id": "a", "claim": "dup"}',
        b'{"id": 7, "claim": "seven", "verdict": "bogus"}',
        b'{"id": "c", "claim": "c", "colour": "red"}',
        orjson.dumps(to_claimreview(FULL)),
    ]
    result = parse_jsonl(lines)
    assert [d.id for d in result.debunks] == ["a", "db-1"]
    assert result.debunks[0].verdict is Verdict.OUT_OF_CONTEXT
    lines_with_errors = [n for n, _ in result.errors]
    assert lines_with_errors == [3, 4, 5, 6, 7]
    assert "unknown verdict 'bogus'" in dict(result.errors)[6]
    assert "colour" in dict(result.errors)[7]


def test_read_debunks_by_suffix(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "d.json").write_bytes(export_claimreview([FULL]))
    assert read_debunks(tmp_path / "d.json").debunks == [FULL]
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(InputError, match="invalid JSON"):
        read_debunks(tmp_path / "bad.json")


def test_debunk_validation_and_dict_round_trip() -> None:
    assert Debunk.from_dict(FULL.to_dict()) == FULL
    with pytest.raises(InputError):
        Debunk(id="", claim="x")
    with pytest.raises(InputError):
        Debunk.from_dict({"id": "x", "claim": "y", "variants": "not a list"})
    assert {v.value for v in Verdict} == {"false", "misleading", "fabricated", "ai_generated",
                                          "out_of_context", "old_content", "unverified"}
    assert Verdict.parse("AI-generated") is Verdict.AI_GENERATED
