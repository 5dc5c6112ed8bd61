"""Crowd notes scored by bridging matrix factorization (Community Notes style, small-community edition).

Contributors write notes on posts and rate other people's notes (helpful 1, somewhat 0.5, not
helpful 0). Ratings are modelled as::

    rating(u, n) ≈ mu + i_u + i_n + f_u · f_n

The factor ``f`` soaks up agreement that follows the raters' usual camp; the note intercept
``i_n`` is the helpfulness that is left: high only when raters who usually disagree both
found the note helpful. The model is fitted by weighted, ridge-regularised alternating least
squares (closed form per note and per rater), deterministic given ``seed``.

Small communities have few ratings per note, so the rule uses a *lower bound* on ``i_n``
(``i_n - z·se``, the standard error from the note's own normal equations) instead of the point
estimate: a note with three enthusiastic ratings is not shown until more raters agree.

Rule ``bridging_mf@1`` (:data:`RULE`): a note is ``helpful`` (shown) when it has at least
``min_ratings`` ratings, ``i_n - z·se >= show_intercept`` and ``|f_n| <= max_factor``;
``not_helpful`` when ``i_n + z·se <= hide_intercept``; else ``needs_more_ratings``.

Rating-ring guard: authors' ratings of their own notes are dropped, and raters whose ratings
are near-identical across many of the same notes (a ring voting together) are merged into one
vote: each member's weight is divided by the ring's size.

Reproducible: :func:`score_notes` is a pure function of the notes, the ratings, the config and
the seed; :func:`export_jsonl` / :func:`import_jsonl` carry everything it needs.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from clearspace.errors import InputError

RULE_NAME = "bridging_mf"
RULE_VERSION = "1"
RULE = f"{RULE_NAME}@{RULE_VERSION}"

HELPFUL, NOT_HELPFUL, NEEDS_MORE = "helpful", "not_helpful", "needs_more_ratings"
RATING_VALUES = {"helpful": 1.0, "somewhat_helpful": 0.5, "not_helpful": 0.0}


@dataclass(frozen=True)
class Note:
    id: str
    post_id: str
    author: str
    text: str
    created_at: str = ""


@dataclass(frozen=True)
class Rating:
    rater: str
    note_id: str
    value: float
    created_at: str = ""

    @classmethod
    def of(cls, rater: str, note_id: str, label: str | float, created_at: str = "") -> Rating:
        if isinstance(label, str):
            if label not in RATING_VALUES:
                raise InputError(f"unknown rating {label!r}: use one of {sorted(RATING_VALUES)}")
            return cls(rater, note_id, RATING_VALUES[label], created_at)
        if not 0.0 <= float(label) <= 1.0:
            raise InputError(f"a rating must be between 0 and 1, got {label}")
        return cls(rater, note_id, float(label), created_at)


@dataclass(frozen=True)
class ScoringConfig:
    """The parameters of ``bridging_mf@1``; changing any of them is a new rule version."""

    lambda_intercept: float = 0.15
    lambda_factor: float = 0.03
    iterations: int = 60
    min_ratings: int = 5
    show_intercept: float = 0.30
    hide_intercept: float = -0.05
    max_factor: float = 0.50
    z: float = 1.0
    ring_min_common: int = 5
    ring_overlap: float = 0.8
    ring_agreement: float = 0.95


@dataclass(frozen=True)
class NoteScore:
    note_id: str
    status: str
    intercept: float
    factor: float
    stderr: float
    ratings: int
    rule: str = RULE


@dataclass(frozen=True)
class StatusChange:
    note_id: str
    status: str
    previous: str | None
    at: str
    rule: str


@dataclass
class ScoringResult:
    scores: dict[str, NoteScore]
    mu: float
    rater_factors: dict[str, float]
    rings: list[list[str]] = field(default_factory=list)


def score_notes(notes: Sequence[Note], ratings: Sequence[Rating], config: ScoringConfig | None = None,
                seed: int = 0) -> ScoringResult:
    """Score every note; pure and deterministic."""
    config = config or ScoringConfig()
    authors = {n.id: n.author for n in notes}
    latest: dict[tuple[str, str], Rating] = {}
    for rating in ratings:
        if rating.note_id in authors and authors[rating.note_id] != rating.rater:
            latest[(rating.rater, rating.note_id)] = rating  # a later rating replaces an earlier one
    kept = [latest[key] for key in sorted(latest)]
    raters = sorted({r.rater for r in kept})
    note_ids = [n.id for n in notes]
    rings = find_rings(kept, config)
    weight_of = {member: 1.0 / len(ring) for ring in rings for member in ring}
    u = np.asarray([raters.index(r.rater) for r in kept], dtype=np.int64) if kept else np.zeros(0, np.int64)
    note_pos = {n: i for i, n in enumerate(note_ids)}
    n = np.asarray([note_pos[r.note_id] for r in kept], dtype=np.int64)
    y = np.asarray([r.value for r in kept], dtype=np.float64)
    w = np.asarray([weight_of.get(r.rater, 1.0) for r in kept], dtype=np.float64)
    fit = _fit(u, n, y, w, len(raters), len(note_ids), config, seed)
    counts = np.bincount(n, minlength=len(note_ids))
    scores = {}
    for i, note_id in enumerate(note_ids):
        scores[note_id] = NoteScore(note_id, _status(fit.i_n[i], fit.f_n[i], fit.se[i], int(counts[i]), config),
                                    round(float(fit.i_n[i]), 6), round(float(fit.f_n[i]), 6),
                                    round(float(fit.se[i]), 6), int(counts[i]))
    return ScoringResult(scores, float(fit.mu), {r: round(float(f), 6) for r, f in zip(raters, fit.f_u, strict=True)},
                         rings)


def _status(intercept: float, factor: float, se: float, count: int, config: ScoringConfig) -> str:
    if count >= config.min_ratings and intercept + config.z * se <= config.hide_intercept:
        return NOT_HELPFUL
    if (count >= config.min_ratings and intercept - config.z * se >= config.show_intercept
            and abs(factor) <= config.max_factor):
        return HELPFUL
    return NEEDS_MORE


@dataclass
class _Fit:
    mu: float
    i_u: npt.NDArray[np.float64]
    f_u: npt.NDArray[np.float64]
    i_n: npt.NDArray[np.float64]
    f_n: npt.NDArray[np.float64]
    se: npt.NDArray[np.float64]


def _fit(u: npt.NDArray[np.int64], n: npt.NDArray[np.int64], y: npt.NDArray[np.float64],
         w: npt.NDArray[np.float64], n_users: int, n_notes: int, config: ScoringConfig, seed: int) -> _Fit:
    rng = np.random.default_rng(seed)
    i_u, i_n = np.zeros(n_users), np.zeros(n_notes)
    f_u, f_n = rng.normal(0, 0.1, n_users), rng.normal(0, 0.1, n_notes)
    mu = float(np.average(y, weights=w)) if len(y) else 0.0
    for _ in range(config.iterations):
        i_n, f_n, _ = _solve(n, u, y - mu, w, i_u, f_u, n_notes, config)
        i_u, f_u, _ = _solve(u, n, y - mu, w, i_n, f_n, n_users, config)
        if len(y):
            mu = float(np.average(y - i_u[u] - i_n[n] - f_u[u] * f_n[n], weights=w))
    i_n, f_n, se = _solve(n, u, y - mu, w, i_u, f_u, n_notes, config)
    if len(f_u) and np.median(f_u) < 0:  # fix the sign, so exports compare across runs
        f_u, f_n = -f_u, -f_n
    return _Fit(mu, i_u, f_u, i_n, f_n, se)


def _solve(rows: npt.NDArray[np.int64], other: npt.NDArray[np.int64], target: npt.NDArray[np.float64],
           w: npt.NDArray[np.float64], other_i: npt.NDArray[np.float64], other_f: npt.NDArray[np.float64],
           size: int, config: ScoringConfig) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64],
                                                      npt.NDArray[np.float64]]:
    """Closed-form ridge solution of (intercept, factor) for every row entity, and the intercept's s.e."""
    res = target - other_i[other]
    f = other_f[other]
    a11 = np.bincount(rows, w, size) + config.lambda_intercept
    a12 = np.bincount(rows, w * f, size)
    a22 = np.bincount(rows, w * f * f, size) + config.lambda_factor
    b1 = np.bincount(rows, w * res, size)
    b2 = np.bincount(rows, w * res * f, size)
    det = a11 * a22 - a12 * a12
    intercept = (a22 * b1 - a12 * b2) / det
    factor = (a11 * b2 - a12 * b1) / det
    if len(rows):
        resid = res - intercept[rows] - factor[rows] * f
        sigma2 = max(float(np.average(resid**2, weights=w)), 0.01)
    else:
        sigma2 = 0.25
    return intercept, factor, np.sqrt(sigma2 * a22 / det)


def find_rings(ratings: Sequence[Rating], config: ScoringConfig) -> list[list[str]]:
    """Groups (3 or more) of raters whose ratings agree on nearly every one of many shared notes."""
    by_rater: dict[str, dict[str, float]] = defaultdict(dict)
    for rating in ratings:
        by_rater[rating.rater][rating.note_id] = rating.value
    parent = {r: r for r in by_rater}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in itertools.combinations(sorted(by_rater), 2):
        ra, rb = by_rater[a], by_rater[b]
        common = ra.keys() & rb.keys()
        if len(common) < config.ring_min_common:
            continue
        overlap = len(common) / len(ra.keys() | rb.keys())
        agree = sum(abs(ra[k] - rb[k]) < 0.25 for k in common) / len(common)
        if overlap >= config.ring_overlap and agree >= config.ring_agreement:
            parent[root(a)] = root(b)
    groups: dict[str, list[str]] = defaultdict(list)
    for rater in sorted(by_rater):
        groups[root(rater)].append(rater)
    return [g for g in groups.values() if len(g) >= 3]


def status_changes(previous: Mapping[str, str], result: ScoringResult, at: str) -> list[StatusChange]:
    """The status history entries this scoring run adds (only notes whose status changed)."""
    return [StatusChange(note_id, score.status, previous.get(note_id), at, score.rule)
            for note_id, score in sorted(result.scores.items()) if previous.get(note_id) != score.status]


def export_jsonl(notes: Iterable[Note], ratings: Iterable[Rating]) -> bytes:
    """Notes and ratings as JSON Lines (``{"note": ...}`` / ``{"rating": ...}``), enough to re-score."""
    lines = [orjson.dumps({"note": asdict(n)}) for n in notes]
    lines += [orjson.dumps({"rating": asdict(r)}) for r in ratings]
    return b"".join(line + b"\n" for line in lines)


def import_jsonl(data: bytes) -> tuple[list[Note], list[Rating]]:
    notes: list[Note] = []
    ratings: list[Rating] = []
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record: dict[str, Any] = orjson.loads(line)
            if "note" in record:
                notes.append(Note(**record["note"]))
            elif "rating" in record:
                ratings.append(Rating(**record["rating"]))
            else:
                raise InputError("expected a 'note' or a 'rating' object")
        except (orjson.JSONDecodeError, TypeError, InputError) as exc:
            raise InputError(f"line {number}: {exc}") from exc
    return notes, ratings
