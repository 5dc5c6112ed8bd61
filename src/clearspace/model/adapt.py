"""Adapting a trained abuse model to one community from that community's labels alone.

The operator has none of the datasets the shipped model was trained on, only the model and the
labels their moderators gave. For each language column of the ``abuse`` head (``abuse`` for Chinese,
``abuse_en`` for mostly-Latin texts) with enough labels, the new column is::

    z_new = a * z_base + c + x . d          # z_base: the base model's calibrated logit

a correction stacked on the base logit, fitted by logistic regression with an L2 penalty on ``d``
(so the weights stay near the base weights unless the labels say otherwise). ``x`` are the base
model's hashed n-gram features, with the idf extended to n-grams the base vocabulary left out
(seen at least ``min_df`` times among the community's texts), so new slang can be learnt. The
result folds back into one plain :class:`AbuseModel` (``coef = a*s0*w + d``), so it is stored,
loaded and served exactly like the shipped one. The decision threshold of an adapted column is
chosen to maximize macro-F1 on out-of-fold probabilities (``folds``-fold cross-fitting on the labels),
never on the labels the model was fitted to. Other heads are kept as they are; the embedding head
is dropped (an adapted model is a fast-configuration model).
"""

from __future__ import annotations

import copy
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import optimize, sparse

from clearspace.errors import InputError
from clearspace.language import mostly_latin
from clearspace.model.abuse import AbuseModel, sigmoid

COLUMNS = {"zh": "abuse", "en": "abuse_en"}
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class AdaptConfig:
    """Hyper-parameters of :func:`adapt` (defaults chosen on TweetEval hate and SWSR, see MODEL_CARD.md)."""

    l2: float = 1.0  # penalty on the correction weights d (sum of losses + l2/2 * |d|^2)
    min_labels: int = 30  # a language column with fewer labels (or one class only) stays as it was
    min_df: int = 2  # an n-gram outside the base vocabulary joins it when this many community texts have it
    folds: int = 3  # cross-fitting folds for the threshold
    seed: int = 7
    max_iter: int = 50


@dataclass(frozen=True)
class Metrics:
    """Binary metrics of the abusive class (and macro-F1 over both classes) on ``n`` texts."""

    n: int
    positives: int
    precision: float
    recall: float
    f1: float
    macro_f1: float
    accuracy: float

    def to_dict(self) -> dict[str, Any]:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


def metrics(y: npt.NDArray[Any], predicted: npt.NDArray[Any]) -> Metrics:
    """Precision, recall and F1 of the abusive class, macro-F1 and accuracy."""
    y, p = np.asarray(y).astype(bool), np.asarray(predicted).astype(bool)
    n = len(y)

    def f1_of(truth: BoolArray, pred: BoolArray) -> tuple[float, float, float]:
        tp = float(np.sum(truth & pred))
        prec = tp / max(float(np.sum(pred)), 1.0)
        rec = tp / max(float(np.sum(truth)), 1.0)
        return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)

    prec, rec, f1 = f1_of(y, p)
    neg_f1 = f1_of(~y, ~p)[2]
    acc = float(np.mean(y == p)) if n else 0.0
    return Metrics(n, int(np.sum(y)), prec, rec, f1, (f1 + neg_f1) / 2, acc)


def languages(texts: Sequence[str]) -> BoolArray:
    """True for the texts the model routes to its English column (normalized texts)."""
    return np.fromiter((mostly_latin(t) for t in texts), dtype=bool, count=len(texts))


def predict_abusive(model: AbuseModel, texts: Sequence[str]) -> tuple[npt.NDArray[np.float32], BoolArray]:
    """The ``abuse`` probability and the model's own decision (fast configuration) for normalized texts."""
    if not texts:
        return np.zeros(0, np.float32), np.zeros(0, bool)
    probs = model.predict(list(texts))[:, model.public_heads.index("abuse")]
    return probs, probs >= model.threshold(False, languages(texts))


def evaluate(model: AbuseModel, texts: Sequence[str], y: npt.NDArray[Any]) -> Metrics:
    """The model's decisions on normalized ``texts`` against labels ``y``."""
    return metrics(y, predict_abusive(model, texts)[1])


def extend_idf(model: AbuseModel, texts: Sequence[str], min_df: int) -> npt.NDArray[np.float32]:
    """The base idf plus smoothed idf values for n-grams it left out that ``min_df`` of ``texts`` have."""
    base = model.hasher.idf_ if model.hasher.idf_ is not None else np.ones(model.hasher.n_features, np.float32)
    idf = base.astype(np.float32).copy()
    if not texts:
        return idf
    counts = model.hasher.counts(list(texts))
    df = np.bincount(counts.indices, minlength=model.hasher.n_features)
    new = (idf == 0) & (df >= min_df)
    n = len(texts)
    idf[new] = (np.log((1 + n) / (1 + df[new])) + 1.0).astype(np.float32)
    return idf


@dataclass
class _Column:
    """The problem of one language column: features of its labelled texts and the base logit."""

    x: sparse.csr_matrix  # (n, k), only the columns the texts use
    cols: npt.NDArray[np.int64]  # which feature each of the k columns is
    z: npt.NDArray[np.float64]  # calibrated base logit
    y: npt.NDArray[np.float64]


def _fit(x: sparse.csr_matrix, z: npt.NDArray[np.float64], y: npt.NDArray[np.float64], l2: float,
         max_iter: int, start: npt.NDArray[np.float64] | None = None,
         scale_l2: float = 10.0) -> npt.NDArray[np.float64]:
    """``[a - 1, c, d...]`` minimizing logistic loss of ``a*z + c + x.d`` plus ``l2/2 |d|^2`` and
    ``scale_l2/2 (a - 1)^2`` (Newton-CG). Without the pull of ``a`` toward 1, labels that all lie near the
    threshold (as active learning picks them) say nothing about ``a`` and the fit may drop the shipped logit."""
    k = x.shape[1]
    xt = x.T.tocsr()
    sign = 2 * y - 1
    ridge = np.full(k + 2, l2)
    ridge[0] = scale_l2  # theta[0] = a - 1: the shipped logit's weight stays near 1 unless the labels disagree
    ridge[1] = 1e-6  # c: practically free (a tiny penalty keeps the Hessian positive definite)

    def logit(theta: npt.NDArray[np.float64]) -> Any:
        return (1.0 + theta[0]) * z + theta[1] + x @ theta[2:]

    def back(g: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        out = np.empty(k + 2)
        out[0], out[1] = float(g @ z), float(g.sum())
        out[2:] = xt @ g
        return out

    def loss(theta: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
        m = sign * logit(theta)
        value = float(np.sum(np.logaddexp(0.0, -m))) + 0.5 * float(theta @ (ridge * theta))
        g = -sign * np.exp(-np.logaddexp(0.0, m))  # d loss / d logit
        return value, back(g) + ridge * theta

    def hessp(theta: npt.NDArray[np.float64], v: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        p = 1.0 / (1.0 + np.exp(-logit(theta)))
        return back(p * (1 - p) * (v[0] * z + v[1] + x @ v[2:])) + ridge * v

    if start is None:
        start = np.zeros(k + 2)
    result = optimize.minimize(loss, start, jac=True, hessp=hessp, method="Newton-CG",
                               options={"maxiter": max_iter, "xtol": 1e-6})
    return np.asarray(result.x, dtype=np.float64)


def _logit(theta: npt.NDArray[np.float64], x: sparse.csr_matrix, z: npt.NDArray[np.float64]) -> Any:
    return (1.0 + theta[0]) * z + theta[1] + x @ theta[2:]


def best_threshold(probs: npt.NDArray[Any], y: npt.NDArray[Any]) -> float:
    """The probability cut (0.05 .. 0.95) that maximizes macro-F1 (as the shipped model's thresholds do)."""
    grid = np.linspace(0.05, 0.95, 91)
    truth = np.asarray(y).astype(bool)
    scores = [metrics(truth, probs >= t).macro_f1 for t in grid]
    return float(grid[int(np.argmax(scores))])


def _threshold(col: _Column, config: AdaptConfig, full: npt.NDArray[np.float64]) -> float:
    """Cut chosen on out-of-fold probabilities of the labelled texts (each fold's fit starts from ``full``)."""
    n = len(col.y)
    order = np.random.RandomState(config.seed).permutation(n)
    oof = np.zeros(n)
    for fold in range(config.folds):
        test = np.sort(order[fold::config.folds])
        train = np.setdiff1d(np.arange(n), test)
        if len(np.unique(col.y[train])) < 2:
            return 0.5
        theta = _fit(col.x[train], col.z[train], col.y[train], config.l2, config.max_iter, full.copy())
        oof[test] = 1.0 / (1.0 + np.exp(-_logit(theta, col.x[test], col.z[test])))
    return best_threshold(oof, col.y)


def _column_problem(model: AbuseModel, features: sparse.csr_matrix, h: int, y: npt.NDArray[Any]) -> _Column:
    used = np.unique(features.indices)
    x = features[:, used].tocsr()
    w = model.coef[:, h].astype(np.float64)
    raw = features @ w + float(model.intercept[h])
    s0, s1 = (float(v) for v in model.stack_fast[h])
    return _Column(x=x, cols=used.astype(np.int64), z=s0 * raw + s1, y=np.asarray(y, dtype=np.float64))


def adapt(base: AbuseModel, texts: Sequence[str], y: Sequence[int] | npt.NDArray[Any],
          config: AdaptConfig | None = None, idf_texts: Sequence[str] = ()) -> tuple[AbuseModel, dict[str, Any]]:
    """A new model: ``base`` adapted to normalized ``texts`` with labels ``y`` (1 abusive, 0 not).

    ``idf_texts``: more of the community's texts (unlabelled) for the extended vocabulary. Answers
    the model and what was done per language (labels, threshold, seconds).
    """
    config = config or AdaptConfig()
    labels = np.asarray(y, dtype=np.int64)
    if len(texts) != len(labels):
        raise InputError(f"{len(texts)} texts but {len(labels)} labels")
    started = time.perf_counter()
    model = copy.deepcopy(base)
    model.hasher.idf_ = extend_idf(base, [*texts, *idf_texts], config.min_df)
    english = languages(texts)
    features = model.hasher.transform(list(texts)) if len(texts) else None
    report: dict[str, Any] = {"labels": len(labels), "columns": {}}
    for lang, column in COLUMNS.items():
        if column not in model.heads or features is None:
            continue
        rows = np.flatnonzero(english == (lang == "en"))
        ys = labels[rows]
        if len(rows) < config.min_labels or len(np.unique(ys)) < 2:
            report["columns"][lang] = {"labels": int(len(rows)), "adapted": False}
            continue
        h = model.heads.index(column)
        col = _column_problem(model, features[rows], h, ys)
        theta = _fit(col.x, col.z, col.y, config.l2, config.max_iter)
        cut = _threshold(col, config, theta)
        s0, s1 = (float(v) for v in model.stack_fast[h])
        a, c = 1.0 + float(theta[0]), float(theta[1])
        new = (a * s0) * model.coef[:, h].astype(np.float64)
        new[col.cols] += theta[2:]
        model.coef[:, h] = new.astype(np.float32)
        model.intercept[h] = np.float32(a * (s0 * float(model.intercept[h]) + s1) + c)
        model.stack_fast[h] = np.array([1.0, 0.0], dtype=np.float32)
        for config_name in ("fast", "embed"):
            model.thresholds.setdefault(config_name, {})[lang] = cut
        report["columns"][lang] = {"labels": int(len(rows)), "adapted": True, "threshold": round(cut, 3),
                                   "base_scale": round(a, 4), "features": int(len(col.cols))}
    model.encoder = None
    model.emb_coef = model.emb_intercept = model.stack_embed = None
    report["seconds"] = round(time.perf_counter() - started, 3)
    report["config"] = asdict(config)
    return model, report


def holdout_split(n: int, share: float, seed: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """``(train, held_out)`` indices: a seeded ``share`` of ``n`` items held out."""
    if not 0 <= share < 1:
        raise InputError(f"the held-out share must be in [0, 1), got {share}")
    order = np.random.RandomState(seed).permutation(n)
    cut = n - int(round(n * share))
    return np.sort(order[:cut]), np.sort(order[cut:])


def scores_for(model: AbuseModel, texts: Sequence[str]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """The ``abuse`` probability and each text's threshold (fast configuration), for normalized texts."""
    probs, _ = predict_abusive(model, texts)
    return probs, model.threshold(False, languages(texts)) if len(texts) else np.zeros(0, np.float32)


__all__ = ["AdaptConfig", "Metrics", "adapt", "evaluate", "holdout_split", "metrics", "scores_for", "sigmoid"]
