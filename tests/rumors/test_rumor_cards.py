from __future__ import annotations

from clearspace.rumors.cards import DebunkRegistry
from clearspace.rumors.matcher import ClaimMatcher
from clearspace.rumors.model import Debunk, Verdict


def registry(encoder) -> DebunkRegistry:  # type: ignore[no-untyped-def]
    reg = DebunkRegistry(ClaimMatcher(encoder=encoder, threshold=0.2))
    reg.add([Debunk(id="d1", claim="某明星A去世的消息是假的", verdict=Verdict.FABRICATED, url="https://check.example/d1",
                    fact_checker="Example Check", about_person="明星A", clarification="我很好，谢谢关心。"),
             Debunk(id="d2", claim="The river bridge collapsed yesterday")])
    return reg


def test_search_returns_cards_with_clarification(hash_encoder) -> None:  # type: ignore[no-untyped-def]
    cards = registry(hash_encoder).search("明星A去世")
    assert cards[0]["debunk_id"] == "d1"
    assert cards[0]["clarification"] == "我很好，谢谢关心。" and cards[0]["verdict"] == "fabricated"
    assert registry(hash_encoder).search("completely unrelated words", min_score=0.5) == []


def test_label_links_to_debunk_and_names_rule(hash_encoder) -> None:  # type: ignore[no-untyped-def]
    labels = registry(hash_encoder).label("转发：某明星A去世了")
    assert labels and labels[0]["debunk_id"] == "d1"
    assert labels[0]["url"] == "https://check.example/d1" and labels[0]["rule"].startswith("claim_match@")
