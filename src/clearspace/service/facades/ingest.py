"""Ingest: checking, scoring, deciding and storing events, and reading decisions back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from clearspace.result import ScoreResult
from clearspace.service import decisions, pipeline
from clearspace.service.context import Facade, ServiceContext
from clearspace.service.events import Event, check_length, parse_events
from clearspace.service.results import Answer, DecisionView, EventView


class IngestFacade(Facade):
    """``service.ingest``: the one ingest pipeline (service/pipeline.py) and the decisions it stores."""

    def __init__(self, context: ServiceContext) -> None:
        super().__init__(context)
        ctx = context
        self.pipeline = pipeline.Pipeline(  # issue 15: the one ingest pipeline
            ctx.store, ctx.scoring, ctx.unit, ctx.now, ctx.settings.bus_partitions, ctx.rumor_labels,
            ctx.ready_pileons, lambda: ctx.support_links, ctx.after_ingest)

    def events(self, raw: Any, actor: str = "ingest") -> list[Answer]:
        """Score, decide and store one event or a list of them; repeats answer the stored decision."""
        return self.checked(self.check(raw), actor)

    def check(self, raw: Any) -> list[Event]:
        """Check one event or a list of them (InputError names the bad field and index)."""
        settings = self._ctx.settings
        return parse_events(raw, max_text_chars=settings.max_text_chars, max_batch=settings.max_batch)

    def checked(self, events: list[Event], actor: str = "ingest", *,
                in_transaction: pipeline.InTransaction | None = None) -> list[Answer]:
        """Like :meth:`events`, for events already checked (the HTTP batcher merges requests; a bus worker
        passes ``in_transaction`` to commit its stream offset with the decisions): see
        :meth:`clearspace.service.pipeline.Pipeline.decide`."""
        return self.pipeline.decide(events, actor, in_transaction=in_transaction)

    def decided(self, event_ids: Sequence[str]) -> dict[str, Answer]:
        """The stored answers of the events among ``event_ids`` that are decided (bus mode's ``?wait``)."""
        with self._ctx.store.read() as tx:
            return pipeline.stored_answers(tx, list(event_ids))

    def score_text(self, text: str, **context: Any) -> ScoreResult:
        """Score without storing anything (the Perspective and nudge endpoints); at most ``max_text_chars``."""
        return self._ctx.scoring().score(check_length(text, self._ctx.settings.max_text_chars), **context)

    def decision(self, decision_id: str) -> DecisionView:
        with self._ctx.store.read() as tx:
            return decisions.decision_view(tx, decision_id)

    def has_event(self, event_id: str) -> bool:
        with self._ctx.store.read() as tx:
            return tx.get("events", event_id) is not None

    def event(self, event_id: str) -> EventView:
        """An event with every decision taken on it, oldest first."""
        with self._ctx.store.read() as tx:
            return decisions.event_view(tx, event_id)

