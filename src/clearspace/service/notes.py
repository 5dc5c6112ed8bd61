"""Crowd notes in the store: contributors write notes on posts and rate each other's notes.

Tables (migration 7): ``notes`` (the note, its sources, its current status and the numbers behind
it), ``note_ratings`` (one row per note and rater: ``helpful`` ``yes``/``somewhat``/``no``, a later
rating replaces the earlier one) and ``note_status_history`` (one row each time a note's status
changes, the first when it is written).

Status comes from :func:`clearspace.rumors.notes.score_notes` (rule ``bridging_mf@1``: bridging
matrix factorization with a lower confidence bound on the note's intercept, so a small community
needs more agreement before a note is shown; authors' own ratings are dropped and rating rings
are merged). A note is *shown* on its post only with status ``helpful``. :func:`rescore` fits the
model on every note and rating in the store and records what changed; the service calls it after
each rating while the store holds at most ``notes_rescore_max_ratings`` ratings, and beyond that
``clearspace notes score`` (a periodic job) does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, TypedDict

from clearspace.errors import InputError, NotFound, PermissionDenied
from clearspace.rumors.notes import HELPFUL, NEEDS_MORE, RATING_VALUES, RULE, Note, Rating, ScoringConfig, score_notes
from clearspace.service.results_rumors import NoteView
from clearspace.service.unit import Unit
from clearspace.store import Op, Row, Tx
from clearspace.text.urls import check_web_url

HELPFUL_ANSWERS: Final[Mapping[str, str]] = {"yes": "helpful", "somewhat": "somewhat_helpful", "no": "not_helpful"}
"""What a rater answers to "is this note helpful?" and the rating it is in :mod:`clearspace.rumors.notes`."""
MAX_TEXT_CHARS: Final = 2000
MAX_SOURCES: Final = 10
MAX_SOURCE_CHARS: Final = 2000
MAX_ID_CHARS: Final = 200
SEED: Final = 0


def _ident(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_ID_CHARS or "\x00" in value:
        raise InputError(f"'{name}' must be 1 to {MAX_ID_CHARS} characters (no NUL)")
    return value


def public(row: Row, history: Sequence[Row] | None = None) -> NoteView:
    """A note as the API shows it; ``shown`` is true when its status is ``helpful``."""
    out: NoteView = {
        "id": row["id"], "event_id": row["event_id"], "author": row["author"], "text": row["text"],
        "sources": row["sources"], "status": row["status"], "shown": row["status"] == HELPFUL,
        "score": {"intercept": row["intercept"], "factor": row["factor"], "stderr": row["stderr"],
                  "ratings": row["ratings"], "rule": row["rule"], "scored_at": row["scored_at"]},
        "created_at": row["created_at"],
    }
    if history is not None:
        out["history"] = [{"status": h["status"], "previous": h["previous"], "rule": h["rule"],
                           "intercept": h["intercept"], "factor": h["factor"], "stderr": h["stderr"],
                           "ratings": h["ratings"], "created_at": h["created_at"]} for h in history]
    return out


def get(tx: Tx, note_id: str) -> Row:
    row = None if "\x00" in note_id else tx.get("notes", note_id)
    if row is None:
        raise NotFound(f"no note {note_id!r}")
    return row


def history_of(tx: Tx, note_id: str) -> list[Row]:
    return tx.select("note_status_history", {"note_id": note_id}, order_by=["created_at", "id"])


def on_post(tx: Tx, event_id: str, shown_only: bool = False) -> list[Row]:
    """The notes on a post, oldest first (only those shown, when asked)."""
    where: dict[str, Any] = {"event_id": event_id}
    if shown_only:
        where["status"] = HELPFUL
    return tx.select("notes", where, order_by=["created_at", "id"])


def write(unit: Unit, event_id: str, author: str, text: str, sources: Sequence[str], actor: str) -> Row:
    """Store a new note on a stored post; it starts as ``needs_more_ratings``."""
    author = _ident(author, "author")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT_CHARS or "\x00" in text:
        raise InputError(f"'text' must be 1 to {MAX_TEXT_CHARS} characters (no NUL)")
    if not isinstance(sources, list | tuple) or len(sources) > MAX_SOURCES or not all(
            isinstance(s, str) and s.strip() and len(s) <= MAX_SOURCE_CHARS and "\x00" not in s for s in sources):
        raise InputError(f"'sources' must be a list of at most {MAX_SOURCES} non-empty strings (links)")
    for source in sources:
        check_web_url(source, "sources")
    if "\x00" in event_id or unit.tx.get("events", event_id) is None:
        raise NotFound(f"no event {event_id!r}: notes are written on stored posts")
    row: Row = {"id": unit.ids.new("note"), "event_id": event_id, "author": author, "text": text,
                "sources": list(sources), "status": NEEDS_MORE, "intercept": None, "factor": None, "stderr": None,
                "ratings": 0, "rule": RULE, "created_by": actor, "created_at": unit.ts, "scored_at": None}
    unit.tx.insert("notes", row)
    _history(unit, row["id"], NEEDS_MORE, None, {"intercept": None, "factor": None, "stderr": None, "ratings": 0})
    unit.log("note.written", actor, row["id"], {"event_id": event_id, "author": author, "sources": len(sources)})
    return row


def rate(unit: Unit, note_id: str, rater: str, helpful: str, actor: str) -> Row:
    """Record (or replace) ``rater``'s rating of a note; an author cannot rate their own note."""
    rater = _ident(rater, "rater")
    if helpful not in HELPFUL_ANSWERS:
        raise InputError(f"'helpful' must be one of {', '.join(HELPFUL_ANSWERS)}")
    note = get(unit.tx, note_id)
    if note["author"] == rater:
        raise PermissionDenied("authors cannot rate their own notes")
    value = RATING_VALUES[HELPFUL_ANSWERS[helpful]]
    earlier = unit.tx.select("note_ratings", {"note_id": note_id, "rater": rater}, limit=1)
    if earlier:
        row = {**earlier[0], "helpful": helpful, "value": value, "updated_at": unit.ts}
        unit.tx.update("note_ratings", {"id": row["id"]}, {"helpful": helpful, "value": value, "updated_at": unit.ts})
    else:
        row = {"id": unit.ids.new("rtg"), "note_id": note_id, "rater": rater, "helpful": helpful, "value": value,
               "created_at": unit.ts, "updated_at": unit.ts}
        unit.tx.insert("note_ratings", row)
    unit.log("note.rated", actor, note_id, {"rater": rater, "helpful": helpful, "replaces": bool(earlier)})
    return row


def _history(unit: Unit, note_id: str, status: str, previous: str | None, numbers: Mapping[str, Any]) -> None:
    unit.tx.insert("note_status_history", {"id": unit.ids.new("nsh"), "note_id": note_id, "status": status,
                                           "previous": previous, "rule": RULE, "created_at": unit.ts, **numbers})


class Rescored(TypedDict):
    """What :func:`rescore` did: notes and ratings scored, status changes, the rating rings found."""

    notes: int
    ratings: int
    changed: int
    rings: list[list[str]]


def rescore(unit: Unit, actor: str, config: ScoringConfig | None = None) -> Rescored:
    """Fit ``bridging_mf@1`` on every note and rating; store each note's numbers, a history row and an
    audit event (``note.status``) for every status change. Returns ``notes``, ``ratings``, ``changed``
    (status changes), ``rings`` (the rating rings found, lists of raters)."""
    rows = unit.tx.select("notes", order_by=["created_at", "id"])
    given = unit.tx.select("note_ratings", order_by=["updated_at", "id"])
    result = score_notes([Note(r["id"], r["event_id"], r["author"], r["text"]) for r in rows],
                         [Rating(r["rater"], r["note_id"], float(r["value"])) for r in given], config, seed=SEED)
    changed = 0
    for row in rows:
        score = result.scores[row["id"]]
        numbers = {"intercept": score.intercept, "factor": score.factor, "stderr": score.stderr,
                   "ratings": score.ratings}
        if score.status != row["status"]:
            changed += 1
            _history(unit, row["id"], score.status, row["status"], numbers)
            unit.log("note.status", actor, row["id"], {"event_id": row["event_id"], "status": score.status,
                                                       "previous": row["status"], "rule": score.rule, **numbers})
            unit.emit("note.status", {"note_id": row["id"], "event_id": row["event_id"], "status": score.status,
                                      "previous": row["status"]})
        if score.status != row["status"] or any(row[k] != v for k, v in numbers.items()):
            unit.tx.update("notes", {"id": row["id"]}, {"status": score.status, "rule": score.rule,
                                                        "scored_at": unit.ts, **numbers})
    return {"notes": len(rows), "ratings": len(given), "changed": changed, "rings": result.rings}


def ratings_count(tx: Tx) -> int:
    return tx.count("note_ratings")


def export_rows(tx: Tx) -> tuple[list[Note], list[Rating]]:
    """Everything :func:`score_notes` needs, for ``clearspace.rumors.notes.export_jsonl``."""
    notes = [Note(r["id"], r["event_id"], r["author"], r["text"], r["created_at"])
             for r in tx.select("notes", order_by=["created_at", "id"])]
    ratings = [Rating(r["rater"], r["note_id"], float(r["value"]), r["updated_at"])
               for r in tx.select("note_ratings", order_by=["updated_at", "id"])]
    return notes, ratings


def shown_for(tx: Tx, event_ids: Sequence[str]) -> dict[str, list[NoteView]]:
    """The notes shown on each post (posts without one are left out)."""
    if not event_ids:
        return {}
    out: dict[str, list[NoteView]] = {}
    for row in tx.select("notes", {"event_id": Op("in", list(event_ids)), "status": HELPFUL},
                         order_by=["created_at", "id"]):
        out.setdefault(row["event_id"], []).append(public(row))
    return out
