"""``clearspace shadow start|status|stop`` over a database file."""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner

from clearspace.cli.main import cli
from clearspace.service.core import Service
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store

DEFAULT = files("clearspace").joinpath("data/policy/default.yaml").read_text(encoding="utf-8")
STRICTER = re.sub(r"(?m)^version: \d+$", "version: 7", DEFAULT.replace("name: default\n", "name: stricter\n")).replace(
    "    action: nudge\n    category: abuse\n    priority: 10\n",
    "    action: hold\n    category: abuse\n    priority: 10\n")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    for name in ("CLEARSPACE_CONFIG", "CLEARSPACE_DB"):
        monkeypatch.delenv(name, raising=False)
    path = str(tmp_path / "cli.db")
    open_store(path).close()  # the CLI works on an existing database
    return path


def test_start_status_stop(db: str, tmp_path: Path) -> None:
    policy = tmp_path / "stricter.yaml"
    policy.write_text(STRICTER, encoding="utf-8")
    runner = CliRunner()
    assert "no shadow run yet" in runner.invoke(cli, ["shadow", "status", "--db", db]).output
    started = runner.invoke(cli, ["shadow", "start", "--policy", str(policy), "--db", db])
    assert started.exit_code == 0, started.output
    assert "started: policy stricter@7" in started.output
    server = Service(open_store(db), engine=KeywordEngine())  # a serving process follows the run
    server.learning.shadow_tick()
    server.ingest.events([{"id": "c1", "text": "you idiot"}, {"id": "c2", "text": "good morning"}])
    assert server.shadow.drain(10)
    server.shadow.close()
    status = runner.invoke(cli, ["shadow", "status", "--db", db])
    assert "compared 2, disagreed 1 (agreement 50.0%)" in status.output
    assert "action:nudge->hold" in status.output and "'you idiot'" in status.output
    as_json = json.loads(runner.invoke(cli, ["shadow", "status", "--json", "--db", db]).output.splitlines()[-1])
    assert as_json["counts"] == {"action:nudge->hold": 1}
    stopped = runner.invoke(cli, ["shadow", "stop", "--db", db])
    assert stopped.exit_code == 0 and "stopped after 2 posts, 1 disagreements" in stopped.output


def test_bad_policy_is_one_clear_line(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    from clearspace.cli.main import main

    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nversion: 1\nrules: []\n", encoding="utf-8")
    monkeypatch.setattr("sys.argv", ["clearspace", "shadow", "start", "--policy", str(bad), "--db", db])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2 and "error: <candidate policy>:" in capsys.readouterr().err
    runner = CliRunner()
    assert "no shadow run yet" in runner.invoke(cli, ["shadow", "status", "--db", db]).output
