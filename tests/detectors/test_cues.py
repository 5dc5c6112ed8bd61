"""The shared cue scan: every cue phrase, in order of position."""

from __future__ import annotations

from clearspace.detectors.cues import CueTable


def test_cues_come_ordered_by_start_then_end_with_every_type_of_a_phrase() -> None:
    table = CueTable()
    for text in ("我知道你家在哪，晚上出门小心点", "i will kill you, watch your back you idiot",
                 "你们这些人都是蟑螂，去死吧", "说别人是“废物”是不对的", ""):
        cues = table.find(text)
        assert cues == sorted(cues, key=lambda c: (c.start, c.end))
        for cue in cues:
            assert text[cue.start:cue.end] == cue.phrase


def test_ascii_phrases_match_whole_words_only() -> None:
    table = CueTable()
    assert not [c for c in table.find("yourself") if c.phrase == "you"]
    assert [c for c in table.find("you!") if c.phrase == "you"]
