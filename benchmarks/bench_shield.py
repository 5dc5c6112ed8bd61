"""Load generator for ``POST /v1/shield/check`` against a real ``clearspace serve`` process on loopback.

    python benchmarks/bench_shield.py [--duration 10] [--concurrency 8] [--shields 1000] [--accounts 2000]

Starts ``clearspace serve`` on a free port with a fresh SQLite database in a temporary folder,
creates an ingest key, turns protection on for ``--shields`` accounts over the API (varied
surfaces, audiences, allow lists), then keeps ``--concurrency`` keep-alive connections busy
checking interactions aimed at ``--accounts`` accounts (half of them protected, by default) for
``--duration`` seconds: a mix of deliver, hold (written to the held folder) and drop answers,
with a fixed seed. Reports checks per second, latency percentiles and the answer mix, checks
that every hold reached the database, and prints one JSON line. The client is a minimal HTTP/1.1
writer on asyncio streams (the server and the generator share the machine); ``--clients N``
runs the generator in N processes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_events import free_port, request, start_server  # noqa: E402

SURFACES = ("comment", "dm", "mention", "repost", "danmaku", "reply")
AUDIENCES = ("strangers", "non_followers", "new_followers", "all_but_allowed")


async def setup_shields(port: int, key: str, n: int) -> None:
    rng = random.Random(1)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for i in range(n):
        surfaces = rng.sample(["comments", "dms", "mentions", "reposts", "danmaku"], rng.randint(2, 5))
        body = {"days": 7, "surfaces": surfaces, "audience": rng.choice(AUDIENCES),
                "allow": [f"friend{j}" for j in range(rng.randint(0, 5))]}
        status, text = await request(reader, writer, "PUT", f"/v1/shield/p{i}", port, key, json.dumps(body).encode())
        if status != 200:
            raise SystemExit(f"could not turn on a shield: {status} {text[:200]!r}")
    writer.close()


def check_body(rng: random.Random, args: argparse.Namespace, n: int, i: int) -> bytes:
    protected = rng.random() < args.protected_share
    account = f"p{rng.randrange(args.shields)}" if protected else f"u{rng.randrange(args.accounts)}"
    body: dict[str, object] = {"account": account, "author": f"a{rng.randrange(100_000)}",
                               "surface": rng.choice(SURFACES), "item_id": f"w{n}-{i}"}
    roll = rng.random()
    if roll < 0.3:
        body["author_follows"] = True
        body["followed_since"] = time.time() - rng.uniform(0, 30) * 86400
    if rng.random() < 0.5:
        body["hostility"] = round(rng.random(), 3)
    if rng.random() < 0.2:
        body["text"] = "谢谢分享，说得很好" if rng.random() < 0.5 else "you are pathetic, log off"
    return json.dumps(body, ensure_ascii=False).encode()


async def worker(n: int, port: int, key: str, args: argparse.Namespace, stop_at: float,
                 latencies: list[tuple[float, str]], answers: dict[str, int], errors: list[int]) -> None:
    """Closed loop, or with ``--rate`` paced: when the previous answer came after this request was
    due, its latency counts from when it was due (a server that falls behind is not hidden by the
    client waiting for it); otherwise from when it was sent (the client's own timer lateness is
    not the server's)."""
    rng = random.Random(n)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    interval = args.concurrency / args.rate if args.rate else 0.0
    due = time.perf_counter() + rng.random() * interval
    i = 0
    while time.monotonic() < stop_at:
        body = check_body(rng, args, n, i)
        if interval:
            now = time.perf_counter()
            if due > now:
                await asyncio.sleep(due - now)
                started = time.perf_counter()
            else:
                started = due  # the connection was still busy with the previous answer
            due += interval
        else:
            started = time.perf_counter()
        status, text = await request(reader, writer, "POST", "/v1/shield/check", port, key, body)
        elapsed = time.perf_counter() - started
        if status != 200:
            errors.append(status)
            latencies.append((elapsed, "error"))
        else:
            action = json.loads(text)["action"]
            answers[action] = answers.get(action, 0) + 1
            latencies.append((elapsed, action))
        i += 1
    writer.close()


async def load(port: int, key: str, args: argparse.Namespace, first: int, count: int) -> dict[str, object]:
    latencies: list[tuple[float, str]] = []
    errors: list[int] = []
    answers: dict[str, int] = {}
    warm = argparse.Namespace(**{**vars(args), "rate": 0.0})
    await worker(10_000 + first, port, key, warm, time.monotonic() + 1.0, [], {}, [])  # warm-up, not measured
    started = time.perf_counter()
    stop_at = time.monotonic() + args.duration
    await asyncio.gather(*(worker(first + n, port, key, args, stop_at, latencies, answers, errors)
                           for n in range(count)))
    return {"latencies": latencies, "errors": len(errors), "answers": answers,
            "seconds": time.perf_counter() - started}


def _run(coro: Any) -> Any:
    """``asyncio.run`` on uvloop when it is installed (its timers are finer)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


def _client(port: int, key: str, args: argparse.Namespace, first: int, count: int,
            out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    out.put(_run(load(port, key, args, first, count)))


def _pct(values: list[float], q: float) -> float:
    return round(values[min(len(values) - 1, int(q * len(values)))] * 1000, 3)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux ``/proc``), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def summarise(parts: list[dict[str, object]]) -> dict[str, object]:
    pairs = [x for p in parts for x in p["latencies"]]  # type: ignore[attr-defined]
    latencies = sorted(t for t, _ in pairs)
    answers: dict[str, int] = {}
    for p in parts:
        for k, v in p["answers"].items():  # type: ignore[attr-defined]
            answers[k] = answers.get(k, 0) + v
    seconds = max(float(p["seconds"]) for p in parts)  # type: ignore[arg-type]
    by_action = {}
    for action in sorted({a for _, a in pairs}):
        times = sorted(t for t, a in pairs if a == action)
        by_action[action] = {"n": len(times), "p50_ms": _pct(times, 0.5), "p99_ms": _pct(times, 0.99)}
    return {"requests": len(latencies), "errors": sum(int(p["errors"]) for p in parts),  # type: ignore[call-overload]
            "seconds": round(seconds, 2), "checks_per_s": round(len(latencies) / seconds, 1),
            "p50_ms": _pct(latencies, 0.50), "p90_ms": _pct(latencies, 0.90), "p99_ms": _pct(latencies, 0.99),
            "p999_ms": _pct(latencies, 0.999), "max_ms": round(latencies[-1] * 1000, 3),
            "mean_ms": round(statistics.fmean(latencies) * 1000, 3), "answers": answers, "by_action": by_action}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="Seconds of measured load (default 10).")
    parser.add_argument("--concurrency", type=int, default=8, help="Open connections in all (default 8).")
    parser.add_argument("--clients", type=int, default=1, help="Load generator processes (default 1).")
    parser.add_argument("--rate", type=float, default=0.0, help="Checks per second in all, paced (default: as "
                                                               "fast as the server answers).")
    parser.add_argument("--shields", type=int, default=1000, help="Protected accounts (default 1000).")
    parser.add_argument("--accounts", type=int, default=2000, help="Unprotected accounts (default 2000).")
    parser.add_argument("--protected-share", type=float, default=0.5, help="Share of checks aimed at a protected "
                                                                          "account (default 0.5).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        port = free_port()
        proc, key = start_server(db, port, 1)
        try:
            asyncio.run(setup_shields(port, key, args.shields))
            cpu_before = cpu_seconds(proc.pid)
            if args.clients == 1:
                parts = [_run(load(port, key, args, 0, args.concurrency))]
            else:
                queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
                per = max(1, args.concurrency // args.clients)
                procs = [multiprocessing.Process(target=_client, args=(port, key, args, c * per, per, queue))
                         for c in range(args.clients)]
                for p in procs:
                    p.start()
                parts = [queue.get() for _ in procs]
                for p in procs:
                    p.join()
            cpu_after = cpu_seconds(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        result = summarise(parts)
        if cpu_before is not None and cpu_after is not None:
            # the warm-up second is included: an upper bound on the server's CPU per check
            result["server_cpu_us_per_check"] = round((cpu_after - cpu_before) / max(1, int(result["requests"]))
                                                      * 1e6, 1)  # type: ignore[call-overload]
        with sqlite3.connect(db) as conn:
            result["stored_holds"] = conn.execute("SELECT COUNT(*) FROM held_interactions").fetchone()[0]
    load_avg = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    result.update({"concurrency": args.concurrency, "clients": args.clients, "rate": args.rate or None,
                   "shields": args.shields,
                   "cpus": os.cpu_count() or 0, "load_average_1m": load_avg})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
