"""``clearspace policy check FILE`` and ``clearspace policy reload``: change the server's policy without a
restart (docs/service.md, "Your own policy, lexicons and model").

Only click is imported here; the policy loader and the service load inside each command.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

DB_HELP = "SQLite file or postgresql:// URL (default: $CLEARSPACE_DB, the config file's db, or ./clearspace.db)."


@click.group(name="policy")
def policy_group() -> None:
    """Check a policy file, and reload the server's policy without a restart."""


@policy_group.command(name="check")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False))
def policy_check(path: str) -> None:
    """Report every problem of the policy FILE as FILE:LINE:COL: message (exit status 1), or say it is valid."""
    from clearspace.errors import InputError, PolicyError
    from clearspace.policy import check_policy
    from clearspace.service.policy_state import read_file

    known = _known_kinds()
    try:
        compiled = read_file(path, known)
    except PolicyError as exc:
        try:  # each problem on its own line, without the first one's "(+N more problems)"
            problems = check_policy(Path(path).read_text(encoding="utf-8"), path, known_signals=known) or [exc]
        except UnicodeDecodeError:
            problems = [exc]
        for problem in problems:
            click.echo(str(problem), err=True)
        click.echo(f"{path}: {len(problems)} problem{'s' if len(problems) > 1 else ''}; fix them before a reload",
                   err=True)
        sys.exit(1)
    except InputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    info = compiled.info
    click.echo(f"{path}: OK: {info.label}, {len(compiled.policy.rules)} rules, sha256 {info.sha256}")


def _known_kinds() -> tuple[str, ...]:
    """The built-in signal kinds and those of the plug-ins the settings configure (issue 13)."""
    from clearspace.errors import InputError
    from clearspace.plugins.config import configured_kinds
    from clearspace.service.settings import Settings
    from clearspace.signals import BUILTIN_SIGNAL_KINDS

    try:
        return (*BUILTIN_SIGNAL_KINDS, *configured_kinds(Settings.from_env()))
    except InputError:  # settings that do not parse are reported by the commands that use them
        return BUILTIN_SIGNAL_KINDS


@policy_group.command(name="reload")
@click.argument("path", metavar="[FILE]", required=False, type=click.Path(dir_okay=False))
@click.option("--db", help=DB_HELP)
@click.option("--config", type=click.Path(exists=True, dir_okay=False),
              help="TOML settings file (default: $CLEARSPACE_CONFIG); its 'policy' is the file reloaded.")
def policy_reload(path: str | None, db: str | None, config: str | None) -> None:
    """Make the policy file (FILE, default the 'policy' setting) the active policy of every server process on
    the database: they switch within policy_poll_seconds. A file with problems is refused (exit status 1) and
    the policy in force keeps serving. Recorded in the audit log as policy.reloaded."""
    from clearspace.cli.service_commands import _service
    from clearspace.errors import PolicyError

    service = _service(db, config)
    try:
        result = service.admin.reload_policy("cli", path)
    except PolicyError as exc:
        for problem in [str(exc), *getattr(exc, "__notes__", ())]:
            click.echo(problem, err=True)
        click.echo("refused: the policy in force keeps serving", err=True)
        sys.exit(1)
    finally:
        service.close()
    old, new = result["old"], result["new"]
    was = f"{old['policy']} ({old['sha256'][:12]})" if old else "none recorded"
    if result["changed"]:
        click.echo(f"active policy: {was} -> {new['policy']} ({new['sha256'][:12]}); servers follow within "
                   f"{service.settings.policy_poll_seconds:g} s")
    else:
        click.echo(f"unchanged: {new['policy']} ({new['sha256'][:12]}) is already the active policy")


COMMANDS = (policy_group,)
