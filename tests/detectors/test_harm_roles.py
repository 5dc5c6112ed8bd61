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
    ],
)
def test_a_role_is_a_victim_and_a_contest_is_not_harm(text: str, target: str | None) -> None:
    assert _threat_target(text) == target
