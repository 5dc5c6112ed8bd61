"""The database schema as numbered migrations, plus which columns hold JSON.

The SQL is deliberately plain (TEXT, INTEGER, REAL, no engine-specific types or functions)
so SQLite and PostgreSQL run the same migrations; :func:`for_dialect` maps the three types to
their exact PostgreSQL equivalents. Timestamps are ISO-8601 UTC strings
(``2026-01-02T03:04:05.000000Z``), which sort correctly as text. Never edit a migration
that has shipped: append a new one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final, Literal

Dialect = Literal["sqlite", "postgresql"]
"""The SQL dialects the migrations are written for."""

MIGRATIONS: Final[tuple[tuple[int, str, tuple[str, ...]], ...]] = (
    (
        1,
        "events, decisions, statements of reasons, audit log, api keys",
        (
            """CREATE TABLE events (
                id TEXT PRIMARY KEY, type TEXT NOT NULL, author TEXT, target_user TEXT, parent TEXT,
                surface TEXT, lang TEXT, text TEXT NOT NULL, ts TEXT, received_at TEXT NOT NULL,
                context TEXT NOT NULL)""",
            "CREATE INDEX events_target ON events (target_user, received_at)",
            "CREATE INDEX events_author ON events (author, received_at)",
            """CREATE TABLE decisions (
                id TEXT PRIMARY KEY, event_id TEXT, account TEXT, action TEXT NOT NULL, category TEXT,
                automated INTEGER NOT NULL, decided_by TEXT, source_type TEXT NOT NULL,
                status TEXT NOT NULL, scores TEXT NOT NULL, signals TEXT NOT NULL, rules TEXT NOT NULL,
                reasons TEXT NOT NULL, labels TEXT NOT NULL, created_at TEXT NOT NULL, supersedes TEXT)""",
            "CREATE INDEX decisions_event ON decisions (event_id)",
            "CREATE INDEX decisions_account ON decisions (account, created_at)",
            """CREATE TABLE statements (
                id TEXT PRIMARY KEY, decision_id TEXT NOT NULL, account TEXT, created_at TEXT NOT NULL,
                body TEXT NOT NULL)""",
            "CREATE INDEX statements_decision ON statements (decision_id)",
            """CREATE TABLE audit (
                seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, kind TEXT NOT NULL, actor TEXT NOT NULL,
                subject TEXT NOT NULL, payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)""",
            "CREATE INDEX audit_ts ON audit (ts)",
            """CREATE TABLE api_keys (
                id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL, role TEXT NOT NULL,
                name TEXT NOT NULL, rate_limit REAL NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)""",
        ),
    ),
    (
        2,
        "reports, reporters, cases, appeals",
        (
            """CREATE TABLE reports (
                id TEXT PRIMARY KEY, reporter TEXT NOT NULL, item_id TEXT, target_user TEXT,
                category TEXT NOT NULL, explanation TEXT NOT NULL, good_faith INTEGER NOT NULL,
                weight REAL NOT NULL, brigade INTEGER NOT NULL, case_id TEXT, status TEXT NOT NULL,
                outcome TEXT, created_at TEXT NOT NULL, resolved_at TEXT)""",
            "CREATE INDEX reports_item ON reports (item_id, created_at)",
            "CREATE INDEX reports_target ON reports (target_user, created_at)",
            "CREATE INDEX reports_case ON reports (case_id)",
            """CREATE TABLE reporters (
                id TEXT PRIMARY KEY, upheld INTEGER NOT NULL, rejected INTEGER NOT NULL,
                trusted INTEGER NOT NULL)""",
            """CREATE TABLE cases (
                id TEXT PRIMARY KEY, subject_id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, event_id TEXT,
                account TEXT, lane TEXT NOT NULL, priority INTEGER NOT NULL, status TEXT NOT NULL,
                reports INTEGER NOT NULL, brigade INTEGER NOT NULL, opened_at TEXT NOT NULL,
                due_at TEXT NOT NULL, lease_owner TEXT, lease_until TEXT, closed_at TEXT, decision_id TEXT)""",
            "CREATE INDEX cases_status ON cases (status, lane, priority)",
            """CREATE TABLE appeals (
                id TEXT PRIMARY KEY, decision_id TEXT NOT NULL, appellant TEXT NOT NULL,
                appellant_role TEXT NOT NULL, reason TEXT NOT NULL, status TEXT NOT NULL,
                created_at TEXT NOT NULL, decided_at TEXT, decided_by TEXT, outcome TEXT, explanation TEXT)""",
            "CREATE INDEX appeals_decision ON appeals (decision_id)",
        ),
    ),
    (
        3,
        "strikes, restrictions, notifications, webhooks, outbox",
        (
            """CREATE TABLE strikes (
                id TEXT PRIMARY KEY, account TEXT NOT NULL, category TEXT NOT NULL, weight REAL NOT NULL,
                decision_id TEXT, created_at TEXT NOT NULL, expires_at TEXT NOT NULL, lifted_at TEXT)""",
            "CREATE INDEX strikes_account ON strikes (account, expires_at)",
            """CREATE TABLE restrictions (
                id TEXT PRIMARY KEY, account TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL,
                decision_id TEXT, starts_at TEXT NOT NULL, ends_at TEXT NOT NULL, lifted_at TEXT)""",
            "CREATE INDEX restrictions_account ON restrictions (account, ends_at)",
            """CREATE TABLE notifications (
                id TEXT PRIMARY KEY, recipient TEXT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL,
                created_at TEXT NOT NULL)""",
            "CREATE INDEX notifications_recipient ON notifications (recipient, created_at)",
            """CREATE TABLE webhooks (
                id TEXT PRIMARY KEY, url TEXT NOT NULL, secret TEXT NOT NULL, topics TEXT NOT NULL,
                created_at TEXT NOT NULL, active INTEGER NOT NULL)""",
            """CREATE TABLE outbox (
                id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL, topic TEXT NOT NULL, payload TEXT NOT NULL,
                created_at TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at TEXT NOT NULL,
                delivered_at TEXT, failed_at TEXT, last_error TEXT)""",
            "CREATE INDEX outbox_pending ON outbox (delivered_at, next_attempt_at)",
        ),
    ),
    (
        4,
        "shields (one-click protection) and held interactions",
        (
            # starts_at / expires_at / reminder_s are epoch seconds, as in clearspace.protection.shield
            """CREATE TABLE shields (
                account TEXT PRIMARY KEY, starts_at REAL NOT NULL, expires_at REAL NOT NULL,
                surfaces TEXT NOT NULL, audience TEXT NOT NULL, new_follower_days REAL NOT NULL,
                allow_list TEXT NOT NULL, block_list TEXT NOT NULL, drop_above REAL, reminder_s REAL NOT NULL,
                activated_by TEXT NOT NULL, updated_at TEXT NOT NULL, ended_at TEXT)""",
            """CREATE TABLE held_interactions (
                id TEXT PRIMARY KEY, account TEXT NOT NULL, item_id TEXT NOT NULL, author TEXT NOT NULL,
                surface TEXT NOT NULL, ts REAL NOT NULL, text TEXT NOT NULL, reason TEXT NOT NULL,
                status TEXT NOT NULL, held_at TEXT NOT NULL, resolved_at TEXT)""",
            "CREATE INDEX held_account ON held_interactions (account, status, held_at)",
        ),
    ),
    (
        5,
        "debunks (rumor registry) and post labels",
        (
            # payload: the whole debunk (clearspace.rumors.model.Debunk.to_dict, every ClaimReview field)
            """CREATE TABLE debunks (
                id TEXT PRIMARY KEY, claim TEXT NOT NULL, language TEXT NOT NULL, verdict TEXT NOT NULL,
                fact_checker TEXT NOT NULL, url TEXT NOT NULL, payload TEXT NOT NULL, created_by TEXT NOT NULL,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
            "CREATE INDEX debunks_created ON debunks (created_at, id)",
            """CREATE TABLE post_labels (
                id TEXT PRIMARY KEY, event_id TEXT NOT NULL, debunk_id TEXT NOT NULL, score REAL NOT NULL,
                rule TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (event_id, debunk_id))""",
            "CREATE INDEX post_labels_debunk ON post_labels (debunk_id, created_at)",
        ),
    ),
    (
        6,
        "pile-on incidents; shield expiry reminders",
        (
            # start_at / detected_at / last_at: event time (the detector's clock), ISO text;
            # recorded_at / updated_at / ended_at: service time. participants: [{account, role, ...}]
            """CREATE TABLE incidents (
                id TEXT PRIMARY KEY, target TEXT NOT NULL, status TEXT NOT NULL, source TEXT NOT NULL,
                start_at TEXT NOT NULL, detected_at TEXT NOT NULL, last_at TEXT NOT NULL, minor INTEGER NOT NULL,
                participant_count INTEGER NOT NULL, hostile_events INTEGER NOT NULL, participants TEXT NOT NULL,
                instigators TEXT NOT NULL, summary TEXT NOT NULL, case_id TEXT, recorded_at TEXT NOT NULL,
                updated_at TEXT NOT NULL, ended_at TEXT)""",
            "CREATE INDEX incidents_status ON incidents (status, detected_at)",
            "CREATE INDEX incidents_target ON incidents (target, start_at)",
            # remind_at: epoch seconds, max(starts_at, expires_at - reminder_s); reminded_at: when sent
            "ALTER TABLE shields ADD COLUMN remind_at REAL",
            "ALTER TABLE shields ADD COLUMN reminded_at TEXT",
            """UPDATE shields SET remind_at = CASE WHEN expires_at - reminder_s > starts_at
                THEN expires_at - reminder_s ELSE starts_at END""",
            "CREATE INDEX shields_remind ON shields (ended_at, reminded_at, remind_at)",
            "CREATE INDEX shields_updated ON shields (updated_at)",
        ),
    ),
    (
        7,
        "debunk versions and retraction, labels as decisions, clarifications, crowd notes, jobs",
        (
            "ALTER TABLE debunks ADD COLUMN status TEXT NOT NULL DEFAULT 'active'",
            "ALTER TABLE debunks ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE debunks ADD COLUMN retracted_at TEXT",
            # every change of a debunk, in order: what each process's matcher replays (seq is the writer's
            # last seq + 1; writes are serialized) and the version history (payload as it was then)
            """CREATE TABLE debunk_versions (
                seq INTEGER PRIMARY KEY, debunk_id TEXT NOT NULL, version INTEGER NOT NULL, change TEXT NOT NULL,
                payload TEXT NOT NULL, actor TEXT NOT NULL, reason TEXT NOT NULL, created_at TEXT NOT NULL,
                UNIQUE (debunk_id, version))""",
            """INSERT INTO debunk_versions (seq, debunk_id, version, change, payload, actor, reason, created_at)
                SELECT ROW_NUMBER() OVER (ORDER BY created_at, id), id, 1, 'created', payload, created_by, '',
                       created_at FROM debunks""",
            "ALTER TABLE post_labels ADD COLUMN decision_id TEXT",
            "ALTER TABLE post_labels ADD COLUMN status TEXT NOT NULL DEFAULT 'active'",
            "ALTER TABLE post_labels ADD COLUMN withdrawn_at TEXT",
            "ALTER TABLE post_labels ADD COLUMN withdrawn_reason TEXT",
            "CREATE INDEX post_labels_decision ON post_labels (decision_id)",
            # a statement by the person a rumor is about, shown with the debunk's card and labels
            """CREATE TABLE clarifications (
                id TEXT PRIMARY KEY, debunk_id TEXT NOT NULL, account TEXT NOT NULL, text TEXT NOT NULL,
                stated_at TEXT NOT NULL, status TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL,
                replaced_at TEXT)""",
            "CREATE INDEX clarifications_debunk ON clarifications (debunk_id, status)",
            """CREATE TABLE notes (
                id TEXT PRIMARY KEY, event_id TEXT NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL,
                sources TEXT NOT NULL, status TEXT NOT NULL, intercept REAL, factor REAL, stderr REAL,
                ratings INTEGER NOT NULL, rule TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL,
                scored_at TEXT)""",
            "CREATE INDEX notes_event ON notes (event_id, created_at)",
            """CREATE TABLE note_ratings (
                id TEXT PRIMARY KEY, note_id TEXT NOT NULL, rater TEXT NOT NULL, helpful TEXT NOT NULL,
                value REAL NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (note_id, rater))""",
            """CREATE TABLE note_status_history (
                id TEXT PRIMARY KEY, note_id TEXT NOT NULL, status TEXT NOT NULL, previous TEXT, rule TEXT NOT NULL,
                intercept REAL, factor REAL, stderr REAL, ratings INTEGER NOT NULL, created_at TEXT NOT NULL)""",
            "CREATE INDEX note_status_history_note ON note_status_history (note_id, created_at)",
            # background work (label backfills): progress readable from every process
            """CREATE TABLE jobs (
                id TEXT PRIMARY KEY, kind TEXT NOT NULL, params TEXT NOT NULL, status TEXT NOT NULL,
                total INTEGER NOT NULL, done INTEGER NOT NULL, result TEXT NOT NULL, error TEXT,
                created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, finished_at TEXT)""",
        ),
    ),
    (
        8,
        "a moderator's confirmation or rejection of an automatic rumor label",
        (
            "ALTER TABLE post_labels ADD COLUMN reviewed_by TEXT",
            "ALTER TABLE post_labels ADD COLUMN reviewed_at TEXT",
            "CREATE INDEX post_labels_review ON post_labels (reviewed_at, created_at)",
        ),
    ),
    (
        9,
        "leases: one holder at a time among the processes over one database",
        (
            # the holder (host, pid and a random token) keeps the lease while it renews it before expires_at
            """CREATE TABLE leases (
                name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at TEXT NOT NULL)""",
        ),
    ),
    (
        11,
        "signed audit checkpoints, audit chain alarms, console sessions that sign-out ends",
        (
            # the signed document of each checkpoint (service/anchor.py), numbered from 1
            """CREATE TABLE audit_checkpoints (
                seq INTEGER PRIMARY KEY, created_at TEXT NOT NULL, root TEXT NOT NULL, key_id TEXT NOT NULL,
                document TEXT NOT NULL)""",
            # a broken chain found by a check, shown until an admin acknowledges it
            """CREATE TABLE audit_alarms (
                id TEXT PRIMARY KEY, chain TEXT NOT NULL, broken_at INTEGER, problem TEXT NOT NULL,
                detected_at TEXT NOT NULL, detected_by TEXT NOT NULL, acknowledged_by TEXT, acknowledged_at TEXT,
                note TEXT)""",
            "CREATE INDEX audit_alarms_open ON audit_alarms (acknowledged_at, detected_at)",
            """CREATE TABLE console_sessions (
                id TEXT PRIMARY KEY, key_id TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
                ended_at TEXT)""",
        ),
    ),
    (
        12,
        "training labels from human judgements, model versions and the active model",
        (
            # one row per label; a later label on the same event supersedes (current = 0) and keeps the history
            """CREATE TABLE training_labels (
                seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL, abusive INTEGER NOT NULL, category TEXT,
                source TEXT NOT NULL, source_id TEXT, decision_id TEXT, actor TEXT NOT NULL,
                created_at TEXT NOT NULL, current INTEGER NOT NULL, superseded_at TEXT)""",
            "CREATE INDEX training_labels_event ON training_labels (event_id, current)",
            "CREATE INDEX training_labels_current ON training_labels (current, seq)",
            # weights: the model file (clearspace.model.abuse) in base64, as the schema keeps to TEXT, INTEGER
            # and REAL on both backends; sha256 and size are of the file's bytes; training / evaluation: JSON
            """CREATE TABLE model_versions (
                id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, parent TEXT, created_at TEXT NOT NULL,
                created_by TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, weights TEXT NOT NULL,
                training TEXT NOT NULL, evaluation TEXT NOT NULL)""",
            # every promotion and rollback, in order; the last row names the version in service
            """CREATE TABLE active_model (
                seq INTEGER PRIMARY KEY, version TEXT NOT NULL, previous TEXT, change TEXT NOT NULL,
                actor TEXT NOT NULL, reason TEXT NOT NULL, created_at TEXT NOT NULL)""",
            "ALTER TABLE decisions ADD COLUMN model_version TEXT",
            # suggest and model training read the most recent events
            "CREATE INDEX events_received ON events (received_at)",
        ),
    ),
    (
        13,
        "shadow mode: candidate runs and where they disagree with the active engine",
        (
            # candidate: {policy (YAML text), model_path, version}; counts: {kind: n} over every compared post
            """CREATE TABLE shadow_runs (
                id TEXT PRIMARY KEY, status TEXT NOT NULL, candidate TEXT NOT NULL, label TEXT NOT NULL,
                started_by TEXT NOT NULL, started_at TEXT NOT NULL, stopped_by TEXT, stopped_at TEXT,
                compared INTEGER NOT NULL, disagreed INTEGER NOT NULL, dropped INTEGER NOT NULL,
                errors INTEGER NOT NULL, counts TEXT NOT NULL, updated_at TEXT NOT NULL)""",
            "CREATE INDEX shadow_runs_status ON shadow_runs (status, started_at)",
            # example disagreements (up to shadow_examples_per_kind per kind); active/candidate: what each decided
            """CREATE TABLE shadow_disagreements (
                id TEXT PRIMARY KEY, run_id TEXT NOT NULL, event_id TEXT NOT NULL, action_kind TEXT,
                abusive_kind TEXT, active TEXT NOT NULL, candidate TEXT NOT NULL, created_at TEXT NOT NULL)""",
            "CREATE INDEX shadow_disagreements_action ON shadow_disagreements (run_id, action_kind, created_at)",
            "CREATE INDEX shadow_disagreements_abusive ON shadow_disagreements (run_id, abusive_kind, created_at)",
        ),
    ),
    (
        14,
        "the active policy: reloaded without a restart, followed by every process (service/policy_state.py)",
        (
            """CREATE TABLE policy_state (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, version INTEGER NOT NULL, sha256 TEXT NOT NULL,
                source TEXT NOT NULL, text TEXT NOT NULL, loaded_at TEXT NOT NULL, loaded_by TEXT NOT NULL)""",
        ),
    ),
    (
        15,
        "creator accountability: reach, hostile engagement per post and day, monetization standing, "
        "organization proposals, typical-case announcements",
        (
            # reach of an account (PUT /v1/accounts/{id} or the fields events carry)
            """CREATE TABLE accounts (
                id TEXT PRIMARY KEY, followers INTEGER, verified INTEGER, monetized INTEGER, organization TEXT,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
            "CREATE INDEX accounts_organization ON accounts (organization)",
            # engagement an account drew per day (id: account|day), kept up to date at ingest
            """CREATE TABLE account_traffic (
                id TEXT PRIMARY KEY, account TEXT NOT NULL, day TEXT NOT NULL, engagement INTEGER NOT NULL,
                hostile INTEGER NOT NULL, updated_at TEXT NOT NULL)""",
            "CREATE INDEX account_traffic_day ON account_traffic (account, day)",
            # engagement one post drew (id: the post's event id)
            """CREATE TABLE post_traffic (
                id TEXT PRIMARY KEY, account TEXT NOT NULL, day TEXT NOT NULL, engagement INTEGER NOT NULL,
                hostile INTEGER NOT NULL, updated_at TEXT NOT NULL)""",
            "CREATE INDEX post_traffic_account ON post_traffic (account, hostile)",
            # pile-on roles that count for accountability (instigator, first poster); id: incident|account
            """CREATE TABLE incident_roles (
                id TEXT PRIMARY KEY, incident_id TEXT NOT NULL, account TEXT NOT NULL, role TEXT NOT NULL,
                start_at TEXT NOT NULL, created_at TEXT NOT NULL)""",
            "CREATE INDEX incident_roles_account ON incident_roles (account, start_at)",
            # posts of an account that carry a rumor label (event id), for the repeat rule
            """CREATE TABLE rumor_posts (
                id TEXT PRIMARY KEY, account TEXT NOT NULL, debunk_id TEXT NOT NULL, at TEXT NOT NULL)""",
            "CREATE INDEX rumor_posts_account ON rumor_posts (account, at)",
            # the precomputed monetization answer: marks (JSON) with their expiry, read in one row
            """CREATE TABLE account_standing (
                account TEXT PRIMARY KEY, eligible INTEGER NOT NULL, marks TEXT NOT NULL, since TEXT NOT NULL,
                review_at TEXT, decision_id TEXT, ratio REAL NOT NULL, engagement INTEGER NOT NULL,
                hostile INTEGER NOT NULL, ratio_over_at TEXT, cleared_at TEXT, updated_at TEXT NOT NULL)""",
            "CREATE INDEX account_standing_review ON account_standing (eligible, review_at)",
            """CREATE TABLE org_proposals (
                id TEXT PRIMARY KEY, organization TEXT NOT NULL, measure TEXT NOT NULL, reason TEXT NOT NULL,
                accounts TEXT NOT NULL, status TEXT NOT NULL, proposed_by TEXT NOT NULL, created_at TEXT NOT NULL,
                decided_by TEXT, decided_at TEXT, note TEXT)""",
            "CREATE INDEX org_proposals_org ON org_proposals (organization, status)",
            # typical-case announcements (典型案例): drafted from decided cases, masked, then published
            """CREATE TABLE announcements (
                id TEXT PRIMARY KEY, title TEXT NOT NULL, lang TEXT NOT NULL, cases TEXT NOT NULL,
                body TEXT NOT NULL, status TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL,
                published_by TEXT, published_at TEXT)""",
            "CREATE INDEX announcements_status ON announcements (status, published_at)",
        ),
    ),
    (
        16,
        "bus mode: each partition's consumed stream sequence and fencing token (service/bus_offsets.py)",
        (
            # id = "<bus_prefix>/<partition>"; seq: the highest stream sequence whose decision is committed; token:
            # raised by each new owner, and every commit of decisions requires it (a stale owner's commit fails)
            """CREATE TABLE bus_offsets (
                id TEXT PRIMARY KEY, prefix TEXT NOT NULL, part INTEGER NOT NULL, seq INTEGER NOT NULL,
                token INTEGER NOT NULL, owner TEXT NOT NULL, decided INTEGER NOT NULL, updated_at TEXT NOT NULL)""",
        ),
    ),
    (
        17,
        "the audit log as one hash chain per partition plus the admin chain (issue 15; no global write lock)",
        (
            # id: the order rows were written in, for paging only (not hashed; AUTOID: assigned by the database
            # without a lock); chain + seq: the event's place in its own chain (service/audit.py)
            """CREATE TABLE audit_chained (
                id AUTOID, chain TEXT NOT NULL, seq INTEGER NOT NULL, ts TEXT NOT NULL, kind TEXT NOT NULL,
                actor TEXT NOT NULL, subject TEXT NOT NULL, payload TEXT NOT NULL, prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL, UNIQUE (chain, seq))""",
            # the events written before this migration stay exactly as they were, as the frozen chain "main"
            """INSERT INTO audit_chained (chain, seq, ts, kind, actor, subject, payload, prev_hash, hash)
                SELECT 'main', seq, ts, kind, actor, subject, payload, prev_hash, hash FROM audit ORDER BY seq""",
            "DROP TABLE audit",
            "ALTER TABLE audit_chained RENAME TO audit",
            "CREATE INDEX audit_ts ON audit (ts)",
            # every chain that exists and its last event: the list a checkpoint signs and the console shows
            """CREATE TABLE audit_heads (
                chain TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL, updated_at TEXT NOT NULL)""",
            """INSERT INTO audit_heads (chain, seq, hash, updated_at)
                SELECT chain, seq, hash, ts FROM audit WHERE chain = 'main' AND seq = (SELECT MAX(seq) FROM audit)""",
        ),
    ),
    (
        19,
        "reports by reporter: brigade detection reads each reporter's recent reports per report filed (issue 11)",
        ("CREATE INDEX reports_reporter ON reports (reporter, created_at)",),
    ),
)
"""``(version, description, statements)``, oldest first."""

JSON_COLUMNS: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        "events": frozenset({"context"}),
        "decisions": frozenset({"scores", "signals", "rules", "reasons", "labels"}),
        "statements": frozenset({"body"}),
        "audit": frozenset({"payload"}),
        "notifications": frozenset({"payload"}),
        "webhooks": frozenset({"topics"}),
        "outbox": frozenset({"payload"}),
        "shields": frozenset({"surfaces", "allow_list", "block_list"}),
        "debunks": frozenset({"payload"}),
        "debunk_versions": frozenset({"payload"}),
        "notes": frozenset({"sources"}),
        "jobs": frozenset({"params", "result"}),
        "incidents": frozenset({"participants", "instigators", "summary"}),
        "audit_checkpoints": frozenset({"document"}),
        "shadow_runs": frozenset({"candidate", "counts"}),
        "shadow_disagreements": frozenset({"active", "candidate"}),
        "model_versions": frozenset({"training", "evaluation"}),
        "account_standing": frozenset({"marks"}),
        "org_proposals": frozenset({"accounts"}),
        "announcements": frozenset({"cases", "body"}),
    }
)
"""Columns stored as JSON text and handed back decoded."""

BOOL_COLUMNS: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        "decisions": frozenset({"automated"}),
        "reports": frozenset({"good_faith", "brigade"}),
        "reporters": frozenset({"trusted"}),
        "cases": frozenset({"brigade"}),
        "webhooks": frozenset({"active"}),
        "incidents": frozenset({"minor"}),
        "accounts": frozenset({"verified", "monetized"}),
        "account_standing": frozenset({"eligible"}),
    }
)
"""INTEGER columns that hold a flag: stored as 0/1, handed back as ``bool`` (so answers say true/false)."""

KEYS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "events": "id", "decisions": "id", "statements": "id", "audit": "id", "api_keys": "id",
        "reports": "id", "reporters": "id", "cases": "id", "appeals": "id", "strikes": "id",
        "restrictions": "id", "notifications": "id", "webhooks": "id", "outbox": "id",
        "shields": "account", "held_interactions": "id", "debunks": "id", "post_labels": "id",
        "debunk_versions": "seq", "clarifications": "id", "notes": "id", "note_ratings": "id",
        "note_status_history": "id", "jobs": "id", "incidents": "id", "leases": "name",
        "audit_checkpoints": "seq", "audit_alarms": "id", "console_sessions": "id",
        "policy_state": "id", "audit_heads": "chain",
        "shadow_runs": "id", "shadow_disagreements": "id",
        "training_labels": "seq", "model_versions": "id", "active_model": "seq",
        "accounts": "id", "account_traffic": "id", "post_traffic": "id", "incident_roles": "id",
        "rumor_posts": "id", "account_standing": "account", "org_proposals": "id", "announcements": "id",
        "bus_offsets": "id",
    }
)
"""Every table and its primary key column; the store refuses any other table name."""

LATEST: Final[int] = MIGRATIONS[-1][0]

MIGRATIONS_TABLE: Final[str] = (
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT)"
)
"""Which migrations a database has had (created before the first migration runs)."""

_POSTGRESQL_TYPES: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    (re.compile(r"\bINTEGER\b"), "BIGINT"),  # SQLite integers are 64-bit
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),  # SQLite REAL is 8 bytes; PostgreSQL REAL is 4
    (re.compile(r"\bTEXT\b"), 'TEXT COLLATE "C"'),  # compare and sort by code point, as SQLite does
)


_AUTOID: Final = re.compile(r"\bAUTOID\b")
"""An integer primary key the database assigns when a row leaves it out (SQLite's rowid, a PostgreSQL
identity column): numbered without any lock, in no promised order between concurrent writers."""


def for_dialect(sql: str, dialect: Dialect) -> str:
    """One migration statement in ``dialect``: the three column types mapped to their exact equivalents.

    The migrations use only TEXT, INTEGER, REAL and ``AUTOID`` (JSON is stored as text, so what is read back is
    byte for byte what was written, which the audit hash chain relies on).
    """
    if dialect == "sqlite":
        return _AUTOID.sub("INTEGER PRIMARY KEY", sql)
    for pattern, replacement in _POSTGRESQL_TYPES:
        sql = pattern.sub(replacement, sql)
    return _AUTOID.sub("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", sql)


def statements_for(statements: Sequence[str], dialect: Dialect) -> tuple[str, ...]:
    """Every statement of one migration in ``dialect``."""
    return tuple(for_dialect(sql, dialect) for sql in statements)
