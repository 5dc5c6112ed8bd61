"""Names as clause subjects (clearspace.verdict.names): an insult about a named person is theirs, also when
the speaker comes after it in a relative clause. Texts written for these tests."""

from __future__ import annotations

import pytest

from clearspace.engine import Engine
from clearspace.text.document import Document
from clearspace.verdict.names import name_cues


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Priya from payroll is the laziest person I have ever met", ["priya"]),
        ("honestly Tom Reyes has been a nightmare", ["tom reyes"]),
        ("This is the worst update. Honestly it is.", []),  # sentence openers are not names
        ("Monday is the worst day", []),
        ("no capitals here at all", []),
    ],
)
def test_names_are_capitalised_clause_subjects(text: str, names: list[str]) -> None:
    assert [c.phrase for c in name_cues(Document(text, text.lower()))] == names


def test_names_map_to_normalized_offsets() -> None:
    original = "Priya   is the laziest"
    doc = Document(original, "priya is the laziest", starts=[0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                                             17, 18, 19, 20, 21],
                   ends=[1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22])
    (cue,) = name_cues(doc)
    assert doc.text[cue.start:cue.end] == "priya"


@pytest.mark.parametrize(
    ("text", "abusive", "target"),
    [
        ("Priya from payroll is the dumbest person I have ever worked with.", True, "third_person"),
        ("I am the dumbest person I have ever met, forgot my own birthday", False, "self"),
    ],
)
def test_an_insult_about_a_named_subject_is_theirs_not_the_speakers(engine: Engine, text: str, abusive: bool,
                                                                    target: str) -> None:
    r = engine.score(text)
    assert (r.abusive, r.target) == (abusive, target), (text, r.stance, r.scores)


def test_a_name_set_off_by_commas_is_still_the_subject() -> None:
    text = "The owner, Gary Tench, is a weasel"
    assert [c.phrase for c in name_cues(Document(text, text.lower()))] == ["gary tench"]
