"""Where does a long-running service's memory and time go? An in-process probe for the soak.

    python benchmarks/soak_probe.py [--events 60000] [--every 10000] [--batch 16] [--profile]

Drives one :class:`~clearspace.service.core.Service` (a fresh SQLite file) with the soak's ordinary
traffic (:func:`bench_soak.good_request`: events, shield checks, reports, matches) through its HTTP
app in-process, ``--batch`` events per ingest call as the HTTP batcher merges them, and every ``--every``
events prints one JSON line: the milliseconds per event over the last stretch, the Python heap
(tracemalloc) and the process RSS, the sizes of the pile-on detector's structures, and the lines whose
allocations grew the most since the previous line. With ``--profile`` it also prints the functions
with the most cumulative time in the first and the last stretch (cProfile), so a cost that grows with
the database or with the detector's state shows up as a function that got slower.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_soak import PROTECTED, good_request  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from clearspace.api.app import create_app  # noqa: E402
from clearspace.service.factory import build_service  # noqa: E402
from clearspace.service.settings import Settings  # noqa: E402


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def detector_sizes(service: Any) -> dict[str, int]:
    """Sizes of the pile-on detector's per-id structures (read for the probe only)."""
    live = service.pileons
    if live is None:
        return {}
    det = live.detector
    open_ = list(det.open_.values())
    return {"targets": len(det.targets_), "baselines": len(det.baselines_), "posts": len(det.posts_),
            "window_entries": sum(len(s.window) for s in det.targets_.values()),
            "open_incidents": len(open_), "incident_timeline": sum(len(i.timeline) for i in open_),
            "incident_participants": sum(len(i.participants) for i in open_)}


def one_call(service: Any, client: Any, rng: random.Random, pending: list[dict[str, Any]], batch: int) -> int:
    """One request of the mix: events straight to :meth:`Service.ingest`, ``batch`` at a time (as the batcher
    merges concurrent requests; so the profiler, which sees this thread only, sees them), the rest through
    the HTTP app. Returns the number of events ingested."""
    _, path, body = good_request(rng, 0, rng.randrange(1 << 40))
    if path == "/v1/events":
        pending.append(body)
        if len(pending) < batch:
            return 0
        service.ingest.events(list(pending))
        pending.clear()
        return batch
    answer = client.post(path, json=body)
    if answer.status_code >= 300:
        raise SystemExit(f"{path}: {answer.status_code} {answer.text[:300]}")
    return 0


def top_growth(before: tracemalloc.Snapshot, after: tracemalloc.Snapshot, n: int = 8) -> list[str]:
    stats = after.compare_to(before, "traceback")
    out = []
    for stat in stats[:n]:
        frames = [f"{Path(f.filename).name}:{f.lineno}" for f in reversed(stat.traceback)
                  if "clearspace" in f.filename][:4]  # the most recent first
        out.append(f"{stat.size_diff / 1024:+.0f} KiB {stat.count_diff:+d} {' < '.join(frames) or stat.traceback[0]}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=60_000, help="Events to ingest (default 60,000).")
    parser.add_argument("--every", type=int, default=10_000, help="Events between reports (default 10,000).")
    parser.add_argument("--batch", type=int, default=16, help="Events per ingest call (default 16).")
    parser.add_argument("--frames", type=int, default=12, help="tracemalloc frames (default 12; 0: none).")
    parser.add_argument("--profile", action="store_true", help="Also profile the first and the last stretch.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        service = build_service(Settings.from_env(db=str(Path(tmp) / "probe.db")))
        service.warm_up()
        _, key = service.admin.create_key("admin", actor="probe")
        client = TestClient(create_app(service), headers={"Authorization": f"Bearer {key}"})
        for account in PROTECTED:
            client.put(f"/v1/shield/{account}", json={"days": 30, "audience": "strangers"}).raise_for_status()
        rng = random.Random(1)
        pending: list[dict[str, Any]] = []
        if args.frames:
            tracemalloc.start(args.frames)
        snap = tracemalloc.take_snapshot() if args.frames else None
        done, mark, started = 0, 0, time.perf_counter()
        stretches = -(-args.events // args.every)
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        while done < args.events:
            done += one_call(service, client, rng, pending, args.batch)
            if done - mark < args.every:
                continue
            elapsed = time.perf_counter() - started
            report: dict[str, Any] = {"events": done, "ms_per_event": round(1000 * elapsed / (done - mark), 3)}
            if profiler:
                profiler.disable()
                stretch = done // args.every
                if stretch in (1, stretches):
                    text = io.StringIO()
                    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats("clearspace", 25)
                    report["profile"] = text.getvalue().splitlines()[6:40]
                profiler = cProfile.Profile()
            report.update(rss_mib=round(rss_mib(), 1), python_blocks=sys.getallocatedblocks(),
                          detector=detector_sizes(service))
            if snap is not None:
                now = tracemalloc.take_snapshot()
                report.update(heap_mib=round(tracemalloc.get_traced_memory()[0] / 2**20, 1),
                              growth=top_growth(snap, now))
                snap = now
            print(json.dumps(report, ensure_ascii=False, indent=1), flush=True)
            mark = done
            if profiler:
                profiler.enable()
            started = time.perf_counter()
        service.close()


if __name__ == "__main__":
    main()
