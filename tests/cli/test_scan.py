from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from clearspace.cli.main import cli


def run_scan(tmp_path: Path, data: bytes, *args: str) -> tuple[int, list[dict], str]:
    src = tmp_path / "in.jsonl"
    src.write_bytes(data)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["scan", str(src), "-o", str(out), *args])
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
    return result.exit_code, lines, result.output


def test_scan_writes_one_line_per_input_in_order(tmp_path: Path) -> None:
    data = b"".join(
        json.dumps({"id": i, "text": t, "surface": "comment"}, ensure_ascii=False).encode() + b"\n"
        for i, t in enumerate(["hello", "你就是个傻逼", "thanks!"])
    )
    code, lines, output = run_scan(tmp_path, data)
    assert code == 0
    assert [x["id"] for x in lines] == [0, 1, 2]
    for x in lines:
        assert set(x) >= {"id", "abusive", "action", "scores", "signals"}
        assert 0 <= x["scores"]["abuse"] <= 1 and 0 <= x["scores"]["doxxing"] <= 1
        for s in x["signals"]:
            assert set(s) >= {"kind", "score", "spans"}
    assert lines[1]["abusive"] is True
    assert "3 scored, 0 errors" in output


def test_bad_lines_are_reported_and_the_rest_goes_on(tmp_path: Path) -> None:
    data = b"\n".join([
        b'{"id": 1, "text": "ok"}',
        b'{"id": 2, "text": "broken',  # broken JSON
        b'{"id": 3, "text": "\xff\xfe bad utf-8"}',
        b'{"text": "no id"}',
        b'{"id": 5, "text": 12345}',
        b'[1, 2, 3]',
        b'\x00\x01\x02 binary',
        b'{"id": 8, "text": ""}',
        b'{"id": 9, "text": "last one"}',
    ]) + b"\n"
    code, lines, output = run_scan(tmp_path, data)
    assert code == 3
    assert len(lines) == 9
    errors = {x["line"]: x["error"] for x in lines if "error" in x}
    assert set(errors) == {2, 3, 4, 5, 6, 7}
    assert "invalid JSON" in errors[2]
    assert "invalid UTF-8" in errors[3]
    assert "missing field 'id'" in errors[4]
    assert "must be a string" in errors[5]
    assert [x["id"] for x in lines if "error" not in x] == [1, 8, 9]
    assert "6 errors" in output


@pytest.mark.timeout(60)  # a hang on hostile input fails here rather than stalling CI
def test_huge_line_is_scored(tmp_path: Path) -> None:
    text = "好" * 1_000_000
    code, lines, _ = run_scan(tmp_path, json.dumps({"id": "big", "text": text}).encode() + b"\n")
    assert code == 0 and lines[0]["id"] == "big"


def test_csv_with_text_field(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("post_id,body\na,你好\nb,你个傻逼\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        cli, ["scan", str(src), "-o", str(out), "--format", "csv", "--text-field", "body", "--id-field", "post_id"]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"]
    assert lines[1]["abusive"] is True


def test_csv_without_the_text_column_says_so(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,content\n1,hi\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["scan", str(src), "-o", str(tmp_path / "o.jsonl"), "--format", "csv"])
    assert result.exit_code == 3
    assert "no column 'text'" in (tmp_path / "o.jsonl").read_text(encoding="utf-8")


def test_the_installed_command_runs_on_the_shipped_sample(tmp_path: Path) -> None:
    from clearspace.text.tables import data_path

    out = tmp_path / "s.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "clearspace", "scan", str(data_path("samples/posts.jsonl")), "-o", str(out)],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    results = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert results["p6"]["action"] == "remove"  # doxxing with intent
    assert results["p1"]["action"] == "allow"
    assert results["p10"]["action"] == "allow"
