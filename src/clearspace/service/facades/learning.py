"""Learning: training labels, model versions, shadow runs and plug-ins (issue 13)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from clearspace.plugins.config import PluginStats
from clearspace.service import models as models_
from clearspace.service import (
    training,
)
from clearspace.service.context import Facade
from clearspace.service.results_learning import (
    ExportedLabel,
    LabelBatch,
    LabelPage,
    ModelListing,
    ModelVersion,
    ShadowRun,
    ShadowSummary,
    Suggestions,
    TrainedModel,
    TrainingLabel,
    VersionName,
)
from clearspace.service.shadow_candidates import CandidateSpec

log = logging.getLogger(__name__)


class LearningFacade(Facade):
    """``service.learning``: see the module docstring."""

    def plugin_stats(self) -> PluginStats:
        """Each plug-in's health and cost (calls, outcomes, latency, breaker) and those that could not load."""
        return self._ctx.plugin_set.stats()

    def start_shadow(self, spec: CandidateSpec, actor: str) -> ShadowRun:
        """Run ``spec`` in shadow beside the active engine (Conflict when a run is already running)."""
        return self._ctx.shadow.start(spec, actor)

    def stop_shadow(self, actor: str) -> ShadowRun:
        """Stop the running shadow run; answers it with its final counts."""
        return self._ctx.shadow.stop(actor)

    def shadow_summary(self, run_id: str | None = None, kind: str | None = None, limit: int = 20) -> ShadowSummary:
        """A shadow run (the running one, else the latest) with counts by kind and example disagreements."""
        return self._ctx.shadow.summary(run_id, kind, limit)

    def shadow_tick(self) -> None:
        """Follow shadow runs started or stopped by another process; record posts dropped here."""
        self._ctx.shadow.sync()

    def models(self) -> models_.ModelRegistry:
        """The model registry of this database (created on first use; see service/models.py)."""
        return self._ctx.models()

    def model_tick(self) -> str | None:
        """Serve the active model version if it changed (run every ``model_check_seconds`` by the app)."""
        engine = self._ctx.scoring()
        return self._ctx.models().sync(engine)

    def add_labels(self, raw: Any, actor: str) -> TrainingLabel | LabelBatch:
        """Explicit labels: one ``{"event_id", "abusive", "category"?}`` (answered as stored) or a list of up
        to 1,000 (``{"results", "stored", "errors"}``, an error per bad item, the rest stored)."""
        with self._ctx.unit() as unit:
            return training.add_explicit(unit, raw, actor)

    def labels(self, after: int = 0, limit: int = 100, current_only: bool = True,
               event_id: str | None = None) -> LabelPage:
        """Labels oldest first from ``after`` (a label id): ``{"labels", "next_after"}``."""
        with self._ctx.store.read() as tx:
            return training.page(tx, after, limit, current_only, event_id)

    def export_labels(self, current_only: bool = False) -> Iterator[ExportedLabel]:
        """Every label with its provenance and its event's text, oldest first."""
        return training.export(self._ctx.store, current_only)

    def suggest_labels(self, n: int = 20, pool: int = 5000) -> Suggestions:
        """Unlabelled events whose labels would teach the model most (service/suggest.py)."""
        from clearspace.service.suggest import suggest

        return suggest(self._ctx.store, self._ctx.models(), n, pool)

    def train_model(self, actor: str, holdout: float = 0.2, seed: int = 7) -> TrainedModel:
        """A new model version from the shipped model and the current labels (not promoted)."""
        return self._ctx.models().train(self._ctx.unit, actor, holdout=holdout, seed=seed)

    def list_models(self) -> ModelListing:
        return self._ctx.models().listing()

    def promote_model(self, version: str, actor: str, reason: str = "") -> ModelVersion | VersionName:
        """Make ``version`` active in every process over this database (within ``model_check_seconds``)."""
        with self._ctx.unit() as unit:
            self._ctx.models().promote(unit, version, actor, reason)
        self._ctx.announce("models", {})
        return self.list_models()["active"]

    def rollback_model(self, actor: str, reason: str = "") -> ModelVersion | VersionName:
        """Return to the version active before the current one was promoted."""
        with self._ctx.unit() as unit:
            self._ctx.models().rollback(unit, actor, reason)
        self._ctx.announce("models", {})
        return self.list_models()["active"]

    def export_model(self, version: str) -> bytes:
        """The model file of ``version`` (``shipped`` included), loadable by ``clearspace scan --model``."""
        return self._ctx.models().weights(version)
