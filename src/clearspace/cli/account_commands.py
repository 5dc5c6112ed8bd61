"""``accounts``: creator accountability from the command line (issue 16; docs/accountability.md)."""

from __future__ import annotations

import click
import orjson

from clearspace.cli.service_commands import DB_HELP, _service


@click.group()
def accounts() -> None:
    """Reach, monetization eligibility and creator records of accounts."""


@accounts.command("show")
@click.argument("account")
@click.option("--db", help=DB_HELP)
def accounts_show(account: str, db: str | None) -> None:
    """The creator record of ACCOUNT as JSON: reach, monetization (eligible, reasons, review_at), toxic
    traffic, decisions, strikes with expiry and pile-on roles. Exit status 1 for an unknown account."""
    with _service(db) as service:
        record = service.accounts.creator_record(account)
    click.echo(orjson.dumps(record, option=orjson.OPT_INDENT_2).decode())


@accounts.command("set")
@click.argument("account")
@click.option("--followers", type=click.IntRange(min=0), help="Follower count.")
@click.option("--verified/--not-verified", default=None, help="Verified account.")
@click.option("--monetized/--not-monetized", default=None, help="Earns money on the platform.")
@click.option("--organization", help="Its MCN or agency.")
@click.option("--db", help=DB_HELP)
def accounts_set(account: str, followers: int | None, verified: bool | None, monetized: bool | None,
                 organization: str | None, db: str | None) -> None:
    """Set the reach of ACCOUNT (as PUT /v1/accounts/ACCOUNT)."""
    raw = {k: v for k, v in (("followers", followers), ("verified", verified), ("monetized", monetized),
                             ("organization", organization)) if v is not None}
    with _service(db) as service:
        answer = service.accounts.put(account, raw, "cli")
    click.echo(orjson.dumps(answer).decode())


@accounts.command("tick")
@click.option("--db", help=DB_HELP)
def accounts_tick(db: str | None) -> None:
    """Record the restoration of every account whose marks expired (what `serve` does every minute)."""
    with _service(db) as service:
        click.echo(f"{service.accounts.monetization_tick()} accounts restored")


COMMANDS = (accounts,)
