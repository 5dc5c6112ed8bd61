"""A worker process with the keyword engine (the chaos test and the benchmark kill it with SIGKILL):
``python worker_proc.py DB PREFIX PARTITIONS [real]`` (``real``: the shipped engine)."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bus_helpers import bus_service  # noqa: E402

from clearspace.service.bus_worker import Worker  # noqa: E402


def main() -> None:
    db, prefix, partitions = sys.argv[1], sys.argv[2], int(sys.argv[3])
    service = bus_service(db, prefix, bus_partitions=partitions)
    if len(sys.argv) > 4 and sys.argv[4] == "real":
        service.engine = None  # built from the settings on warm-up: the shipped model and policy
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stats = Worker(service).run(stop)
    print(f"decided={stats.decided} batches={stats.batches} lease_s={stats.lease_s:.3f} ack_s={stats.ack_s:.3f}",
          flush=True)


if __name__ == "__main__":
    main()
