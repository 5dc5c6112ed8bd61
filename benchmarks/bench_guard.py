"""The guard plug-in's added latency, against a local stand-in for an OpenAI-compatible server.

    python benchmarks/bench_guard.py [--posts 200] [--timeout 0.5] [--delays 0,0.05,0.2,2.0] [-o FILE]

For each artificial delay of the stand-in (tests/plugins/standin.py, 127.0.0.1 only) the script
scores ``--posts`` texts one at a time with the fast engine, with and without the guard, and
reports the guard's added latency per post (p50, p99, max, in ms) next to its timeout, with the
guard's own counters (ok, timeouts, ...). The guard's band is set to 0.5, so every post is sent
(the worst case; by default only the uncertain band is). Delays beyond the timeout show the bound:
a post never waits more than ``timeout`` (plus a few ms) for the guard. The last scenario points
the guard at a port where nothing listens: the breaker opens after 5 failures and the remaining
posts pay nothing. Writes ``benchmarks/results/guard.json`` and prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import socket
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "plugins"))
from standin import StandIn  # noqa: E402

from clearspace.engine import Engine  # noqa: E402
from clearspace.plugins.guard import GuardModel  # noqa: E402

TEXTS = ("you are such a loser", "have a nice day", "你就是个傻逼", "今天天气不错，出去走走", "what an idiot take",
         "我觉得这个观点有问题", "shut up already", "谢谢分享")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def timings(engine: Engine, posts: int) -> list[float]:
    out = []
    for i in range(posts):
        started = time.perf_counter()
        engine.score(TEXTS[i % len(TEXTS)] + f" #{i}")
        out.append(time.perf_counter() - started)
    return out


def scenario(base: list[float], guard: GuardModel, posts: int) -> dict[str, Any]:
    guarded = timings(Engine(plugins=[guard]).warm_up(), posts)
    base_p50 = percentile(base, 0.5)
    added = [g - base_p50 for g in guarded]
    stats = guard.stats()
    return {"added_ms": {"p50": round(percentile(added, 0.5) * 1000, 2),
                         "p99": round(percentile(added, 0.99) * 1000, 2), "max": round(max(added) * 1000, 2)},
            "scored_ms_p50": round(percentile(guarded, 0.5) * 1000, 2),
            "bounded_by_timeout": max(added) <= guard.timeout_s + 0.1,
            "guard": {k: stats[k] for k in ("calls", "ok", "timeout", "failure", "garbage", "skipped_open",
                                            "skipped_busy", "prompt_tokens", "completion_tokens", "latency_ms")},
            "breaker": stats["breaker"]["state"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--slow-posts", type=int, default=20, help="posts for delays beyond the timeout")
    parser.add_argument("--timeout", type=float, default=0.5)
    parser.add_argument("--delays", default="0,0.05,0.2,2.0", help="stand-in delays in seconds")
    parser.add_argument("-o", "--output", default=str(ROOT / "benchmarks" / "results" / "guard.json"))
    args = parser.parse_args()
    started = time.time()
    base_engine = Engine().warm_up()
    base = timings(base_engine, args.posts)
    result: dict[str, Any] = {
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "timeout_s": args.timeout, "band": 0.5, "posts": args.posts,
        "baseline_ms": {"p50": round(percentile(base, 0.5) * 1000, 2), "p99": round(percentile(base, 0.99) * 1000, 2)},
        "scenarios": []}
    with StandIn() as server:
        for delay in (float(d) for d in args.delays.split(",")):
            server.mode, server.delay_s = "slow", delay
            posts = args.posts if delay < args.timeout else args.slow_posts
            guard = GuardModel(server.url, model="stand-in", timeout_s=args.timeout, band=0.5,
                               failures=10**6)  # keep calling: this measures the timeout, not the breaker
            result["scenarios"].append({"endpoint": "stand-in", "delay_s": delay, "posts": posts,
                                        **scenario(base, guard, posts)})
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    down = GuardModel(f"http://127.0.0.1:{port}/v1", timeout_s=args.timeout, band=0.5, failures=5)
    result["scenarios"].append({"endpoint": "down", "delay_s": None, "posts": args.posts,
                                **scenario(base, down, args.posts)})
    result["seconds"] = round(time.time() - started, 1)
    Path(args.output).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
