"""Load generator for ``POST /v1/events`` against a real ``clearspace serve`` process on loopback.

    python benchmarks/bench_events.py [--duration 10] [--max-requests 20000] [--concurrency 8] [--batch 1] [--workers 1]
                                      [--debunks 0] [--rumor-share 0.1]

Starts ``clearspace serve`` on a free port with a fresh SQLite database in a temporary
folder, creates an ingest key with ``clearspace keys create``, waits until the server
answers, then keeps ``--concurrency`` keep-alive connections busy posting synthetic events
(half Chinese, half English, some abusive; fixed seed) until ``--duration`` seconds or
``--max-requests`` requests. With ``--debunks N`` the database first gets N synthetic debunks
(``clearspace debunks import``), every event is matched against them at ingest, and a
``--rumor-share`` of the events repeat a debunked claim (so they are labelled: a label decision,
its statement of reasons and audit events are written too). Reports decisions per second and latency percentiles, checks
the number of stored decisions, and prints one JSON line. The client is a minimal HTTP/1.1
writer on asyncio streams so the load generator costs as little CPU as possible (the server
and the generator share the machine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEXTS = (
    "今天的读书会很愉快，下周见！", "Great stream tonight, thanks everyone.", "这家店的售后服务需要改进。",
    "The referee made questionable calls.", "你就是个傻逼，滚出这个群", "nmsl sb 滚", "谢谢大家的关心，我已经好多了。",
    "I disagree with the mayor's new budget.", "恶心死了 滚", "What a lovely photo of the harbour!",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


ZH_CHARS = ("的一是在不了有和人这中大为上个我以要他时来用们生到作地于出就分对成会可发年动同工也能下过子说"
            "产种面而方后多定行学法所得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体机当使")
EN_WORDS = ("water virus vaccine bank card fee tower flood shark tiger zoo airport phone photo camera bridge road "
            "river storm school food milk plastic garlic banana yogurt cancer microwave metro train bus station")


def synthetic_claims(n: int, seed: int = 0) -> list[str]:
    """``n`` debunked claims, half Chinese (random characters), half English (random words)."""
    rng = random.Random(seed)
    return ["".join(rng.choices(ZH_CHARS, k=rng.randint(12, 30))) if i % 2 == 0
            else " ".join(rng.choices(EN_WORDS.split(), k=rng.randint(6, 12))) for i in range(n)]


def import_debunks(db: Path, claims: list[str]) -> None:
    path = db.with_suffix(".debunks.jsonl")
    path.write_text("".join(json.dumps({"id": f"d{i}", "claim": c}, ensure_ascii=False) + "\n"
                            for i, c in enumerate(claims)), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "clearspace", "debunks", "import", str(path), "--db", str(db)], check=True,
                   capture_output=True)


def start_server(db: Path, port: int, workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    exe = [sys.executable, "-m", "clearspace"]
    out = subprocess.run([*exe, "keys", "create", "--role", "ingest", "--db", str(db)], check=True,
                         capture_output=True, text=True).stdout
    key = out.split()[-1]
    command = [*exe, "serve", "--db", str(db), "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, key
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start within 60 s")


async def request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, method: str, path: str, port: int,
                  key: str, body: bytes = b"") -> tuple[int, bytes]:
    """One keep-alive HTTP/1.1 request with the API key: ``(status, body)``."""
    head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {key}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    writer.write(head + body)
    status_line = await reader.readline()
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return int(status_line.split()[1]), await reader.readexactly(length)


async def post(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, port: int, key: str,
               body: bytes) -> int:
    return (await request(reader, writer, "POST", "/v1/events", port, key, body))[0]


def text(rng: random.Random, args: argparse.Namespace) -> str:
    if args.claims and rng.random() < args.rumor_share:
        return str(rng.choice(args.claims))
    return rng.choice(TEXTS)


async def worker(n: int, port: int, key: str, args: argparse.Namespace, stop_at: float, budget: list[int],
                 latencies: list[float], errors: list[int]) -> None:
    rng = random.Random(n)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = 0
    while time.monotonic() < stop_at and budget[0] > 0:
        budget[0] -= 1
        events = [{"id": f"w{n}-{i}-{j}", "author": f"user{rng.randrange(500)}", "text": text(rng, args),
                   "target_user": f"user{rng.randrange(500)}", "surface": "comment"} for j in range(args.batch)]
        body = json.dumps(events if args.batch > 1 else events[0], ensure_ascii=False).encode()
        started = time.perf_counter()
        status = await post(reader, writer, port, key, body)
        latencies.append(time.perf_counter() - started)
        if status != 200:
            errors.append(status)
        i += 1
    writer.close()


async def load(port: int, key: str, args: argparse.Namespace) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[int] = []
    budget = [args.max_requests]
    # warm-up (first requests load caches), not measured
    warm = argparse.Namespace(**{**vars(args), "batch": 1})
    await worker(10_000, port, key, warm, time.monotonic() + 1.0, [50], [], [])
    started = time.perf_counter()
    stop_at = time.monotonic() + args.duration
    await asyncio.gather(*(worker(n, port, key, args, stop_at, budget, latencies, errors)
                           for n in range(args.concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    pct = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {"requests": len(latencies), "errors": len(errors), "seconds": round(elapsed, 2),
            "decisions_per_s": round(len(latencies) * args.batch / elapsed, 1),
            "p50_ms": round(pct(0.50), 2), "p99_ms": round(pct(0.99), 2), "max_ms": round(latencies[-1] * 1000, 2),
            "mean_ms": round(statistics.fmean(latencies) * 1000, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="Seconds of measured load (default 10).")
    parser.add_argument("--max-requests", type=int, default=20_000, help="Stop after this many requests.")
    parser.add_argument("--concurrency", type=int, default=8, help="Open connections (default 8).")
    parser.add_argument("--batch", type=int, default=1, help="Events per request (default 1).")
    parser.add_argument("--workers", type=int, default=1, help="Server worker processes (default 1).")
    parser.add_argument("--debunks", type=int, default=0, help="Synthetic debunks in the registry (default 0).")
    parser.add_argument("--rumor-share", type=float, default=0.1,
                        help="With --debunks: share of events repeating a debunked claim (default 0.1).")
    args = parser.parse_args()
    args.claims = synthetic_claims(args.debunks)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        if args.claims:
            import_debunks(db, args.claims)
        port = free_port()
        proc, key = start_server(db, port, args.workers)
        try:
            result = asyncio.run(load(port, key, args))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        with sqlite3.connect(db) as conn:
            result["stored_decisions"] = conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0]
            result["stored_labels"] = conn.execute("SELECT COUNT(*) FROM post_labels").fetchone()[0]
    result.update({"concurrency": args.concurrency, "batch": args.batch, "workers": args.workers,
                   "debunks": args.debunks, "rumor_share": args.rumor_share if args.debunks else 0.0,
                   "cpus": os.cpu_count() or 0})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
