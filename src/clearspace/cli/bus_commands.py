"""Bus mode's commands (issue 15, docs/scaleout.md): ``worker`` and ``bus status``.

Only click is imported here; the service and the bus load inside each command.
"""

from __future__ import annotations

import click

from clearspace.cli.service_commands import DB_HELP, _service

BUS_HELP = "NATS JetStream server, e.g. nats://127.0.0.1:4222 (default: $CLEARSPACE_BUS_URL or the config file)."
CONFIG_HELP = "TOML settings file (default: $CLEARSPACE_CONFIG); see docs/service.md."


@click.command()
@click.option("--db", help=DB_HELP)
@click.option("--bus", "bus_url", help=BUS_HELP)
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help=CONFIG_HELP)
def worker(db: str | None, bus_url: str | None, config: str | None) -> None:
    """Decide the events published by 'clearspace serve' in bus mode (run as many as you like).

    Each partition is owned by one worker at a time; a dead worker's partitions move to the live ones
    within bus_lease_seconds. Stop it with Ctrl-C or SIGTERM (it gives its partitions back)."""
    import logging
    import signal
    import threading

    from clearspace.service.bus_worker import Worker
    from clearspace.service.malloc import fix_mmap_threshold

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    service = _service(db, config, create=True, bus_url=bus_url)
    fix_mmap_threshold(service.settings.malloc_mmap_threshold_kib)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    runner = Worker(service)
    click.echo(f"clearspace worker {runner.leases.holder}: bus {service.settings.bus_url} prefix "
               f"{service.settings.bus_prefix}, {service.settings.bus_partitions} partitions", err=True)
    stats = runner.run(stop)
    click.echo(f"worker stopped: {stats.decided} events decided in {stats.batches} batches, "
               f"{stats.dead} dead letters", err=True)


@click.group()
def bus() -> None:
    """Bus mode: the partitions, their workers and the dead letters."""


@bus.command("status")
@click.option("--db", help=DB_HELP)
@click.option("--bus", "bus_url", help=BUS_HELP)
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help=CONFIG_HELP)
@click.option("--json", "as_json", is_flag=True, help="One JSON object (with a 'pending' total).")
def bus_status(db: str | None, bus_url: str | None, config: str | None, as_json: bool) -> None:
    """Partitions, their owners, consumed and pending counts, and the dead letters."""
    import orjson

    with _service(db, config, bus_url=bus_url) as service:
        found = service.admin.bus_status()
    if as_json:
        click.echo(orjson.dumps(found, option=orjson.OPT_INDENT_2).decode())
        return
    click.echo(f"stream {found['stream']}: {found['messages']} events, {found['pending']} pending, "
               f"{len(found['workers'])} live workers, {found['dead_letters']} dead letters")
    click.echo(f"{'partition':>9}  {'owner':<40} {'consumed':>9} {'decided':>8} {'pending':>8}")
    for p in found["partitions"]:
        click.echo(f"{p['partition']:>9}  {(p['owner'] or '-'):<40} {p['consumed_seq']:>9} {p['decided']:>8} "
                   f"{p['pending']:>8}")
    for d in found["recent_dead_letters"]:
        click.echo(f"dead letter {d['seq']} (partition {d['partition']}, event {d['event_id'] or '?'}, "
                   f"{d['tries']} failed tries, {d['deliveries']} deliveries): {d['error']}")


COMMANDS = (worker, bus)
