"""The chaos run (the test runs it briefly, benchmarks/bench_bus.py for longer): worker processes decide
a bounded load while a random one is killed with SIGKILL every few seconds (and started again)."""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from bus_helpers import NATS_URL, bus_service, until

import clearspace
from clearspace.bus.base import Outgoing
from clearspace.bus.jetstream import JetStreamBus
from clearspace.bus.names import Names
from clearspace.errors import BusUnavailable
from clearspace.service.labels import is_label_track
from clearspace.service.partitions import partition_of
from clearspace.store import Op

PROC = Path(__file__).with_name("worker_proc.py")
PARTITIONS = 8


def start_worker(db: str, prefix: str, *extra: str) -> subprocess.Popen[bytes]:
    """A worker process importing this same clearspace (the tests may run from another folder);
    ``extra``: worker_proc.py's further arguments."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(clearspace.__file__).parent.parent),
                                                         os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, str(PROC), db, prefix, str(PARTITIONS), *extra], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def load(prefix: str, seconds: float, rate: float, acked: list[str]) -> None:
    """Publish about ``rate`` events/s for ``seconds``, with a planted pile-on on ``victim`` (8 hostile
    replies from 8 authors); ``acked`` gets each id JetStream confirmed."""
    start = datetime.now(UTC) - timedelta(minutes=10)
    planted = {int(i * rate * seconds / 8): i for i in range(8)}

    async def run() -> None:
        bus = JetStreamBus(NATS_URL, Names(prefix), PARTITIONS)
        await bus.open()
        began = time.monotonic()
        n = 0
        while time.monotonic() - began < seconds:
            if n in planted:
                i = planted[n]
                event: dict[str, Any] = {"id": f"pile{i}", "type": "reply", "author": f"p{i}", "target_user": "victim",
                                         "text": "你就是个傻逼", "ts": (start + timedelta(seconds=30 * i)).isoformat()}
            else:
                event = {"id": f"c{n}", "text": "you idiot" if n % 5 == 0 else "hello there",
                         "author": f"u{n % 97}", "target_user": f"v{n % 41}"}
            try:
                await bus.publish([Outgoing(event["id"], partition_of(event["id"], event, PARTITIONS),
                                            orjson.dumps(event))], 5.0)
                acked.append(event["id"])
            except BusUnavailable:  # not acknowledged: the client would send it again
                pass
            n += 1
            await asyncio.sleep(max(0.0, began + n / rate - time.monotonic()))
        await bus.close()

    asyncio.run(run())


def chaos(db: str, prefix: str, *, seconds: float, kill_every: float, workers: int = 3,
          rate: float = 40.0, seed: int = 15) -> dict[str, Any]:
    """Run the load under kills; answers what the checks need (and what happened)."""
    rng = random.Random(seed)
    service = bus_service(db, prefix, bus_partitions=PARTITIONS)
    procs = [start_worker(db, prefix) for _ in range(workers)]
    acked: list[str] = []
    publisher = threading.Thread(target=load, args=(prefix, seconds, rate, acked))
    publisher.start()
    kills = 0
    time.sleep(min(kill_every, 3.0))
    while publisher.is_alive():
        victim = rng.randrange(len(procs))
        procs[victim].kill()
        procs[victim].wait()
        kills += 1
        procs[victim] = start_worker(db, prefix)
        publisher.join(kill_every)
    try:
        until(lambda: decided_count(service, acked) == len(acked), timeout_s=90,
              what=f"every acknowledged decision ({decided_count(service, acked)} of {len(acked)}; "
                   f"bus: {service.admin.bus_status()['pending']} pending)")
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(30)
    with service.store.read() as tx:
        rows = tx.select("decisions", {"automated": 1})
    per_event = Counter(r["event_id"] for r in rows if not is_label_track(r))
    return {"kills": kills, "acknowledged": len(acked), "decided": sum(1 for i in acked if per_event[i] >= 1),
            "lost": sum(1 for i in acked if per_event[i] == 0), "duplicates": sum(1 for i in acked if per_event[i] > 1),
            "incidents": len(service.protection.incidents(target="victim")),
            "audit_ok": service.admin.verify_audit().ok}


def decided_count(service: Any, ids: list[str]) -> int:
    """How many of ``ids`` are stored (each stored event is decided: one transaction)."""
    with service.store.read() as tx:
        return sum(tx.count("events", {"id": Op("in", ids[i:i + 500])}) for i in range(0, len(ids), 500))
