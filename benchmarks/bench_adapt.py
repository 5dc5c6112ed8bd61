"""Adaptation benchmark: the shipped model meets a community it was not trained for.

    python benchmarks/bench_adapt.py --data ../shared/datasets [--sizes 250,500,1000,2000,5000]

Communities (each: a pool the "moderators" label from, and a fixed held-out test split):

* ``tweeteval-hate`` (English tweets; not in the shipped model's training data at all): pool = the
  TweetEval hate training split (9,000), test = its validation split (1,000).
* ``swsr`` (Chinese Weibo comments on gender): the shipped ``abuse`` head was trained on COLD alone,
  but SWSR trained the model's sexism and target heads and its n-gram vocabulary (idf), so this
  community is *partly* seen; pool = a seeded 80% of SWSR, test = the other 20%.

For every size N: ``random`` adapts the shipped model (``clearspace.model.adapt``, as ``clearspace
model train`` does) to N labels drawn at random from the pool; ``suggest`` simulates the labelling
loop: in rounds, the active-learning selection (``clearspace.model.active``, what ``GET
/v1/training/suggest`` serves) picks texts with the current model, they are labelled from the
dataset, and the shipped model is adapted again to every label so far. Results go to
``benchmarks/results/adapt.json`` and a chart to ``benchmarks/results/adapt.svg``.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from clearspace.detectors.lexicon import LexiconDetector
from clearspace.evaluation import datasets as ds
from clearspace.model.abuse import AbuseModel, load_model
from clearspace.model.active import select
from clearspace.model.adapt import AdaptConfig, adapt, evaluate, scores_for
from clearspace.text.normalize import Normalizer

RESULTS = Path(__file__).resolve().parent / "results"
SIZES = (250, 500, 1000, 2000, 5000)
Log = Callable[[str], None]


@dataclass
class Community:
    name: str
    pool: list[str]  # normalized texts
    pool_y: npt.NDArray[np.int64]
    test: list[str]
    test_y: npt.NDArray[np.int64]
    note: str


def communities(root: Path, normalize: Callable[[str], str], seed: int) -> list[Community]:
    hate_dir = root / "tweeteval" / "hate"
    train_texts = (hate_dir / "train_text.txt").read_text(encoding="utf-8").splitlines()
    train_y = np.array([int(v) for v in (hate_dir / "train_labels.txt").read_text(encoding="utf-8").split()])
    val = ds.tweeteval(root, "hate")
    swsr = ds.swsr(root)
    order = np.random.RandomState(seed).permutation(len(swsr.texts))
    cut = int(len(order) * 0.8)
    pool_idx, test_idx = np.sort(order[:cut]), np.sort(order[cut:])
    return [
        Community("tweeteval-hate", [normalize(t) for t in train_texts], train_y,
                  [normalize(t) for t in val.texts], val.labels,
                  "English; not in the shipped model's training data"),
        Community("swsr", [normalize(swsr.texts[i]) for i in pool_idx], swsr.labels[pool_idx],
                  [normalize(swsr.texts[i]) for i in test_idx], swsr.labels[test_idx],
                  "Chinese; the abuse head never saw it, but the sexism/target heads and the idf did"),
    ]


def run_random(base: AbuseModel, c: Community, sizes: Sequence[int], config: AdaptConfig, seed: int,
               log: Log) -> list[dict[str, Any]]:
    out = []
    order = np.random.RandomState(seed).permutation(len(c.pool))
    for n in sizes:
        idx = order[:n]
        model, report = adapt(base, [c.pool[i] for i in idx], c.pool_y[idx], config)
        m = evaluate(model, c.test, c.test_y)
        out.append({"labels": n, **m.to_dict(), "train_seconds": report["seconds"]})
        log(f"  {c.name} random  {n:>5}: F1 {m.f1:.3f} (macro {m.macro_f1:.3f}) in {report['seconds']:.1f}s")
    return out


def run_suggest(base: AbuseModel, c: Community, sizes: Sequence[int], config: AdaptConfig,
                log: Log) -> list[dict[str, Any]]:
    """The labelling loop: suggest with the current model, label, adapt the base to all labels so far."""
    features = base.hasher.transform(c.pool)  # the base vocabulary: what suggest sees before any training
    labelled: list[int] = []
    model = base
    out = []
    steps = _rounds(sizes)
    for target in steps:
        free = np.setdiff1d(np.arange(len(c.pool)), np.array(labelled, dtype=np.int64))
        probs, cuts = scores_for(model, [c.pool[i] for i in free])
        picks = select(probs, cuts, features[free], target - len(labelled))
        labelled.extend(int(free[p.index]) for p in picks)
        idx = np.array(labelled)
        model, report = adapt(base, [c.pool[i] for i in idx], c.pool_y[idx], config)
        if target in sizes:
            m = evaluate(model, c.test, c.test_y)
            out.append({"labels": len(idx), **m.to_dict(), "train_seconds": report["seconds"],
                        "positives_labelled": int(c.pool_y[idx].sum())})
            log(f"  {c.name} suggest {len(idx):>5}: F1 {m.f1:.3f} (macro {m.macro_f1:.3f}) "
                f"in {report['seconds']:.1f}s; {int(c.pool_y[idx].sum())} abusive among them")
    return out


def _rounds(sizes: Sequence[int]) -> list[int]:
    """Label counts after each round: batches of 250 up to 1,000, then doubling-ish steps through ``sizes``."""
    steps: list[int] = []
    n = 0
    for size in sizes:
        while n < size:
            n = min(size, n + max(250, n // 2))
            steps.append(n)
    return steps


def chart(results: dict[str, Any], path: Path) -> None:
    """F1 against labels (log scale), one panel per community, random dashed and suggest solid."""
    names = list(results["communities"])
    width, height, pad = 360, 260, 48
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * len(names)}" height="{height + 30}" '
             'font-family="sans-serif" font-size="11">']
    for k, name in enumerate(names):
        block = results["communities"][name]
        x0 = k * width
        series = {"random": block["random"], "suggest": block["suggest"]}
        ns = [r["labels"] for s in series.values() for r in s] or [1]
        f1s = [r["f1"] for s in series.values() for r in s] + [block["base"]["f1"]]
        lo, hi = max(0.0, min(f1s) - 0.05), min(1.0, max(f1s) + 0.05)
        lx0, lx1 = np.log(min(ns)), np.log(max(ns))

        def px(n: float, lx0: float = lx0, lx1: float = lx1, x0: float = x0) -> float:
            return x0 + pad + (np.log(n) - lx0) / max(lx1 - lx0, 1e-9) * (width - 2 * pad)

        def py(f: float, lo: float = lo, hi: float = hi) -> float:
            return 20 + (1 - (f - lo) / max(hi - lo, 1e-9)) * (height - 60)

        parts.append(f'<text x="{x0 + width / 2}" y="14" text-anchor="middle">{name}</text>')
        parts.append(f'<line x1="{x0 + pad}" y1="{height - 40}" x2="{x0 + width - pad}" y2="{height - 40}" '
                     'stroke="#999"/>')
        for n in sorted(set(ns)):
            parts.append(f'<text x="{px(n):.1f}" y="{height - 26}" text-anchor="middle">{n}</text>')
        for f in np.linspace(lo, hi, 5):
            parts.append(f'<text x="{x0 + pad - 6}" y="{py(f) + 4:.1f}" text-anchor="end">{f:.2f}</text>')
        base_y = py(block["base"]["f1"])
        parts.append(f'<line x1="{x0 + pad}" y1="{base_y:.1f}" x2="{x0 + width - pad}" y2="{base_y:.1f}" '
                     'stroke="#aaa" stroke-dasharray="2,3"/>')
        parts.append(f'<text x="{x0 + width - pad}" y="{base_y - 4:.1f}" text-anchor="end" fill="#777">shipped</text>')
        for label, color, dash in (("random", "#d95f02", "6,4"), ("suggest", "#1b9e77", "")):
            pts = " ".join(f"{px(r['labels']):.1f},{py(r['f1']):.1f}" for r in series[label])
            parts.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2" '
                         f'stroke-dasharray="{dash}"/>')
        parts.append(f'<text x="{x0 + pad}" y="{height - 6}" fill="#1b9e77">— suggest</text>')
        parts.append(f'<text x="{x0 + pad + 70}" y="{height - 6}" fill="#d95f02">- - random</text>')
        parts.append(f'<text x="{x0 + width - pad}" y="{height - 6}" text-anchor="end">'
                     'labels (log); F1 of the abusive class</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--only", default="", help="Comma-separated community names (default: all).")
    parser.add_argument("--out", type=Path, default=RESULTS / "adapt.json")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    started = time.perf_counter()
    normalizer = Normalizer(homophone_terms=LexiconDetector().homophone_terms())
    base = load_model()
    config = AdaptConfig()
    results: dict[str, Any] = {"sizes": sizes, "seed": args.seed, "config": config.__dict__,
                               "machine": f"{platform.machine()}, Python {platform.python_version()}",
                               "communities": {}}
    for c in communities(args.data, lambda t: normalizer.normalize(t).text, args.seed):
        if args.only and c.name not in args.only.split(","):
            continue
        usable = [n for n in sizes if n <= len(c.pool)]
        base_m = evaluate(base, c.test, c.test_y)
        print(f"{c.name}: pool {len(c.pool)}, test {len(c.test)}; shipped F1 {base_m.f1:.3f} "
              f"(macro {base_m.macro_f1:.3f})", flush=True)
        results["communities"][c.name] = {
            "note": c.note, "pool": len(c.pool), "test": len(c.test), "base": base_m.to_dict(),
            "random": run_random(base, c, usable, config, args.seed, print),
            "suggest": run_suggest(base, c, usable, config, print),
        }
    results["seconds"] = round(time.perf_counter() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    chart(results, args.out.with_suffix(".svg"))
    print(f"wrote {args.out} and {args.out.with_suffix('.svg')} in {results['seconds']}s")


if __name__ == "__main__":
    main()
