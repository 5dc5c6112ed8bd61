"""Bus mode against the single-process mode, over PostgreSQL, in the same run (issue 15 point 7).

For 1, 2 and 4 worker processes (tests/bus/worker_proc.py, the keyword stand-in engine, so the numbers
are about ingest and coordination rather than the model): accepted events/s (JetStream confirmed),
decided events/s, publish-to-decision p50/p99, the partitions' largest backlog; next to
``Service.ingest_events`` in this process over the same kind of database.

CPU: each worker process's user+sys CPU (/proc) from the first publish until the last decision, next to
that window's wall-clock seconds. Each worker also counts its deciding threads' CPU inside the ingest
pipeline (``Stats.cost()``, read through SIGUSR1 at both ends of the window): the rest of its CPU is
the coordination cost (fetching, acknowledging, leases, offset commits, handing batches over), of which
the offset commits and lease ticks are counted too. ``pipeline_control``: the same pipeline at the
same batch size in as many plain processes as there are workers, side by side over their own
databases (no bus at all), so the pipeline's CPU per decision when that many processes share the
machine's cores can be told apart from what bus mode adds. Then the chaos run (tests/bus/chaos.py)
with at least 10 kills.

    nice python benchmarks/bench_bus.py [--events 1500] [--chaos-seconds 45] [--deciders N]

Results: benchmarks/results/bus.json. The machine has 2 shared cores: runs are short, numbers are indicative.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "bus"))

from bus_helpers import NATS_URL, bus_service, until  # noqa: E402
from chaos import PARTITIONS, chaos, start_worker  # noqa: E402

from clearspace.bus.base import Outgoing  # noqa: E402
from clearspace.bus.jetstream import JetStreamBus  # noqa: E402
from clearspace.bus.names import Names  # noqa: E402
from clearspace.service.partitions import partition_of  # noqa: E402
from clearspace.store import Op  # noqa: E402

ADMIN = os.environ.get("CLEARSPACE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def new_db() -> str:
    name = f"cs_bench_{secrets.token_hex(5)}"
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return ADMIN.rsplit("/", 1)[0] + f"/{name}"


def drop_db(url: str) -> None:
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")


def events(n: int, tag: str) -> list[dict[str, Any]]:
    return [{"id": f"{tag}{i}", "text": "you idiot" if i % 5 == 0 else "hello there", "author": f"u{i % 211}",
             "target_user": f"v{i % 97}"} for i in range(n)]


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def single_process(n: int, batch_size: int = 256) -> dict[str, Any]:
    db = new_db()
    try:
        service = bus_service(db, "unused", bus_url="")
        service.warm_up()
        batch = events(n, "s")
        from clearspace.service.events import parse_events

        checked = parse_events(batch, max_text_chars=20_000, max_batch=n)
        cpu0, t0 = time.process_time(), time.perf_counter()
        for i in range(0, n, batch_size):
            service.ingest.checked(checked[i:i + batch_size])
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        return {"decided_per_s": round(n / wall, 1), "cpu_s_per_decision_ms": round(1000 * cpu / n, 3),
                "batch": batch_size}
    finally:
        drop_db(db)


def pipeline_control(copies: int, n: int, batch_size: int) -> dict[str, Any]:
    """:func:`single_process` in ``copies`` processes at once (``n`` events each, no bus): the pipeline's
    CPU per decision when that many processes share the cores."""
    cmd = [sys.executable, __file__, "--pipeline-only", str(n), "--batch", str(batch_size)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE) for _ in range(copies)]
    found = [orjson.loads(p.communicate(timeout=600)[0].splitlines()[-1]) for p in procs]
    return {"processes": copies, "batch": batch_size,
            "cpu_ms_per_decision": round(statistics.mean(f["cpu_s_per_decision_ms"] for f in found), 3)}


def read_costs(procs: list[Any], files: list[Path]) -> list[dict[str, float]]:
    """Each worker's ``Stats.cost()`` now (asked for with SIGUSR1)."""
    for f in files:
        f.unlink(missing_ok=True)
    for p in procs:
        os.kill(p.pid, signal.SIGUSR1)
    until(lambda: all(f.exists() for f in files), timeout_s=10, what="the workers' CPU counters")
    return [orjson.loads(f.read_bytes()) for f in files]


def cost_breakdown(before: list[dict[str, float]], after: list[dict[str, float]], n: int) -> dict[str, Any]:
    """CPU per decision (ms) by what it was spent on, over the window, all workers together."""
    def spent(key: str) -> float:
        return sum(a[key] - b[key] for b, a in zip(before, after, strict=True))

    process, pipeline = spent("process_cpu_s"), spent("pipeline_cpu_s")
    batches = spent("batches")
    return {"pipeline_cpu_ms_per_decision": round(1000 * pipeline / n, 3),
            "coordination_cpu_ms_per_decision": round(1000 * (process - pipeline) / n, 3),
            "of_which_offset_commit_ms": round(1000 * spent("offsets_cpu_s") / n, 4),
            "of_which_lease_ticks_ms": round(1000 * spent("lease_cpu_s") / n, 4),
            "events_per_batch": round(n / batches, 1) if batches else None,
            "takeovers_in_window": int(spent("takeovers"))}


def bus_run(workers: int, n: int, rate: float | None = None, deciders: int | None = None) -> dict[str, Any]:
    """A burst of ``n`` events (``rate`` None: as fast as JetStream takes them), or ``n`` events offered at
    ``rate`` events/s in chunks of 10 (latency at a given load: the goal is p99 < 250 ms at half capacity)."""
    db, prefix = new_db(), f"bench{secrets.token_hex(4)}"
    service = bus_service(db, prefix, bus_partitions=PARTITIONS)
    folder = Path(tempfile.mkdtemp(prefix="bench_bus"))
    files = [folder / f"worker{i}.json" for i in range(workers)]
    extra = [] if deciders is None else ["--deciders", str(deciders)]
    procs = [start_worker(db, prefix, "--costs", str(f), *extra) for f in files]
    try:
        until(lambda: sum(1 for p in service.admin.bus_status()["partitions"] if p["owner"]) == PARTITIONS
              and len(service.admin.bus_status()["workers"]) == workers, timeout_s=120, what="the workers")
        time.sleep(2)
        costs0 = read_costs(procs, files)
        cpu0 = [cpu_s(p.pid) for p in procs]
        batch = events(n, "b")
        sent: dict[str, float] = {}

        async def publish() -> float:
            bus = JetStreamBus(NATS_URL, Names(prefix), PARTITIONS)
            await bus.open()
            t0 = time.perf_counter()
            step = 10 if rate else 50
            for i in range(0, n, step):
                if rate:
                    await asyncio.sleep(max(0.0, t0 + i / rate - time.perf_counter()))
                chunk = batch[i:i + step]
                stamp = time.time()
                await bus.publish([Outgoing(e["id"], partition_of(e["id"], e, PARTITIONS), orjson.dumps(e))
                                   for e in chunk], 5.0)
                sent.update((e["id"], stamp) for e in chunk)
            took = time.perf_counter() - t0
            await bus.close()
            return took

        started = time.perf_counter()
        publish_s = asyncio.run(publish())
        backlog = max(p["pending"] for p in service.admin.bus_status()["partitions"])
        until(lambda: decided(service) >= n, timeout_s=300, what="the decisions")  # a fresh database: all ours
        decided_s = time.perf_counter() - started
        per_worker = [cpu_s(p.pid) - c for p, c in zip(procs, cpu0, strict=True)]
        costs1 = read_costs(procs, files)
        cpu = sum(per_worker)
        assert stored(service, list(sent)) == n
        with service.store.read() as tx:
            rows = tx.select("events", {"id": Op("in", list(sent))}, columns=["id", "received_at"])
        from clearspace.service.incidents import epoch

        latency = sorted(1000 * (epoch(r["received_at"]) - sent[r["id"]]) for r in rows)
        return {"workers": workers, "events": n, "offered_per_s": rate, "accepted_per_s": round(n / publish_s, 1),
                "decided_per_s": round(n / decided_s, 1),
                "latency_ms_p50": round(statistics.median(latency), 1),
                "latency_ms_p99": round(latency[int(0.99 * (len(latency) - 1))], 1),
                "largest_partition_backlog": backlog, "wall_s": round(decided_s, 2),
                "worker_cpu_s": [round(c, 2) for c in per_worker], "worker_cores_used": round(cpu / decided_s, 2),
                "worker_cpu_s_per_decision_ms": round(1000 * cpu / n, 3),
                "decisions_per_worker_cpu_s": round(n / cpu, 1) if cpu else None,
                **cost_breakdown(costs0, costs1, n)}
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(30)
        drop_db(db)
        for f in folder.iterdir():
            f.unlink()
        folder.rmdir()


def decided(service: Any) -> int:
    with service.store.read() as tx:
        return int(tx.count("events"))


def stored(service: Any, ids: list[str]) -> int:
    with service.store.read() as tx:
        return sum(tx.count("events", {"id": Op("in", ids[i:i + 500])}) for i in range(0, len(ids), 500))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1500)
    parser.add_argument("--chaos-seconds", type=float, default=45.0)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--paced-seconds", type=float, default=10.0,
                        help="after each burst, offer events at half its decided rate for this long (0: skip)")
    parser.add_argument("--deciders", type=int, default=None, help="bus_deciders of each worker (default: the setting)")
    parser.add_argument("--no-control", action="store_true", help="skip the side-by-side pipeline control runs")
    parser.add_argument("--pipeline-only", type=int, default=0, help=argparse.SUPPRESS)  # a control process
    parser.add_argument("--batch", type=int, default=256, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pipeline_only:
        print(orjson.dumps(single_process(args.pipeline_only, args.batch)).decode(), flush=True)
        return
    single = single_process(args.events)
    print("single process:", single, flush=True)
    runs: list[dict[str, Any]] = []
    paced: list[dict[str, Any]] = []
    for w in [int(x) for x in args.workers.split(",")]:
        runs.append(bus_run(w, args.events, deciders=args.deciders))
        if not args.no_control:
            runs[-1]["pipeline_control"] = pipeline_control(w, max(500, args.events // w),
                                                            max(1, round(runs[-1]["events_per_batch"] or 1)))
        print(runs[-1], flush=True)
        if args.paced_seconds > 0:
            half = round(runs[-1]["decided_per_s"] / 2, 1)
            paced.append(bus_run(w, max(100, int(half * args.paced_seconds)), rate=half, deciders=args.deciders))
            print("paced at half capacity:", paced[-1], flush=True)
    found: dict[str, Any] = {}
    if args.chaos_seconds > 0:
        db, prefix = new_db(), f"chaos{secrets.token_hex(4)}"
        try:
            found = chaos(db, prefix, seconds=args.chaos_seconds, kill_every=4.0, workers=3, rate=30)
        finally:
            drop_db(db)
        print("chaos:", found, flush=True)
    out = {"machine": f"{os.cpu_count()} cores shared with other sessions; keyword stand-in engine; "
                      f"PostgreSQL 15 and NATS 2.9 on the same host", "partitions": PARTITIONS,
           "deciders": args.deciders, "single_process": single, "bus": runs, "paced_half_capacity": paced,
           "chaos": found}
    path = ROOT / "benchmarks" / "results" / "bus.json"
    path.write_text(orjson.dumps(out, option=orjson.OPT_INDENT_2).decode() + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
