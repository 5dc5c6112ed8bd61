"""Crowd notes in the service (migration 7): writing, rating, bridging status with history, the ring guard,
export; on every backend."""

from __future__ import annotations

import dataclasses
import random

import pytest

from clearspace.errors import InputError, NotFound, PermissionDenied
from clearspace.rumors.notes import import_jsonl, score_notes
from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.service.settings import Settings
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import Store

A = [f"a{i}" for i in range(8)]
B = [f"b{i}" for i in range(8)]


@pytest.fixture
def service(store: Store, clock: ManualClock) -> Service:
    return Service(store, engine=KeywordEngine(), clock=clock, ids=IdFactory(counter_token()),
                   settings=Settings(notes_rescore_max_ratings=0))


def _community(service: Service, clock: ManualClock) -> dict[str, str]:
    """Factions A and B rate their own side's notes helpful and the other side's not; ``bridge`` is liked
    by both, ``one_sided`` only by A, ``bad`` by nobody."""
    rng = random.Random(3)
    service.ingest.events([{"id": f"post{i}", "author": "poster", "text": "某地发生了一件事"} for i in range(3)])
    ids = {}
    for name, author in [*((f"pa{i}", "writer_a") for i in range(5)), *((f"pb{i}", "writer_b") for i in range(5)),
                         ("bridge", "writer_c"), ("one_sided", "writer_a"), ("bad", "writer_c")]:
        ids[name] = service.rumors.write_note("post0" if name in ("bridge", "one_sided", "bad") else "post1", author,
                                       f"note {name}", ["https://source.example/" + name])["id"]
    clock.advance(minutes=1)
    for rater in A + B:
        side = rater[0]
        for i in range(5):
            for note, own in ((f"pa{i}", side == "a"), (f"pb{i}", side == "b")):
                if rng.random() < 0.6:
                    service.rumors.rate_note(ids[note], rater, "yes" if own else "no")
        service.rumors.rate_note(ids["bridge"], rater, "yes" if rng.random() < 0.9 else "somewhat")
        service.rumors.rate_note(ids["one_sided"], rater, "yes" if side == "a" else "no")
        service.rumors.rate_note(ids["bad"], rater, "no")
    return ids


def test_a_note_is_shown_only_when_both_sides_find_it_helpful(service: Service, clock: ManualClock) -> None:
    ids = _community(service, clock)
    assert service.rumors.note(ids["bridge"])["status"] == "needs_more_ratings"  # not scored yet (job mode)
    clock.advance(minutes=1)
    result = service.rumors.score_notes()
    assert result["notes"] == 13 and result["ratings"] > 100
    bridge, one_sided, bad = (service.rumors.note(ids[n]) for n in ("bridge", "one_sided", "bad"))
    assert bridge["status"] == "helpful" and bridge["shown"] and bridge["score"]["ratings"] == 16
    assert one_sided["status"] != "helpful" and not one_sided["shown"]
    assert abs(one_sided["score"]["factor"]) > abs(bridge["score"]["factor"])
    assert bad["status"] == "not_helpful"
    assert bridge["score"]["stderr"] > 0 and bridge["score"]["rule"] == "bridging_mf@1"
    assert [(h["status"], h["previous"]) for h in bridge["history"]] == [
        ("needs_more_ratings", None), ("helpful", "needs_more_ratings")]
    assert bridge["history"][1]["created_at"] > bridge["history"][0]["created_at"]
    assert [n["id"] for n in service.rumors.post_context("post0")["notes"]] == [ids["bridge"]]
    assert [n["id"] for n in service.rumors.notes("post0", shown_only=True)] == [ids["bridge"]]
    assert len(service.rumors.notes("post0")) == 3 and service.rumors.notes("nope") == []
    changes = [r for r in service.admin.export_audit() if r["kind"] == "note.status"]
    assert len(changes) == result["changed"] and {"previous", "status", "stderr"} <= set(changes[0]["payload"])
    assert service.rumors.score_notes()["changed"] == 0  # same data, same statuses: no new history
    assert len(service.rumors.note(ids["bridge"])["history"]) == 2
    assert service.admin.verify_audit().ok


def test_scoring_at_each_rating_in_a_small_community(service: Service, clock: ManualClock) -> None:
    ids = _community(service, clock)
    service.settings = dataclasses.replace(service.settings, notes_rescore_max_ratings=100_000)
    answer = service.rumors.rate_note(ids["bridge"], "a0", "yes")  # the rating that triggers a scoring run
    assert answer["status"] == "helpful" and answer["history"][-1]["status"] == "helpful"
    notes, ratings = import_jsonl(service.rumors.export_notes())
    assert len(notes) == 13 and len(ratings) == answer["score"]["ratings"] + sum(
        service.rumors.note(ids[n])["score"]["ratings"] for n in ids if n != "bridge")
    again = score_notes(notes, ratings)  # the export scores to the stored numbers
    assert again.scores[ids["bridge"]].intercept == answer["score"]["intercept"]


def test_a_rating_ring_is_merged_into_one_vote(service: Service, clock: ManualClock) -> None:
    ids = _community(service, clock)
    for member in ("ring1", "ring2", "ring3", "ring4"):
        for name, note_id in ids.items():
            service.rumors.rate_note(note_id, member, "yes" if name.startswith("pa") or name == "one_sided" else "no")
    result = service.rumors.score_notes()
    assert ["ring1", "ring2", "ring3", "ring4"] in result["rings"]
    assert service.rumors.note(ids["one_sided"])["status"] != "helpful"


def test_writing_and_rating_rules(service: Service) -> None:
    service.ingest.events({"id": "p1", "text": "hello"})
    note = service.rumors.write_note("p1", "w1", "Context: this photo is from 2015.", ["https://example.org/a"])
    assert note["status"] == "needs_more_ratings" and note["score"]["intercept"] is None
    assert note["sources"] == ["https://example.org/a"] and [h["status"] for h in note["history"]] == [
        "needs_more_ratings"]
    with pytest.raises(PermissionDenied):
        service.rumors.rate_note(note["id"], "w1", "yes")
    service.rumors.rate_note(note["id"], "r1", "yes")
    service.rumors.rate_note(note["id"], "r1", "no")  # replaces the first rating
    assert service.rumors.score_notes()["ratings"] == 1
    with pytest.raises(NotFound):
        service.rumors.write_note("nope", "w1", "text")
    with pytest.raises(NotFound):
        service.rumors.rate_note("note_nope", "r1", "yes")
    with pytest.raises(NotFound):
        service.rumors.note("note\x00")
    for author, text, sources in (("", "t", []), ("w", " ", []), ("w", "t", ["ok"] * 11), ("w", "t", [""]),
                                  ("w", "x" * 2001, []), ("w\x00", "t", [])):
        with pytest.raises(InputError):
            service.rumors.write_note("p1", author, text, sources)
    for rater, helpful in (("r2", "maybe"), ("", "yes")):
        with pytest.raises(InputError):
            service.rumors.rate_note(note["id"], rater, helpful)
    kinds = [r["kind"] for r in service.admin.export_audit() if r["kind"].startswith("note.")]
    assert kinds == ["note.written", "note.rated", "note.rated"]
