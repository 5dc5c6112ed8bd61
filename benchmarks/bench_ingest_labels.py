"""What labelling at ingest costs: ``Service.ingest.checked`` in process, with and without a debunk registry.

    python benchmarks/bench_ingest_labels.py [--events 4000] [--batch 16] [--debunks 0 200 2000] [--rounds 3]
                                             [--rumor-share 0.1]

For each registry size (0: no debunks, so no matching at all) a fresh SQLite database gets that many
synthetic debunks (as ``bench_events.py --debunks``), then the same synthetic events (``--rumor-share``
of them repeat a debunked claim) are ingested in batches of ``--batch`` with the fast engine configuration. Reports
CPU time (``time.process_time``, less sensitive than wall time to other jobs on a shared machine) and
wall time per event, the median over ``--rounds`` rounds taken in turn, and the labels stored.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_events import TEXTS, synthetic_claims  # noqa: E402

from clearspace.engine import Engine  # noqa: E402
from clearspace.rumors.model import Debunk  # noqa: E402
from clearspace.service.core import Service  # noqa: E402
from clearspace.store import open_store  # noqa: E402


def events(n: int, claims: list[str], share: float, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    return [{"id": f"e{seed}-{i}", "author": f"user{rng.randrange(500)}", "surface": "comment",
             "target_user": f"user{rng.randrange(500)}",
             "text": rng.choice(claims) if claims and rng.random() < share else rng.choice(TEXTS)} for i in range(n)]


def run(engine: Engine, folder: Path, n_debunks: int, n_events: int, batch: int, seed: int,
        share: float) -> dict[str, float]:
    claims = synthetic_claims(n_debunks)
    service = Service(open_store(folder / f"b{n_debunks}-{seed}.db"), engine=engine)
    try:
        if claims:
            service.rumors.import_debunks([Debunk(id=f"d{i}", claim=c) for i, c in enumerate(claims)], actor="bench")
        service.rumors.search("warm up the matcher")
        todo = [service.ingest.check(events(batch, claims, share, seed * 100_000 + i))
                for i in range(n_events // batch)]
        cpu, wall = time.process_time(), time.perf_counter()
        for chunk in todo:
            service.ingest.checked(chunk)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        with service.store.read() as tx:
            labels = tx.count("post_labels")
    finally:
        service.store.close()
    done = len(todo) * batch
    return {"cpu_ms_per_event": 1000 * cpu / done, "wall_ms_per_event": 1000 * wall / done, "labels": labels,
            "events": done}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--debunks", type=int, nargs="+", default=[0, 200, 2000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rumor-share", type=float, default=0.1)
    args = parser.parse_args()
    engine = Engine()
    engine.warm_up()
    results: dict[int, list[dict[str, float]]] = {n: [] for n in args.debunks}
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.rounds):
            for n in args.debunks:
                results[n].append(run(engine, Path(tmp), n, args.events, args.batch, round_, args.rumor_share))
    for n, runs in results.items():
        print(json.dumps({"debunks": n, "rumor_share": args.rumor_share, "batch": args.batch,
                          "events": runs[0]["events"], "rounds": len(runs),
                          "cpu_ms_per_event": round(statistics.median(r["cpu_ms_per_event"] for r in runs), 3),
                          "wall_ms_per_event": round(statistics.median(r["wall_ms_per_event"] for r in runs), 3),
                          "events_per_cpu_s": round(1000 / statistics.median(r["cpu_ms_per_event"] for r in runs)),
                          "labels": runs[0]["labels"]}))


if __name__ == "__main__":
    main()
