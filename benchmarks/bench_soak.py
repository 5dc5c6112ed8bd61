"""Soak test: a real ``clearspace serve`` under mixed load with hostile input mixed in, for minutes.

    python benchmarks/bench_soak.py [--minutes 30] [--rate 150] [--concurrency 8] [--sample 60] [--workers 1]
                                    [--output benchmarks/results/soak.json] [--no-probe | --probe-every 10]
                                    [--tracemalloc FRAMES --snapshots DIR]
    python benchmarks/bench_soak.py --chart benchmarks/results/soak_30min.json   # redraw its chart

Starts ``clearspace serve`` on a free port with a fresh SQLite database (or ``--db`` a
``postgresql://`` URL, which must be empty; ``CLEARSPACE_*`` settings and glibc's ``MALLOC_*`` tunables in
the environment reach the server and are recorded in the result), creates an admin key, turns protection on for a few
accounts and adds two debunks, then offers a fixed load of ``--rate`` requests a second over
``--concurrency`` keep-alive connections (each sends on its own fixed schedule, whatever the answers
take; a request's latency counts from its scheduled time, so a server that falls behind shows it
in p99 instead of being offered less), a fixed-seed mix of requests:

- good traffic (the requests that are timed): ``POST /v1/events`` (Chinese and English posts,
  some abusive, aimed at 2,000 accounts), ``POST /v1/shield/check`` (some of them held),
  ``POST /v1/reports``, ``POST /v1/match``;
- hostile input (about one request in ten): NUL characters in text, keys and ids, extra fields
  nested 300 levels deep, times in year 614 and year 1 at +14:00, integers past 64 bits, broken
  JSON, 20,000 characters of em-dashes, spaces or random code points (the last ones are valid and
  stored).

Every ``--sample`` seconds it records the server's resident memory (VmRSS, summed over its
worker processes), the good requests' count, p50 and p99 latency in that interval, the hostile
requests' count and the number of answers of each kind and status. With one worker the server runs
under ``soak_server.py`` (the same ``clearspace serve`` with a memory probe beside it; ``--no-probe``:
without), which every ``--probe-every`` seconds records VmRSS, anonymous memory, glibc's main heap,
the Python heap as allocated object blocks and the number of threads; a sample's RSS is then the median
of the probe's lines in its interval. At the end it prints one JSON object and writes it to
``--output`` (with a chart of RSS and p99 over time beside it, ``.svg``): the samples, the probe's
lines (``memory``), and a summary comparing the first and the last ``--window`` minutes (after the
first sample, which includes warm-up): the medians of RSS, anonymous memory and the Python heap over
each window (of the probe's lines, else of the samples) and RSS's change in percent, the RSS slope
(MiB a minute, least squares, after the first window), p99 (the median of the per-sample p99s, and over
all of a window's requests together), requests served per minute, the hostile share of all requests
and the total number of server errors (5xx), which must be 0. ``--tracemalloc N --snapshots DIR``
traces the server's heap too (slow), for ``soak_server.py --diff DIR``; ``SOAK_PROBE_ARGS`` in the
environment adds the probe's experiment options (``--trim 20``: glibc's ``malloc_trim`` every 20 s;
``--smaps DIR``: copies of ``/proc/PID/smaps``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_events import TEXTS, free_port, request  # noqa: E402

ACCOUNTS = 2000
PROTECTED = ("victim0", "victim1", "victim2")
REPORT_CATEGORIES = ("abuse", "threat", "doxxing", "spam")


def start(db: str, port: int, workers: int, cwd: Path, probe: list[str]) -> tuple[subprocess.Popen[bytes], str]:
    """``clearspace serve`` from this checkout (its ``src`` first on the path; the server runs in ``cwd``),
    through ``soak_server.py`` (the memory probe) when ``probe`` holds its arguments."""
    exe = [sys.executable, "-m", "clearspace"]
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, *filter(None, [os.environ.get("PYTHONPATH")])])}
    out = subprocess.run([*exe, "keys", "create", "--role", "admin", "--db", db], check=True, capture_output=True,
                         text=True, cwd=cwd, env=env).stdout
    key = out.split()[-1]
    if probe:
        exe = [sys.executable, str(Path(__file__).resolve().parent / "soak_server.py"), *probe, "--"]
    proc = subprocess.Popen([*exe, "serve", "--db", db, "--port", str(port), "--workers", str(workers)], cwd=cwd,
                            env=env, stdout=subprocess.DEVNULL, stderr=open(cwd / "serve.log", "wb"))  # noqa: SIM115
    return proc, key


def rss_kib(root: int) -> int:
    """VmRSS of ``root`` and its child processes (the workers), in KiB."""
    pids = [root] + [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(p) == root]
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def _parent(proc: Path) -> int:
    try:
        return int((proc / "stat").read_text().rpartition(")")[2].split()[1])
    except (OSError, ValueError, IndexError):
        return -1


def good_request(rng: random.Random, n: int, i: int) -> tuple[str, str, Any]:
    """(method, path, body) of one ordinary request."""
    roll = rng.random()
    author, target = f"u{rng.randrange(ACCOUNTS)}", f"u{rng.randrange(ACCOUNTS)}"
    if roll < 0.70:
        return "POST", "/v1/events", {"id": f"g{n}-{i}", "text": rng.choice(TEXTS), "author": author,
                                      "target_user": target, "surface": "comment"}
    if roll < 0.88:
        return "POST", "/v1/shield/check", {"account": rng.choice(PROTECTED), "author": author,
                                            "surface": rng.choice(("dm", "comment")), "item_id": f"c{n}-{i}",
                                            "text": rng.choice(TEXTS)}
    if roll < 0.95:
        return "POST", "/v1/reports", {"reporter": author, "category": rng.choice(REPORT_CATEGORIES),
                                       "target_user": target, "good_faith": True}
    return "POST", "/v1/match", {"posts": [{"id": f"m{n}-{i}", "text": rng.choice(TEXTS)}], "k": 3}


def hostile_request(rng: random.Random, n: int, i: int) -> tuple[str, str, Any]:
    """(method, path, body) of one hostile request; ``body`` bytes are sent as they are."""
    event_id = f"h{n}-{i}"
    kind = rng.randrange(10)
    if kind == 0:
        return "POST", "/v1/events", {"id": event_id, "text": "a\x00b"}
    if kind == 1:
        return "POST", "/v1/events", {"id": event_id, "text": "x", "extra": {"k\x00": 1}}
    if kind == 2:
        deep = "[" * 300 + "]" * 300
        return "POST", "/v1/events", f'{{"id": "{event_id}", "text": "x", "extra": {deep}}}'.encode()
    if kind == 3:
        return "POST", "/v1/events", {"id": event_id, "text": "x", "ts": rng.choice(
            ["0614-08-12T08:58:16Z", "0001-01-01T00:00:00+14:00", -40000000000])}
    if kind == 4:
        return "POST", "/v1/events", {"id": event_id, "text": "x", "n": 2**64 - 1}
    if kind == 5:
        return "POST", "/v1/events", b'{"id": "broken", "text": '
    if kind == 6:
        return "POST", "/v1/shield/check", {"account": PROTECTED[0], "author": "x", "surface": "dm", "text": "\x00"}
    if kind == 7:
        return "POST", "/v1/reports", {"reporter": "r\x00", "category": "abuse", "good_faith": True}
    unit = rng.choice(("—", " ", None))
    text = (unit * 20_000) if unit else "".join(chr(rng.randrange(0x20, 0x2FFFF)) for _ in range(20_000))
    text = text.replace("\x00", " ")
    text = "".join(c for c in text if not 0xD800 <= ord(c) <= 0xDFFF)
    return "POST", "/v1/events", {"id": event_id, "text": text, "author": f"u{rng.randrange(ACCOUNTS)}",
                                  "target_user": f"u{rng.randrange(ACCOUNTS)}"}


class Tally:
    """What one sampling interval saw."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.status: dict[str, int] = {}
        self.hostile = 0
        self.late = 0.0  # the most a connection was behind its schedule when it sent

    def add(self, kind: str, status: int, latency: float | None) -> None:
        key = f"{kind}:{status}"
        self.status[key] = self.status.get(key, 0) + 1
        if kind == "hostile":
            self.hostile += 1
        elif latency is not None and status < 400:
            self.latencies.append(latency)


async def client(n: int, port: int, key: str, start_at: float, stop_at: float, interval: float, tally: list[Tally],
                 hostile_share: float) -> None:
    """One connection: a request every ``interval`` seconds from ``start_at`` (staggered by connection),
    its latency counted from the time it was due."""
    rng = random.Random(n)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = 0
    due = start_at + interval * rng.random()
    while due < stop_at:
        wait = due - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        else:
            tally[0].late = max(tally[0].late, -wait)
        i += 1
        hostile = rng.random() < hostile_share
        method, path, body = (hostile_request if hostile else good_request)(rng, n, i)
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        try:
            status, _ = await request(reader, writer, method, path, port, key, data)
        except (ConnectionError, asyncio.IncompleteReadError):
            status = 599
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        elapsed = time.monotonic() - due
        tally[0].add("hostile" if hostile else path, status, None if hostile else elapsed)
        due += interval
    writer.close()


def percentile(values: list[float], q: float) -> float | None:
    """The ``q`` quantile of ``values`` (sorted), in milliseconds."""
    return round(values[min(len(values) - 1, int(q * len(values)))] * 1000, 2) if values else None


def summarize(tally: Tally, minute: float, seconds: float, rss: int, probe: list[dict[str, Any]]) -> dict[str, Any]:
    """One sample; with the memory probe's lines of the interval, RSS and the Python heap are their medians."""
    lat = sorted(tally.latencies)
    total = sum(tally.status.values())
    row: dict[str, Any] = {
        "minute": round(minute, 2), "rss_mib": round(rss / 1024, 1), "good_requests": len(lat),
        "hostile_requests": tally.hostile, "requests_per_minute": round(total * 60 / max(seconds, 1e-9)),
        "p50_ms": percentile(lat, 0.5), "p99_ms": percentile(lat, 0.99), "most_behind_ms": round(tally.late * 1000, 1),
        "answers": dict(sorted(tally.status.items())),
        "server_errors": sum(v for k, v in tally.status.items() if int(k.rsplit(":", 1)[1]) >= 500)}
    if probe:
        row["rss_mib"] = round(statistics.median(r["rss_kib"] for r in probe) / 1024, 1)
        row.update(memory_of(probe))
    return row


def memory_of(probe: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians of the probe's lines: anonymous memory (MiB), pymalloc blocks (thousands), traced heap (MiB)."""
    out = {"anon_mib": round(statistics.median(r["anon_kib"] for r in probe) / 1024, 1),
           "python_kblocks": round(statistics.median(r["python_blocks"] for r in probe) / 1000, 1)}
    if "traced_kib" in probe[0]:
        out["traced_mib"] = round(statistics.median(r["traced_kib"] for r in probe) / 1024, 1)
    return out


class ProbeReader:
    """New lines of the memory probe's file (``soak_server.py``), each stamped with the soak's minute."""

    def __init__(self, path: Path | None) -> None:
        self.path, self.offset = path, 0

    def read(self, minute: float) -> list[dict[str, Any]]:
        if self.path is None or not self.path.exists():
            return []
        with self.path.open("rb") as f:
            f.seek(self.offset)
            data = f.read()
        end = data.rfind(b"\n") + 1
        self.offset += end
        rows = [json.loads(line) for line in data[:end].splitlines() if line.strip()]
        if rows:  # the last line was written just now (within the probe's interval)
            latest = rows[-1]["t"]
            for r in rows:
                r["minute"] = round(minute - (latest - r["t"]) / 60, 2)
        return rows


async def setup(port: int, key: str) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for account in PROTECTED:
        body = json.dumps({"days": 30, "audience": "strangers"}).encode()
        await request(reader, writer, "PUT", f"/v1/shield/{account}", port, key, body)
    for debunk in ({"id": "water", "claim": "喝热水可以杀死新冠病毒", "verdict": "false"},
                   {"id": "5g", "claim": "5G towers spread the coronavirus", "verdict": "fabricated"}):
        await request(reader, writer, "POST", "/v1/debunks", port, key, json.dumps(debunk, ensure_ascii=False).encode())
    writer.close()


async def soak(proc: subprocess.Popen[bytes], port: int, key: str, args: argparse.Namespace,
               probe: ProbeReader) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[list[float]]]:
    """The samples, the memory probe's lines and each sample's good latencies (seconds)."""
    await setup(port, key)
    start_at = time.monotonic()
    stop_at = start_at + args.minutes * 60
    tally = [Tally()]
    interval = args.concurrency / args.rate
    tasks = [asyncio.create_task(client(n, port, key, start_at, stop_at, interval, tally, args.hostile_share))
             for n in range(args.concurrency)]
    samples, lines, latencies = [], [], []
    probe.read(0.0)  # start-up
    last = start_at
    while time.monotonic() < stop_at:
        await asyncio.sleep(min(args.sample, max(0.0, stop_at - time.monotonic())))
        now = time.monotonic()
        current, tally[0] = tally[0], Tally()
        rows = probe.read((now - start_at) / 60)
        row = summarize(current, (now - start_at) / 60, now - last, rss_kib(proc.pid), rows)
        last = now
        samples.append(row)
        lines.extend(rows)
        latencies.append(current.latencies)
        print(json.dumps(row), file=sys.stderr, flush=True)
    await asyncio.gather(*tasks)
    return samples, lines, latencies


def compare(samples: list[dict[str, Any]], window: float, probe: list[dict[str, Any]] | None = None,
            latencies: list[list[float]] | None = None) -> dict[str, Any]:
    """First and last ``window`` minutes after the first sample (warm-up): medians of RSS (of the memory
    probe's lines when there are any, else of the samples), of the Python heap, of the per-sample p99
    and p50, and the p99 of all the window's latencies together."""
    steady = samples[1:] or samples
    span = steady[-1]["minute"] - steady[0]["minute"]
    w = min(window, max(span / 2, 0.0))
    lo, hi = samples[0]["minute"], samples[-1]["minute"]
    first = [s for s in steady if s["minute"] <= steady[0]["minute"] + w]
    last = [s for s in steady if s["minute"] >= steady[-1]["minute"] - w]
    med = lambda rows, k: statistics.median([r[k] for r in rows if r.get(k) is not None] or [0.0])  # noqa: E731
    out: dict[str, Any] = {"window_minutes": round(w, 2)}
    lines = probe or []
    first_lines = [r for r in lines if lo < r["minute"] <= lo + w] or first
    last_lines = [r for r in lines if r["minute"] >= hi - w] or last
    key = "rss_kib" if lines else "rss_mib"
    scale = 1024 if lines else 1
    rss_first, rss_last = med(first_lines, key) / scale, med(last_lines, key) / scale
    out.update(rss_first_mib=round(rss_first, 1), rss_last_mib=round(rss_last, 1),
               rss_change_pct=round(100 * (rss_last - rss_first) / rss_first, 2) if rss_first else None,
               rss_max_mib=max(s["rss_mib"] for s in steady),
               rss_slope_mib_per_minute=slope([(r["minute"], r[key] / scale) for r in (
                   [r for r in (lines or steady) if r["minute"] >= lo + w] or steady)]))
    if lines:
        out.update(anon_first_mib=round(med(first_lines, "anon_kib") / 1024, 1),
                   anon_last_mib=round(med(last_lines, "anon_kib") / 1024, 1),
                   python_kblocks_first=round(med(first_lines, "python_blocks") / 1000, 1),
                   python_kblocks_last=round(med(last_lines, "python_blocks") / 1000, 1))
        if "traced_kib" in lines[0]:
            out.update(traced_first_mib=round(med(first_lines, "traced_kib") / 1024, 1),
                       traced_last_mib=round(med(last_lines, "traced_kib") / 1024, 1))
    out.update(p99_first_ms=round(med(first, "p99_ms"), 2), p99_last_ms=round(med(last, "p99_ms"), 2),
               p50_first_ms=round(med(first, "p50_ms"), 2), p50_last_ms=round(med(last, "p50_ms"), 2))
    if latencies:
        pooled = lambda rows: sorted(  # noqa: E731
            x for s, lat in zip(samples, latencies, strict=True) if s in rows for x in lat)
        out.update(p99_first_pooled_ms=percentile(pooled(first), 0.99),
                   p99_last_pooled_ms=percentile(pooled(last), 0.99))
    good = sum(s["good_requests"] for s in samples)
    hostile = sum(s["hostile_requests"] for s in samples)
    every = sum(sum(s["answers"].values()) for s in samples)
    out.update(requests_per_minute_first=round(med(first, "requests_per_minute")),
               requests_per_minute_last=round(med(last, "requests_per_minute")),
               server_errors=sum(s["server_errors"] for s in samples), good_requests=good,
               hostile_requests=hostile, hostile_share=round(hostile / max(1, every), 4), requests=every)
    return out


def slope(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of (minute, value) points, per minute."""
    if len(points) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    var = sum((x - mx) ** 2 for x, _ in points)
    return round(sum((x - mx) * (y - my) for x, y in points) / var, 3) if var else None


def chart(result: dict[str, Any], path: Path) -> None:
    """RSS (MiB, left axis) and p99 latency (ms, right axis) per sample, with the compared windows shaded."""
    samples = result["samples"]
    width, height, pad = 720, 300, 56
    x_hi = max(s["minute"] for s in samples) or 1.0
    rss_hi = max(s["rss_mib"] for s in samples) * 1.15
    p99_hi = max((s["p99_ms"] or 0.0) for s in samples) * 1.15 or 1.0

    def px(minute: float) -> float:
        return pad + minute / x_hi * (width - 2 * pad)

    def py(value: float, hi: float) -> float:
        return 30 + (1 - value / hi) * (height - 80)

    summary = result["summary"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
             'font-size="11">',
             f'<text x="{width / 2}" y="16" text-anchor="middle">Soak: {result["minutes"]:g} min at '
             f'{result["rate"]:g} requests/s offered ({100 * summary["hostile_share"]:.1f}% hostile); RSS '
             f'{summary["rss_first_mib"]:g} → {summary["rss_last_mib"]:g} MiB, p99 {summary["p99_first_ms"]:g} → '
             f'{summary["p99_last_ms"]:g} ms, {summary["server_errors"]} server errors</text>']
    w = summary["window_minutes"]
    first0 = (samples[1:] or samples)[0]["minute"]  # as compare(): after the first sample
    for lo, hi in ((first0, first0 + w), (x_hi - w, x_hi)):
        parts.append(f'<rect x="{px(lo):.1f}" y="30" width="{px(hi) - px(lo):.1f}" height="{height - 80}" '
                     'fill="#eee"/>')
    base = height - 50
    parts.append(f'<line x1="{pad}" y1="{base}" x2="{width - pad}" y2="{base}" stroke="#999"/>')
    for k in range(6):
        m = x_hi * k / 5
        parts.append(f'<text x="{px(m):.1f}" y="{base + 14}" text-anchor="middle">{m:.0f}</text>')
        rss, p99 = rss_hi * k / 5, p99_hi * k / 5
        parts.append(f'<text x="{pad - 6}" y="{py(rss, rss_hi) + 4:.1f}" text-anchor="end" fill="#1b9e77">'
                     f'{rss:.0f}</text>')
        parts.append(f'<text x="{width - pad + 6}" y="{py(p99, p99_hi) + 4:.1f}" fill="#d95f02">{p99:.0f}</text>')
    for key, hi, color in (("rss_mib", rss_hi, "#1b9e77"), ("p99_ms", p99_hi, "#d95f02")):
        pts = " ".join(f"{px(s['minute']):.1f},{py(s[key], hi):.1f}" for s in samples if s[key] is not None)
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2"/>')
    parts.append(f'<text x="{pad}" y="{height - 14}" fill="#1b9e77">— RSS (MiB, left)</text>')
    parts.append(f'<text x="{pad + 130}" y="{height - 14}" fill="#d95f02">— p99 latency (ms, right)</text>')
    parts.append(f'<text x="{width - pad}" y="{height - 14}" text-anchor="end">minutes (shaded: the windows '
                 'compared)</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="Minutes of load (default 30).")
    parser.add_argument("--rate", type=float, default=150.0, help="Requests a second offered (default 150).")
    parser.add_argument("--concurrency", type=int, default=8, help="Open connections (default 8).")
    parser.add_argument("--sample", type=float, default=60.0, help="Seconds between samples (default 60).")
    parser.add_argument("--window", type=float, default=5.0, help="Minutes compared at the start and the end.")
    parser.add_argument("--hostile-share", type=float, default=0.1, help="Share of hostile requests (default 0.1).")
    parser.add_argument("--workers", type=int, default=1, help="Server worker processes (default 1).")
    parser.add_argument("--db", help="Database (default: a fresh SQLite file in a temporary folder).")
    parser.add_argument("--output", type=Path, help="Also write the result here (JSON).")
    parser.add_argument("--no-probe", action="store_true",
                        help="Run 'clearspace serve' itself, without the memory probe (soak_server.py).")
    parser.add_argument("--probe-every", type=float, default=10.0, help="Seconds between probe lines (default 10).")
    parser.add_argument("--tracemalloc", type=int, default=0,
                        help="Trace the server's heap with this many frames (slows it down; default off).")
    parser.add_argument("--snapshots", type=Path,
                        help="With --tracemalloc: keep a snapshot every probe line here (soak_server.py --diff).")
    parser.add_argument("--chart", type=Path, help="Only draw the chart of a stored result (JSON) beside it.")
    args = parser.parse_args()
    if args.chart:
        chart(json.loads(args.chart.read_text(encoding="utf-8")), args.chart.with_suffix(".svg"))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = args.db or str(folder / "soak.db")
        port = free_port()
        stats = folder / "probe.jsonl"
        probe_args = [] if args.no_probe or args.workers > 1 else [str(stats), "--every", str(args.probe_every),
                                                                    *os.environ.get("SOAK_PROBE_ARGS", "").split()]
        if probe_args and args.tracemalloc:
            probe_args += ["--tracemalloc", str(args.tracemalloc)]
            if args.snapshots:
                probe_args += ["--snapshots", str(args.snapshots.resolve())]
        proc, key = start(db, port, args.workers, folder, probe_args)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    asyncio.run(asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 1))
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise SystemExit("the server did not start") from None
                    time.sleep(0.3)
            samples, lines, latencies = asyncio.run(soak(proc, port, key, args,
                                                         ProbeReader(stats if probe_args else None)))
        finally:
            proc.terminate()
            proc.wait(timeout=60)
        log_tail = (folder / "serve.log").read_text(errors="replace")[-2000:]
    result = {"minutes": args.minutes, "rate": args.rate, "concurrency": args.concurrency, "workers": args.workers,
              "hostile_share": args.hostile_share, "db": "sqlite" if args.db is None else "given",
              "cpus": os.cpu_count() or 0,
              "settings": {k: v for k, v in sorted(os.environ.items()) if k.startswith(("CLEARSPACE_", "MALLOC_"))},
              "probe": probe_args[1:] if probe_args else None,
              "load_average": os.getloadavg(),
              "summary": compare(samples, args.window, lines, latencies), "samples": samples, "memory": lines,
              "server_log_tail": log_tail}
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
        chart(result, args.output.with_suffix(".svg"))


if __name__ == "__main__":
    main()
