"""``debunks import|backfill|history`` and ``notes score|export``: the rumor registry and crowd notes
in the service's database.

Only click is imported here; the service loads inside each command, so ``clearspace --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

DB_HELP = "SQLite file or postgresql:// URL (default: $CLEARSPACE_DB, the config file's db, or ./clearspace.db)."


def _open(db: str | None, *, create: bool = False) -> Any:
    from clearspace.cli.service_commands import _service

    return _service(db, create=create)


def _shown(db: str) -> str:
    from clearspace.cli.service_commands import _shown as shown

    return shown(db)


def _backfill(service: Any, debunk_ids: list[str] | None, quiet: bool) -> dict[str, Any]:
    """Run the backfill with a tqdm bar on a terminal (stderr), silently otherwise."""
    from tqdm import tqdm

    with tqdm(total=0, unit="post", desc="labelling", disable=quiet or not sys.stderr.isatty(),
              file=sys.stderr) as bar:

        def progress(scanned: int, total: int, labelled: int) -> None:
            bar.total = total
            bar.update(scanned - bar.n)
            bar.set_postfix(labelled=labelled, refresh=False)

        result: dict[str, Any] = service.rumors.backfill_labels(debunk_ids, progress, actor="cli")
    return result


def _summary(result: dict[str, Any], db: str) -> str:
    return (f"{result['scanned']} posts scanned, {result['labelled']} labels added on "
            f"{result['posts_labelled']} posts ({_shown(db)})")


@click.group(name="debunks")
def debunks_group() -> None:
    """The debunk registry in the service's database (see docs/rumors.md)."""


@debunks_group.command(name="import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--db", help=DB_HELP)
@click.option("--backfill", is_flag=True, help="Then label the stored posts that match the debunks added.")
def debunks_import(path: str, db: str | None, backfill: bool) -> None:
    """Store debunks from PATH: JSON Lines ('id', 'claim', optional fields, or a ClaimReview per line)
    or ClaimReview JSON-LD (.json/.jsonld). Bad records are reported on stderr and skipped."""
    from clearspace.rumors.registry_io import read_debunks

    imported = read_debunks(Path(path))
    for number, message in imported.errors:
        click.echo(f"{path}:{number}: skipped: {message}", err=True)
    with _open(db, create=True) as service:
        result = service.rumors.import_debunks(imported.debunks, actor="cli")
        created = [r["id"] for r in result["results"] if r["status"] == "created"]
        filled = _backfill(service, created, quiet=False) if backfill and created else None
    for item in result["results"]:
        if item["status"] == "error":
            click.echo(f"{path}: {item.get('id', '?')}: skipped: {item['error']}", err=True)
        if item.get("duplicate_of"):
            click.echo(f"{path}: {item['id']}: warning: repeats the claim of {', '.join(item['duplicate_of'])} "
                       "(both will label the same posts)", err=True)
    unchanged = sum(1 for r in result["results"] if r["status"] == "unchanged")
    click.echo(f"{result['created']} debunks added, {unchanged} unchanged, "
               f"{result['errors'] + len(imported.errors)} skipped ({_shown(service.settings.db)})")
    if filled is not None:
        click.echo(_summary(filled, service.settings.db))
    if not result["created"] and not unchanged:
        click.echo(f"error: no debunk in {path} could be imported", err=True)
        sys.exit(2)


@debunks_group.command(name="backfill")
@click.option("--db", help=DB_HELP)
@click.option("--debunk", "debunk_ids", multiple=True, metavar="ID",
              help="Label only with this debunk (repeat for several; default: every active debunk).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def debunks_backfill(db: str | None, debunk_ids: tuple[str, ...], quiet: bool) -> None:
    """Label the stored posts that match the registry (each label is a decision with a statement of
    reasons). Safe to run again: a post never gets the same label twice. Progress on stderr."""
    with _open(db) as service:
        result = _backfill(service, list(debunk_ids) or None, quiet)
    click.echo(_summary(result, service.settings.db))


@debunks_group.command(name="history")
@click.argument("debunk_id")
@click.option("--db", help=DB_HELP)
def debunks_history(debunk_id: str, db: str | None) -> None:
    """Every version of a debunk as JSON Lines, oldest first."""
    import orjson

    with _open(db) as service:
        for version in service.rumors.debunk_history(debunk_id):
            sys.stdout.buffer.write(orjson.dumps(version) + b"\n")


@click.group(name="notes")
def notes_group() -> None:
    """Crowd notes in the service's database (see docs/rumors.md)."""


@notes_group.command(name="score")
@click.option("--db", help=DB_HELP)
def notes_score(db: str | None) -> None:
    """Score every note now (bridging_mf@1) and record status changes; run it periodically once the
    store holds more than notes_rescore_max_ratings ratings."""
    with _open(db) as service:
        result = service.rumors.score_notes(actor="cli")
    click.echo(f"{result['notes']} notes scored from {result['ratings']} ratings: {result['changed']} changed "
               f"status, {len(result['rings'])} rating rings down-weighted ({_shown(service.settings.db)})")


@notes_group.command(name="export")
@click.option("--db", help=DB_HELP)
@click.option("-o", "--output", "output_path", default="-", type=click.Path(allow_dash=True, dir_okay=False),
              help="Where to write the JSON Lines (default: stdout).")
def notes_export(db: str | None, output_path: str) -> None:
    """Every note and rating as JSON Lines, enough to score them again (clearspace.rumors.notes.import_jsonl)."""
    with _open(db) as service:
        data = service.rumors.export_notes()
    if output_path == "-":
        sys.stdout.buffer.write(data)
    else:
        Path(output_path).write_bytes(data)


COMMANDS = (debunks_group, notes_group)
