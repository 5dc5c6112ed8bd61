"""What the service's domain facades share (issue 14 point 18): one store, settings, clock, ids, the engine
holder and the caches of this process.

The facades (service/facades/) each hold this one object and never each other; what two of them need
(the engine, the evidence key, the model registry, the pile-on detector) lives here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from clearspace.errors import Conflict
from clearspace.model.embeddings import Encoder
from clearspace.plugins.config import PluginSet
from clearspace.protection.nudge import SupportLink
from clearspace.rumors.matcher import Reranker
from clearspace.rumors.views import FoundLabel
from clearspace.service import (
    audit,
    checkpoints,
    debunks,
    incidents,
    pileon_shared,
    pipeline,
    policy_state,
    protection_jobs,
)
from clearspace.service import models as models_
from clearspace.service.clock import Clock, iso
from clearspace.service.ids import IdFactory
from clearspace.service.partitions import ADMIN_CHAIN
from clearspace.service.ratelimit import RateLimiter
from clearspace.service.settings import Settings
from clearspace.service.shadow import ShadowRunner
from clearspace.service.shadow_candidates import versions_loader
from clearspace.service.shield_cache import ShieldCache
from clearspace.service.unit import Unit, open_unit
from clearspace.store import Store

log = logging.getLogger(__name__)


def _nobody(_topic: str, _payload: Mapping[str, Any]) -> None:
    """Embedded mode: no other node to tell."""


class ServiceContext:
    """The state of one service process over one store; see the module docstring."""

    def __init__(self, store: Store, *, engine: pipeline.ScoringEngine | None, settings: Settings, clock: Clock,
                 ids: IdFactory, debunk_encoder: Encoder | None, debunk_reranker: Reranker | None) -> None:
        self.store = store
        self.engine = engine
        self.settings = settings
        self.clock = clock
        self.ids = ids
        self.engine_warm = False
        self.limiter = RateLimiter(clock)
        self.debunk_index = debunks.DebunkIndex(store, debunk_encoder, debunk_reranker)
        self.detector_config = incidents.detector_config(settings)
        self.shield_cache = ShieldCache(store, self.epoch)
        self.support_links: tuple[SupportLink, ...] = incidents.configured_links(settings.support_links)
        detect, shared = settings.pileon_detection, settings.pileon_mode == "shared"
        # local mode: this process's detector, fed at ingest; shared mode: the lease holder's (service/pileon_shared.py)
        self.pileons = self.live_detector() if detect and not shared else None
        self.shared_pileons = (pileon_shared.SharedDetection(store, clock, self.unit, self.live_detector,
                                                             self.support_links, settings)
                               if detect and shared else None)
        self.evidence_key_: Ed25519PrivateKey | None = None
        self.audit_checked: audit.VerifyResult | None = None
        self.policy_tracker = policy_state.Tracker()  # the policy this process runs (issue 14, reloads)
        self.plugin_set = PluginSet()  # issue 13: set by build_service from the settings
        self.shadow = ShadowRunner(store, self.unit, settings, self.scoring,  # issue 13
                                   versions_loader(lambda version: self.models().model(version)))
        self.models_: models_.ModelRegistry | None = None  # issue 13: model versions
        # issue 15: tells the other nodes of a change (shields, keys, models, policy); set in bus mode (bus_caches.py)
        self.announce: Callable[[str, Mapping[str, Any]], None] = _nobody

    # ------------------------------------------------------------------ time, transactions
    def unit(self, *, chains: Sequence[str] = (ADMIN_CHAIN,),
             locks: Iterable[str] = ()) -> AbstractContextManager[Unit]:
        """A transaction with the clock, ids, audit writer and outbox of this service, holding the
        locks of the audit ``chains`` (default: the admin chain) and the named ``locks``."""
        return open_unit(self.store, self.clock(), self.ids, self.settings, chains=chains, locks=locks)

    def now(self) -> str:
        return iso(self.clock())

    def epoch(self) -> float:
        """The service clock in epoch seconds (the protection core's time)."""
        return float(self.clock().timestamp())

    # ------------------------------------------------------------------ the engine and its policy
    def scoring(self) -> pipeline.ScoringEngine:
        """The engine, built (the operator's policy, lexicons, model, encoder) and warmed on first use."""
        if self.engine is None:
            from clearspace.service.engine_config import build_engine

            self.engine = build_engine(self.settings)
        if not self.engine_warm:
            self.engine.warm_up()
            self.engine_warm = True
        return self.engine

    def known_signal_kinds(self) -> tuple[str, ...]:
        """The signal kinds a policy may name here: the engine's (with its plug-ins') or the built-in ones."""
        from clearspace.signals import BUILTIN_SIGNAL_KINDS

        kinds = getattr(self.scoring(), "signal_kinds", None)
        found = kinds() if callable(kinds) else None
        return tuple(found) if found else BUILTIN_SIGNAL_KINDS

    def use_policy(self, compiled: policy_state.Compiled) -> None:
        engine = self.scoring()
        with self.policy_tracker.lock:
            engine.policy = compiled.policy  # type: ignore[attr-defined]  # Engine and stand-ins keep both
            engine.policy_ = compiled.policy
            self.policy_tracker.current = compiled.info

    def policy_at_start(self) -> None:
        """Make the configured policy the database's active one when this process starts (see policy_state)."""
        if self.policy_tracker.current is not None:
            return
        engine = self.scoring()
        text = policy_state.source_bytes(engine.policy_.source)
        info = policy_state.info_of(engine.policy_, text)
        self.policy_tracker.current = info
        compiled = policy_state.Compiled(engine.policy_, (text or b"").decode("utf-8", "replace"), info)
        with self.unit() as unit:
            row = policy_state.stored(unit.tx)
            if row is None or row["sha256"] != info.sha256:
                policy_state.record(unit, compiled, None if row is None else policy_state.stored_info(row),
                                    "startup")

    def models(self) -> models_.ModelRegistry:
        """The model registry of this database (created on first use; see service/models.py)."""
        if self.models_ is None:
            self.models_ = models_.ModelRegistry(self.store, self.normalizer_factory)
        return self.models_

    def normalizer_factory(self) -> models_.Normalize:
        engine = self.engine
        normalizer = getattr(engine, "normalizer_", None) if engine is not None else None
        if normalizer is None:
            from clearspace.detectors.lexicon import lexicon_normalizer

            normalizer = lexicon_normalizer()
        return lambda text: str(normalizer.normalize(text).text)

    # ------------------------------------------------------------------ pile-on detection
    def live_detector(self) -> incidents.LiveDetector:
        shared = self.settings.pileon_mode == "shared"  # there a row is written at most once a tick anyway
        return incidents.LiveDetector(self.detector_config, rebuild_s=self.settings.pileon_rebuild_hours * 3600,
                                      write_s=0.0 if shared else self.settings.pileon_write_seconds)

    def incidents_current(self) -> None:
        """Write the growth of open incidents that waits for ``pileon_write_seconds`` (before they are read)."""
        snaps = self.pileons.flush(self.epoch()) if self.pileons is not None else []
        if snaps:
            with self.unit() as unit:
                incidents.record(unit, snaps, self.support_links)

    def pileons_ready(self) -> None:
        """Rebuild the detector from the store once (first use after start); see service/incidents.py."""
        if self.pileons is None or self.pileons.ready:
            return
        over = self.pileons.rebuild(self.store, self.epoch())
        if over:
            with self.unit() as unit:
                incidents.record(unit, [], self.support_links, over=over)

    def ready_pileons(self) -> incidents.LiveDetector | None:
        self.pileons_ready()
        return self.pileons

    # ------------------------------------------------------------------ ingest hooks
    def after_ingest(self, recorded: list[pipeline.Scored], extra: Mapping[str, Mapping[str, Any]]) -> None:
        self.shadow.offer([(i.event, i.result) for i in recorded], extra)  # after commit; never raises

    def rumor_labels(self, texts: list[str]) -> list[list[FoundLabel]]:
        """The debunk labels for new posts; a failure of claim matching (a broken encoder, say) never stops
        ingest: it is logged, the posts go unlabelled, and a backfill labels them later."""
        if not texts:
            return []
        try:
            return self.debunk_index.label_many(texts)
        except Exception:  # noqa: BLE001 - moderation must not stop because rumor matching failed
            log.exception("claim matching failed for %d posts; they are stored without rumor labels", len(texts))
            return [[] for _ in texts]

    # ------------------------------------------------------------------ signing
    def evidence_key(self) -> Ed25519PrivateKey:
        """The Ed25519 key that signs evidence bundles and checkpoints (created next to the database on first use)."""
        if self.evidence_key_ is None:
            self.evidence_key_ = protection_jobs.load_or_create(protection_jobs.key_path(self.settings, self.store))
        return self.evidence_key_

    def checkpoint_tick(self) -> int:
        """The periodic audit checkpoint (every ``audit_checkpoint_seconds``; 0: never): 1 when one was made."""
        every = self.settings.audit_checkpoint_seconds
        if every <= 0:
            return 0
        try:
            made = checkpoints.create(self.store, self.unit, self.evidence_key(), "scheduler", every_s=every,
                                      now=self.clock())
        except Conflict as exc:
            log.error("no audit checkpoint signed: %s", exc)
            return 0
        return 0 if made is None else 1


class Facade:
    """One domain of the service over the shared :class:`ServiceContext`."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context
