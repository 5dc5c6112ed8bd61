"""A worker process with the keyword engine (the chaos test and the benchmark kill it with SIGKILL):
``python worker_proc.py DB PREFIX PARTITIONS [real] [--deciders N] [--costs PATH]`` (``real``: the shipped
engine; ``--costs``: on SIGUSR1 the worker writes its CPU counters, ``Stats.cost()``, as JSON to PATH)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).parent))

from bus_helpers import bus_service  # noqa: E402

from clearspace.service.bus_worker import Worker  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("prefix")
    parser.add_argument("partitions", type=int)
    parser.add_argument("engine", nargs="?", default="keyword", choices=["keyword", "real"])
    parser.add_argument("--deciders", type=int, default=None)
    parser.add_argument("--costs", type=Path, default=None)
    args = parser.parse_args()
    extra: dict[str, Any] = {} if args.deciders is None else {"bus_deciders": args.deciders}
    service = bus_service(args.db, args.prefix, bus_partitions=args.partitions, **extra)
    if args.engine == "real":
        service.engine = None  # built from the settings on warm-up: the shipped model and policy
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    worker = Worker(service)
    if args.costs is not None:
        costs: Path = args.costs

        def write_costs(*_: Any) -> None:
            part = costs.with_suffix(".part")
            part.write_bytes(orjson.dumps(worker.stats.cost()))
            os.replace(part, costs)  # the reader never sees half a file

        signal.signal(signal.SIGUSR1, write_costs)
    stats = worker.run(stop)
    print(f"decided={stats.decided} batches={stats.batches} lease_s={stats.lease_s:.3f} ack_s={stats.ack_s:.3f}",
          flush=True)


if __name__ == "__main__":
    main()
