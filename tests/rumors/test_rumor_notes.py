"""Crowd notes on synthetic communities: two factions that usually disagree."""

from __future__ import annotations

import numpy as np
import pytest

from clearspace.errors import InputError
from clearspace.rumors.notes import (
    HELPFUL,
    NEEDS_MORE,
    NOT_HELPFUL,
    RULE,
    Note,
    Rating,
    export_jsonl,
    import_jsonl,
    score_notes,
    status_changes,
)


def community(seed: int = 1, per_faction: int = 12, partisan: int = 10) -> tuple[list[Note], list[Rating]]:
    """Factions A and B rate their own side's notes helpful and the other side's not; plus probes."""
    rng = np.random.default_rng(seed)
    a = [f"a{i}" for i in range(per_faction)]
    b = [f"b{i}" for i in range(per_faction)]
    notes = [Note(f"pa{i}", "post", "writer_a", "side A") for i in range(partisan)]
    notes += [Note(f"pb{i}", "post", "writer_b", "side B") for i in range(partisan)]
    notes += [Note("bridge", "post", "writer_c", "well sourced context"),
              Note("one_sided", "post", "writer_a", "A-only context"),
              Note("bad", "post", "writer_c", "wrong"),
              Note("thin", "post", "writer_c", "few ratings")]
    ratings = []
    for rater in a + b:
        side = rater[0]
        for i in range(partisan):
            for note, own in ((f"pa{i}", side == "a"), (f"pb{i}", side == "b")):
                if rng.random() < 0.8:
                    ratings.append(Rating(rater, note, 1.0 if own else 0.0))
        ratings.append(Rating(rater, "bridge", 1.0 if rng.random() < 0.9 else 0.5))
        ratings.append(Rating(rater, "one_sided", 1.0 if side == "a" else 0.0))
        ratings.append(Rating(rater, "bad", 0.0))
    ratings += [Rating("a0", "thin", 1.0), Rating("b0", "thin", 1.0)]
    return notes, ratings


def test_bridging_note_shown_one_sided_not() -> None:
    notes, ratings = community()
    result = score_notes(notes, ratings)
    scores = result.scores
    assert scores["bridge"].status == HELPFUL
    assert scores["one_sided"].status != HELPFUL
    assert scores["one_sided"].intercept < scores["bridge"].intercept
    assert abs(scores["one_sided"].factor) > abs(scores["bridge"].factor)
    assert scores["bad"].status == NOT_HELPFUL
    assert scores["thin"].status == NEEDS_MORE  # two ratings: too uncertain for a small community
    assert all(s.rule == RULE for s in scores.values())
    # raters' factors separate the factions
    assert np.sign(result.rater_factors["a1"]) != np.sign(result.rater_factors["b1"])


def test_one_faction_liking_a_note_more_loudly_does_not_show_it() -> None:
    notes, ratings = community(per_faction=20)
    extra = [Rating(f"a{i}", "one_sided", 1.0) for i in range(20)]
    assert score_notes(notes, ratings + extra).scores["one_sided"].status != HELPFUL


def test_scoring_is_reproducible_from_export() -> None:
    notes, ratings = community(seed=3)
    first = score_notes(notes, ratings, seed=7)
    again_notes, again_ratings = import_jsonl(export_jsonl(notes, ratings))
    second = score_notes(again_notes, again_ratings, seed=7)
    assert first.scores == second.scores


def test_own_ratings_ignored_and_rating_ring_merged() -> None:
    notes, ratings = community()
    ring = [f"ring{i}" for i in range(6)]
    notes.append(Note("promo", "post", "ring0", "ring's note"))
    ring_ratings = [Rating(r, note.id, 1.0 if note.id in {"promo", "pa0", "pa1"} else 0.0)
                    for r in ring for note in notes[:6] + notes[-1:]]
    result = score_notes(notes, ratings + ring_ratings)
    assert any(set(ring) <= set(group) for group in result.rings)
    assert result.scores["promo"].ratings == 5  # ring0's rating of its own note is dropped
    assert result.scores["promo"].status != HELPFUL


def test_status_history_records_changes_only() -> None:
    notes, ratings = community()
    result = score_notes(notes, ratings)
    changes = status_changes({"bridge": HELPFUL, "bad": NEEDS_MORE}, result, at="2026-01-01T00:00:00Z")
    changed = {c.note_id: c for c in changes}
    assert "bridge" not in changed
    assert changed["bad"].previous == NEEDS_MORE and changed["bad"].status == NOT_HELPFUL
    assert changed["bad"].rule == RULE


def test_rating_validation() -> None:
    assert Rating.of("u", "n", "somewhat_helpful").value == 0.5
    with pytest.raises(InputError):
        Rating.of("u", "n", "meh")
    with pytest.raises(InputError):
        Rating.of("u", "n", 2)
    with pytest.raises(InputError, match="line 1"):
        import_jsonl(b'{"other": 1}\n')
