"""Render time of every console page on the demo data, against a real ``clearspace serve --demo``.

    python benchmarks/bench_console.py [--repeat 10] [--out benchmarks/results/console.json]

Starts ``clearspace serve --demo`` on a free port with a fresh SQLite database, signs in with the
demo admin key, follows the console's own links (queue, every case, every appeal, incidents,
accounts, protection, rumors, audit log, transparency), requests each page ``--repeat`` times over
one keep-alive connection and reports the median, p95 and worst wall time per page kind (the
issue's budget: 300 ms). Prints a table and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_events import free_port  # noqa: E402

BUDGET_MS = 300.0
START = ("/console/", "/console/appeals", "/console/incidents", "/console/rumors", "/console/audit",
         "/console/transparency", "/console/protection?account=demo_xiaoyu", "/console/accounts?account=demo_sun")
FOLLOW = re.compile(r'href="(/console/(?:cases|appeals|incidents)/[\w:-]+)"')


def serve_demo(db: Path, port: int) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "clearspace", "serve", "--demo", "--db", str(db), "--port",
                             str(port)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert proc.stderr is not None
    key = ""
    deadline = time.monotonic() + 120
    for line in proc.stderr:
        if "demo admin key:" in line:
            key = line.split()[-1]
        if line.startswith("listening on"):
            break
        if time.monotonic() > deadline:
            break
    if not key:
        proc.kill()
        raise SystemExit("the demo server did not start")
    return proc, key


def kind_of(path: str) -> str:
    base = path.split("?")[0]
    return re.sub(r"/(case|apl|inc)[\w:-]*$", "/{id}", base) if base.count("/") > 2 else base


def crawl(client: httpx.Client) -> list[str]:
    seen: list[str] = []
    for path in START:
        seen.append(path)
        for link in FOLLOW.findall(client.get(path).text):
            if link not in seen:
                seen.append(link)
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "console.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        proc, key = serve_demo(Path(tmp) / "demo.db", port)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                for _ in range(100):
                    try:
                        client.get("/console/login")
                        break
                    except httpx.TransportError:
                        time.sleep(0.2)
                client.post("/console/login", data={"key": key, "next": "/console/"})
                pages = crawl(client)
                times: dict[str, list[float]] = defaultdict(list)
                for _ in range(args.repeat):
                    for path in pages:
                        started = time.perf_counter()
                        answer = client.get(path)
                        elapsed = (time.perf_counter() - started) * 1000
                        if answer.status_code != 200:
                            raise SystemExit(f"{path}: HTTP {answer.status_code}")
                        times[kind_of(path)].append(elapsed)
        finally:
            proc.terminate()
            proc.wait(10)
    rows = []
    for kind, values in sorted(times.items()):
        values.sort()
        rows.append({"page": kind, "requests": len(values), "median_ms": round(statistics.median(values), 1),
                     "p95_ms": round(values[int(0.95 * (len(values) - 1))], 1), "max_ms": round(values[-1], 1)})
    worst = max(r["max_ms"] for r in rows)
    print(f"{'page':34} {'n':>4} {'median':>8} {'p95':>8} {'max':>8}")
    for r in rows:
        print(f"{r['page']:34} {r['requests']:>4} {r['median_ms']:>8} {r['p95_ms']:>8} {r['max_ms']:>8}")
    verdict = "met" if worst < BUDGET_MS else "NOT met"
    print(f"pages crawled: {len(pages)}; worst {worst} ms; budget {BUDGET_MS} ms: {verdict}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"pages": rows, "crawled": len(pages), "worst_ms": worst,
                                    "budget_ms": BUDGET_MS}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
