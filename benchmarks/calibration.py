"""Calibration error of every head, raw model against the verdict, on the labelled sets the licences allow.

    python benchmarks/calibration.py --data ../shared/datasets [-o benchmarks/results/calibration.json]

Expected calibration error (ECE, 10 equal-width bins) of each score against the labels that name
it: ``abuse`` on COLD's public test half and OLID's held-out 10%; ``insult`` (OLID: targeted
insult), ``targeted_individual`` / ``targeted_group`` / ``identity_attack`` (OLID: IND / GRP;
COLD: fine-grained attack on an individual / a group) and ``sexism`` (SWSR's held-out part).
"raw" is the model head as trained; "verdict" is the score the engine reports (bounded by the
verdict's ``abuse`` and weighed by the target). Also: the largest ``insult`` score over the
shipped stance set's safe texts (reports and criticism), which a calibrated head keeps low.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from clearspace.engine import Engine
from clearspace.evaluation import datasets as ds


def ece(probs: Sequence[float], labels: Sequence[int], bins: int = 10) -> float:
    p, y = np.asarray(probs, dtype=float), np.asarray(labels, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.mean() * abs(p[mask].mean() - y[mask].mean())
    return round(float(total), 4)


def scored(engine: Engine, texts: Sequence[str]) -> list[dict[str, float]]:
    """Per text: the verdict's scores and the raw model heads (``raw:<head>``, the model alone)."""
    docs = [engine.normalizer_.normalize(t) for t in texts]
    raw = engine.model_.run_scored(docs)
    out = []
    for r, (heads, _, _, _) in zip(engine.score_many(texts), raw, strict=True):
        row = dict(r.scores)  # type: ignore[union-attr]
        row.update({f"raw:{s.kind}": float(s.score) for s in heads})
        out.append(row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("-o", "--output", type=Path, default=Path("benchmarks/results/calibration.json"))
    args = parser.parse_args()
    engine = Engine().warm_up()
    cold = ds.cold(args.data, "test_public")
    olid = ds.olid(args.data)[1]
    swsr = ds.swsr_split(args.data)[1]
    fine = np.array(cold.extra["fine"])
    b, c = np.array(olid.extra["b"]), np.array(olid.extra["c"])
    sets: dict[str, tuple[list[dict[str, float]], dict[str, np.ndarray]]] = {
        "cold-test_public": (scored(engine, cold.texts), {
            "abuse": cold.labels, "targeted_individual": (fine == "1").astype(int),
            "targeted_group": (fine == "2").astype(int), "identity_attack": (fine == "2").astype(int)}),
        "olid-heldout": (scored(engine, olid.texts), {
            "abuse": olid.labels, "insult": ((olid.labels == 1) & (b == "TIN")).astype(int),
            "targeted_individual": (c == "IND").astype(int), "targeted_group": (c == "GRP").astype(int),
            "identity_attack": (c == "GRP").astype(int)}),
        "swsr-heldout": (scored(engine, swsr.texts), {"sexism": swsr.labels}),
    }
    results: dict[str, Any] = {}
    for name, (rows, heads) in sets.items():
        for head, y in heads.items():
            raw = [r.get(f"raw:{head}", 0.0) for r in rows]
            verdict = [r.get(head, 0.0) for r in rows]
            results[f"{name}/{head}"] = {"n": len(rows), "raw": ece(raw, y), "verdict": ece(verdict, y)}
            print(f"{name:18} {head:20} ECE raw {results[f'{name}/{head}']['raw']:.3f}  "
                  f"verdict {results[f'{name}/{head}']['verdict']:.3f}", flush=True)
    stance = ds.stance()
    kinds = np.array(stance.extra["kind"])
    safe = [t for t, k in zip(stance.texts, kinds, strict=True) if k in ("report", "criticism")]
    insult = [r["insult"] for r in scored(engine, safe)]
    results["stance-safe/max_insult"] = round(max(insult), 4)
    results["stance-safe/share_insult_over_0.5"] = round(float(np.mean(np.array(insult) >= 0.5)), 4)
    print(f"stance set, reports and criticism: largest insult {max(insult):.3f}, "
          f"share >= 0.5: {np.mean(np.array(insult) >= 0.5):.3f}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
