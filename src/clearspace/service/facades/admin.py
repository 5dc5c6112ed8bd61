"""Administration: API keys and console sessions, audit, transparency, announcements, webhooks, policy."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from clearspace.errors import Conflict, InputError, NotFound, PolicyError
from clearspace.service import (
    access,
    audit,
    checkpoints,
    policy_state,
    protection_jobs,
)
from clearspace.service.clock import iso, parse_time
from clearspace.service.context import Facade
from clearspace.service.results_admin import (
    ActivePolicy,
    Announcement,
    AuditAlarm,
    AuditEntry,
    BusStatus,
    CheckpointDocument,
    PolicyRule,
    StoredPolicy,
    TransparencyReport,
    TransparencyTimeline,
    WebhookAdded,
    WebhookView,
)

log = logging.getLogger(__name__)


class AdminFacade(Facade):
    """``service.admin``: see the module docstring."""

    def authenticate(self, key: str | None, permission: str, cost: float = 1.0) -> access.Principal:
        """The caller behind ``key``, checked against ``permission`` and its rate limit."""
        with self._ctx.store.read() as tx:
            principal = access.authenticate(tx, key)
        access.authorize(principal, permission)
        self._ctx.limiter.hit(principal.key_id, principal.rate_limit, cost)
        return principal

    def create_key(self, role: str, name: str = "", rate_limit: float | None = None,
                   actor: str = "cli") -> tuple[access.KeyRecord, str]:
        """A new API key: ``(its public record, the key itself)``; the key is shown only once."""
        access.check_role(role)
        if rate_limit is not None and rate_limit <= 0:
            raise InputError("rate_limit must be a positive number of requests per second")
        key_id, key = access.new_key()
        row = {"id": key_id, "hash": access.hash_key(key), "prefix": key[:11], "role": role,
               "name": name or f"{role}-{key_id}", "rate_limit": rate_limit or self._ctx.settings.default_rate_limit,
               "created_at": self._ctx.now(), "revoked_at": None}
        with self._ctx.unit() as unit:
            unit.tx.insert("api_keys", row)
            unit.log("key.created", actor, key_id, {"role": role, "name": row["name"]})
        return access.public_key(row), key

    def list_keys(self) -> list[access.KeyRecord]:
        with self._ctx.store.read() as tx:
            return [access.public_key(r) for r in tx.select("api_keys", order_by=["created_at"])]

    def revoke_key(self, key_id: str, actor: str) -> access.KeyRecord:
        with self._ctx.unit() as unit:
            if not unit.tx.update("api_keys", {"id": key_id, "revoked_at": None}, {"revoked_at": unit.ts}):
                raise NotFound(f"no active API key {key_id!r}")
            unit.log("key.revoked", actor, key_id, {})
            row = unit.tx.get("api_keys", key_id)
        assert row is not None
        self._ctx.announce("keys", {"key_id": key_id})
        return access.public_key(row)

    def verify_audit(self, full: bool = True) -> audit.VerifyResult:
        """Check the audit log's hash chain: all of it, or (``full=False``) only the events after
        the last good check made by this process (see :func:`audit.verify_since`), and that it
        still extends its latest signed checkpoint. A failed check is stored as an alarm, and the
        chain is reported broken until an admin acknowledges it (service/checkpoints.py)."""
        result = checkpoints.check(self._ctx.store, self._ctx.audit_checked, full)
        if result.ok:
            self._ctx.audit_checked = result
        else:
            with self._ctx.unit() as unit:
                checkpoints.raise_alarm(unit, result, "audit-check")
        return checkpoints.with_alarms(self._ctx.store, result)

    def export_audit(self, start: str | None = None, end: str | None = None) -> Iterator[AuditEntry]:
        """Audit events with ``start <= ts < end`` (ISO dates or times; either may be omitted)."""
        lo = iso(parse_time(start, "from")) if start else None
        hi = iso(parse_time(end, "to")) if end else None
        return map(audit.entry, audit.export(self._ctx.store, lo, hi))

    def transparency(self, start: str | None = None, end: str | None = None) -> TransparencyReport:
        """The transparency report for ``[start, end)``, from the audit log alone (default: the last 30 days)."""
        from clearspace.service import transparency

        lo, hi = transparency.bounds(*transparency.default_period(start, end, self._ctx.clock()))
        return transparency.aggregate(audit.export(self._ctx.store, lo, hi), lo, hi)

    def console_secret(self) -> str:
        """What signs console session cookies: the ``console_secret`` setting, else a secret derived
        from the evidence signing key, so every worker process over one database, and a restarted
        server, accept the same sessions (replacing that key signs everyone out)."""
        if self._ctx.settings.console_secret:
            return self._ctx.settings.console_secret
        try:
            key = self._ctx.evidence_key()
        except (OSError, ValueError, InputError) as exc:  # e.g. a read-only folder: the console works, per process
            log.warning("console sessions are signed with a secret of this process only: %s", exc)
            return secrets.token_hex(32)
        return protection_jobs.derive_secret(key, b"clearspace console sessions")

    def add_webhook(self, url: str, topics: list[str], actor: str, secret: str | None = None) -> WebhookAdded:
        """Register a webhook; the answer holds its signing secret (shown only here)."""
        from clearspace.service.webhooks import new_hook

        row = new_hook(self._ctx.ids.new("hook"), url, topics, self._ctx.now(), secret)
        with self._ctx.unit() as unit:
            unit.tx.insert("webhooks", row)
            unit.log("webhook.added", actor, row["id"], {"url": url, "topics": topics})
        return row

    def webhooks(self) -> list[WebhookView]:
        """Every registered webhook, never its secret."""
        from clearspace.service.webhooks import public

        with self._ctx.store.read() as tx:
            return [public(h) for h in tx.select("webhooks")]

    def deliver_webhooks(self, client: Any) -> dict[str, int]:
        """Deliver the outbox messages that are due through ``client`` (an ``httpx.Client``)."""
        from clearspace.service.webhooks import deliver_due

        return deliver_due(self._ctx.store, client, self._ctx.clock(), self._ctx.settings.webhook_max_attempts)

    def audit_page(self, *, before: int | None = None, kind: str | None = None, subject: str | None = None,
                   actor: str | None = None, limit: int = 100) -> list[AuditEntry]:
        """Audit entries newest first, over every chain (``before``: an ``id`` to continue below)."""
        from clearspace.service.history import audit_page

        with self._ctx.store.read() as tx:
            rows = audit_page(tx, before=before, kind=kind, subject=subject, actor=actor, limit=limit)
        return [audit.entry(r) for r in rows]

    def transparency_timeline(self, start: str, end: str) -> TransparencyTimeline:
        """The transparency report's decisions and appeals per bucket of days, for charts."""
        from clearspace.service import transparency

        lo, hi = transparency.bounds(start, end)
        return transparency.timeline(audit.export(self._ctx.store, lo, hi), lo, hi)

    def policy_rules(self) -> dict[str, PolicyRule]:
        """The engine's policy rules by ``name@version``: category, priority, action and description."""
        engine = self._ctx.scoring()
        return {rule.id: {"category": rule.category, "priority": rule.priority, "action": rule.action,
                          "description": rule.description} for rule in engine.policy_.rules}

    def make_audit_checkpoint(self, actor: str) -> CheckpointDocument:
        """Sign a checkpoint of the audit chain heads now (Conflict when the chain is broken)."""
        document = checkpoints.create(self._ctx.store, self._ctx.unit, self._ctx.evidence_key(), actor)
        assert document is not None
        return document

    def audit_checkpoint_tick(self) -> int:
        """The periodic checkpoint (every ``audit_checkpoint_seconds``; 0: never): 1 when one was made."""
        every = self._ctx.settings.audit_checkpoint_seconds
        if every <= 0:
            return 0
        try:
            made = checkpoints.create(self._ctx.store, self._ctx.unit, self._ctx.evidence_key(), "scheduler",
                                      every_s=every,
                                      now=self._ctx.clock())
        except Conflict as exc:
            log.error("no audit checkpoint signed: %s", exc)
            return 0
        return 0 if made is None else 1

    def audit_checkpoints(self, limit: int = 100) -> list[CheckpointDocument]:
        """Stored checkpoint documents, newest first (each verifiable on its own: service/anchor.py)."""
        with self._ctx.store.read() as tx:
            return checkpoints.listing(tx, limit)

    def audit_alarms(self, limit: int = 100) -> list[AuditAlarm]:
        """Audit chain alarms, newest first (``acknowledged_at`` None: still open)."""
        with self._ctx.store.read() as tx:
            return checkpoints.alarms(tx, limit)

    def acknowledge_audit_alarm(self, alarm_id: str, actor: str, note: str = "") -> AuditAlarm:
        """An admin acknowledges a broken-chain alarm (an ``audit.alarm_acknowledged`` event)."""
        with self._ctx.unit() as unit:
            return checkpoints.acknowledge(unit, alarm_id, actor, note)

    def verify_audit_checkpoint(self, document: Mapping[str, Any], public_key: str | None = None) -> list[str]:
        """What stops the log from extending ``document`` (empty: it does): the signature (against
        ``public_key``, default this service's evidence key), the whole chain, the named heads."""
        from clearspace.protection.evidence import public_hex
        from clearspace.service import anchor

        problems = anchor.check_document(document, public_key or public_hex(self._ctx.evidence_key()))
        chain = audit.verify(self._ctx.store)
        if not chain.ok:
            problems.append(f"the chain is broken at seq {chain.broken_at}: {chain.problem}")
        return problems + anchor.check_extends(self._ctx.store, document)

    def open_console_session(self, sid: str, key_id: str, lifetime_s: float, actor: str) -> None:
        """Record a console sign-in (service/console_sessions.py)."""
        from clearspace.service import console_sessions

        with self._ctx.unit() as unit:
            console_sessions.start(unit, sid, key_id, lifetime_s, actor)

    def close_console_session(self, sid: str, actor: str) -> bool:
        """Console sign-out: the session stops working in every process."""
        from clearspace.service import console_sessions

        with self._ctx.unit() as unit:
            return console_sessions.end(unit, sid, actor)

    def active_policy(self) -> ActivePolicy:
        """The policy this process runs (``name@version``, file hash, source) and the database's active one."""
        with self._ctx.store.read() as tx:
            row = policy_state.stored(tx)
        current = self._ctx.policy_tracker.current
        active: StoredPolicy | None = None if row is None else {
            **policy_state.stored_info(row).to_dict(), "loaded_at": row["loaded_at"], "loaded_by": row["loaded_by"]}
        return {"running": current.to_dict() if current else None, "active": active}

    def reload_policy(self, actor: str, path: str | None = None) -> policy_state.Reload:
        """Read the policy file again (``path``, default the ``policy`` setting) and make it the active policy
        of every process on this database; PolicyError with every problem when it is refused (nothing changes)."""
        known = self._ctx.known_signal_kinds()  # issue 13: with plug-ins, their kinds too
        compiled = policy_state.read_file(path,
                                          known) if path else policy_state.configured(self._ctx.settings.policy, known)
        with self._ctx.unit() as unit:
            row = policy_state.stored(unit.tx)
            old = policy_state.stored_info(row) if row is not None else self._ctx.policy_tracker.current
            changed = policy_state.record(unit, compiled, old, actor)
        if self._ctx.engine is not None:
            self._ctx.use_policy(compiled)
        self._ctx.announce("policy", {})
        return {"changed": changed, "old": old.to_dict() if old else None, "new": compiled.info.to_dict()}

    def bus_status(self, recent_dead: int = 20) -> BusStatus:
        """Bus mode: partitions, owners, consumed and pending counts, dead letters (service/bus_status.py)."""
        from clearspace.service.bus_status import status

        return status(self._ctx.store, self._ctx.settings, self._ctx.now(), recent_dead)

    def bus_overview(self, recent_dead: int = 20) -> BusStatus | None:
        """:meth:`bus_status` in bus mode; ``None`` in embedded mode (no ``bus_url``: there is no bus).
        BusUnavailable when NATS cannot be reached."""
        if not self._ctx.settings.bus_url:
            return None
        return self.bus_status(recent_dead)

    def policy_tick(self) -> bool:
        """Switch to the database's active policy when another process reloaded it (True when it switched)."""
        current = self._ctx.policy_tracker.current
        if current is None:
            return False
        with self._ctx.store.read() as tx:
            row = policy_state.stored(tx)
        if row is None or row["sha256"] == current.sha256:
            return False
        try:
            compiled = policy_state.compile_row(row)
        except PolicyError:
            log.exception("the stored active policy %s@%s does not compile here; keeping %s",
                          row["name"], row["version"], current.label)
            return False
        self._ctx.use_policy(compiled)
        log.warning("policy reloaded: %s -> %s (%s)", current.label, compiled.info.label, compiled.info.sha256[:12])
        return True

    def known_signal_kinds(self) -> tuple[str, ...]:
        """The signal kinds a policy may name here: the engine's (with its plug-ins') or the built-in ones."""
        return self._ctx.known_signal_kinds()

    def console_principal(self, sid: str, key_id: str) -> access.Principal:
        """Who is behind an open console session (its API key); Unauthenticated once the session ended
        or the key was revoked."""
        from clearspace.service import console_sessions

        with self._ctx.store.read() as tx:
            return access.principal_of(console_sessions.key_of(tx, sid, key_id, self._ctx.now()))

    def charge(self, who: str, rate: float, cost: float = 1.0) -> None:
        """Count a request of ``who`` against ``rate`` per second (RateLimited when over it; Redis when configured)."""
        self._ctx.limiter.hit(who, rate, cost)

    def charge_console(self, who: str) -> None:
        """Count a console request of ``who`` against ``Settings.console_rate_limit``."""
        self.charge(who, self._ctx.settings.console_rate_limit)

    def transparency_period(self, start: str | None, end: str | None) -> tuple[str, str]:
        """``start`` and ``end`` where given, else the default period of :meth:`transparency` (dates)."""
        from clearspace.service import transparency

        return transparency.default_period(start, end, self._ctx.clock())

    def draft_announcement(self, case_ids: Sequence[str], title: str, lang: str, actor: str) -> Announcement:
        """A typical-case announcement drafted from decided cases, personal information masked."""
        from clearspace.service import announcements

        with self._ctx.unit() as unit:
            return announcements.draft(unit, case_ids, title, lang, actor)

    def publish_announcement(self, announcement_id: str, actor: str) -> Announcement:
        from clearspace.service import announcements

        with self._ctx.unit() as unit:
            return announcements.publish(unit, announcement_id, actor)

    def announcements(self, status: str = "published", limit: int = 100) -> list[Announcement]:
        from clearspace.service import announcements

        with self._ctx.store.read() as tx:
            return announcements.listing(tx, status, limit)

    def announcement(self, announcement_id: str) -> Announcement:
        from clearspace.service import announcements

        with self._ctx.store.read() as tx:
            return announcements.get(tx, announcement_id)
