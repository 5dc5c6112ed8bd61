"""``clearspace training`` and ``clearspace model``: the community's labels and the model versions (issue 13).

Each command works on the server's database (``--db``, else ``$CLEARSPACE_DB``, the config file's ``db``
or ``./clearspace.db``). Only click is imported here; the service loads inside each command.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from clearspace.cli.service_commands import DB_HELP, _service


def _echo_json(data: Any) -> None:
    import orjson

    click.echo(orjson.dumps(data).decode())


@click.group()
def training() -> None:
    """The training labels that moderators' judgements make (see docs/learning.md)."""


@training.command("export")
@click.option("-o", "--output", "output_path", default="-", type=click.Path(allow_dash=True, dir_okay=False),
              show_default=True, help="Where to write JSON Lines ('-' for standard output).")
@click.option("--current-only", is_flag=True, help="Only each event's current label (default: the whole history).")
@click.option("--db", help=DB_HELP)
def training_export(output_path: str, current_only: bool, db: str | None) -> None:
    """Write every label as JSON Lines with its provenance and its event's text, oldest first."""
    import orjson

    count = 0
    with click.open_file(output_path, "wb") as out, _service(db) as service:
        for row in service.learning.export_labels(current_only):
            out.write(orjson.dumps(row) + b"\n")
            count += 1
    click.echo(f"exported {count} labels", err=True)


@click.group()
def model() -> None:
    """Train, list, promote, roll back and export model versions (see docs/learning.md)."""


@model.command("train")
@click.option("--holdout", default=0.2, show_default=True, type=click.FloatRange(0.05, 0.5),
              help="Share of the labels held out (seeded) to evaluate the new version and the active one.")
@click.option("--seed", default=7, show_default=True, type=int, help="Seed of the held-out split and the folds.")
@click.option("--promote", "promote_after", is_flag=True, help="Promote the new version right after training.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on the last line.")
@click.option("--db", help=DB_HELP)
def model_train(holdout: float, seed: int, promote_after: bool, as_json: bool, db: str | None) -> None:
    """Train a new version from the shipped model and the community's current labels (not promoted)."""
    with _service(db) as service:
        record = service.learning.train_model("cli", holdout=holdout, seed=seed)
        if promote_after:
            service.learning.promote_model(record["version"], "cli", "promoted by 'clearspace model train --promote'")
    evaluation = record["evaluation"]
    new, active = evaluation.get("new"), evaluation.get("active")
    click.echo(f"trained model version {record['version']} on {record['training']['trained_on']} labels in "
               f"{record['training']['seconds']:.1f}s", err=as_json)
    if new and active:
        click.echo(f"held-out ({evaluation['held_out']['n']} labels): new F1 {new['f1']:.3f} "
                   f"(P {new['precision']:.3f} R {new['recall']:.3f}, macro-F1 {new['macro_f1']:.3f}); active "
                   f"{active['version']} F1 {active['f1']:.3f} (P {active['precision']:.3f} R {active['recall']:.3f}, "
                   f"macro-F1 {active['macro_f1']:.3f})", err=as_json)
    if not promote_after:
        click.echo(f"promote it with: clearspace model promote {record['version']}", err=as_json)
    if as_json:
        _echo_json({**record, "promoted": promote_after})


@model.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the listing as one JSON object.")
@click.option("--db", help=DB_HELP)
def model_list(as_json: bool, db: str | None) -> None:
    """The versions, newest first; '*' marks the active one."""
    with _service(db) as service:
        listing = service.learning.list_models()
    if as_json:
        _echo_json(listing)
        return
    for v in listing["versions"]:
        new = (v.get("evaluation") or {}).get("new") or {}
        score = f"held-out F1 {new['f1']:.3f} (n {new['n']})" if new else "-"
        labels = (v.get("training") or {}).get("labels", "-")
        click.echo(f"{'*' if v['active'] else ' '} {v['version']}\t{v['created_at'] or '-'}\tlabels {labels}\t{score}")


@model.command("promote")
@click.argument("version")
@click.option("--reason", default="", help="Why (recorded in the audit log).")
@click.option("--db", help=DB_HELP)
def model_promote(version: str, reason: str, db: str | None) -> None:
    """Serve VERSION ('shipped' for the package's model) in every server process over this database."""
    with _service(db) as service:
        active = service.learning.promote_model(version, "cli", reason)
    click.echo(f"model version {active['version']} is active; running servers switch within seconds")


@model.command("rollback")
@click.option("--reason", default="", help="Why (recorded in the audit log).")
@click.option("--db", help=DB_HELP)
def model_rollback(reason: str, db: str | None) -> None:
    """Return to the version that was active before the current one was promoted."""
    with _service(db) as service:
        active = service.learning.rollback_model("cli", reason)
    click.echo(f"rolled back: model version {active['version']} is active")


@model.command("export")
@click.argument("version")
@click.option("-o", "--output", "output_path", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="Where to write the model file (use it with 'clearspace scan --model FILE').")
@click.option("--db", help=DB_HELP)
def model_export(version: str, output_path: str, db: str | None) -> None:
    """Write the model file of VERSION."""
    with _service(db) as service:
        data = service.learning.export_model(version)
    if output_path == "-":
        sys.stdout.buffer.write(data)
        return
    with open(output_path, "wb") as fh:
        fh.write(data)
    click.echo(f"wrote model version {version} to {output_path} ({len(data) / 1e6:.1f} MB)", err=True)


COMMANDS = (training, model)
