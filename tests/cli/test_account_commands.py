"""``clearspace accounts show|set|tick`` and ``clearspace simulate --creators``."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from clearspace.cli.main import cli
from clearspace.service.core import Service
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store


def test_accounts_set_show_and_unknown(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    service = Service(open_store(db), engine=KeywordEngine())
    service.ingest.events({"id": "p1", "author": "amy", "text": "hello"})
    service.close()
    runner = CliRunner()
    done = runner.invoke(cli, ["accounts", "set", "amy", "--followers", "1200", "--monetized", "--db", db])
    assert done.exit_code == 0, done.output
    shown = runner.invoke(cli, ["accounts", "show", "amy", "--db", db])
    record = json.loads(shown.output)
    assert record["account"]["followers"] == 1200 and record["monetization"]["eligible"] is True
    missing = runner.invoke(cli, ["accounts", "show", "nobody", "--db", db])
    assert missing.exit_code == 1 and "no account" in str(missing.exception)  # main() prints it as an error
    assert runner.invoke(cli, ["accounts", "set", "amy", "--followers", "-3", "--db", db]).exit_code == 2
    assert "0 accounts restored" in runner.invoke(cli, ["accounts", "tick", "--db", db]).output


def test_simulate_creators_writes_events_and_truth(tmp_path: Path) -> None:
    out, truth = tmp_path / "e.jsonl", tmp_path / "t.json"
    result = CliRunner().invoke(cli, ["simulate", "--creators", "-o", str(out), "--truth", str(truth), "--seed", "5"])
    assert result.exit_code == 0, result.output
    kinds = json.loads(truth.read_text())
    assert {"farmer", "critic", "popular", "ordinary"} == set(kinds.values())
    assert sum(1 for _ in out.open()) > 1000
