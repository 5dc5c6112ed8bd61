"""A circuit breaker and a call counter for a remote model.

The breaker stops calling an endpoint that keeps failing::

    closed ──(``failures`` failures in a row)──> open ──(``cooldown_s`` later)──> half_open
    half_open ──(the one trial call succeeds)──> closed
    half_open ──(the trial call fails)──> open (for another ``cooldown_s``)

While open every call is skipped at once (no waiting on a dead endpoint), so scoring goes on
with the active model alone. Time comes from an injected monotonic clock. Both classes are
thread-safe.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Final, Literal

State = Literal["closed", "open", "half_open"]
LATENCY_WINDOW: Final = 4096
"""How many recent call latencies the percentiles are computed over."""


class CircuitBreaker:
    """Opens after ``failures`` consecutive failures; lets one trial call through after ``cooldown_s``."""

    def __init__(self, failures: int = 5, cooldown_s: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if failures < 1:
            raise ValueError("failures must be at least 1")
        if cooldown_s < 0:
            raise ValueError("cooldown_s must be 0 or more")
        self.failures = failures
        self.cooldown_s = cooldown_s
        self.clock = clock
        self._lock = threading.Lock()
        self._state: State = "closed"
        self._streak = 0
        self._opened_at = 0.0
        self._trial = False
        self.opened = 0
        """How many times the breaker has opened."""

    @property
    def state(self) -> State:
        with self._lock:
            if self._state == "open" and self.clock() - self._opened_at >= self.cooldown_s:
                return "half_open"
            return self._state

    def allow(self) -> bool:
        """Whether a call may go out now (in half-open state: only the one trial call)."""
        with self._lock:
            if self._state == "closed":
                return True
            if self._state == "open":
                if self.clock() - self._opened_at < self.cooldown_s:
                    return False
                self._state, self._trial = "half_open", False
            if self._trial:
                return False
            self._trial = True
            return True

    def release(self) -> None:
        """An allowed call did not go out after all: another may take its place."""
        with self._lock:
            self._trial = False

    def success(self) -> None:
        with self._lock:
            self._state, self._streak, self._trial = "closed", 0, False

    def failure(self) -> None:
        with self._lock:
            self._streak += 1
            if self._state == "half_open" or self._streak >= self.failures:
                if self._state != "open":
                    self.opened += 1
                self._state, self._opened_at, self._trial = "open", self.clock(), False

    def to_dict(self) -> dict[str, Any]:
        state = self.state
        with self._lock:
            return {"state": state, "consecutive_failures": self._streak, "opened": self.opened,
                    "failures_to_open": self.failures, "cooldown_s": self.cooldown_s}


class CallCounter:
    """Calls, outcomes, tokens and latency percentiles of a remote model (what it costs)."""

    OUTCOMES: Final = ("ok", "timeout", "failure", "garbage", "skipped_open", "skipped_busy")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts = dict.fromkeys(self.OUTCOMES, 0)
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self._latencies: deque[float] = deque(maxlen=LATENCY_WINDOW)

    def record(self, outcome: str, latency_s: float | None = None, prompt_tokens: int = 0,
               completion_tokens: int = 0) -> None:
        with self._lock:
            self.counts[outcome] += 1
            self.prompt_tokens += prompt_tokens
            self.completion_tokens += completion_tokens
            if latency_s is not None:
                self._latencies.append(latency_s)

    def to_dict(self) -> dict[str, Any]:
        with self._lock:
            latencies = sorted(self._latencies)
            calls = sum(self.counts[o] for o in ("ok", "timeout", "failure", "garbage"))
            return {"calls": calls, **self.counts, "prompt_tokens": self.prompt_tokens,
                    "completion_tokens": self.completion_tokens,
                    "latency_ms": {"p50": _percentile(latencies, 0.50), "p99": _percentile(latencies, 0.99),
                                   "max": round(latencies[-1] * 1000, 2) if latencies else None,
                                   "window": len(latencies)}}


def _percentile(ordered: list[float], q: float) -> float | None:
    """The nearest-rank percentile of sorted seconds, in milliseconds (None when empty)."""
    if not ordered:
        return None
    rank = min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))
    return round(ordered[rank] * 1000, 2)
