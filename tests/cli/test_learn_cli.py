"""``clearspace training export`` and ``clearspace model train|list|promote|rollback|export`` on a database,
and ``clearspace scan --model`` with an exported version (issue 13)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from clearspace.cli.main import cli
from clearspace.service.core import Service
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store
from tests.learning_data import community


def _labelled_db(path: Path, n: int = 150) -> str:
    service = Service(open_store(path), engine=KeywordEngine())
    data = community(n, seed=9)
    service.ingest.events([{"id": f"c{i}", "author": "u", "text": text} for i, (text, _) in enumerate(data)])
    service.learning.add_labels([{"event_id": f"c{i}", "abusive": a} for i, (_, a) in enumerate(data)], "mod:x")
    service.store.close()
    return str(path)


def test_train_list_promote_export_scan_rollback(tmp_path: Path) -> None:
    db = _labelled_db(tmp_path / "community.db")
    runner = CliRunner()
    trained = runner.invoke(cli, ["model", "train", "--json", "--db", db])
    assert trained.exit_code == 0, trained.output
    last = json.loads(trained.output.strip().splitlines()[-1])
    assert last["version"] == "v1" and last["promoted"] is False
    new, active = last["evaluation"]["new"], last["evaluation"]["active"]
    assert new["n"] == active["n"] == 30 and active["version"] == "shipped" and new["f1"] > active["f1"]
    listing = runner.invoke(cli, ["model", "list", "--db", db])
    assert listing.exit_code == 0 and listing.output.startswith("  v1") and "* shipped" in listing.output
    assert runner.invoke(cli, ["model", "promote", "v1", "--reason", "test", "--db", db]).exit_code == 0
    assert json.loads(runner.invoke(cli, ["model", "list", "--json", "--db", db]).output)["active"]["version"] == "v1"
    out = tmp_path / "v1.npz"
    assert runner.invoke(cli, ["model", "export", "v1", "-o", str(out), "--db", db]).exit_code == 0
    posts = tmp_path / "posts.jsonl"
    posts.write_text(json.dumps({"id": 1, "text": "classic snarfwit move, posting this"}) + "\n", encoding="utf-8")
    scanned = tmp_path / "scored.jsonl"
    for model_args, expected in (([], False), (["--model", str(out)], True)):
        result = runner.invoke(cli, ["scan", str(posts), "-o", str(scanned), *model_args])
        assert result.exit_code == 0, result.output
        line = json.loads(scanned.read_text(encoding="utf-8"))
        assert line["abusive"] is expected
    assert any(s["detector"] == "abuse-model@v1" for s in line["signals"])
    rolled = runner.invoke(cli, ["model", "rollback", "--db", db])
    assert rolled.exit_code == 0 and "shipped is active" in rolled.output
    exported = tmp_path / "labels.jsonl"
    assert runner.invoke(cli, ["training", "export", "-o", str(exported), "--db", db]).exit_code == 0
    rows = [json.loads(x) for x in exported.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 150 and {"event_id", "abusive", "source", "actor", "created_at", "text"} <= set(rows[0])


def test_too_few_labels_and_a_malformed_model_file_are_clear_errors(tmp_path: Path) -> None:
    db = _labelled_db(tmp_path / "small.db", n=20)
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 not really a zip file")
    posts = tmp_path / "p.jsonl"
    posts.write_text('{"id": 1, "text": "hi"}\n', encoding="utf-8")
    for args, message in ((["model", "train", "--db", db], "training needs at least 40 labels"),
                          (["scan", str(posts), "--model", str(bad)], "not a clearspace model file"),
                          (["model", "promote", "v3", "--db", db], "no model version 'v3'")):
        done = subprocess.run([sys.executable, "-m", "clearspace", *args], capture_output=True, text=True,
                              timeout=120, check=False)
        assert done.returncode == 2 and message in done.stderr, done.stderr
