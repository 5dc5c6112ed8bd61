"""Refit the category heads' Platt scaling on calibration data (never on a test split).

    python tools/fit_head_calibration.py --data ../shared/datasets

Scores OLID's seeded calibration 10% (the split ``clearspace train`` calibrates on) and SWSR's
held-out part with the engine, fits ``sigmoid(a * logit(score) + b)`` per head on the verdict's
scores against the labels that name the head, and writes ``src/clearspace/data/verdict/heads.json``.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np

from clearspace.engine import Engine
from clearspace.evaluation import datasets as ds
from clearspace.model.train import TrainConfig, _split


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def fit(scores: list[float], labels: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    x = logit(np.asarray(scores, dtype=float)).reshape(-1, 1)
    clf = LogisticRegression(C=100.0, max_iter=1000).fit(x, labels)
    return round(float(clf.coef_[0][0]), 5), round(float(clf.intercept_[0]), 5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("-o", "--output", type=Path, default=Path("src/clearspace/data/verdict/heads.json"))
    args = parser.parse_args()
    engine = Engine(head_calibration={}).warm_up()
    config = TrainConfig()
    olid_train, _ = ds.olid(args.data)
    _, calib = _split(len(olid_train.texts), config.calib_share, config.seed)
    olid = olid_train.subset(calib, "olid-calibration")
    b, c = np.array(olid.extra["b"]), np.array(olid.extra["c"])
    rows = [r.scores for r in engine.score_many(olid.texts)]  # type: ignore[union-attr]
    # the targeted_* heads follow the verdict's target (policies read them as "aimed at a person / a
    # group"), so only the category heads are refitted
    targets = {
        "insult": ((olid.labels == 1) & (b == "TIN")).astype(int),
        "identity_attack": (c == "GRP").astype(int),
    }
    heads = {head: fit([r[head] for r in rows], y) for head, y in targets.items()}
    swsr = ds.swsr_split(args.data)[1]
    heads["sexism"] = fit([r.scores["sexism"] for r in engine.score_many(swsr.texts)], swsr.labels)  # type: ignore[union-attr]
    doc = {"fitted_on": {"olid": f"seeded calibration {config.calib_share:.0%} ({len(olid.texts)} texts)",
                         "swsr": f"held-out part ({len(swsr.texts)} texts)"},
           "form": "sigmoid(a * logit(score) + b)", "heads": {h: list(ab) for h, ab in sorted(heads.items())}}
    args.output.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for head, (a, bb) in sorted(heads.items()):
        print(f"{head:20} a={a:.3f} b={bb:.3f}  (0.5 -> {1 / (1 + math.exp(-bb)):.3f})")


if __name__ == "__main__":
    main()
