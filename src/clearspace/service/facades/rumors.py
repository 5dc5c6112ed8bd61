"""Rumors: debunks, their labels on posts, crowd notes, clarifications."""

from __future__ import annotations

import logging
from typing import Any

from clearspace.errors import Conflict, InputError, NotFound
from clearspace.rumors.model import Debunk
from clearspace.service import (
    clarifications,
    debunks,
    jobs,
    labels,
)
from clearspace.service import notes as note_rules
from clearspace.service.context import Facade
from clearspace.service.debunk_duplicates import DuplicateFinder
from clearspace.service.events import check_length
from clearspace.service.results_rumors import (
    Backfill,
    ClarificationView,
    DebunkAdded,
    DebunkAdditions,
    DebunkBatch,
    DebunkItemResult,
    DebunkRetracted,
    DebunkVersion,
    DebunkView,
    FoundLabel,
    JobView,
    LabelToReview,
    LabelView,
    NoteToReview,
    NoteView,
    PostContext,
    PostMatches,
    SearchCard,
)

log = logging.getLogger(__name__)


class RumorsFacade(Facade):
    """``service.rumors``: see the module docstring."""

    def add_debunks(self, raw: Any, actor: str) -> DebunkAdded | DebunkBatch:
        """Store one debunk, a list (debunk or ClaimReview objects) or a ClaimReview document.

        One debunk answers it as stored (InputError or Conflict when it cannot be); otherwise
        ``{"results": [...], "created": n, "errors": n}`` with a status per item, in order.
        """
        return self._add(raw, actor, backfill=False)

    def _add(self, raw: Any, actor: str, *, backfill: bool) -> DebunkAdded | DebunkBatch:
        items, single = debunks.parse_body(raw, self._ctx.settings.max_batch)
        parsed: list[Debunk | str] = []
        for item in items:
            try:
                parsed.append(debunks.parse_item(item))
            except InputError as exc:
                if single:
                    raise
                parsed.append(str(exc))
        results = self._store_debunks(parsed, actor, single)
        if single:
            return self._single(results, actor, backfill)
        batch = self._batch(results)
        created = [r["id"] for r in results if r["status"] == "created" and "id" in r]
        if backfill and created:
            batch["backfill_job"] = self.start_backfill(created, actor)
        return batch

    def import_debunks(self, items: list[Debunk], actor: str) -> DebunkBatch:
        """Store debunks already read (``clearspace.rumors.registry_io``); per-item results as :meth:`add_debunks`."""
        parsed: list[Debunk | str] = []
        for debunk in items:
            try:
                debunks.check(debunk)
                parsed.append(debunk)
            except InputError as exc:
                parsed.append(f"debunk {debunk.id[:100]!r}: {exc}")
        return self._batch(self._store_debunks(parsed, actor, single=False))

    @staticmethod
    def _batch(results: list[DebunkItemResult]) -> DebunkBatch:
        return {"results": results, "created": sum(1 for r in results if r["status"] == "created"),
                "errors": sum(1 for r in results if r["status"] == "error")}

    def _single(self, results: list[DebunkItemResult], actor: str, backfill: bool) -> DebunkAdded:
        """The one debunk stored (its error was raised), flagged when it repeats another's claim."""
        debunk_id = results[0].get("id", "")
        view = self.debunk(debunk_id)
        added: DebunkAdditions = {}
        if "duplicate_of" in results[0]:
            added["duplicate_of"] = results[0]["duplicate_of"]
        if backfill:
            added["backfill_job"] = self.start_backfill([debunk_id], actor)
        return {**view, **added}

    def _store_debunks(self, parsed: list[Debunk | str], actor: str, single: bool) -> list[DebunkItemResult]:
        results: list[DebunkItemResult] = []
        seen: set[str] = set()
        with self._ctx.unit() as unit:
            duplicates = DuplicateFinder(unit.tx)
            for index, item in enumerate(parsed):
                if isinstance(item, str):
                    results.append({"index": index, "status": "error", "error": item})
                    continue
                if item.id in seen:
                    results.append({"index": index, "id": item.id, "status": "error",
                                    "error": f"duplicate id {item.id!r} in this request"})
                    continue
                seen.add(item.id)
                try:
                    _, new = debunks.add(unit, item, actor)
                except Conflict as exc:
                    if single:
                        raise
                    results.append({"index": index, "id": item.id, "status": "error", "error": str(exc)})
                    continue
                results.append({"index": index, "id": item.id, "status": "created" if new else "unchanged"})
                if new and (repeats := duplicates.check(item.id, item.claim)):
                    results[-1]["duplicate_of"] = repeats  # stored, but both would label the same posts
        self._ctx.debunk_index.refresh()
        return results

    def debunk(self, debunk_id: str) -> DebunkView:
        """A debunk (active or retracted) with its ClaimReview form and the person's clarifications."""
        with self._ctx.store.read() as tx:
            row = debunks.get(tx, debunk_id)
            return debunks.public(row, clarifications.active_for(tx, [debunk_id]).get(debunk_id, []))

    def debunks(self, limit: int = 100, after: str | None = None,
                status: str | None = "active") -> list[DebunkView]:
        """Stored debunks, oldest first (``after``: a ``created_at`` to continue from; ``status`` ``None``: all)."""
        with self._ctx.store.read() as tx:
            rows = debunks.listing(tx, limit, after, status)
            found = clarifications.active_for(tx, [r["id"] for r in rows])
            return [debunks.public(r, found.get(r["id"], [])) for r in rows]

    def update_debunk(self, debunk_id: str, raw: Any, actor: str, *, partial: bool = False,
                      reason: str = "") -> DebunkView:
        """A new version of an active debunk: ``raw`` is the whole debunk (PUT) or the fields to change
        (``partial``, PATCH: ``null`` removes a field); the read-only fields of :meth:`get_debunk` are ignored,
        so a debunk as read can be sent back edited. The same content again changes nothing. Labels
        already on posts stay (they link to the debunk, now in its new version); run a backfill to label
        posts that match only the new wording."""
        with self._ctx.unit() as unit:
            stored = debunks.get(unit.tx, debunk_id)
            raw = debunks.editable(stored, raw)
            if partial:
                debunk = debunks.merged(stored, raw)
            else:
                debunk = debunks.parse_item({"id": debunk_id, **raw} if isinstance(raw, dict) else raw)
            debunks.update(unit, debunk_id, debunk, actor, reason)
        self._ctx.debunk_index.refresh()
        return self.debunk(debunk_id)

    def retract_debunk(self, debunk_id: str, actor: str, reason: str) -> DebunkRetracted:
        """Retract a debunk: it stops matching and every label from it is withdrawn (authors are told).

        Answers ``{"debunk": <the retracted debunk>, "labels_withdrawn": n}``.
        """
        with self._ctx.unit() as unit:
            debunks.retract(unit, debunk_id, actor, reason)
            withdrawn = labels.withdraw_for_debunk(unit, debunk_id, f"debunk retracted: {reason}", actor)
        self._ctx.debunk_index.refresh()
        return {"debunk": self.debunk(debunk_id), "labels_withdrawn": withdrawn}

    def debunk_history(self, debunk_id: str) -> list[DebunkVersion]:
        """Every version of a debunk, oldest first: ``version``, ``change`` (created, updated, retracted),
        ``actor``, ``reason``, ``at`` and the ``debunk`` as it was then."""
        with self._ctx.store.read() as tx:
            return debunks.history(tx, debunk_id)

    def add_clarification(self, debunk_id: str, account: str, text: str, actor: str,
                          stated_at: str | None = None) -> ClarificationView:
        """Record the clarification of the person a rumor is about (after a moderator checked it is theirs)."""
        with self._ctx.unit() as unit:
            return clarifications.public(clarifications.add(unit, debunk_id, account, text, stated_at, actor))

    def search(self, query: str, k: int = 5) -> list[SearchCard]:
        """Debunk cards for a search query, best first (what a platform pins on a rumor search)."""
        if not query.strip():
            return []
        found = self._ctx.debunk_index.search(query, k)
        with self._ctx.store.read() as tx:
            return clarifications.with_clarifications(tx, found)

    def match_posts(self, posts: list[tuple[str, str]], k: int = 5) -> list[PostMatches]:
        """``clearspace match`` against the stored registry: ``{"id", "matches": [{"debunk_id", "score"}]}``
        per ``(id, text)``, in order; nothing is stored."""
        for post_id, text in posts:
            check_length(text, self._ctx.settings.max_text_chars, f"text of post {post_id[:100]!r}")
        found = self._ctx.debunk_index.match([text for _, text in posts], k)
        return [{"id": post_id, "matches": matches} for (post_id, _), matches in zip(posts, found, strict=True)]

    def label_text(self, text: str) -> list[FoundLabel]:
        """Labels for a text (``debunk_id``, ``score``, ``verdict``, ``url``, ``rule``); nothing is stored."""
        if not text.strip():
            return []
        return self._ctx.debunk_index.label(text)

    def label_event(self, event_id: str, actor: str = "rumors") -> list[LabelView]:
        """Label one stored event against the registry now (as ingest does for new events); answers its
        active labels (those added now and before)."""
        with self._ctx.store.read() as tx:
            event = None if "\x00" in event_id else tx.get("events", event_id)
        if event is None:
            raise NotFound(f"no event {event_id!r}")
        found = self.label_text(event["text"])
        if found:
            with self._ctx.unit() as unit:
                labels.apply(unit, event, found, actor, source="manual")
        return self.post_labels(event_id)

    def post_labels(self, event_id: str, include_withdrawn: bool = False) -> list[LabelView]:
        """The rumor labels on a post, highest score first (:func:`clearspace.service.labels.public`)."""
        with self._ctx.store.read() as tx:
            return labels.labels_of(tx, event_id, include_withdrawn)

    def post_context(self, event_id: str) -> PostContext:
        """What a platform shows with a post: ``{"event_id", "labels": [...], "notes": [...]}`` (active rumor
        labels, and the crowd notes shown, i.e. rated helpful)."""
        with self._ctx.store.read() as tx:
            if "\x00" in event_id or tx.get("events", event_id) is None:
                raise NotFound(f"no event {event_id!r}")
            return {"event_id": event_id, "labels": labels.labels_of(tx, event_id),
                    "notes": [note_rules.public(r) for r in note_rules.on_post(tx, event_id, shown_only=True)]}

    def backfill_labels(self, debunk_ids: list[str] | None = None, progress: labels.Progress | None = None,
                        actor: str = "rumors", page_size: int = 500) -> Backfill:
        """Label every stored post that matches the registry, or only the given debunks (idempotent).

        ``progress(scanned, total, labelled)`` follows each page. Answers ``scanned``, ``total``,
        ``labelled`` (new labels), ``posts_labelled`` and ``debunk_ids``.
        """
        with self._ctx.store.read() as tx:
            labels.check_debunks(tx, debunk_ids)
        return labels.backfill(self._ctx.store, self._ctx.debunk_index, self._ctx.unit, debunk_ids=debunk_ids,
                               actor=actor,
                               page_size=page_size, progress=progress)

    def start_backfill(self, debunk_ids: list[str] | None, actor: str) -> JobView:
        """:meth:`backfill_labels` as a background job in this process; answers the job (see :meth:`get_job`)."""
        with self._ctx.store.read() as tx:
            labels.check_debunks(tx, debunk_ids)
        with self._ctx.unit() as unit:
            job = jobs.create(unit, "backfill_labels", {"debunk_ids": debunk_ids}, actor)
        job_id = job["id"]

        def report(scanned: int, total: int, labelled: int) -> None:
            jobs.progress(self._ctx.store, self._ctx.clock, job_id, scanned, total, {"labelled": labelled})

        jobs.run(self._ctx.store, self._ctx.clock, job_id,
                 lambda: self.backfill_labels(debunk_ids, report, actor=actor))
        return jobs.public(job)

    def job(self, job_id: str) -> JobView:
        with self._ctx.store.read() as tx:
            return jobs.public(jobs.get(tx, job_id))

    def write_note(self, event_id: str, author: str, text: str, sources: list[str] | None = None,
                   actor: str = "notes") -> NoteView:
        """A contributor's note on a stored post; it starts as ``needs_more_ratings`` (not shown)."""
        with self._ctx.unit() as unit:
            row = note_rules.write(unit, event_id, author, text, list(sources or []), actor)
            return note_rules.public(row, note_rules.history_of(unit.tx, row["id"]))

    def rate_note(self, note_id: str, rater: str, helpful: str, actor: str = "notes") -> NoteView:
        """Rate a note (``helpful``: ``yes``, ``somewhat``, ``no``; a later rating replaces the earlier one).

        The notes are scored again at once while the store holds at most ``notes_rescore_max_ratings``
        ratings (beyond that, by :meth:`score_notes`). Answers the note as it stands now, with its history.
        """
        with self._ctx.unit() as unit:
            note_rules.rate(unit, note_id, rater, helpful, actor)
            if note_rules.ratings_count(unit.tx) <= self._ctx.settings.notes_rescore_max_ratings:
                note_rules.rescore(unit, "notes")
        return self.note(note_id)

    def score_notes(self, actor: str = "notes") -> note_rules.Rescored:
        """Score every note now (the job behind ``clearspace notes score``): ``notes``, ``ratings``,
        ``changed`` (status changes), ``rings`` (rating rings found)."""
        with self._ctx.unit() as unit:
            return note_rules.rescore(unit, actor)

    def note(self, note_id: str) -> NoteView:
        """A note with its score and status history."""
        with self._ctx.store.read() as tx:
            row = note_rules.get(tx, note_id)
            return note_rules.public(row, note_rules.history_of(tx, note_id))

    def notes(self, event_id: str, shown_only: bool = False) -> list[NoteView]:
        """The notes on a post, oldest first (only those shown, when asked)."""
        with self._ctx.store.read() as tx:
            return [note_rules.public(r) for r in note_rules.on_post(tx, event_id, shown_only)]

    def export_notes(self) -> bytes:
        """Every note and rating as JSON Lines: enough to score them again (``clearspace.rumors.notes``)."""
        from clearspace.rumors.notes import export_jsonl

        with self._ctx.store.read() as tx:
            return export_jsonl(*note_rules.export_rows(tx))

    def labels_to_review(self, waiting: bool = True, limit: int = 100) -> list[LabelToReview]:
        """Automatic rumor labels newest first (``waiting``: active and not yet checked by a moderator)."""
        from clearspace.service import label_review

        with self._ctx.store.read() as tx:
            return label_review.recent(tx, waiting=waiting, limit=limit)

    def review_label(self, label_id: str, actor: str, confirm: bool, reason: str = "") -> LabelView:
        """Confirm an automatic label, or reject it (withdrawn, its decision reversed, the author told)."""
        from clearspace.service import label_review

        with self._ctx.unit() as unit:
            return label_review.review(unit, label_id, actor, confirm, reason)

    def recent_notes(self, status: str | None = None, limit: int = 100) -> list[NoteToReview]:
        """Crowd notes newest first, with their post's text."""
        from clearspace.service import label_review

        with self._ctx.store.read() as tx:
            return label_review.recent_notes(tx, status=status, limit=limit)

    def new_debunk_id(self) -> str:
        """A fresh debunk id (for a debunk written in the console without one)."""
        return self._ctx.ids.new("dbk")

    def add_debunks_and_backfill(self, raw: Any, actor: str) -> DebunkAdded | DebunkBatch:
        """:meth:`add_debunks`, then a backfill job (:meth:`start_backfill`) for the debunks it created (a
        single debunk: always), answered in ``backfill_job``."""
        return self._add(raw, actor, backfill=True)
