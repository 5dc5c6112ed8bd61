"""What an operator meets when a command line is wrong: one clear line per problem, exit status 2,
no traceback, and nothing created by mistake."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

from clearspace.cli.main import main


def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["clearspace", *args])
    for name in ("CLEARSPACE_DB", "CLEARSPACE_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SystemExit) as stop:
        main()
    captured = capsys.readouterr()
    code = stop.value.code if isinstance(stop.value.code, int) else 1
    return code, captured.out + captured.err


def test_scan_of_a_missing_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_main(monkeypatch, capsys, "scan", str(tmp_path / "nope.jsonl"))
    assert code == 2
    assert "Traceback" not in out
    assert out.strip().splitlines() == [f"error: cannot read {tmp_path / 'nope.jsonl'}: No such file or directory"]


@pytest.mark.parametrize("command", [["audit", "verify"], ["audit", "export"], ["keys", "list"],
                                     ["report", "--from", "2026-01-01", "--to", "2026-02-01"],
                                     ["debunks", "backfill"], ["notes", "export"], ["protection", "remind"]])
def test_a_command_that_reads_a_database_refuses_a_missing_one(
        command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    typo = tmp_path / "typo.db"
    code, out = run_main(monkeypatch, capsys, *command, "--db", str(typo))
    assert code == 2 and "Traceback" not in out
    assert f"no database at {typo}" in out
    assert not typo.exists()


def test_serve_on_a_busy_port_fails_before_saying_it_listens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, out = run_main(monkeypatch, capsys, "serve", "--db", str(tmp_path / "s.db"), "--port", str(port))
    assert code == 2
    assert "listening" not in out and f"cannot listen on 127.0.0.1:{port}" in out
    assert not (tmp_path / "s.db").exists()


def test_debunks_import_fails_when_it_skipped_every_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "b"}\nnot json\n', encoding="utf-8")
    code, out = run_main(monkeypatch, capsys, "debunks", "import", str(bad), "--db", str(tmp_path / "d.db"))
    assert code != 0
    assert "0 debunks added, 0 unchanged, 2 skipped" in out and "no debunk" in out


FOUR_PROBLEMS = """name: mine
version: 1
rules:
  - name: a
    version: 1
    when: {signal: abuse, min: 2}
    action: remove
  - name: b
    version: 1
    when: {signal: abuse, min: 0.5}
    action: explode
  - name: c
    version: 0
    when: {signal: abuse, min: 0.5}
    action: hold
  - name: d
    version: 1
    when: {signal: abuse, min: 0.5}
    action: hold
    colour: red
"""


def test_a_policy_with_four_problems_reports_all_four(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(FOUR_PROBLEMS, encoding="utf-8")
    posts = tmp_path / "posts.jsonl"
    posts.write_text('{"id": 1, "text": "hi"}\n', encoding="utf-8")
    code, out = run_main(monkeypatch, capsys, "scan", str(posts), "--policy", str(policy))
    assert code == 2 and "Traceback" not in out
    lines = [line for line in out.splitlines() if line.startswith("error: ")]
    assert [line.split(":")[2] for line in lines] == ["6", "11", "13", "20"], out
    assert "more problem" not in out
