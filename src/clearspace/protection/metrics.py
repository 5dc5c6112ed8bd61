"""Compare detected incidents with planted pile-ons: recall, precision, timeliness, instigators."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from clearspace.protection.incidents import Incident
from clearspace.protection.simulate import PileOnTruth


def match(incidents: Sequence[Incident], truths: Sequence[PileOnTruth], slack_s: float = 3600.0) -> dict[str, Any]:
    """Metrics for incidents against ground truth (same target, overlapping in time)."""
    used: set[int] = set()
    matched = early = instigated = 0
    lags: list[float] = []
    for truth in truths:
        best = None
        for i, inc in enumerate(incidents):
            if i in used or inc.target != truth.target:
                continue
            if inc.last_ts >= truth.start - slack_s and inc.start <= truth.end + slack_s:
                best = i
                break
        if best is None:
            continue
        used.add(best)
        inc = incidents[best]
        matched += 1
        hostile = sorted(truth.hostile_ts)
        quarter = hostile[max(math.ceil(0.25 * len(hostile)) - 1, 0)]
        if inc.detected_at <= quarter + 1e-3:
            early += 1
        position = sum(1 for t in hostile if t <= inc.detected_at + 1e-3)
        lags.append(position / len(hostile))
        if truth.instigator in (inc.instigators or inc.find_instigators()):
            instigated += 1
    n_truth, n_inc = len(truths), len(incidents)
    return {
        "pileons": n_truth,
        "incidents": n_inc,
        "matched": matched,
        "recall": matched / n_truth if n_truth else 1.0,
        "precision": len(used) / n_inc if n_inc else 1.0,
        "detected_in_first_quarter": early / matched if matched else 0.0,
        "mean_detection_position": sum(lags) / len(lags) if lags else None,
        "instigator_found": instigated / matched if matched else 0.0,
        "false_positive_targets": sorted({incidents[i].target for i in range(n_inc) if i not in used}),
    }
