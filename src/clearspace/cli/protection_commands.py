"""``simulate``, ``replay``, ``evidence`` and ``protection``: the cyber-violence protection commands.

Heavy modules are imported inside the commands, so ``clearspace --help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_SOME_FAILED = 3


@click.command()
@click.option("-o", "--output", "output_path", default="-", type=click.Path(allow_dash=True, dir_okay=False),
              show_default=True, help="Where to write the events (JSON Lines).")
@click.option("--seed", default=7, show_default=True, type=int, help="Random seed (same seed, same stream).")
@click.option("--hours", default=48.0, show_default=True, type=click.FloatRange(1, 24 * 365))
@click.option("--users", default=3000, show_default=True, type=click.IntRange(100, 10_000_000))
@click.option("--pileons", default=16, show_default=True, type=click.IntRange(0, 100_000))
@click.option("--truth", "truth_path", type=click.Path(dir_okay=False),
              help="Also write the planted pile-ons (target, instigator, participants) as JSON.")
@click.option("--iso", is_flag=True, help="Write 'ts' as ISO 8601 instead of epoch seconds.")
@click.option("--no-labels", is_flag=True, help="Leave out each event's 'label' field.")
@click.option("--creators", is_flag=True,
              help="Instead: the creator community of the accountability benchmark (pile-on farmers, critics of "
                   "the powerful, popular creators, ordinary users; docs/accountability.md). --truth writes "
                   "account -> kind.")
def simulate(output_path: str, seed: int, hours: float, users: int, pileons: int, truth_path: str | None,
             iso: bool, no_labels: bool, creators: bool) -> None:
    """Write a synthetic community stream with labelled pile-ons and hard negatives.

    Hard negatives: viral friendly attention, heated one-to-one arguments and accounts that
    always receive some hostility. Every account and text is invented.
    """
    import orjson

    if creators:
        from clearspace.accountability.community import CreatorSimConfig, simulate_creators

        events, kinds = simulate_creators(CreatorSimConfig(seed=seed), labels=not no_labels)
        _write_lines(output_path, events)
        if truth_path:
            with open(truth_path, "wb") as fh:
                fh.write(orjson.dumps(kinds, option=orjson.OPT_INDENT_2))
        click.echo(f"{len(events)} events, {len(kinds)} creators and users", err=True)
        return

    from clearspace.protection.simulate import SimConfig
    from clearspace.protection.simulate import simulate as run

    config = SimConfig(seed=seed, hours=hours, users=users, pileons=pileons, iso_ts=iso)
    events, truths = run(config, labels=not no_labels)
    _write_lines(output_path, events)
    if truth_path:
        with open(truth_path, "wb") as fh:
            fh.write(orjson.dumps([t.to_dict() for t in truths], option=orjson.OPT_INDENT_2))
    click.echo(f"{len(events)} events, {len(truths)} planted pile-ons", err=True)


def _write_lines(output_path: str, events: Sequence[Any]) -> None:
    import orjson

    with click.open_file(output_path, "wb") as out:
        for event in events:
            out.write(orjson.dumps(event) + b"\n")


DEFAULT_WARMUP_MINUTES = 120.0
"""On simulated 12 h streams with 4 planted pile-ons (20 seeds), 32 of the 33 false incidents a replay
without warm-up reports are detected in the first 1.3 hours, before any account has a baseline."""


@click.command()
@click.argument("events_path", metavar="EVENTS", type=click.Path(allow_dash=True, dir_okay=False))
@click.option("-o", "--output", "output_path", default="-", type=click.Path(allow_dash=True, dir_okay=False),
              show_default=True, help="Where to write the incidents (JSON Lines).")
@click.option("--warmup-minutes", default=DEFAULT_WARMUP_MINUTES, show_default=True, type=click.FloatRange(0),
              help="The stream's first minutes only learn each account's baseline; incidents detected then are "
                   "dropped (counted on stderr). 0 keeps them: they are mostly false, as nothing is known yet.")
@click.option("--window-minutes", default=30.0, show_default=True, type=click.FloatRange(1),
              help="Sliding window of the detector.")
@click.option("--timeline", is_flag=True, help="Add each incident's timeline of hostile events.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@click.option("--db", help="Also record the incidents in this service database (SQLite file or postgresql:// URL): "
                           "one row and one review case each (the same incident again updates its row).")
@click.option("--prompts", is_flag=True, help="With --db: also leave each target a risk prompt (off: a replay is "
                                              "usually history).")
def replay(events_path: str, output_path: str, warmup_minutes: float, window_minutes: float, timeline: bool,
           progress: bool | None, db: str | None, prompts: bool) -> None:
    """Run the pile-on detector over EVENTS (JSON Lines, in time order).

    Writes one JSON object per incident: target, start, detected_at, participants,
    instigators and roles. Events carrying 'scores' are not scored again; others are
    scored with the shipped engine. A line that cannot be read is reported on standard
    error as 'line N: reason' and the rest goes on. Exit status: 0, or 3 if some lines
    were bad. With --db the incidents also go into the service's database and review queue.
    """
    import orjson

    from clearspace.protection.detector import DetectorConfig
    from clearspace.protection.replay import ReplayStats
    from clearspace.protection.replay import replay as run

    stats = ReplayStats()
    show = sys.stderr.isatty() if progress is None else progress
    config = DetectorConfig(window_s=window_minutes * 60)
    service = _open_service(db, create=True) if db else None
    recorded = {"opened": 0, "updated": 0, "ended": 0}
    try:
        with click.open_file(events_path, "rb") as source, click.open_file(output_path, "wb") as out:
            lines: Any = source
            if show:
                from tqdm import tqdm

                lines = tqdm(source, unit=" events", file=sys.stderr, mininterval=0.5)
            for incident in run(lines, config=config, scorer=_lazy_engine_scorer(), stats=stats,
                                warmup_s=warmup_minutes * 60):
                out.write(orjson.dumps(incident.to_dict(timeline=timeline)) + b"\n")
                if service is not None:
                    for key, n in service.protection.record_incidents([incident], prompts=prompts).items():
                        recorded[key] += n
    finally:
        if service is not None:
            service.close()
    for number, reason in stats.errors:
        click.echo(f"line {number}: {reason}", err=True)
    summary = f"{stats.events} events, {stats.incidents} incidents, {len(stats.errors)} bad lines"
    if warmup_minutes:
        summary += f" ({stats.warmup_dropped} dropped during the {warmup_minutes:g}-minute warm-up)"
    if stats.out_of_order:
        summary += f", {stats.out_of_order} events out of time order"
    if service is not None:
        summary += (f"; database: {recorded['opened']} incidents recorded with a review case, "
                    f"{recorded['updated'] + recorded['ended']} already there updated")
    click.echo(summary, err=True)
    sys.exit(EXIT_SOME_FAILED if stats.errors else EXIT_OK)


def _open_service(db: str | None, *, create: bool = False) -> Any:
    from clearspace.cli.service_commands import _service

    return _service(db, create=create)


def _lazy_engine_scorer() -> Any:
    """Scores events that came without 'scores'; loads the engine only if one does."""
    state: dict[str, Any] = {}

    def score(events: Sequence[Any]) -> Any:
        if "scorer" not in state:
            from clearspace.engine import Engine
            from clearspace.protection.replay import engine_scorer

            state["scorer"] = engine_scorer(Engine())
        return state["scorer"](events)

    return score


@click.group()
def evidence() -> None:
    """Evidence bundles (一键取证): signed ZIPs of content, timestamps and context."""


TRUST_WARNING = ("WARNING: checked only against the key inside the bundle. Anyone who changes a bundle can "
                 "sign it again with a key of their own, so this proves nothing about who made it. Check against "
                 "the service's key: --server URL (or $CLEARSPACE_SERVER) or --public-key HEX.")


def _published_key(server: str, api_key: str | None) -> str:
    """The evidence key the service publishes at ``/v1/evidence/key``; InputError when it cannot be had."""
    import httpx

    from clearspace.errors import InputError

    if not server.startswith(("https://", "http://")):
        raise InputError(f"--server must be an http(s) URL, got {server!r}")
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        answer = httpx.get(f"{server.rstrip('/')}/v1/evidence/key", headers=headers, timeout=10.0)
    except httpx.HTTPError as exc:
        raise InputError(f"cannot fetch the service's key from {server}: {exc}") from exc
    if answer.status_code != 200:
        raise InputError(f"cannot fetch the service's key from {server}: HTTP {answer.status_code} "
                         "(an API key with the 'read' permission is needed: --api-key or $CLEARSPACE_API_KEY)")
    try:
        key = str(answer.json()["public_key"])
        bytes.fromhex(key)
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{server}/v1/evidence/key did not answer a public key") from exc
    return key


@evidence.command()
@click.argument("bundle_path", metavar="BUNDLE", type=click.Path(exists=True, dir_okay=False))
@click.option("--server", envvar="CLEARSPACE_SERVER", help="The clearspace service whose published key "
              "(/v1/evidence/key) must have signed the bundle (default: $CLEARSPACE_SERVER).")
@click.option("--api-key", envvar="CLEARSPACE_API_KEY", help="API key for --server (default: $CLEARSPACE_API_KEY).")
@click.option("--public-key", help="The key that must have signed the bundle (hex), instead of --server.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (with 'trusted_key').")
def verify(bundle_path: str, server: str | None, api_key: str | None, public_key: str | None,
           as_json: bool) -> None:
    """Check every item's SHA-256 and the Ed25519 signature against the service's key; exit status 1
    if tampered. Without --server or --public-key only the bundle's own key is used (with a warning)."""
    import orjson

    from clearspace.protection.evidence import verify_bundle

    expected = public_key or (_published_key(server, api_key) if server else None)
    report = verify_bundle(bundle_path, public_key=expected)
    if report.key_source == "bundle":
        click.echo(TRUST_WARNING, err=True)
    for problem in report.problems:
        click.echo(f"FAIL {problem}", err=True)
    if as_json:
        click.echo(orjson.dumps(report.to_dict()).decode())
    elif report.ok:
        trust = "the expected key" if report.key_source == "expected" else "the bundle's own key (NOT trusted)"
        click.echo(f"ok: {report.items} items, signed by {report.public_key} ({trust})")
    if report.ok:
        sys.exit(EXIT_OK)
    click.echo(f"bundle is not intact: {len(report.problems)} problem(s)", err=True)
    sys.exit(EXIT_INVALID)


@evidence.command()
@click.argument("key_path", metavar="KEY", type=click.Path(dir_okay=False))
def keygen(key_path: str) -> None:
    """Create an Ed25519 signing key (PEM, readable only by you); prints the public key."""
    import os

    from clearspace.errors import InputError
    from clearspace.protection.evidence import generate_key, public_hex, save_key

    if os.path.exists(key_path):
        raise InputError(f"{key_path} exists; choose another path (keys are never overwritten)")
    key = generate_key()
    save_key(key, key_path)
    os.chmod(key_path, 0o600)
    click.echo(f"public key: {public_hex(key)}")


@evidence.command()
@click.argument("events_path", metavar="EVENTS", type=click.Path(exists=True, dir_okay=False))
@click.option("--subject", required=True, help="The protected account the bundle is for.")
@click.option("--key", "key_path", required=True, type=click.Path(dir_okay=False),
              help="Ed25519 key in PEM (create one with 'clearspace evidence keygen KEY').")
@click.option("-o", "--output", "output_path", required=True, type=click.Path(dir_okay=False))
@click.option("--incident", "incident_path", type=click.Path(exists=True, dir_okay=False),
              help="Incidents from 'clearspace replay'; the one for --subject (or --incident-id) is used.")
@click.option("--incident-id", help="Which incident of --incident.")
@click.option("--redact", multiple=True, help="Text of your own to hide (name, phone, address); repeatable.")
def build(events_path: str, subject: str, key_path: str, output_path: str, incident_path: str | None,
          incident_id: str | None, redact: tuple[str, ...]) -> None:
    """Write a signed evidence bundle (ZIP) of the events aimed at --subject."""
    import os
    import time

    import orjson

    from clearspace.errors import InputError
    from clearspace.protection.evidence import BundleSpec, build_bundle, load_key, select_items

    if not os.path.exists(key_path):
        raise InputError(f"no key at {key_path}; create one with 'clearspace evidence keygen {key_path}'")
    incident = None
    if incident_path:
        with open(incident_path, "rb") as fh:
            records = [orjson.loads(line) for line in fh if line.strip()]
        matches = [r for r in records if (r.get("id") == incident_id if incident_id else r.get("target") == subject)]
        if not matches:
            raise InputError(f"no incident for {incident_id or subject} in {incident_path}")
        incident = matches[0]
    with open(events_path, "rb") as fh:
        events = []
        for line in fh:
            try:
                obj = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            if isinstance(obj, dict):
                events.append(obj)
    items = select_items(events, subject, incident)
    spec = BundleSpec(subject=subject, items=items, created_at=time.time(), incident=incident, redact=redact)
    data = build_bundle(spec, load_key(key_path))
    with open(output_path, "wb") as out:
        out.write(data)
    click.echo(f"{output_path}: {len(items)} items, {len(data)} bytes")


@click.group()
def protection() -> None:
    """Protection jobs on the service's database (the server runs them by itself)."""


@protection.command()
@click.option("--db", help="SQLite file or postgresql:// URL (default: $CLEARSPACE_DB, the config file's db, "
                           "or ./clearspace.db).")
def remind(db: str | None) -> None:
    """Send the due shield expiry reminders (notification + webhook), each activation once."""
    with _open_service(db) as service:
        sent = service.protection.send_expiry_reminders()
    for reminder in sent:
        click.echo(f"{reminder['account']}: protection ends {reminder['expires_at_iso']}")
    click.echo(f"{len(sent)} reminder(s) sent", err=True)


COMMANDS = (simulate, replay, evidence, protection)
