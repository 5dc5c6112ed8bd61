"""How long the whole test suite takes: wall-clock and CPU time (user + system of pytest and its children).

    python benchmarks/bench_test_suite.py --label after [--base REV] [-- PYTEST_ARGS...]

With ``--base`` the tree of that commit is extracted into a temporary folder and run there (the same
interpreter, ``CLEARSPACE_DATASETS`` pointing at this checkout's datasets). On a shared machine the
wall-clock time depends on what else runs; the CPU time much less, so both are recorded, with the load
average before and after. The CPU time of the local PostgreSQL server (every process named
``postgres``, exited backends included) is recorded too: the suite's database work is done there, not in
pytest, but the figure also holds whatever other clients asked of the server meanwhile. Each run is
appended to benchmarks/results/test_suite.json under its label.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "test_suite.json"
DATASETS = ROOT.parent / "shared" / "datasets"


def _extract(rev: str, into: Path) -> None:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def postgres_cpu_s() -> float:
    """CPU seconds used so far by the local PostgreSQL server: its live processes, and the exited
    backends that the postmaster has reaped (its children's times)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, list[str]] = {}
    for proc in Path("/proc").iterdir():
        try:
            text = (proc / "stat").read_text()
        except (OSError, ValueError):
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        if name == "postgres" or name.startswith("postgres:"):
            stats[int(proc.name)] = text[text.rindex(")") + 2:].split()
    total = 0
    for fields in stats.values():
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if int(fields[1]) not in stats:  # the postmaster: add its reaped children
            total += int(fields[13]) + int(fields[14])
    return total / tick


def run_suite(tree: Path, pytest_args: list[str], log: Path | None = None) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree / "src"),
           "CLEARSPACE_DATASETS": os.environ.get("CLEARSPACE_DATASETS", str(DATASETS))}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = os.getloadavg()
    postgres_before = postgres_cpu_s()
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *pytest_args],
                          cwd=tree, env=env, capture_output=True, text=True)
    wall = time.monotonic() - started
    if log is not None:
        log.write_text(done.stdout + done.stderr, encoding="utf-8")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    postgres = postgres_cpu_s() - postgres_before
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return {"wall_s": round(wall, 1), "user_s": round(after.ru_utime - before.ru_utime, 1),
            "sys_s": round(after.ru_stime - before.ru_stime, 1),
            "cpu_s": round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 1),
            "postgres_server_cpu_s": round(postgres, 1),
            "max_rss_mib_of_one_process": round(after.ru_maxrss / 1024),
            "exit_code": done.returncode, "summary": lines[-1] if lines else done.stderr[-500:],
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "cpus": os.cpu_count(), "pytest_args": pytest_args}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", required=True)
    parser.add_argument("--base", help="run the tree of this commit instead of the working tree")
    parser.add_argument("--log", type=Path, help="write pytest's output here")
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="clearspace-suite-") as tmp:
        tree = ROOT
        if args.base:
            tree = Path(tmp)
            _extract(args.base, tree)
        result = run_suite(tree, args.pytest_args, args.log)
    result |= {"label": args.label, "base": args.base, "at": datetime.now(UTC).isoformat(timespec="seconds")}
    print(json.dumps(result, indent=2))
    runs = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps([*runs, result], indent=2) + "\n")


if __name__ == "__main__":
    main()
