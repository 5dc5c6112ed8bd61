"""The service object: anything a moderator (or an integration) can do is one method here.

The HTTP API and the CLI are thin shells over :class:`Service`. Methods take plain values and
return JSON-ready dicts; they raise errors from :mod:`clearspace.errors`.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import Any

from clearspace.errors import Conflict, InputError, NotFound, PolicyError
from clearspace.model.embeddings import Encoder
from clearspace.plugins.config import PluginSet
from clearspace.protection.incidents import Incident
from clearspace.protection.nudge import SupportLink, nudge
from clearspace.protection.shield import Interaction, Shield, Verdict
from clearspace.protection.shield import check as check_shield
from clearspace.rumors.matcher import Reranker
from clearspace.rumors.model import Debunk
from clearspace.service import (
    access,
    appeals,
    audit,
    cases,
    checkpoints,
    clarifications,
    debunks,
    decisions,
    incidents,
    ingest,
    jobs,
    labels,
    pileon_shared,
    policy_state,
    protection_jobs,
    reports,
    review,
    shield_requests,
    shields,
    training,
)
from clearspace.service import models as models_
from clearspace.service import notes as note_rules
from clearspace.service.clock import Clock, iso, parse_time, system_clock
from clearspace.service.debunk_duplicates import DuplicateFinder
from clearspace.service.events import Event, check_length, parse_events
from clearspace.service.ids import IdFactory
from clearspace.service.ratelimit import RateLimiter
from clearspace.service.reports import ReportIn
from clearspace.service.settings import Settings
from clearspace.service.shadow import ShadowRunner
from clearspace.service.shadow_candidates import CandidateSpec, versions_loader
from clearspace.service.shadow_records import ShadowRun
from clearspace.service.shield_cache import ShieldCache
from clearspace.service.unit import Unit, open_unit
from clearspace.store import Row, Store
from clearspace.store.base import Op

log = logging.getLogger(__name__)


class Service:
    """clearspace as a service over one :class:`~clearspace.store.Store`.

    ``engine`` defaults to the fast configuration (built on first use or by
    :meth:`warm_up`); ``clock`` and ``ids`` are injectable for tests. ``debunk_encoder`` embeds
    texts for claim matching (``None``: lexical matching only); ``debunk_reranker`` re-ranks its
    short list (``None``: off, the default, as it costs one e5 embedding per post).
    """

    def __init__(self, store: Store, *, engine: ingest.ScoringEngine | None = None, settings: Settings | None = None,
                 clock: Clock = system_clock, ids: IdFactory | None = None,
                 debunk_encoder: Encoder | None = None, debunk_reranker: Reranker | None = None) -> None:
        self.store = store
        self.engine = engine
        self.settings = settings or Settings()
        self.clock = clock
        self.ids = ids or IdFactory()
        self.limiter = RateLimiter(clock)
        self._rules: dict[str, tuple[str, int, str]] | None = None
        self.debunk_index = debunks.DebunkIndex(store, debunk_encoder, debunk_reranker)
        self.detector_config = incidents.detector_config(self.settings)
        self.shield_cache = ShieldCache(store, self.epoch)
        self.support_links: tuple[SupportLink, ...] = incidents.configured_links(self.settings.support_links)
        detect, shared = self.settings.pileon_detection, self.settings.pileon_mode == "shared"
        # local mode: this process's detector, fed at ingest; shared mode: the lease holder's (service/pileon_shared.py)
        self.pileons = self._live_detector() if detect and not shared else None
        self.shared_pileons = (pileon_shared.SharedDetection(store, clock, self.unit, self._live_detector,
                                                             self.support_links, self.settings)
                               if detect and shared else None)
        self._evidence_key: Any = None
        self._audit_checked: audit.VerifyResult | None = None
        self.policy_tracker = policy_state.Tracker()  # the policy this process runs (issue 14, reloads)
        self.plugin_set = PluginSet()  # issue 13: set by build_service from the settings
        self.shadow = ShadowRunner(store, self.unit, self.settings, lambda: self._scoring()[0],  # issue 13
                                   versions_loader(lambda version: self.models().model(version)))
        self._models: models_.ModelRegistry | None = None  # issue 13: model versions

    # ------------------------------------------------------------------ plumbing
    def warm_up(self) -> Service:
        """Load the engine's model and tables now rather than on the first event; rebuild the
        pile-on detector from the stored events (local mode; in shared mode the lease holder
        rebuilds when it takes the lease); load the shields in force."""
        self._scoring()
        self._policy_at_start()
        self._pileons_ready()
        self.shield_cache.refresh()
        return self

    def _pileons_ready(self) -> None:
        """Rebuild the detector from the store once (first use after start); see service/incidents.py."""
        if self.pileons is None or self.pileons.ready:
            return
        over = self.pileons.rebuild(self.store, self.epoch())
        if over:
            with self.unit() as unit:
                incidents.record(unit, [], self.support_links, over=over)

    def _incidents_current(self) -> None:
        """Write the growth of open incidents that waits for ``pileon_write_seconds`` (before they are read)."""
        snaps = self.pileons.flush(self.epoch()) if self.pileons is not None else []
        if snaps:
            with self.unit() as unit:
                incidents.record(unit, snaps, self.support_links)

    def _live_detector(self) -> incidents.LiveDetector:
        shared = self.settings.pileon_mode == "shared"  # there a row is written at most once a tick anyway
        return incidents.LiveDetector(self.detector_config, rebuild_s=self.settings.pileon_rebuild_hours * 3600,
                                      write_s=0.0 if shared else self.settings.pileon_write_seconds)

    def _scoring(self) -> tuple[ingest.ScoringEngine, Mapping[str, tuple[str, int, str]]]:
        if self.engine is None:
            from clearspace.service.engine_config import build_engine

            self.engine = build_engine(self.settings)  # the operator's policy, lexicons, model, encoder
        if self._rules is None:
            self._rules = ingest.rule_info(self.engine)
        return self.engine, self._rules

    def unit(self) -> AbstractContextManager[Unit]:
        """A transaction with the clock, ids, audit writer and outbox of this service."""
        return open_unit(self.store, self.clock(), self.ids, self.settings)

    def now(self) -> str:
        return iso(self.clock())

    # ------------------------------------------------------------------ access
    def authenticate(self, key: str | None, permission: str, cost: float = 1.0) -> access.Principal:
        """The caller behind ``key``, checked against ``permission`` and its rate limit."""
        with self.store.read() as tx:
            principal = access.authenticate(tx, key)
        access.authorize(principal, permission)
        self.limiter.hit(principal.key_id, principal.rate_limit, cost)
        return principal

    def create_key(self, role: str, name: str = "", rate_limit: float | None = None,
                   actor: str = "cli") -> tuple[access.KeyRecord, str]:
        """A new API key: ``(its public record, the key itself)``; the key is shown only once."""
        access.check_role(role)
        if rate_limit is not None and rate_limit <= 0:
            raise InputError("rate_limit must be a positive number of requests per second")
        key_id, key = access.new_key()
        row = {"id": key_id, "hash": access.hash_key(key), "prefix": key[:11], "role": role,
               "name": name or f"{role}-{key_id}", "rate_limit": rate_limit or self.settings.default_rate_limit,
               "created_at": self.now(), "revoked_at": None}
        with self.unit() as unit:
            unit.tx.insert("api_keys", row)
            unit.log("key.created", actor, key_id, {"role": role, "name": row["name"]})
        return access.public_key(row), key

    def list_keys(self) -> list[access.KeyRecord]:
        with self.store.read() as tx:
            return [access.public_key(r) for r in tx.select("api_keys", order_by=["created_at"])]

    def revoke_key(self, key_id: str, actor: str) -> access.KeyRecord:
        with self.unit() as unit:
            if not unit.tx.update("api_keys", {"id": key_id, "revoked_at": None}, {"revoked_at": unit.ts}):
                raise NotFound(f"no active API key {key_id!r}")
            unit.log("key.revoked", actor, key_id, {})
            row = unit.tx.get("api_keys", key_id)
        assert row is not None
        return access.public_key(row)

    # ------------------------------------------------------------------ ingest and decisions
    def ingest(self, raw: Any, actor: str = "ingest") -> list[dict[str, Any]]:
        """Score, decide and store one event or a list of them; repeats answer the stored decision."""
        return self.ingest_events(self.check_events(raw), actor)

    def check_events(self, raw: Any) -> list[Event]:
        """Check one event or a list of them (InputError names the bad field and index)."""
        return parse_events(raw, max_text_chars=self.settings.max_text_chars, max_batch=self.settings.max_batch)

    def ingest_events(self, events: list[Event], actor: str = "ingest") -> list[dict[str, Any]]:
        """Like :meth:`ingest`, for events already checked (the HTTP batcher merges requests)."""
        engine, rules = self._scoring()
        unique = list({e.id: e for e in reversed(events)}.values())[::-1]
        with self.store.read() as tx:
            known = ingest.stored_answers(tx, [e.id for e in unique])
            fresh = [e for e in unique if e.id not in known]
            extra = ingest.author_context(tx, fresh, self.now())
        scored = ingest.score(engine, rules, fresh, extra)
        rumor = self._rumor_labels([s.event.text for s in scored])
        answers = dict(known)
        self._pileons_ready()
        with self.unit() as unit:
            again = ingest.stored_answers(unit.tx, [s.event.id for s in scored])  # raced in meanwhile
            answers.update(again)
            recorded = [(item, found) for item, found in zip(scored, rumor, strict=True)
                        if item.event.id not in again]
            for item, found in recorded:
                answers[item.event.id] = ingest.record(unit, item, actor, found)
            if self.pileons is not None and recorded:
                incidents.observe_ingest(unit, self.pileons, [i.event for i, _ in recorded],
                                         {i.event.id: i.result.scores for i, _ in recorded}, self.support_links)
        self.shadow.offer([(i.event, i.result) for i, _ in recorded], extra)  # after commit; never raises
        return [answers[e.id] for e in events]

    def _rumor_labels(self, texts: list[str]) -> list[list[dict[str, Any]]]:
        """The debunk labels for new posts; a failure of claim matching (a broken encoder, say) never stops
        ingest: it is logged, the posts go unlabelled, and a backfill labels them later."""
        if not texts:
            return []
        try:
            return self.debunk_index.label_many(texts)
        except Exception:  # noqa: BLE001 - moderation must not stop because rumor matching failed
            log.exception("claim matching failed for %d posts; they are stored without rumor labels", len(texts))
            return [[] for _ in texts]

    def score_text(self, text: str, **context: Any) -> Any:
        """Score without storing anything (the Perspective and nudge endpoints); at most ``max_text_chars``."""
        engine, _ = self._scoring()
        return engine.score(check_length(text, self.settings.max_text_chars), **context)

    def get_decision(self, decision_id: str) -> dict[str, Any]:
        with self.store.read() as tx:
            row = tx.get("decisions", decision_id)
            if row is None:
                raise NotFound(f"no decision {decision_id!r}")
            sor = tx.select("statements", {"decision_id": decision_id}, limit=1)
        return decisions.public(row, sor[0] if sor else None)

    def store_has_event(self, event_id: str) -> bool:
        with self.store.read() as tx:
            return tx.get("events", event_id) is not None

    def get_event(self, event_id: str) -> dict[str, Any]:
        """An event with every decision taken on it, oldest first."""
        with self.store.read() as tx:
            event = tx.get("events", event_id)
            if event is None:
                raise NotFound(f"no event {event_id!r}")
            rows = tx.select("decisions", {"event_id": event_id}, order_by=["created_at"])
            ids = [r["id"] for r in rows]
            sors = {s["decision_id"]: s for s in tx.select("statements", {"decision_id": Op("in", ids)})}
        return {**event, "decisions": [decisions.public(r, sors.get(r["id"])) for r in rows]}

    # ------------------------------------------------------------------ audit
    def verify_audit(self, full: bool = True) -> audit.VerifyResult:
        """Check the audit log's hash chain: all of it, or (``full=False``) only the events after
        the last good check made by this process (see :func:`audit.verify_since`), and that it
        still extends its latest signed checkpoint. A failed check is stored as an alarm, and the
        chain is reported broken until an admin acknowledges it (service/checkpoints.py)."""
        result = checkpoints.check(self.store, self._audit_checked, full)
        if result.ok:
            self._audit_checked = result
        else:
            with self.unit() as unit:
                checkpoints.raise_alarm(unit, result, "audit-check")
        return checkpoints.with_alarms(self.store, result)

    def export_audit(self, start: str | None = None, end: str | None = None) -> Iterator[Row]:
        """Audit events with ``start <= ts < end`` (ISO dates or times; either may be omitted)."""
        lo = iso(parse_time(start, "from")) if start else None
        hi = iso(parse_time(end, "to")) if end else None
        return audit.export(self.store, lo, hi)

    # ------------------------------------------------------------------ accounts
    def account_status(self, account: str) -> dict[str, Any]:
        """Active strikes, strike points and active restrictions of an account."""
        from clearspace.service.strikes import account_status

        with self.store.read() as tx:
            return account_status(tx, account, self.now())

    # ------------------------------------------------------------------ transparency
    def transparency(self, start: str | None = None, end: str | None = None) -> dict[str, Any]:
        """The transparency report for ``[start, end)``, from the audit log alone (default: the last 30 days)."""
        from clearspace.service import transparency

        lo, hi = transparency.bounds(*transparency.default_period(start, end, self.clock()))
        return transparency.aggregate(audit.export(self.store, lo, hi), lo, hi)

    # ------------------------------------------------------------------ reports
    def file_report(self, report: ReportIn, actor: str = "ingest") -> dict[str, Any]:
        """Take a user's report (notice); returns the acknowledgement."""
        with self.unit() as unit:
            return reports.file(unit, report, actor)

    def get_report(self, report_id: str) -> dict[str, Any]:
        with self.store.read() as tx:
            row = tx.get("reports", report_id)
        if row is None:
            raise NotFound(f"no report {report_id!r}")
        return row

    def set_trusted_flagger(self, reporter: str, trusted: bool, actor: str) -> None:
        with self.unit() as unit:
            reports.set_trusted(unit.tx, reporter, trusted)
            unit.log("reporter.trusted", actor, reporter, {"trusted": trusted})

    # ------------------------------------------------------------------ cases
    def list_cases(self, lane: str | None = None, status: str = "open", limit: int = 100) -> list[dict[str, Any]]:
        with self.store.read() as tx:
            return cases.queue(tx, self.now(), lane=lane, status=status, limit=limit)

    def get_case(self, case_id: str) -> dict[str, Any]:
        """A case with its event, current decisions and reports."""
        with self.store.read() as tx:
            case = cases.get_case(tx, case_id)
            filed = tx.select("reports", {"case_id": case_id}, order_by=["created_at"])
        out = {**case, "reports_filed": filed}
        if case["event_id"]:
            out["event"] = self.get_event(case["event_id"])
        return out

    def open_incident_case(self, incident: Mapping[str, Any], actor: str = "detector") -> dict[str, Any]:
        """One review case (lane ``pileon``) for a pile-on incident record, as ``clearspace replay`` writes it."""
        with self.unit() as unit:
            return cases.open_incident_case(unit, incident, actor)

    def claim_case(self, case_id: str, owner: str) -> dict[str, Any]:
        with self.unit() as unit:
            return cases.claim(unit, case_id, owner)

    def next_case(self, owner: str, lane: str | None = None) -> dict[str, Any] | None:
        """Claim the most urgent unclaimed case (None when the queue is empty)."""
        with self.unit() as unit:
            return cases.next_case(unit, owner, lane)

    def release_case(self, case_id: str, owner: str) -> dict[str, Any]:
        with self.unit() as unit:
            return cases.release(unit, case_id, owner)

    def decide_case(self, case_id: str, owner: str, action: str, category: str, explanation: str) -> dict[str, Any]:
        """A moderator's decision on a case they hold; returns the decision."""
        with self.unit() as unit:
            row = review.decide_case(unit, case_id, owner, action, category, explanation)
        return self.get_decision(row["id"])

    def batch_action(self, owner: str, category: str, explanation: str, accounts: list[str] | None = None,
                     target: str | None = None, window_minutes: float = 1440.0, incident_id: str | None = None,
                     roles: Sequence[str] | None = None) -> dict[str, Any]:
        """Strike every given account, every participant of the pile-on against ``target``, or every
        participant of incident ``incident_id`` (only those with one of ``roles``, when given)."""
        if incident_id:
            self._incidents_current()
        with self.unit() as unit:
            chosen = list(accounts or [])
            if incident_id:
                row = incidents.get_row(unit.tx, incident_id)
                chosen += [a for a, role in incidents.roles_of(row).items() if not roles or role in roles]
            result = review.batch_action(unit, sorted(set(chosen)), category, explanation, owner, target=target,
                                         window_minutes=window_minutes)
        if incident_id:
            result["incident_id"] = incident_id
        return result

    # ------------------------------------------------------------------ appeals
    def file_appeal(self, decision_id: str, appellant: str, reason: str, actor: str = "ingest") -> dict[str, Any]:
        with self.unit() as unit:
            return appeals.file(unit, decision_id, appellant, reason, actor)

    def decide_appeal(self, appeal_id: str, reviewer: str, outcome: str, explanation: str) -> dict[str, Any]:
        with self.unit() as unit:
            return appeals.decide(unit, appeal_id, reviewer, outcome, explanation)

    def get_appeal(self, appeal_id: str) -> dict[str, Any]:
        with self.store.read() as tx:
            return appeals.get(tx, appeal_id)

    def list_appeals(self, status: str = "pending", limit: int = 100) -> list[dict[str, Any]]:
        with self.store.read() as tx:
            return tx.select("appeals", {"status": status}, order_by=["created_at"], limit=limit)

    def notifications(self, recipient: str, limit: int = 100) -> list[dict[str, Any]]:
        """Messages left for an account (report outcomes, decisions, appeal outcomes, restrictions)."""
        with self.store.read() as tx:
            return tx.select("notifications", {"recipient": recipient}, order_by=["created_at"], limit=limit)

    # ------------------------------------------------------------------ protection (一键防护)
    def epoch(self) -> float:
        """The service clock in epoch seconds (the protection core's time)."""
        return float(self.clock().timestamp())

    def activate_shield(self, shield: Shield, actor: str) -> dict[str, Any]:
        """Store ``shield`` as its account's protection (replacing any earlier one)."""
        with self.unit() as unit:
            shields.activate(unit, shield, actor)
        self.shield_cache.put(shield)
        return shields.public(shield)

    def get_shield(self, account: str) -> dict[str, Any]:
        """The account's protection in force now; NotFound when none or expired."""
        with self.store.read() as tx:
            shield = shields.active(tx, account, self.epoch())
        if shield is None:
            raise NotFound(f"no active protection for {account!r}")
        return shields.public(shield)

    def deactivate_shield(self, account: str, actor: str) -> dict[str, Any]:
        with self.unit() as unit:
            if not shields.deactivate(unit, account, actor):
                raise NotFound(f"no protection for {account!r}")
        self.shield_cache.drop(account)
        return {"account": account, "active": False}

    def shield_verdict(self, account: str, interaction: Interaction, *, refresh: bool = True) -> Verdict:
        """deliver / hold / drop from the in-memory mirror of shields (nothing is stored)."""
        return check_shield(self.shield_cache.get(account, refresh=refresh), interaction, self.epoch())

    def check_interaction(self, account: str, interaction: Interaction, *, item_id: str = "",
                          text: str = "") -> dict[str, str]:
        """deliver / hold / drop for one interaction; a held one goes into the account's folder
        (its ``held_id`` is in the answer)."""
        check_length(text, self.settings.max_text_chars)
        verdict = self.shield_verdict(account, interaction)
        answer = verdict.to_dict()
        if verdict.action == "hold":
            answer["held_id"] = self.store_held([self.held_row(account, interaction, verdict, item_id, text)])[0]
        return answer

    def held_row(self, account: str, interaction: Interaction, verdict: Verdict, item_id: str = "",
                 text: str = "") -> Row:
        """The ``held_interactions`` row for one held interaction, with its new ``held_id`` (not stored yet)."""
        now = self.clock()
        return shields.held_row(self.ids.new("held"), account, interaction, verdict, now.timestamp(), iso(now),
                                item_id=item_id, text=text)

    def store_held(self, rows: Sequence[Row]) -> list[str]:
        """Store held rows (:meth:`held_row`) in one transaction, no audit event (checks are not
        audited); returns their ``held_id``."""
        if rows:
            with self.store.transaction() as tx:
                for row in rows:
                    tx.insert("held_interactions", row)
        return [r["id"] for r in rows]

    def held_folder(self, account: str, limit: int = 1000) -> list[dict[str, Any]]:
        """The interactions waiting in the account's folder, oldest first."""
        with self.store.read() as tx:
            return [shields.public_held(r) for r in shields.folder(tx, account, limit)]

    def resolve_held(self, account: str, held_id: str, decision: shields.Resolution, actor: str) -> dict[str, Any]:
        """Release or dismiss one held interaction (by its ``held_id``)."""
        with self.unit() as unit:
            return shields.public_held(shields.resolve(unit, account, held_id, decision, actor))

    def send_expiry_reminders(self) -> list[dict[str, Any]]:
        """Remind every shield whose reminder time has passed, once per activation (see protection_jobs)."""
        with self.unit() as unit:
            return protection_jobs.send_reminders(unit, self.epoch())

    def protection_prompts(self, account: str, limit: int = 100) -> list[dict[str, Any]]:
        """Risk prompts and expiry reminders for ``account``, newest first (what its platform shows it)."""
        with self.store.read() as tx:
            return protection_jobs.prompts(tx, account, limit)

    def protection_tick(self) -> dict[str, int]:
        """The periodic job: send due expiry reminders, end quiet incidents, refresh the shield mirror."""
        reminded = len(self.send_expiry_reminders())
        ended = self.close_quiet_incidents()
        self.shield_cache.refresh()
        return {"reminders": reminded, "incidents_ended": ended, "audit_checkpoints": self.audit_checkpoint_tick()}

    # ------------------------------------------------------------------ pile-on incidents
    def list_incidents(self, status: str | None = None, limit: int = 100,
                       target: str | None = None) -> list[dict[str, Any]]:
        """Incidents, most recently detected first (``status``: ``active``, ``ended`` or None for both).

        Each: ``id``, ``target``, ``status``, ``source`` (live, replay), ``start``, ``detected_at``,
        ``end`` (event time), ``minor``, ``participant_count``, ``hostile_events``, ``instigators``,
        ``case_id``, ``recorded_at``, ``updated_at``, ``ended_at`` (service time); docs/protection.md.
        """
        self._incidents_current()
        with self.store.read() as tx:
            return incidents.listing(tx, status, limit, target)

    def get_incident(self, incident_id: str) -> dict[str, Any]:
        """One incident as listed, plus ``participants`` (each with ``role``, ``events``, ``first_ts``,
        ``max_hostility``, ``new_account``, ``follower``), ``participants_by_role``, ``top_referrals``,
        ``reporters``, ``timeline`` (per-bucket hostile and other interactions toward the target) and
        ``case`` (its review case)."""
        self._incidents_current()
        with self.store.read() as tx:
            return incidents.detail(tx, incidents.get_row(tx, incident_id), self.detector_config)

    def record_incidents(self, found: Iterable[Incident], *, source: str = "replay", prompts: bool = False,
                         actor: str = "replay") -> dict[str, int]:
        """Store incidents found outside the live detector (``clearspace replay --db``): each gets its
        row and one review case; the same incident recorded again updates its row. Risk prompts are
        sent only with ``prompts``."""
        counts = {"opened": 0, "updated": 0, "ended": 0}
        links = self.support_links if prompts else None
        with self.unit() as unit:
            for incident in found:
                snap = replace(incidents.snapshot(incident), id=incidents.incident_id(incident.target, incident.start))
                counts[incidents.upsert(unit, snap, source=source, links=links, actor=actor)] += 1
        return counts

    def close_quiet_incidents(self) -> int:
        """Mark ended the live incidents quiet for the detector's ``quiet_s``; how many ended (local
        mode; in shared mode the lease holder ends them in :meth:`pileon_tick`)."""
        if self.pileons is None:
            return 0
        self._pileons_ready()
        snaps = self.pileons.expire(self.epoch())
        if not snaps:
            return 0
        with self.unit() as unit:
            results = incidents.record(unit, snaps, self.support_links)
        return results.count("ended")

    def pileon_tick(self) -> dict[str, Any]:
        """Shared mode's detection step, run every ``pileon_tick_seconds`` by the app: take or renew
        the detector's lease and, as its holder, detect over the events stored since the last tick
        (service/pileon_shared.py). Answers ``holder`` and counts; local mode has nothing to do."""
        if self.shared_pileons is None:
            return pileon_shared.idle()
        return self.shared_pileons.tick()

    def incident_evidence(self, incident_id: str, redact: Sequence[str] = ()) -> bytes:
        """The signed evidence bundle (ZIP) of an incident: its stored events, the incident record,
        an HTML report, SHA-256 of every file, Ed25519 signature (``clearspace evidence verify``)."""
        self._incidents_current()
        with self.store.read() as tx:
            spec = incidents.bundle_spec(tx, incidents.get_row(tx, incident_id), self.epoch(), redact)
        from clearspace.protection.evidence import build_bundle

        return build_bundle(spec, self.evidence_key())

    def evidence_key(self) -> Any:
        """The Ed25519 key that signs evidence bundles (created next to the database on first use)."""
        if self._evidence_key is None:
            self._evidence_key = protection_jobs.load_or_create(protection_jobs.key_path(self.settings, self.store))
        return self._evidence_key

    def console_secret(self) -> str:
        """What signs console session cookies: the ``console_secret`` setting, else a secret derived
        from the evidence signing key, so every worker process over one database, and a restarted
        server, accept the same sessions (replacing that key signs everyone out)."""
        if self.settings.console_secret:
            return self.settings.console_secret
        try:
            key = self.evidence_key()
        except (OSError, ValueError, InputError) as exc:  # e.g. a read-only folder: the console works, per process
            log.warning("console sessions are signed with a secret of this process only: %s", exc)
            return secrets.token_hex(32)
        return protection_jobs.derive_secret(key, b"clearspace console sessions")

    def evidence_public_key(self) -> str:
        from clearspace.protection.evidence import public_hex

        return public_hex(self.evidence_key())

    # ------------------------------------------------------------------ rumors: debunks
    def add_debunks(self, raw: Any, actor: str) -> dict[str, Any]:
        """Store one debunk, a list (debunk or ClaimReview objects) or a ClaimReview document.

        One debunk answers it as stored (InputError or Conflict when it cannot be); otherwise
        ``{"results": [...], "created": n, "errors": n}`` with a status per item, in order.
        """
        items, single = debunks.parse_body(raw, self.settings.max_batch)
        parsed: list[Debunk | str] = []
        for item in items:
            try:
                parsed.append(debunks.parse_item(item))
            except InputError as exc:
                if single:
                    raise
                parsed.append(str(exc))
        return self._store_debunks(parsed, actor, single)

    def import_debunks(self, items: list[Debunk], actor: str) -> dict[str, Any]:
        """Store debunks already read (``clearspace.rumors.registry_io``); per-item results as :meth:`add_debunks`."""
        parsed: list[Debunk | str] = []
        for debunk in items:
            try:
                debunks.check(debunk)
                parsed.append(debunk)
            except InputError as exc:
                parsed.append(f"debunk {debunk.id[:100]!r}: {exc}")
        return self._store_debunks(parsed, actor, single=False)

    def _store_debunks(self, parsed: list[Debunk | str], actor: str, single: bool) -> dict[str, Any]:
        results: list[dict[str, Any]] = []
        created = 0
        seen: set[str] = set()
        with self.unit() as unit:
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
                created += new
                results.append({"index": index, "id": item.id, "status": "created" if new else "unchanged"})
                if new and (repeats := duplicates.check(item.id, item.claim)):
                    results[-1]["duplicate_of"] = repeats  # stored, but both would label the same posts
        self.debunk_index.refresh()
        if single:
            flagged = {"duplicate_of": results[0]["duplicate_of"]} if "duplicate_of" in results[0] else {}
            return {**self.get_debunk(results[0]["id"]), **flagged}
        errors = sum(1 for r in results if r["status"] == "error")
        return {"results": results, "created": created, "errors": errors}

    def get_debunk(self, debunk_id: str) -> dict[str, Any]:
        """A debunk (active or retracted) with its ClaimReview form and the person's clarifications."""
        with self.store.read() as tx:
            row = debunks.get(tx, debunk_id)
            return debunks.public(row, clarifications.active_for(tx, [debunk_id]).get(debunk_id, []))

    def list_debunks(self, limit: int = 100, after: str | None = None,
                     status: str | None = "active") -> list[dict[str, Any]]:
        """Stored debunks, oldest first (``after``: a ``created_at`` to continue from; ``status`` ``None``: all)."""
        with self.store.read() as tx:
            rows = debunks.listing(tx, limit, after, status)
            found = clarifications.active_for(tx, [r["id"] for r in rows])
            return [debunks.public(r, found.get(r["id"], [])) for r in rows]

    def update_debunk(self, debunk_id: str, raw: Any, actor: str, *, partial: bool = False,
                      reason: str = "") -> dict[str, Any]:
        """A new version of an active debunk: ``raw`` is the whole debunk (PUT) or the fields to change
        (``partial``, PATCH: ``null`` removes a field); the read-only fields of :meth:`get_debunk` are ignored,
        so a debunk as read can be sent back edited. The same content again changes nothing. Labels
        already on posts stay (they link to the debunk, now in its new version); run a backfill to label
        posts that match only the new wording."""
        with self.unit() as unit:
            stored = debunks.get(unit.tx, debunk_id)
            raw = debunks.editable(stored, raw)
            if partial:
                debunk = debunks.merged(stored, raw)
            else:
                debunk = debunks.parse_item({"id": debunk_id, **raw} if isinstance(raw, dict) else raw)
            debunks.update(unit, debunk_id, debunk, actor, reason)
        self.debunk_index.refresh()
        return self.get_debunk(debunk_id)

    def retract_debunk(self, debunk_id: str, actor: str, reason: str) -> dict[str, Any]:
        """Retract a debunk: it stops matching and every label from it is withdrawn (authors are told).

        Answers ``{"debunk": <the retracted debunk>, "labels_withdrawn": n}``.
        """
        with self.unit() as unit:
            debunks.retract(unit, debunk_id, actor, reason)
            withdrawn = labels.withdraw_for_debunk(unit, debunk_id, f"debunk retracted: {reason}", actor)
        self.debunk_index.refresh()
        return {"debunk": self.get_debunk(debunk_id), "labels_withdrawn": withdrawn}

    def debunk_history(self, debunk_id: str) -> list[dict[str, Any]]:
        """Every version of a debunk, oldest first: ``version``, ``change`` (created, updated, retracted),
        ``actor``, ``reason``, ``at`` and the ``debunk`` as it was then."""
        with self.store.read() as tx:
            return debunks.history(tx, debunk_id)

    def add_clarification(self, debunk_id: str, account: str, text: str, actor: str,
                          stated_at: str | None = None) -> dict[str, Any]:
        """Record the clarification of the person a rumor is about (after a moderator checked it is theirs)."""
        with self.unit() as unit:
            return clarifications.public(clarifications.add(unit, debunk_id, account, text, stated_at, actor))

    def search_debunks(self, query: str, k: int = 5) -> list[dict[str, Any]]:
        """Debunk cards for a search query, best first (what a platform pins on a rumor search)."""
        if not query.strip():
            return []
        found = self.debunk_index.search(query, k)
        with self.store.read() as tx:
            return clarifications.with_clarifications(tx, found)

    def match_posts(self, posts: list[tuple[str, str]], k: int = 5) -> list[dict[str, Any]]:
        """``clearspace match`` against the stored registry: ``{"id", "matches": [{"debunk_id", "score"}]}``
        per ``(id, text)``, in order; nothing is stored."""
        for post_id, text in posts:
            check_length(text, self.settings.max_text_chars, f"text of post {post_id[:100]!r}")
        found = self.debunk_index.match([text for _, text in posts], k)
        return [{"id": post_id, "matches": matches} for (post_id, _), matches in zip(posts, found, strict=True)]

    # ------------------------------------------------------------------ rumors: labels
    def label_text(self, text: str) -> list[dict[str, Any]]:
        """Labels for a text (``debunk_id``, ``score``, ``verdict``, ``url``, ``rule``); nothing is stored."""
        if not text.strip():
            return []
        return self.debunk_index.label(text)

    def label_event(self, event_id: str, actor: str = "rumors") -> list[dict[str, Any]]:
        """Label one stored event against the registry now (as ingest does for new events); answers its
        active labels (those added now and before)."""
        with self.store.read() as tx:
            event = None if "\x00" in event_id else tx.get("events", event_id)
        if event is None:
            raise NotFound(f"no event {event_id!r}")
        found = self.label_text(event["text"])
        if found:
            with self.unit() as unit:
                labels.apply(unit, event, found, actor, source="manual")
        return self.post_labels(event_id)

    def post_labels(self, event_id: str, include_withdrawn: bool = False) -> list[dict[str, Any]]:
        """The rumor labels on a post, highest score first (:func:`clearspace.service.labels.public`)."""
        with self.store.read() as tx:
            return labels.labels_of(tx, event_id, include_withdrawn)

    def post_context(self, event_id: str) -> dict[str, Any]:
        """What a platform shows with a post: ``{"event_id", "labels": [...], "notes": [...]}`` (active rumor
        labels, and the crowd notes shown, i.e. rated helpful)."""
        with self.store.read() as tx:
            if "\x00" in event_id or tx.get("events", event_id) is None:
                raise NotFound(f"no event {event_id!r}")
            return {"event_id": event_id, "labels": labels.labels_of(tx, event_id),
                    "notes": [note_rules.public(r) for r in note_rules.on_post(tx, event_id, shown_only=True)]}

    def backfill_labels(self, debunk_ids: list[str] | None = None, progress: labels.Progress | None = None,
                        actor: str = "rumors", page_size: int = 500) -> dict[str, Any]:
        """Label every stored post that matches the registry, or only the given debunks (idempotent).

        ``progress(scanned, total, labelled)`` follows each page. Answers ``scanned``, ``total``,
        ``labelled`` (new labels), ``posts_labelled`` and ``debunk_ids``.
        """
        with self.store.read() as tx:
            labels.check_debunks(tx, debunk_ids)
        return labels.backfill(self.store, self.debunk_index, self.unit, debunk_ids=debunk_ids, actor=actor,
                               page_size=page_size, progress=progress)

    def start_backfill(self, debunk_ids: list[str] | None, actor: str) -> dict[str, Any]:
        """:meth:`backfill_labels` as a background job in this process; answers the job (see :meth:`get_job`)."""
        with self.store.read() as tx:
            labels.check_debunks(tx, debunk_ids)
        with self.unit() as unit:
            job = jobs.create(unit, "backfill_labels", {"debunk_ids": debunk_ids}, actor)
        job_id = job["id"]

        def report(scanned: int, total: int, labelled: int) -> None:
            jobs.progress(self.store, self.clock, job_id, scanned, total, {"labelled": labelled})

        jobs.run(self.store, self.clock, job_id,
                 lambda: self.backfill_labels(debunk_ids, report, actor=actor))
        return jobs.public(job)

    def get_job(self, job_id: str) -> dict[str, Any]:
        with self.store.read() as tx:
            return jobs.public(jobs.get(tx, job_id))

    # ------------------------------------------------------------------ rumors: crowd notes
    def write_note(self, event_id: str, author: str, text: str, sources: list[str] | None = None,
                   actor: str = "notes") -> dict[str, Any]:
        """A contributor's note on a stored post; it starts as ``needs_more_ratings`` (not shown)."""
        with self.unit() as unit:
            row = note_rules.write(unit, event_id, author, text, list(sources or []), actor)
            return note_rules.public(row, note_rules.history_of(unit.tx, row["id"]))

    def rate_note(self, note_id: str, rater: str, helpful: str, actor: str = "notes") -> dict[str, Any]:
        """Rate a note (``helpful``: ``yes``, ``somewhat``, ``no``; a later rating replaces the earlier one).

        The notes are scored again at once while the store holds at most ``notes_rescore_max_ratings``
        ratings (beyond that, by :meth:`score_notes`). Answers the note as it stands now, with its history.
        """
        with self.unit() as unit:
            note_rules.rate(unit, note_id, rater, helpful, actor)
            if note_rules.ratings_count(unit.tx) <= self.settings.notes_rescore_max_ratings:
                note_rules.rescore(unit, "notes")
        return self.get_note(note_id)

    def score_notes(self, actor: str = "notes") -> note_rules.Rescored:
        """Score every note now (the job behind ``clearspace notes score``): ``notes``, ``ratings``,
        ``changed`` (status changes), ``rings`` (rating rings found)."""
        with self.unit() as unit:
            return note_rules.rescore(unit, actor)

    def get_note(self, note_id: str) -> dict[str, Any]:
        """A note with its score and status history."""
        with self.store.read() as tx:
            row = note_rules.get(tx, note_id)
            return note_rules.public(row, note_rules.history_of(tx, note_id))

    def list_notes(self, event_id: str, shown_only: bool = False) -> list[dict[str, Any]]:
        """The notes on a post, oldest first (only those shown, when asked)."""
        with self.store.read() as tx:
            return [note_rules.public(r) for r in note_rules.on_post(tx, event_id, shown_only)]

    def export_notes(self) -> bytes:
        """Every note and rating as JSON Lines: enough to score them again (``clearspace.rumors.notes``)."""
        from clearspace.rumors.notes import export_jsonl

        with self.store.read() as tx:
            return export_jsonl(*note_rules.export_rows(tx))

    # ------------------------------------------------------------------ webhooks
    def add_webhook(self, url: str, topics: list[str], actor: str, secret: str | None = None) -> dict[str, Any]:
        """Register a webhook; the answer holds its signing secret (shown only here)."""
        from clearspace.service.webhooks import new_hook

        row = new_hook(self.ids.new("hook"), url, topics, self.now(), secret)
        with self.unit() as unit:
            unit.tx.insert("webhooks", row)
            unit.log("webhook.added", actor, row["id"], {"url": url, "topics": topics})
        return row

    def list_webhooks(self) -> list[dict[str, Any]]:
        with self.store.read() as tx:
            return [{k: v for k, v in h.items() if k != "secret"} for h in tx.select("webhooks")]

    def deliver_webhooks(self, client: Any) -> dict[str, int]:
        """Deliver the outbox messages that are due through ``client`` (an ``httpx.Client``)."""
        from clearspace.service.webhooks import deliver_due

        return deliver_due(self.store, client, self.clock(), self.settings.webhook_max_attempts)

    # ------------------------------------------------------------------ reviewer views (the console)
    def account_history(self, account: str, limit: int = 20) -> dict[str, Any]:
        """Strikes, restrictions, latest posts (with the action on each) and decisions about an account."""
        from clearspace.service.history import account_history

        with self.store.read() as tx:
            return account_history(tx, account, self.now(), limit)

    def reporter_standing(self, names: list[str]) -> dict[str, dict[str, Any]]:
        """Each reporter's reputation in [0, 1] and trusted-flagger status."""
        from clearspace.service.history import reporters

        with self.store.read() as tx:
            return reporters(tx, names)

    def audit_page(self, *, before: int | None = None, kind: str | None = None, subject: str | None = None,
                   actor: str | None = None, limit: int = 100) -> list[Row]:
        """Audit entries newest first (``before``: a ``seq`` to continue below)."""
        from clearspace.service.history import audit_page

        with self.store.read() as tx:
            return audit_page(tx, before=before, kind=kind, subject=subject, actor=actor, limit=limit)

    def transparency_timeline(self, start: str, end: str) -> dict[str, Any]:
        """The transparency report's decisions and appeals per bucket of days, for charts."""
        from clearspace.service import transparency

        lo, hi = transparency.bounds(start, end)
        return transparency.timeline(audit.export(self.store, lo, hi), lo, hi)

    def policy_rules(self) -> dict[str, dict[str, Any]]:
        """The engine's policy rules by ``name@version``: category, priority, action and description."""
        engine, _ = self._scoring()
        return {rule.id: {"category": rule.category, "priority": rule.priority, "action": rule.action,
                          "description": rule.description} for rule in engine.policy_.rules}

    # ------------------------------------------------------------------ rumor labels under review (the console)
    def labels_to_review(self, waiting: bool = True, limit: int = 100) -> list[dict[str, Any]]:
        """Automatic rumor labels newest first (``waiting``: active and not yet checked by a moderator)."""
        from clearspace.service import label_review

        with self.store.read() as tx:
            return label_review.recent(tx, waiting=waiting, limit=limit)

    def review_label(self, label_id: str, actor: str, confirm: bool, reason: str = "") -> dict[str, Any]:
        """Confirm an automatic label, or reject it (withdrawn, its decision reversed, the author told)."""
        from clearspace.service import label_review

        with self.unit() as unit:
            return label_review.review(unit, label_id, actor, confirm, reason)

    def recent_notes(self, status: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Crowd notes newest first, with their post's text."""
        from clearspace.service import label_review

        with self.store.read() as tx:
            return label_review.recent_notes(tx, status=status, limit=limit)

    # ------------------------------------------------------------------ issue 11 (tamper): audit checkpoints, sessions
    def make_audit_checkpoint(self, actor: str) -> dict[str, Any]:
        """Sign a checkpoint of the audit chain heads now (Conflict when the chain is broken)."""
        document = checkpoints.create(self.store, self.unit, self.evidence_key(), actor)
        assert document is not None
        return document

    def audit_checkpoint_tick(self) -> int:
        """The periodic checkpoint (every ``audit_checkpoint_seconds``; 0: never): 1 when one was made."""
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

    def audit_checkpoints(self, limit: int = 100) -> list[dict[str, Any]]:
        """Stored checkpoint documents, newest first (each verifiable on its own: service/anchor.py)."""
        with self.store.read() as tx:
            return checkpoints.listing(tx, limit)

    def audit_alarms(self, limit: int = 100) -> list[Row]:
        """Audit chain alarms, newest first (``acknowledged_at`` None: still open)."""
        with self.store.read() as tx:
            return checkpoints.alarms(tx, limit)

    def acknowledge_audit_alarm(self, alarm_id: str, actor: str, note: str = "") -> Row:
        """An admin acknowledges a broken-chain alarm (an ``audit.alarm_acknowledged`` event)."""
        with self.unit() as unit:
            return checkpoints.acknowledge(unit, alarm_id, actor, note)

    def verify_audit_checkpoint(self, document: Mapping[str, Any], public_key: str | None = None) -> list[str]:
        """What stops the log from extending ``document`` (empty: it does): the signature (against
        ``public_key``, default this service's evidence key), the whole chain, the named heads."""
        from clearspace.service import anchor

        problems = anchor.check_document(document, public_key or self.evidence_public_key())
        chain = audit.verify(self.store)
        if not chain.ok:
            problems.append(f"the chain is broken at seq {chain.broken_at}: {chain.problem}")
        return problems + anchor.check_extends(self.store, document)

    def open_console_session(self, sid: str, key_id: str, lifetime_s: float, actor: str) -> None:
        """Record a console sign-in (service/console_sessions.py)."""
        from clearspace.service import console_sessions

        with self.unit() as unit:
            console_sessions.start(unit, sid, key_id, lifetime_s, actor)

    def close_console_session(self, sid: str, actor: str) -> bool:
        """Console sign-out: the session stops working in every process."""
        from clearspace.service import console_sessions

        with self.unit() as unit:
            return console_sessions.end(unit, sid, actor)

    # ------------------------------------------------------------------ issue 14 point 10 (console): queue rows
    def case_summaries(self, cases: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
        """Per case id, what a queue row shows beside it: a snippet, the category, the author (or the
        incident's target and size); see :func:`clearspace.service.case_summaries.summaries`."""
        from clearspace.service.case_summaries import summaries

        with self.store.read() as tx:
            return summaries(tx, cases)

    # ------------------------------------------------------------------ issue 14 (operator): the policy in force
    def active_policy(self) -> dict[str, Any]:
        """The policy this process runs (``name@version``, file hash, source) and the database's active one."""
        with self.store.read() as tx:
            row = policy_state.stored(tx)
        current = self.policy_tracker.current
        return {"running": current.to_dict() if current else None,
                "active": None if row is None else {**policy_state.stored_info(row).to_dict(),
                                                    "loaded_at": row["loaded_at"], "loaded_by": row["loaded_by"]}}

    def reload_policy(self, actor: str, path: str | None = None) -> policy_state.Reload:
        """Read the policy file again (``path``, default the ``policy`` setting) and make it the active policy
        of every process on this database; PolicyError with every problem when it is refused (nothing changes)."""
        known = self.known_signal_kinds()  # issue 13: with plug-ins, their kinds too
        compiled = policy_state.read_file(path, known) if path else policy_state.configured(self.settings.policy, known)
        with self.unit() as unit:
            row = policy_state.stored(unit.tx)
            old = policy_state.stored_info(row) if row is not None else self.policy_tracker.current
            changed = policy_state.record(unit, compiled, old, actor)
        if self.engine is not None:
            self._use_policy(compiled)
        return {"changed": changed, "old": old.to_dict() if old else None, "new": compiled.info.to_dict()}

    def policy_tick(self) -> bool:
        """Switch to the database's active policy when another process reloaded it (True when it switched)."""
        current = self.policy_tracker.current
        if current is None:
            return False
        with self.store.read() as tx:
            row = policy_state.stored(tx)
        if row is None or row["sha256"] == current.sha256:
            return False
        try:
            compiled = policy_state.compile_row(row)
        except PolicyError:
            log.exception("the stored active policy %s@%s does not compile here; keeping %s",
                          row["name"], row["version"], current.label)
            return False
        self._use_policy(compiled)
        log.warning("policy reloaded: %s -> %s (%s)", current.label, compiled.info.label, compiled.info.sha256[:12])
        return True

    def _policy_at_start(self) -> None:
        """Make the configured policy the database's active one when this process starts (see policy_state)."""
        if self.policy_tracker.current is not None:
            return
        engine, _ = self._scoring()
        text = policy_state.source_bytes(engine.policy_.source)
        info = policy_state.info_of(engine.policy_, text)
        self.policy_tracker.current = info
        compiled = policy_state.Compiled(engine.policy_, (text or b"").decode("utf-8", "replace"), info)
        with self.unit() as unit:
            row = policy_state.stored(unit.tx)
            if row is None or row["sha256"] != info.sha256:
                policy_state.record(unit, compiled, None if row is None else policy_state.stored_info(row),
                                    "startup")

    def _use_policy(self, compiled: policy_state.Compiled) -> None:
        engine, _ = self._scoring()
        with self.policy_tracker.lock:
            engine.policy = compiled.policy  # type: ignore[attr-defined]  # Engine and stand-ins keep both
            engine.policy_ = compiled.policy
            self._rules = None
            self.policy_tracker.current = compiled.info

    # ------------------------------------------------------------------ issue 13: plug-ins and shadow mode
    def plugin_stats(self) -> dict[str, Any]:
        """Each plug-in's health and cost (calls, outcomes, latency, breaker) and those that could not load."""
        return self.plugin_set.stats()

    def start_shadow(self, spec: CandidateSpec, actor: str) -> ShadowRun:
        """Run ``spec`` in shadow beside the active engine (Conflict when a run is already running)."""
        return self.shadow.start(spec, actor)

    def stop_shadow(self, actor: str) -> ShadowRun:
        """Stop the running shadow run; answers it with its final counts."""
        return self.shadow.stop(actor)

    def shadow_summary(self, run_id: str | None = None, kind: str | None = None, limit: int = 20) -> dict[str, Any]:
        """A shadow run (the running one, else the latest) with counts by kind and example disagreements."""
        return self.shadow.summary(run_id, kind, limit)

    def shadow_tick(self) -> None:
        """Follow shadow runs started or stopped by another process; record posts dropped here."""
        self.shadow.sync()

    def known_signal_kinds(self) -> tuple[str, ...]:
        """The signal kinds a policy may name here: the engine's (with its plug-ins') or the built-in ones."""
        from clearspace.signals import BUILTIN_SIGNAL_KINDS

        engine, _ = self._scoring()
        kinds = getattr(engine, "signal_kinds", None)
        found = kinds() if callable(kinds) else None
        return tuple(found) if found else BUILTIN_SIGNAL_KINDS
    # ------------------------------------------------------------------ learning: labels and model versions (issue 13)
    def models(self) -> models_.ModelRegistry:
        """The model registry of this database (created on first use; see service/models.py)."""
        if self._models is None:
            self._models = models_.ModelRegistry(self.store, self._normalizer_factory)
        return self._models

    def _normalizer_factory(self) -> models_.Normalize:
        engine = self.engine
        normalizer = getattr(engine, "normalizer_", None) if engine is not None else None
        if normalizer is None:
            from clearspace.detectors.lexicon import LexiconDetector
            from clearspace.text.normalize import Normalizer

            normalizer = Normalizer(homophone_terms=LexiconDetector().homophone_terms())
        return lambda text: str(normalizer.normalize(text).text)

    def model_tick(self) -> str | None:
        """Serve the active model version if it changed (run every ``model_check_seconds`` by the app)."""
        engine, _ = self._scoring()
        return self.models().sync(engine)

    def add_training_labels(self, raw: Any, actor: str) -> dict[str, Any]:
        """Explicit labels: one ``{"event_id", "abusive", "category"?}`` (answered as stored) or a list of up
        to 1,000 (``{"results", "stored", "errors"}``, an error per bad item, the rest stored)."""
        with self.unit() as unit:
            return training.add_explicit(unit, raw, actor)

    def training_labels(self, after: int = 0, limit: int = 100, current_only: bool = True,
                        event_id: str | None = None) -> dict[str, Any]:
        """Labels oldest first from ``after`` (a label id): ``{"labels", "next_after"}``."""
        with self.store.read() as tx:
            return training.page(tx, after, limit, current_only, event_id)

    def export_training_labels(self, current_only: bool = False) -> Iterator[dict[str, Any]]:
        """Every label with its provenance and its event's text, oldest first."""
        return training.export(self.store, current_only)

    def suggest_labels(self, n: int = 20, pool: int = 5000) -> dict[str, Any]:
        """Unlabelled events whose labels would teach the model most (service/suggest.py)."""
        from clearspace.service.suggest import suggest

        return suggest(self.store, self.models(), n, pool)

    def train_model(self, actor: str, holdout: float = 0.2, seed: int = 7) -> dict[str, Any]:
        """A new model version from the shipped model and the current labels (not promoted)."""
        return self.models().train(self.unit, actor, holdout=holdout, seed=seed)

    def list_models(self) -> dict[str, Any]:
        return self.models().listing()

    def promote_model(self, version: str, actor: str, reason: str = "") -> dict[str, Any]:
        """Make ``version`` active in every process over this database (within ``model_check_seconds``)."""
        with self.unit() as unit:
            self.models().promote(unit, version, actor, reason)
        return dict(self.list_models()["active"])

    def rollback_model(self, actor: str, reason: str = "") -> dict[str, Any]:
        """Return to the version active before the current one was promoted."""
        with self.unit() as unit:
            self.models().rollback(unit, actor, reason)
        return dict(self.list_models()["active"])

    def export_model(self, version: str) -> bytes:
        """The model file of ``version`` (``shipped`` included), loadable by ``clearspace scan --model``."""
        return self.models().weights(version)

    # ---------------------------------------------------------- issue 14 point 18 (seams): lifecycle, typed faces
    def stop_threads(self) -> None:
        """Stop this process's background threads (the shadow worker), writing what they hold; the store stays open."""
        self.shadow.close()

    def close(self) -> None:
        """Stop the background threads and release the store's connections (the end of a CLI command)."""
        self.stop_threads()
        self.store.close()

    def turn_on_protection(self, request: shield_requests.ShieldRequest, *, role: str, actor: str,
                           via: str = "self") -> dict[str, Any]:
        """Turn protection on as a face asks (:mod:`clearspace.service.shield_requests`): an assisted
        activation needs ``role`` with cases:work and is recorded as ``assisted:<actor>``, else as ``via``."""
        shield = shield_requests.build(request, role=role, actor=actor, unassisted=via, now=self.epoch())
        return self.activate_shield(shield, actor)

    def console_principal(self, sid: str, key_id: str) -> access.Principal:
        """Who is behind an open console session (its API key); Unauthenticated once the session ended
        or the key was revoked."""
        from clearspace.service import console_sessions

        with self.store.read() as tx:
            return access.principal_of(console_sessions.key_of(tx, sid, key_id, self.now()))

    def charge(self, who: str, rate: float, cost: float = 1.0) -> None:
        """Count a request of ``who`` against ``rate`` per second (RateLimited when over it; Redis when configured)."""
        self.limiter.hit(who, rate, cost)

    def charge_console(self, who: str) -> None:
        """Count a console request of ``who`` against ``Settings.console_rate_limit``."""
        self.charge(who, self.settings.console_rate_limit)

    def new_debunk_id(self) -> str:
        """A fresh debunk id (for a debunk written in the console without one)."""
        return self.ids.new("dbk")

    def transparency_period(self, start: str | None, end: str | None) -> tuple[str, str]:
        """``start`` and ``end`` where given, else the default period of :meth:`transparency` (dates)."""
        from clearspace.service import transparency

        return transparency.default_period(start, end, self.clock())

    def refresh_shields(self) -> None:
        """Re-read the shields changed since the last refresh into this process's mirror."""
        self.shield_cache.refresh()

    @property
    def shield_refresh_seconds(self) -> float:
        """How often the app refreshes the shield mirror."""
        return self.shield_cache.refresh_s

    @property
    def shares_pileon_detection(self) -> bool:
        """Shared pile-on mode: the app runs :meth:`pileon_tick` and gives the lease up on shutdown."""
        return self.shared_pileons is not None

    def release_pileon_lease(self) -> None:
        """Give the shared detector's lease up now (on shutdown), so another process takes over."""
        if self.shared_pileons is not None:
            self.shared_pileons.release()

    def nudge_draft(self, text: str, author: str | None = None) -> dict[str, Any]:
        """The pre-send nudge for a draft: its scores weighed with the author's active strikes."""
        scores = self.score_text(text).scores
        strikes = len(self.account_status(author)["strikes"]) if author else 0
        out = nudge(scores, strikes).to_dict()
        out["recent_strikes"] = strikes
        return out

    def incident_for_case(self, case_id: str) -> dict[str, Any] | None:
        """The pile-on incident (as :meth:`get_incident`) an incident case is about; None when there is none."""
        if not case_id or "\x00" in case_id:
            return None
        self._incidents_current()
        with self.store.read() as tx:
            rows = tx.select("incidents", {"case_id": case_id}, order_by=["-detected_at", "id"], limit=1)
            return incidents.detail(tx, rows[0], self.detector_config) if rows else None

    def add_debunks_and_backfill(self, raw: Any, actor: str) -> dict[str, Any]:
        """:meth:`add_debunks`, then a backfill job (:meth:`start_backfill`) for the debunks it created (a
        single debunk: always), answered in ``backfill_job``."""
        answer = self.add_debunks(raw, actor)
        created = ([r["id"] for r in answer["results"] if r["status"] == "created"] if "results" in answer
                   else [answer["id"]])
        if created:
            answer["backfill_job"] = self.start_backfill(created, actor)
        return answer

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
