"""Creator accountability on a simulated community: who loses monetization, and how fast the answer is.

    python benchmarks/bench_accountability.py [--seed 16] [--engine real|keywords] [--requests 3000]

The community (:mod:`clearspace.accountability.community`: pile-on farmers, critics of the powerful
with heated replies and some third-party abuse they did not ask for, friendly popular creators,
ordinary users) is ingested through a :class:`Service` over a fresh SQLite database, its clock
following the events' time. Then every creator's eligibility is read and compared with its kind:

* recall and precision of ineligibility for farmers (the population is the creators and ordinary
  users; the audience, who may lose eligibility through their own strikes, is reported apart);
* how many critics and popular creators were made ineligible (the goal is 0);
* ``GET /v1/accounts/{id}/monetization`` latency p50 / p99 from a warm uvicorn server (one keep-alive
  client, sequential requests), and the service call alone.

Writes ``benchmarks/results/accountability.json`` and a bar chart of the toxic-traffic ratios by
kind (``accountability.svg``).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from clearspace.accountability.community import CreatorSimConfig, simulate_creators  # noqa: E402
from clearspace.service.clock import ManualClock, parse_time  # noqa: E402
from clearspace.service.core import Service  # noqa: E402
from clearspace.store import open_store  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def _engine(kind: str) -> Any:
    if kind == "keywords":
        from clearspace.service.stub_engine import KeywordEngine

        return KeywordEngine()
    from clearspace.service.engine_config import build_engine
    from clearspace.service.settings import Settings

    return build_engine(Settings())


def ingest(service: Service, clock: ManualClock, events: list[dict[str, Any]], batch: int) -> float:
    started = time.perf_counter()
    for i in range(0, len(events), batch):
        chunk = [{k: v for k, v in e.items() if k != "label"} for e in events[i:i + batch]]
        clock.current = max(clock.current, parse_time(chunk[-1]["ts"], "ts"))
        service.ingest.events(chunk, actor="bench")
    return time.perf_counter() - started


def quality(service: Service, truth: dict[str, str], audience: list[str]) -> dict[str, Any]:
    answers = {a: service.accounts.monetization(a) for a in truth}
    ineligible = {a for a, ans in answers.items() if not ans["eligible"]}
    farmers = {a for a, k in truth.items() if k == "farmer"}
    hit = len(ineligible & farmers)
    by_kind: dict[str, Any] = {}
    for kind in ("farmer", "critic", "popular", "ordinary"):
        names = [a for a, k in truth.items() if k == kind]
        ratios = sorted(service.accounts.traffic(a)["ratio"] for a in names)
        rules: dict[str, int] = {}
        for a in names:
            for r in answers[a]["reasons"]:
                rules[r["rule"]] = rules.get(r["rule"], 0) + 1
        by_kind[kind] = {"accounts": len(names), "ineligible": sum(1 for a in names if a in ineligible),
                         "ratio_min": ratios[0], "ratio_median": statistics.median(ratios), "ratio_max": ratios[-1],
                         "ratios": ratios, "rules": rules}
    lost = [a for a in audience if not service.accounts.monetization(a)["eligible"]]
    return {"recall": round(hit / len(farmers), 4) if farmers else None,
            "precision": round(hit / len(ineligible), 4) if ineligible else None,
            "critics_ineligible": by_kind["critic"]["ineligible"],
            "popular_ineligible": by_kind["popular"]["ineligible"],
            "false_ineligible_rate_critics_popular": round(
                (by_kind["critic"]["ineligible"] + by_kind["popular"]["ineligible"])
                / max(1, by_kind["critic"]["accounts"] + by_kind["popular"]["accounts"]), 4),
            "missed_farmers": sorted(farmers - ineligible), "by_kind": by_kind,
            "audience_accounts": len(audience), "audience_ineligible_by_own_strikes": len(lost)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50_ms": round(1000 * ordered[len(ordered) // 2], 3),
            "p99_ms": round(1000 * ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 3),
            "max_ms": round(1000 * ordered[-1], 3), "requests": len(ordered)}


def latency(service: Service, accounts: list[str], requests: int) -> dict[str, Any]:
    import httpx
    import uvicorn

    from clearspace.api.app import create_app

    key = service.admin.create_key("ingest", name="bench-payouts")[1]
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(service, protection_jobs=False), host="127.0.0.1", port=port,
                                          log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    samples: list[float] = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {key}"}) as client:
            for i in range(200 + requests):
                started = time.perf_counter()
                response = client.get(f"/v1/accounts/{accounts[i % len(accounts)]}/monetization")
                elapsed = time.perf_counter() - started
                assert response.status_code == 200, response.text
                if i >= 200:
                    samples.append(elapsed)
    finally:
        server.should_exit = True
        thread.join(10)
    calls = []
    for i in range(requests):
        started = time.perf_counter()
        service.accounts.monetization(accounts[i % len(accounts)])
        calls.append(time.perf_counter() - started)
    return {"http": _percentiles(samples), "service_call": _percentiles(calls)}


def chart(by_kind: dict[str, Any], threshold: float) -> str:
    """Each account's toxic-traffic ratio as a dot per kind, with the threshold line (SVG)."""
    width, height, left = 640, 260, 90
    rows = list(by_kind.items())
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
             'font-size="12"><title>Toxic-traffic ratio by kind of account</title>']
    x = left + threshold * (width - left - 20)
    parts.append(f'<line x1="{x:.1f}" y1="10" x2="{x:.1f}" y2="{height - 30}" stroke="#c00" stroke-dasharray="4"/>')
    parts.append(f'<text x="{x + 4:.1f}" y="22" fill="#c00">threshold {threshold:g}</text>')
    for i, (kind, data) in enumerate(rows):
        y = 50 + i * 50
        parts.append(f'<text x="8" y="{y + 4}">{kind} ({data["ineligible"]}/{data["accounts"]} out)</text>')
        for r in data["ratios"]:
            parts.append(f'<circle cx="{left + r * (width - left - 20):.1f}" cy="{y}" r="3" fill="#236" '
                         'fill-opacity="0.5"/>')
    parts.append(f'<text x="{left}" y="{height - 10}">0</text><text x="{width - 30}" y="{height - 10}">1</text>')
    return "\n".join(parts + ["</svg>"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--engine", choices=("real", "keywords"), default="real")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--critic-third-party", type=float, default=CreatorSimConfig().critic_third_party,
                        help="Share of a critic's replies that abuse the criticised person (a harder community: 0.25).")
    parser.add_argument("--farmer-hostile", type=float, nargs=2, default=list(CreatorSimConfig().farmer_hostile),
                        help="Range of the share of a farmer's replies that abuse the target (harder: 0.2 0.6).")
    parser.add_argument("--out", default=str(RESULTS / "accountability.json"))
    args = parser.parse_args()
    config = CreatorSimConfig(seed=args.seed, critic_third_party=args.critic_third_party,
                              farmer_hostile=(args.farmer_hostile[0], args.farmer_hostile[1]))
    events, truth = simulate_creators(config)
    audience = sorted({e["author"] for e in events if e.get("label") == "audience"})
    with tempfile.TemporaryDirectory() as folder:
        clock = ManualClock(datetime.fromtimestamp(parse_time(events[0]["ts"], "ts").timestamp(), UTC))
        service = Service(open_store(Path(folder) / "bench.db"), engine=_engine(args.engine), clock=clock)
        service.warm_up()
        seconds = ingest(service, clock, events, args.batch)
        found = quality(service, truth, audience)
        load_before = os.getloadavg()[0]
        speed = latency(service, sorted(truth), args.requests)
        speed["load_average_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]  # before, after
        service.close()
    result = {"config": {**{k: getattr(config, k) for k in config.__dataclass_fields__}, "engine": args.engine},
              "events": len(events), "ingest_seconds": round(seconds, 2),
              "ingest_events_per_s": round(len(events) / seconds, 1), **found, "latency": speed,
              "thresholds": {"toxic_ratio_threshold": service.settings.toxic_ratio_threshold,
                             "toxic_min_engagement": service.settings.toxic_min_engagement,
                             "monetization_max_strikes": service.settings.monetization_max_strikes},
              "goals": {"recall>=0.9": (found["recall"] or 0) >= 0.9,
                        "precision>=0.95": (found["precision"] or 0) >= 0.95,
                        "critics_popular_ineligible==0": found["critics_ineligible"] + found["popular_ineligible"] == 0,
                        "p99<5ms": speed["http"]["p99_ms"] < 5.0}}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    svg = chart(found["by_kind"], service.settings.toxic_ratio_threshold)
    out.with_suffix(".svg").write_text(svg, encoding="utf-8")
    brief = {k: result[k] for k in ("recall", "precision", "critics_ineligible", "popular_ineligible", "goals")}
    print(json.dumps({**brief, "latency": speed}, indent=2))


if __name__ == "__main__":
    main()
