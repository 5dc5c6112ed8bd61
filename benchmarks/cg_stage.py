"""Instruction count of one scoring stage, for ``valgrind --tool=callgrind`` (steady numbers
on a shared machine).

    valgrind --tool=callgrind --collect-atstart=no --toggle-collect=_operator_call \\
        --callgrind-out-file=cg.out python benchmarks/cg_stage.py posts.json total
    callgrind_annotate cg.out | head     # "PROGRAM TOTALS" is the count for the stage alone

``posts.json`` is a JSON list of texts (``python benchmarks/cg_stage.py --write posts.json
--data ../shared/datasets --n 2000`` writes one from :func:`bench_score.make_posts`); the
``clearspace`` imported is whichever comes first on ``PYTHONPATH``. Only the work inside
``operator.call`` is counted (loading and warm-up are not). Stages:
``total`` (``Engine.score_many``), ``normalize``, ``cues``, ``model`` (in the engine's
batches, with the n-gram harm head), ``verdict``, ``policy``, ``lexicon``, ``pii``,
``incitement``.
"""

from __future__ import annotations

import argparse
import json
import operator
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", type=Path)
    ap.add_argument("--data", type=Path)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("posts", type=Path, nargs="?")
    ap.add_argument("stage", nargs="?", default="total")
    args = ap.parse_args()
    if args.write:
        sys.path.insert(0, str(HERE))
        from bench_score import make_posts

        args.write.write_text(json.dumps(make_posts(args.data, args.n), ensure_ascii=False), encoding="utf-8")
        return
    from clearspace.engine import Engine

    posts = json.loads(args.posts.read_text(encoding="utf-8"))
    engine = Engine().warm_up()
    docs = [engine.normalizer_.normalize(p) for p in posts]
    run = engine.model_.run(docs)
    signals = [
        list(s) + [x for d in engine.detectors_ for x in d.detect(doc, {})]
        for doc, (s, _) in zip(docs, run, strict=True)
    ]
    detectors = dict(zip(("lexicon", "pii", "incitement"), engine.detectors_, strict=False))
    size = engine.batch_size
    batches = [docs[i : i + size] for i in range(0, len(docs), size)]
    work: dict[str, Callable[[], Any]] = {
        "total": lambda: sum(1 for _ in engine.score_many(posts)),
        "normalize": lambda: [engine.normalizer_.normalize(p) for p in posts],
        "cues": lambda: [engine.cues_.find(d.text) for d in docs],
        "model": lambda: [engine.model_.run_scored(b, engine.harm_side_) for b in batches],
        "verdict": _verdict_work(engine, docs),
        "policy": lambda: [engine.policy_.evaluate(s, {}) for s in signals],
    }
    for name, det in detectors.items():
        work[name] = lambda det=det: [det.detect(d, {}) for d in docs]
    operator.call(work[args.stage])


def _verdict_work(engine: Any, docs: list[Any]) -> Callable[[], Any]:
    """The verdict's weighing of every post (as ``benchmarks/stage_times.py`` times it)."""
    from clearspace.verdict.analysis import Analysis
    from clearspace.verdict.combine import decide

    rows = []
    for doc, (signals, _, cut, _) in zip(docs, engine.model_.run_scored(docs), strict=True):
        analysis = Analysis.of(doc.text, engine.cues_.find(doc.text))
        signals = [*signals, *(x for d in engine.detectors_ for x in d.detect(doc, {})),
                   *engine.harm_.detect_analysed(doc, analysis)]
        rows.append((doc, analysis, signals, cut))
    calibration = engine.head_calibration_
    return lambda: [decide(d, a, s, engine.n_heads_, c, None, calibration) for d, a, s, c in rows]


if __name__ == "__main__":
    main()
