"""How the test suite should get an empty, migrated PostgreSQL database for each test.

    python benchmarks/bench_test_backends.py [--url postgresql://postgres@127.0.0.1:5432/postgres] [--n 20]

Four ways, each timed over ``--n`` tests (median seconds per test), written to
benchmarks/results/test_backends.json:

- ``template``: ``CREATE DATABASE t TEMPLATE migrated`` before the test, ``DROP DATABASE`` after;
- ``migrate``: a new schema, migrated by ``open_store`` (what a store does on first start);
- ``truncate``: one ``TRUNCATE`` of every table of one migrated schema;
- ``delete``: one multi-statement ``DELETE FROM`` every table, on a connection kept open
  (what tests/conftest.py does).

The tables are empty or nearly so at each step, as in the suite, where a test writes a few rows.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import psycopg

from clearspace.store import open_store
from clearspace.store.schema import KEYS

RESULTS = Path(__file__).resolve().parent / "results" / "test_backends.json"


def _url(admin: str, dbname: str, schema: str | None = None) -> str:
    base = admin.rsplit("/", 1)[0]
    return f"{base}/{dbname}" + (f"?options=-csearch_path%3D{schema}" if schema else "")


def _timed(step: Callable[[], None], n: int) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _one_row(url: str) -> None:
    """What a test leaves behind: a row in a table."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO jobs (id, kind, params, status, total, done, result, created_by, created_at, "
                     "updated_at) VALUES (%s, 'k', '{}', 'running', 0, 0, '{}', 'a', 't', 't')",
                     (secrets.token_hex(4),))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("CLEARSPACE_TEST_POSTGRES",
                                                        "postgresql://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--n", type=int, default=20)
    args = parser.parse_args()
    admin = psycopg.connect(args.url, autocommit=True)
    base = f"cs_bench_{secrets.token_hex(4)}"
    admin.execute(f"CREATE DATABASE {base}")
    made: list[str] = []
    try:
        migrated = _url(args.url, base)
        open_store(migrated).close()
        held = admin  # replaced below: a template must have no connection while it is copied

        def template() -> None:
            name = f"{base}_{len(made)}"
            made.append(name)
            admin.execute(f"CREATE DATABASE {name} TEMPLATE {base}")
            admin.execute(f"DROP DATABASE {name}")

        def migrate() -> None:
            schema = f"s_{secrets.token_hex(4)}"
            held.execute(f"CREATE SCHEMA {schema}")
            open_store(_url(args.url, base, schema)).close()

        def truncate() -> None:
            _one_row(migrated)
            held.execute("TRUNCATE " + ", ".join(KEYS))

        def delete() -> None:
            _one_row(migrated)
            held.execute("; ".join(f"DELETE FROM {name}" for name in KEYS))

        results = {}
        for name, step in (("template", template), ("migrate", migrate), ("truncate", truncate), ("delete", delete)):
            if name == "migrate":
                held = psycopg.connect(migrated, autocommit=True)
            results[name] = round(_timed(step, args.n), 4)
            print(f"{name:>9}: {results[name] * 1000:8.1f} ms per test")
        held.close()
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {base} WITH (FORCE)")
        admin.close()
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"seconds_per_test_median": results, "n": args.n, "tables": len(KEYS),
                                   "load_average": os.getloadavg(), "cpus": os.cpu_count()}, indent=2) + "\n")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
