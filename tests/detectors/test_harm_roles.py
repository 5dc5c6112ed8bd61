"""A violent verb aimed at a person named by a role (that referee, 那个裁判) is a threat; a verb of beating
in a contest (beat my brother at mario kart) is not. The texts are written for these tests."""

from __future__ import annotations

import pytest

from clearspace.detectors.harm import HarmDetector
from clearspace.text.document import Document


def _threat_target(text: str) -> str | None:
    for sig in HarmDetector().detect(Document(text, text), {}):
        if sig.kind == "threat":
            return str(sig.details["target"])
    return None


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("i'm going to punch that umpire right in the mouth", "third_person"),
        ("i will stab my landlord if he shows up again", "third_person"),
        ("我要去揍那个房东", "third_person"),
        ("i'm going to beat my cousin at mario kart tonight", None),
        ("we will crush the goalie in the penalty shootout", None),
        ("i'm going to beat my cousin in the face", "third_person"),
        ("i'm going to thank the referee after the game", None),
        ("i'm going to smash every window in that umpire's car tonight", "third_person"),  # a possessive owner
    ],
)
def test_a_role_is_a_victim_and_a_contest_is_not_harm(text: str, target: str | None) -> None:
    assert _threat_target(text) == target


def test_a_death_wish_at_a_role_is_aimed_at_a_third_person() -> None:
    text = "wish the landlord would just drop dead"
    found = {s.kind: s for s in HarmDetector().detect(Document(text, text), {})}
    assert found["death_wish"].details["target"] == "third_person"


def test_a_role_before_a_possessive_is_only_a_role() -> None:
    from clearspace.detectors.cues import CueTable

    cues = CueTable().find("the landlord's van, the landlords")
    assert [(c.type, c.phrase) for c in cues if c.start == 4] == [("role", "landlord")]
    assert all(c.start != 21 for c in cues)  # "landlords" is another word
