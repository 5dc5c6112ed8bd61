"""Microseconds per post of each stage of the fast path, each timed on its own.

    python benchmarks/stage_times.py --data ../shared/datasets [--n 20000]

The posts are ``bench_score.make_posts`` (half COLD, half OLID). Stages: normalization, the cue
scan, the verdict's analysis, the harm detector, the abuse model (with the n-gram harm head), the
other detectors, the verdict's weighing and the policy; and the whole ``Engine.score_many``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_score import make_posts

from clearspace.engine import Engine
from clearspace.verdict.analysis import Analysis
from clearspace.verdict.combine import decide


def per_post(label: str, n: int, work: Callable[[], Any]) -> None:
    started = time.perf_counter()
    work()
    print(f"{label:22} {(time.perf_counter() - started) / n * 1e6:7.1f} us/post", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--n", type=int, default=20_000)
    args = parser.parse_args()
    texts = [p["text"] if isinstance(p, dict) else p for p in make_posts(args.data, args.n)]
    engine = Engine().warm_up()
    list(engine.score_many(texts[:500]))
    n = len(texts)
    per_post("engine.score_many", n, lambda: list(engine.score_many(texts)))
    docs = [engine.normalizer_.normalize(t) for t in texts]
    per_post("normalize", n, lambda: [engine.normalizer_.normalize(t) for t in texts])
    cues = [engine.cues_.find(d.text) for d in docs]
    per_post("cue scan", n, lambda: [engine.cues_.find(d.text) for d in docs])
    analyses = [Analysis.of(d.text, c) for d, c in zip(docs, cues, strict=True)]
    per_post("analysis", n, lambda: [Analysis.of(d.text, c) for d, c in zip(docs, cues, strict=True)])
    per_post("harm detector", n, lambda: [engine.harm_.detect_analysed(d, a) for d, a in zip(docs, analyses,
                                                                                              strict=True)])
    scored: list[Any] = []
    per_post("model", n, lambda: [scored.extend(engine.model_.run_scored(docs[i:i + 512], engine.harm_side_))
                                  for i in range(0, n, 512)])
    per_post("other detectors", n, lambda: [[det.detect(d, {}) for det in engine.detectors_] for d in docs])
    rows = []
    for d, a, (signals, _, cut, _) in zip(docs, analyses, scored, strict=True):
        signals = list(signals)
        for det in engine.detectors_:
            signals.extend(det.detect(d, {}))
        signals.extend(engine.harm_.detect_analysed(d, a))
        rows.append((d, a, signals, cut))
    calibration = engine.head_calibration_
    per_post("verdict", n, lambda: [decide(d, a, s, engine.n_heads_, c, None, calibration) for d, a, s, c in rows])
    verdicts = [decide(d, a, s, engine.n_heads_, c, None, calibration) for d, a, s, c in rows]
    per_post("policy", n, lambda: [engine.policy_.signals_outcome(v.signals, {"target": v.target,
                                                                              "stance": v.stance})
                                   for v in verdicts])


if __name__ == "__main__":
    main()
