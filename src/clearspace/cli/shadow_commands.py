"""``shadow start|status|stop``: run a candidate policy or model in shadow beside the active engine.

The run is recorded in the service's database; every ``serve`` process over that database picks it
up within ``shadow_sync_seconds`` (see docs/plugins.md). Only click is imported here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

DB_HELP = "SQLite file or postgresql:// URL (default: $CLEARSPACE_DB, the config file's db, or ./clearspace.db)."


def _open(db: str | None) -> Any:
    from clearspace.cli.service_commands import _service

    return _service(db)


@click.group(name="shadow")
def shadow_group() -> None:
    """Shadow mode: a candidate scores live traffic beside the active engine without acting."""


@shadow_group.command(name="start")
@click.option("--policy", "policy_path", type=click.Path(exists=True, dir_okay=False),
              help="Candidate policy YAML (checked now).")
@click.option("--model", "model_path", type=click.Path(exists=True, dir_okay=False),
              help="Candidate model file (loaded now; the servers read the same path).")
@click.option("--version", "version", default=None, help="A stored model version (see `clearspace model list`).")
@click.option("--db", help=DB_HELP)
def shadow_start(policy_path: str | None, model_path: str | None, version: str | None, db: str | None) -> None:
    """Start a shadow run with a candidate policy, a model file or a stored model version (and a policy)."""
    from clearspace.service.shadow_candidates import CandidateSpec

    policy = Path(policy_path).read_text(encoding="utf-8") if policy_path else None
    spec = CandidateSpec(policy=policy, model_path=str(Path(model_path).resolve()) if model_path else None,
                         version=version)
    with _open(db) as service:
        run = service.learning.start_shadow(spec, actor="cli")
    click.echo(f"shadow run {run['id']} started: {run['label']}")


@shadow_group.command(name="status")
@click.option("--kind", help="Only examples of this kind (e.g. action:allow->hold).")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 500), help="Examples to show.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole summary as one JSON object.")
@click.option("--db", help=DB_HELP)
def shadow_status(kind: str | None, limit: int, as_json: bool, db: str | None) -> None:
    """The running shadow run (else the latest): counts by kind of disagreement, with examples."""
    with _open(db) as service:
        summary = service.learning.shadow_summary(None, kind, limit)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
        return
    click.echo(render(summary))


def render(summary: dict[str, Any]) -> str:
    run = summary["run"]
    if run is None:
        return "no shadow run yet (start one with 'clearspace shadow start --policy FILE')"
    agreement = "-" if run["agreement"] is None else f"{run['agreement']:.1%}"
    lines = [f"{run['id']} ({run['status']}): {run['label']}",
             f"compared {run['compared']}, disagreed {run['disagreed']} (agreement {agreement}), "
             f"dropped {run['dropped']}, candidate errors {run['errors']}"]
    lines += [f"  {count:>7}  {kind}" for kind, count in summary["counts"].items()]
    for example in summary["examples"]:
        active, candidate = example["active"], example["candidate"]
        lines.append(f"- {example['event_id']} [{', '.join(example['kinds'])}] {active['action']} -> "
                     f"{candidate['action']} (abuse {active['abuse']} -> {candidate['abuse']}): "
                     f"{example['text'][:120]!r}")
    return "\n".join(lines)


@shadow_group.command(name="stop")
@click.option("--db", help=DB_HELP)
def shadow_stop(db: str | None) -> None:
    """Stop the running shadow run (the servers stop within shadow_sync_seconds)."""
    with _open(db) as service:
        run = service.learning.stop_shadow(actor="cli")
    click.echo(f"shadow run {run['id']} stopped after {run['compared']} posts, {run['disagreed']} disagreements")


COMMANDS = (shadow_group,)
