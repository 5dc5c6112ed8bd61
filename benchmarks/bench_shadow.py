"""Ingest throughput with and without a shadow run (the shadow candidate must not slow ingest much).

    python benchmarks/bench_shadow.py [--events 3000] [--batch 100]

Ingests ``--events`` synthetic posts (the shipped samples, repeated with new ids) through
``Service.ingest.events`` over a fresh SQLite database, with the fast engine, three times: no shadow run,
a policy candidate (the default policy with nudges turned into holds), and a model-file candidate
(the shipped model file, so the text is scored a second time in the background thread), once per
``--busy`` value of ``shadow_max_busy``. Reports
events per second of ingest itself (what callers wait for), then how many posts the candidate
compared, dropped and found in disagreement once its queue is drained. ``--rounds`` repeats the
three in a rotated order and reports the medians (the machine may be shared). Prints one JSON line and
writes ``benchmarks/results/shadow.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from importlib.resources import files
from pathlib import Path
from typing import Any

from clearspace.engine import Engine
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.service.settings import Settings
from clearspace.service.shadow_candidates import CandidateSpec
from clearspace.store import open_store

ROOT = Path(__file__).resolve().parents[1]


def posts() -> list[str]:
    lines = files("clearspace").joinpath("data/samples/posts.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


def run(engine: Engine, folder: Path, name: str, spec: CandidateSpec | None, n: int, batch: int,
        busy: float = 0.25) -> dict[str, Any]:
    service = Service(open_store(folder / f"{name}.db"), engine=engine, ids=IdFactory(counter_token()),
                      settings=Settings(shadow_max_busy=busy))
    service.warm_up()
    if spec is not None:
        service.learning.start_shadow(spec, "bench")
    texts = posts()
    events = [{"id": f"{name}-{i}", "author": f"a{i % 50}", "text": texts[i % len(texts)]} for i in range(n)]
    started = time.perf_counter()
    for lo in range(0, n, batch):
        service.ingest.events(events[lo:lo + batch])
    seconds = time.perf_counter() - started
    out: dict[str, Any] = {"shadow": name, "ingest_events_per_s": round(n / seconds, 1)}
    if spec is not None:
        drained = time.perf_counter()
        service.shadow.drain(600)
        service.learning.shadow_tick()
        run_row = service.learning.shadow_summary()["run"]
        out |= {"drain_s_after_ingest": round(time.perf_counter() - drained, 2),
                **{k: run_row[k] for k in ("compared", "disagreed", "dropped", "errors")}}
        service.shadow.close()
    service.store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3, help="rounds, each running every mode in a rotated order")
    parser.add_argument("--busy", default="0.25", help="shadow_max_busy values to run the model candidate with")
    parser.add_argument("-o", "--output", default=str(ROOT / "benchmarks" / "results" / "shadow.json"))
    args = parser.parse_args()
    engine = Engine().warm_up()
    default = files("clearspace").joinpath("data/policy/default.yaml").read_text(encoding="utf-8")
    stricter = default.replace("name: default\n", "name: stricter\n").replace("action: nudge\n", "action: hold\n")
    model = str(files("clearspace").joinpath("data/models/abuse.npz"))
    modes: list[tuple[str, CandidateSpec | None, float]] = [("off", None, 1.0),
                                                             ("policy", CandidateSpec(policy=stricter), 0.25)]
    modes += [(f"model@{b}", CandidateSpec(model_path=model), float(b)) for b in args.busy.split(",")]
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            turn = r % len(modes)
            for name, spec, busy in modes[turn:] + modes[:turn]:
                runs.append(run(engine, Path(tmp), f"{name}-{r}", spec, args.events, args.batch, busy)
                            | {"shadow": name})
    medians = {name: statistics.median(x["ingest_events_per_s"] for x in runs if x["shadow"] == name)
               for name, _, _ in modes}
    report = {"events": args.events, "batch": args.batch, "median_ingest_events_per_s": medians,
              "relative_to_off": {k: round(v / medians["off"], 3) for k, v in medians.items()},
              "range": {name: [min(x["ingest_events_per_s"] for x in runs if x["shadow"] == name),
                               max(x["ingest_events_per_s"] for x in runs if x["shadow"] == name)]
                        for name, _, _ in modes}, "runs": runs}
    Path(args.output).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
