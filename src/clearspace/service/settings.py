"""Service settings, with defaults, from keyword arguments or ``CLEARSPACE_*`` environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from clearspace.errors import InputError

DEFAULT_SLA_HOURS: Mapping[str, float] = {
    "minors": 1.0, "pileon": 1.0, "trusted_flagger": 4.0, "severity": 8.0, "appeal": 72.0, "standard": 24.0,
}


@dataclass(frozen=True, slots=True)
class Settings:
    """Tunable numbers of the service. ``from_env`` reads ``CLEARSPACE_<FIELD>`` for scalar fields."""

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
    sla_hours: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_SLA_HOURS))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, then ``CLEARSPACE_*`` variables from ``env``, then ``overrides``."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"CLEARSPACE_{f.name.upper()}")
            if raw is None or f.name == "sla_hours":
                continue
            kind = type(getattr(cls(), f.name))
            try:
                values[f.name] = kind(raw)
            except ValueError as exc:
                raise InputError(f"CLEARSPACE_{f.name.upper()} must be a {kind.__name__}, got {raw!r}") from exc
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
