"""The shipped English lexicon and cue tables: well-formed, and their new vocabulary behaves."""

from __future__ import annotations

from collections import Counter

import pytest

from clearspace.detectors.cues import CueTable
from clearspace.text.tables import data_path, read_tsv


def _rows(name: str, min_cols: int) -> list[list[str]]:
    return [cols for _, cols in read_tsv(data_path(name), min_cols)]


def test_english_tables_have_no_duplicate_rows() -> None:
    # a later row silently overrides an earlier one for the same phrase: keep each once
    cue_keys = Counter((cols[0].lower(), cols[1]) for cols in _rows("cues/en.tsv", 2))
    assert [k for k, n in cue_keys.items() if n > 1] == []
    terms = Counter(cols[0].lower() for cols in _rows("lexicons/en.tsv", 3))
    assert [t for t, n in terms.items() if n > 1] == []


@pytest.mark.parametrize(("text", "phrase"), [
    ("you're killing it", "killing it"), ("this track is straight fire", "straight fire"),
    ("she absolutely slayed", "slayed"), ("that dunk was sick af", "sick af"), ("he's the goat", "the goat"),
])
def test_praise_idioms_with_violent_words_are_praise(text: str, phrase: str) -> None:
    assert ("praise", phrase) in {(c.type, c.phrase) for c in CueTable().find(text)}


@pytest.mark.parametrize("text", [
    "you're killing it, keep it up!",
    "this track is straight fire",
    "she absolutely slayed that performance",
    "farmers raise pigs and cattle",
    "i'll cut you a deal on the car",
    "summa cum laude graduate, congrats",
    "i know where you are coming from",
    "visit mong kok in hong kong",
])
def test_ordinary_speech_is_not_abusive(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not engine.score(text).abusive


@pytest.mark.parametrize(("text", "kind"), [
    ("you're a waste of oxygen", "lexicon.insult"),
    ("you absolute fuckwit", "lexicon.insult"),
    ("go back to the kitchen", "lexicon.harassment"),
    ("neck yourself", "death_wish"),
    ("hope your family dies", "death_wish"),
    ("i'll hunt you down and make you bleed", "threat"),
    ("i know what car you drive. nice family you have", "threat"),
    ("hey sexy, take your clothes off for daddy", "sexual_harassment"),
    ("gay people are a mental illness", "dehumanization"),
])
def test_new_vocabulary_is_detected(engine, text: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    result = engine.score(text)
    assert result.abusive
    assert any(s.kind == kind and s.score >= 0.5 for s in result.signals)


def test_reported_slur_with_objection_is_not_an_attack(engine) -> None:  # type: ignore[no-untyped-def]
    assert not engine.score("he called me a fucktard, that's harassment").abusive
