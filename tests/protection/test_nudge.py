import pytest

from clearspace.errors import InputError
from clearspace.protection.incidents import Incident
from clearspace.protection.nudge import nudge, risk_prompt, support_links


@pytest.mark.parametrize("scores, strikes, level", [
    ({"abuse": 0.1}, 0, "none"), ({"abuse": 0.45}, 0, "gentle"), ({"abuse": 0.7}, 0, "warn"),
    ({"abuse": 0.9}, 0, "strong"), ({"abuse": 0.2, "threat": 0.8}, 0, "strong"),
    ({"abuse": 0.1}, 5, "none"), ({"abuse": 0.35}, 1, "gentle"), ({"abuse": 0.45}, 1, "warn"),
    ({"abuse": 0.45}, 3, "strong"),
])
def test_levels_from_scores_and_strikes(scores: dict, strikes: int, level: str) -> None:
    n = nudge(scores, strikes)
    assert n.level == level
    assert n.show == (level != "none")
    assert bool(n.message["zh"]) == n.show


def test_strike_reason_is_stated() -> None:
    assert any("strike" in r for r in nudge({"abuse": 0.45}, 2).reasons)
    with pytest.raises(InputError):
        nudge({"abuse": 0.5}, -1)


def test_support_links_validated_and_risk_prompt() -> None:
    links = support_links([
        {"kind": "legal_aid", "title": "Legal aid (example)", "url": "https://legal.example/help", "lang": "en"},
        {"kind": "counselling", "title": "心理援助（示例）", "url": "tel:000", "lang": "zh"},
    ])
    with pytest.raises(InputError, match="kind"):
        support_links([{"kind": "astrology", "title": "x", "url": "https://x.example"}])
    with pytest.raises(InputError, match="url"):
        support_links([{"kind": "legal_aid", "title": "x", "url": "javascript:alert(1)"}])
    inc = Incident(id="inc_1", target="v", start=1.0, detected_at=2.0, last_ts=2.0, minor=True)
    prompt = risk_prompt(inc, links, lang="zh").to_dict()
    assert prompt["account"] == "v" and prompt["assisted_activation"] is True
    assert [link["kind"] for link in prompt["links"]] == ["counselling"]
    assert prompt["offer"]["days"] == 7
