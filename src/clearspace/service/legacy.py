"""DEPRECATED, for one release: the method names of the one-class ``Service`` before its split into facades
(issue 14 point 18). This module is the one place that keeps them.

``service.get_case(...)`` still works (with a :class:`DeprecationWarning`) and calls
``service.cases.get(...)``, so that branches written against the old names merge; new code, and every face,
calls the facades. The type checker does not see these names (``__getattr__`` is hidden from it), so a face
using one fails ``mypy``. Remove this module in the release after the split.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Final

OLD_NAMES: Final[dict[str, tuple[str, str]]] = {
    "ingest": ("ingest", "events"),
    "score_text": ("ingest", "score_text"),
    "get_decision": ("ingest", "decision"),
    "store_has_event": ("ingest", "has_event"),
    "get_event": ("ingest", "event"),
    "file_report": ("cases", "file_report"),
    "get_report": ("cases", "report"),
    "set_trusted_flagger": ("cases", "set_trusted_flagger"),
    "reporter_standing": ("cases", "reporter_standing"),
    "list_cases": ("cases", "queue"),
    "case_summaries": ("cases", "summaries"),
    "get_case": ("cases", "get"),
    "open_incident_case": ("cases", "open_incident_case"),
    "claim_case": ("cases", "claim"),
    "next_case": ("cases", "next"),
    "release_case": ("cases", "release"),
    "decide_case": ("cases", "decide"),
    "batch_action": ("cases", "batch_action"),
    "file_appeal": ("cases", "file_appeal"),
    "decide_appeal": ("cases", "decide_appeal"),
    "get_appeal": ("cases", "appeal"),
    "list_appeals": ("cases", "appeals"),
    "epoch": ("protection", "epoch"),
    "activate_shield": ("protection", "activate"),
    "get_shield": ("protection", "shield"),
    "deactivate_shield": ("protection", "deactivate"),
    "shield_verdict": ("protection", "verdict"),
    "check_interaction": ("protection", "check"),
    "held_row": ("protection", "held_row"),
    "store_held": ("protection", "store_held"),
    "held_folder": ("protection", "held_folder"),
    "resolve_held": ("protection", "resolve_held"),
    "send_expiry_reminders": ("protection", "send_expiry_reminders"),
    "protection_prompts": ("protection", "prompts"),
    "protection_tick": ("protection", "tick"),
    "list_incidents": ("protection", "incidents"),
    "get_incident": ("protection", "incident"),
    "record_incidents": ("protection", "record_incidents"),
    "close_quiet_incidents": ("protection", "close_quiet_incidents"),
    "pileon_tick": ("protection", "pileon_tick"),
    "incident_evidence": ("protection", "evidence"),
    "evidence_key": ("protection", "evidence_key"),
    "evidence_public_key": ("protection", "evidence_public_key"),
    "turn_on_protection": ("protection", "turn_on"),
    "refresh_shields": ("protection", "refresh_shields"),
    "shield_refresh_seconds": ("protection", "refresh_seconds"),
    "shares_pileon_detection": ("protection", "shares_pileon_detection"),
    "release_pileon_lease": ("protection", "release_pileon_lease"),
    "nudge_draft": ("protection", "nudge_draft"),
    "incident_for_case": ("protection", "incident_for_case"),
    "add_debunks": ("rumors", "add_debunks"),
    "import_debunks": ("rumors", "import_debunks"),
    "get_debunk": ("rumors", "debunk"),
    "list_debunks": ("rumors", "debunks"),
    "update_debunk": ("rumors", "update_debunk"),
    "retract_debunk": ("rumors", "retract_debunk"),
    "debunk_history": ("rumors", "debunk_history"),
    "add_clarification": ("rumors", "add_clarification"),
    "search_debunks": ("rumors", "search"),
    "match_posts": ("rumors", "match_posts"),
    "label_text": ("rumors", "label_text"),
    "label_event": ("rumors", "label_event"),
    "post_labels": ("rumors", "post_labels"),
    "post_context": ("rumors", "post_context"),
    "backfill_labels": ("rumors", "backfill_labels"),
    "start_backfill": ("rumors", "start_backfill"),
    "get_job": ("rumors", "job"),
    "write_note": ("rumors", "write_note"),
    "rate_note": ("rumors", "rate_note"),
    "score_notes": ("rumors", "score_notes"),
    "get_note": ("rumors", "note"),
    "list_notes": ("rumors", "notes"),
    "export_notes": ("rumors", "export_notes"),
    "labels_to_review": ("rumors", "labels_to_review"),
    "review_label": ("rumors", "review_label"),
    "recent_notes": ("rumors", "recent_notes"),
    "new_debunk_id": ("rumors", "new_debunk_id"),
    "add_debunks_and_backfill": ("rumors", "add_debunks_and_backfill"),
    "account_status": ("accounts", "status"),
    "put_account": ("accounts", "put"),
    "get_account": ("accounts", "get"),
    "monetization": ("accounts", "monetization"),
    "account_traffic": ("accounts", "traffic"),
    "post_traffic": ("accounts", "post_traffic"),
    "creator_record": ("accounts", "creator_record"),
    "organization": ("accounts", "organization"),
    "propose_org_measure": ("accounts", "propose_org_measure"),
    "decide_org_proposal": ("accounts", "decide_org_proposal"),
    "monetization_tick": ("accounts", "monetization_tick"),
    "notifications": ("accounts", "notifications"),
    "account_history": ("accounts", "history"),
    "authenticate": ("admin", "authenticate"),
    "create_key": ("admin", "create_key"),
    "list_keys": ("admin", "list_keys"),
    "revoke_key": ("admin", "revoke_key"),
    "charge": ("admin", "charge"),
    "charge_console": ("admin", "charge_console"),
    "console_principal": ("admin", "console_principal"),
    "console_secret": ("admin", "console_secret"),
    "open_console_session": ("admin", "open_console_session"),
    "close_console_session": ("admin", "close_console_session"),
    "verify_audit": ("admin", "verify_audit"),
    "export_audit": ("admin", "export_audit"),
    "audit_page": ("admin", "audit_page"),
    "make_audit_checkpoint": ("admin", "make_audit_checkpoint"),
    "audit_checkpoint_tick": ("admin", "audit_checkpoint_tick"),
    "audit_checkpoints": ("admin", "audit_checkpoints"),
    "audit_alarms": ("admin", "audit_alarms"),
    "acknowledge_audit_alarm": ("admin", "acknowledge_audit_alarm"),
    "verify_audit_checkpoint": ("admin", "verify_audit_checkpoint"),
    "transparency": ("admin", "transparency"),
    "transparency_timeline": ("admin", "transparency_timeline"),
    "transparency_period": ("admin", "transparency_period"),
    "add_webhook": ("admin", "add_webhook"),
    "list_webhooks": ("admin", "webhooks"),
    "deliver_webhooks": ("admin", "deliver_webhooks"),
    "draft_announcement": ("admin", "draft_announcement"),
    "publish_announcement": ("admin", "publish_announcement"),
    "announcements": ("admin", "announcements"),
    "get_announcement": ("admin", "announcement"),
    "active_policy": ("admin", "active_policy"),
    "reload_policy": ("admin", "reload_policy"),
    "policy_tick": ("admin", "policy_tick"),
    "policy_rules": ("admin", "policy_rules"),
    "known_signal_kinds": ("admin", "known_signal_kinds"),
    "plugin_stats": ("learning", "plugin_stats"),
    "start_shadow": ("learning", "start_shadow"),
    "stop_shadow": ("learning", "stop_shadow"),
    "shadow_summary": ("learning", "shadow_summary"),
    "shadow_tick": ("learning", "shadow_tick"),
    "models": ("learning", "models"),
    "model_tick": ("learning", "model_tick"),
    "add_training_labels": ("learning", "add_labels"),
    "training_labels": ("learning", "labels"),
    "export_training_labels": ("learning", "export_labels"),
    "suggest_labels": ("learning", "suggest_labels"),
    "train_model": ("learning", "train_model"),
    "list_models": ("learning", "list_models"),
    "promote_model": ("learning", "promote_model"),
    "rollback_model": ("learning", "rollback_model"),
    "export_model": ("learning", "export_model"),
}
"""Old ``Service`` method -> (its facade attribute, the facade's method)."""


def moved(old: str) -> str:
    """Where an old name lives now, as ``"cases.get"``."""
    facade, name = OLD_NAMES[old]
    return f"{facade}.{name}"


class LegacyNames:
    """Mixed into :class:`~clearspace.service.core.Service`: the old names, each a deprecated alias."""

    if not TYPE_CHECKING:
        def __getattr__(self, name: str) -> Any:
            if name not in OLD_NAMES:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            warnings.warn(f"Service.{name} is deprecated: use service.{moved(name)}", DeprecationWarning,
                          stacklevel=2)
            facade, new = OLD_NAMES[name]
            return getattr(getattr(self, facade), new)


class LegacyIngestCall:
    """Mixed into :class:`~clearspace.service.facades.ingest.IngestFacade`: ``service.ingest(raw)`` was a method."""

    if not TYPE_CHECKING:
        def __call__(self, raw: Any, actor: str = "ingest") -> Any:
            warnings.warn("Service.ingest(raw) is deprecated: use service.ingest.events(raw)", DeprecationWarning,
                          stacklevel=2)
            return self.events(raw, actor)
