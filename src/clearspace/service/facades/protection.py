"""Protection: shields (一键防护), the held folder, risk prompts, pile-on incidents, nudges, evidence."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from clearspace.errors import NotFound
from clearspace.protection.incidents import Incident
from clearspace.protection.nudge import nudge
from clearspace.protection.shield import Interaction, Shield, Verdict
from clearspace.protection.shield import check as check_shield
from clearspace.service import (
    incidents,
    pileon_shared,
    protection_jobs,
    shield_requests,
    shields,
)
from clearspace.service.clock import iso
from clearspace.service.context import Facade
from clearspace.service.events import check_length
from clearspace.service.results import HeldView, IncidentSummary, ShieldOff, ShieldView
from clearspace.service.results_protection import (
    ExpiryReminder,
    IncidentCounts,
    IncidentDetail,
    NudgeView,
    PileonTick,
    ProtectionTick,
    ShieldCheck,
)
from clearspace.service.strikes import account_status
from clearspace.store import Row

log = logging.getLogger(__name__)


class ProtectionFacade(Facade):
    """``service.protection``: see the module docstring."""

    def epoch(self) -> float:
        """The service clock in epoch seconds (the protection core's time)."""
        return float(self._ctx.clock().timestamp())

    def activate(self, shield: Shield, actor: str) -> ShieldView:
        """Store ``shield`` as its account's protection (replacing any earlier one)."""
        with self._ctx.unit() as unit:
            shields.activate(unit, shield, actor)
        self._ctx.shield_cache.put(shield)
        self._ctx.announce("shields", {"account": shield.account})
        return shields.public(shield)

    def shield(self, account: str) -> ShieldView:
        """The account's protection in force now; NotFound when none or expired."""
        with self._ctx.store.read() as tx:
            shield = shields.active(tx, account, self._ctx.epoch())
        if shield is None:
            raise NotFound(f"no active protection for {account!r}")
        return shields.public(shield)

    def deactivate(self, account: str, actor: str) -> ShieldOff:
        with self._ctx.unit() as unit:
            if not shields.deactivate(unit, account, actor):
                raise NotFound(f"no protection for {account!r}")
        self._ctx.shield_cache.drop(account)
        self._ctx.announce("shields", {"account": account})
        return {"account": account, "active": False}

    def verdict(self, account: str, interaction: Interaction, *, refresh: bool = True) -> Verdict:
        """deliver / hold / drop from the in-memory mirror of shields (nothing is stored)."""
        return check_shield(self._ctx.shield_cache.get(account, refresh=refresh), interaction, self._ctx.epoch())

    def check(self, account: str, interaction: Interaction, *, item_id: str = "",
              text: str = "") -> ShieldCheck:
        """deliver / hold / drop for one interaction; a held one goes into the account's folder
        (its ``held_id`` is in the answer)."""
        check_length(text, self._ctx.settings.max_text_chars)
        verdict = self.verdict(account, interaction)
        answer: ShieldCheck = {"action": verdict.action, "reason": verdict.reason}
        if verdict.action == "hold":
            answer["held_id"] = self.store_held([self.held_row(account, interaction, verdict, item_id, text)])[0]
        return answer

    def held_row(self, account: str, interaction: Interaction, verdict: Verdict, item_id: str = "",
                 text: str = "") -> Row:
        """The ``held_interactions`` row for one held interaction, with its new ``held_id`` (not stored yet)."""
        now = self._ctx.clock()
        return shields.held_row(self._ctx.ids.new("held"), account, interaction, verdict, now.timestamp(), iso(now),
                                item_id=item_id, text=text)

    def store_held(self, rows: Sequence[Row]) -> list[str]:
        """Store held rows (:meth:`held_row`) in one transaction, no audit event (checks are not
        audited); returns their ``held_id``."""
        if rows:
            with self._ctx.store.transaction() as tx:
                for row in rows:
                    tx.insert("held_interactions", row)
        return [r["id"] for r in rows]

    def held_folder(self, account: str, limit: int = 1000) -> list[HeldView]:
        """The interactions waiting in the account's folder, oldest first."""
        with self._ctx.store.read() as tx:
            return [shields.public_held(r) for r in shields.folder(tx, account, limit)]

    def resolve_held(self, account: str, held_id: str, decision: shields.Resolution, actor: str) -> HeldView:
        """Release or dismiss one held interaction (by its ``held_id``)."""
        with self._ctx.unit() as unit:
            return shields.public_held(shields.resolve(unit, account, held_id, decision, actor))

    def send_expiry_reminders(self) -> list[ExpiryReminder]:
        """Remind every shield whose reminder time has passed, once per activation (see protection_jobs)."""
        with self._ctx.unit() as unit:
            return protection_jobs.send_reminders(unit, self._ctx.epoch())

    def prompts(self, account: str, limit: int = 100) -> list[protection_jobs.Prompt]:
        """Risk prompts and expiry reminders for ``account``, newest first (what its platform shows it)."""
        with self._ctx.store.read() as tx:
            return protection_jobs.prompts(tx, account, limit)

    def tick(self) -> ProtectionTick:
        """The periodic job: send due expiry reminders, end quiet incidents, refresh the shield mirror."""
        reminded = len(self.send_expiry_reminders())
        ended = self.close_quiet_incidents()
        self._ctx.shield_cache.refresh()
        return {"reminders": reminded, "incidents_ended": ended, "audit_checkpoints": self._ctx.checkpoint_tick()}

    def incidents(self, status: str | None = None, limit: int = 100,
                  target: str | None = None) -> list[IncidentSummary]:
        """Incidents, most recently detected first (``status``: ``active``, ``ended`` or None for both).

        Each: ``id``, ``target``, ``status``, ``source`` (live, replay), ``start``, ``detected_at``,
        ``end`` (event time), ``minor``, ``participant_count``, ``hostile_events``, ``instigators``,
        ``case_id``, ``recorded_at``, ``updated_at``, ``ended_at`` (service time); docs/protection.md.
        """
        self._ctx.incidents_current()
        with self._ctx.store.read() as tx:
            return incidents.listing(tx, status, limit, target)

    def incident(self, incident_id: str) -> IncidentDetail:
        """One incident as listed, plus ``participants`` (each with ``role``, ``events``, ``first_ts``,
        ``max_hostility``, ``new_account``, ``follower``), ``participants_by_role``, ``top_referrals``,
        ``reporters``, ``timeline`` (per-bucket hostile and other interactions toward the target) and
        ``case`` (its review case)."""
        self._ctx.incidents_current()
        with self._ctx.store.read() as tx:
            return incidents.detail(tx, incidents.get_row(tx, incident_id), self._ctx.detector_config)

    def record_incidents(self, found: Iterable[Incident], *, source: str = "replay", prompts: bool = False,
                         actor: str = "replay") -> IncidentCounts:
        """Store incidents found outside the live detector (``clearspace replay --db``): each gets its
        row and one review case; the same incident recorded again updates its row. Risk prompts are
        sent only with ``prompts``."""
        counts: Counter[str] = Counter()
        links = self._ctx.support_links if prompts else None
        with self._ctx.unit() as unit:
            for incident in found:
                snap = replace(incidents.snapshot(incident), id=incidents.incident_id(incident.target, incident.start))
                counts[incidents.upsert(unit, snap, source=source, links=links, actor=actor)] += 1
        return {"opened": counts["opened"], "updated": counts["updated"], "ended": counts["ended"]}

    def close_quiet_incidents(self) -> int:
        """Mark ended the live incidents quiet for the detector's ``quiet_s``; how many ended (local
        mode; in shared mode the lease holder ends them in :meth:`pileon_tick`)."""
        if self._ctx.pileons is None:
            return 0
        self._ctx.pileons_ready()
        snaps = self._ctx.pileons.expire(self._ctx.epoch())
        if not snaps:
            return 0
        with self._ctx.unit() as unit:
            results = incidents.record(unit, snaps, self._ctx.support_links)
        return results.count("ended")

    def pileon_tick(self) -> PileonTick:
        """Shared mode's detection step, run every ``pileon_tick_seconds`` by the app: take or renew
        the detector's lease and, as its holder, detect over the events stored since the last tick
        (service/pileon_shared.py). Answers ``holder`` and counts; local mode has nothing to do."""
        if self._ctx.shared_pileons is None:
            return pileon_shared.idle()
        return self._ctx.shared_pileons.tick()

    def evidence(self, incident_id: str, redact: Sequence[str] = ()) -> bytes:
        """The signed evidence bundle (ZIP) of an incident: its stored events, the incident record,
        an HTML report, SHA-256 of every file, Ed25519 signature (``clearspace evidence verify``)."""
        self._ctx.incidents_current()
        with self._ctx.store.read() as tx:
            spec = incidents.bundle_spec(tx, incidents.get_row(tx, incident_id), self._ctx.epoch(), redact)
        from clearspace.protection.evidence import build_bundle

        return build_bundle(spec, self._ctx.evidence_key())

    def evidence_key(self) -> Ed25519PrivateKey:
        """The Ed25519 key that signs evidence bundles (created next to the database on first use)."""
        return self._ctx.evidence_key()

    def evidence_public_key(self) -> str:
        from clearspace.protection.evidence import public_hex

        return public_hex(self._ctx.evidence_key())

    def turn_on(self, request: shield_requests.ShieldRequest, *, role: str, actor: str,
                via: str = "self") -> ShieldView:
        """Turn protection on as a face asks (:mod:`clearspace.service.shield_requests`): an assisted
        activation needs ``role`` with cases:work and is recorded as ``assisted:<actor>``, else as ``via``."""
        shield = shield_requests.build(request, role=role, actor=actor, unassisted=via, now=self._ctx.epoch())
        return self.activate(shield, actor)

    def refresh_shields(self) -> None:
        """Re-read the shields changed since the last refresh into this process's mirror."""
        self._ctx.shield_cache.refresh()

    @property
    def refresh_seconds(self) -> float:
        """How often the app refreshes the shield mirror."""
        return self._ctx.shield_cache.refresh_s

    @property
    def shares_pileon_detection(self) -> bool:
        """Shared pile-on mode: the app runs :meth:`pileon_tick` and gives the lease up on shutdown."""
        return self._ctx.shared_pileons is not None

    def release_pileon_lease(self) -> None:
        """Give the shared detector's lease up now (on shutdown), so another process takes over."""
        if self._ctx.shared_pileons is not None:
            self._ctx.shared_pileons.release()

    def nudge_draft(self, text: str, author: str | None = None) -> NudgeView:
        """The pre-send nudge for a draft: its scores weighed with the author's active strikes."""
        scores = self._ctx.scoring().score(check_length(text, self._ctx.settings.max_text_chars)).scores
        if author:
            with self._ctx.store.read() as tx:
                strikes = len(account_status(tx, author, self._ctx.now())["strikes"])
        else:
            strikes = 0
        return {**nudge(scores, strikes).to_dict(), "recent_strikes": strikes}

    def incident_for_case(self, case_id: str) -> IncidentDetail | None:
        """The pile-on incident (as :meth:`get_incident`) an incident case is about; None when there is none."""
        if not case_id or "\x00" in case_id:
            return None
        self._ctx.incidents_current()
        with self._ctx.store.read() as tx:
            rows = tx.select("incidents", {"case_id": case_id}, order_by=["-detected_at", "id"], limit=1)
            return incidents.detail(tx, rows[0], self._ctx.detector_config) if rows else None
