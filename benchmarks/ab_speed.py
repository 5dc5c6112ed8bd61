"""Before/after throughput of ``Engine.score_many`` (fast configuration), run back to back.

    python benchmarks/ab_speed.py --base af3e756 --data ../shared/datasets [--n 20000] [--rounds 5]

The ``src`` tree of ``--base`` is extracted into a temporary folder. Each round scores the
same posts (:func:`bench_score.make_posts`) once with the base and once with the working
tree, each in a fresh process after ``warm_up``, alternating which goes first; the medians
over the rounds are printed. On a shared machine the pairs see about the same load, so
their ratio is steadier than either figure.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from clearspace.engine import Engine
assert Engine.__module__ and __import__("clearspace").__file__.startswith(sys.argv[1])
posts = json.load(open(sys.argv[2], encoding="utf-8"))
engine = Engine().warm_up()
started = time.perf_counter()
count = sum(1 for _ in engine.score_many(posts))
print(count / (time.perf_counter() - started))
"""


def rate(src: Path, posts: Path) -> float:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(src), str(posts)], capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True)
    ap.add_argument("--data", type=Path)
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    sys.path.insert(0, str(HERE))
    from bench_score import make_posts
    from check_equivalence import extract_src

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        posts = work / "posts.json"
        posts.write_text(json.dumps(make_posts(args.data, args.n), ensure_ascii=False), encoding="utf-8")
        sides = {"base": extract_src(args.base, work / "base"), "new": ROOT / "src"}
        rates: dict[str, list[float]] = {"base": [], "new": []}
        for i in range(args.rounds):
            order = ("base", "new") if i % 2 == 0 else ("new", "base")
            for side in order:
                rates[side].append(rate(sides[side], posts))
            print(f"round {i + 1}: base {rates['base'][-1]:,.0f}/s  new {rates['new'][-1]:,.0f}/s", file=sys.stderr)
    base, new = statistics.median(rates["base"]), statistics.median(rates["new"])
    ratios = [n / b for n, b in zip(rates["new"], rates["base"], strict=True)]
    print(
        f"{args.n} posts x {args.rounds} rounds: base median {base:,.0f} posts/s, new median {new:,.0f} posts/s, "
        f"median ratio of pairs {statistics.median(ratios):.2f}"
    )


if __name__ == "__main__":
    main()
