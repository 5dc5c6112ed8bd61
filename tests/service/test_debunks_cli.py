"""``clearspace debunks import FILE --db``: JSON Lines and ClaimReview files into the service's database."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from clearspace.cli.main import cli
from clearspace.errors import NotFound
from clearspace.rumors.claimreview import to_claimreview
from clearspace.rumors.model import Debunk
from clearspace.service.core import Service
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store


def test_import_jsonl_and_claimreview(tmp_path: Path, store_url: str) -> None:
    db = store_url
    lines = tmp_path / "d.jsonl"
    lines.write_text('{"id": "water", "claim": "喝热水可以杀死新冠病毒"}\n{"id": "b"}\nnot json\n'
                     '{"id": "5g", "claim": "5G towers spread the coronavirus", "verdict": "fabricated"}\n'
                     '{"id": "nul", "claim": "a\\u0000b"}\n', encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(cli, ["debunks", "import", str(lines), "--db", db])
    assert first.exit_code == 0, first.output
    assert "2 debunks added, 0 unchanged, 3 skipped" in first.output
    assert f"{lines}:2: skipped" in first.output and "NUL" in first.output
    again = runner.invoke(cli, ["debunks", "import", str(lines), "--db", db])
    assert "0 debunks added, 2 unchanged, 3 skipped" in again.output
    document = tmp_path / "reviews.jsonld"
    document.write_text(json.dumps({"@graph": [to_claimreview(Debunk(id="chip", claim="疫苗里有芯片"))]}),
                        encoding="utf-8")
    assert "1 debunks added" in runner.invoke(cli, ["debunks", "import", str(document), "--db", db]).output
    service = Service(open_store(db))
    try:
        assert service.rumors.search("新冠疫苗里有芯片")[0]["debunk_id"] == "chip"
        stored = service.rumors.debunk("5g")
        assert stored["verdict"] == "fabricated" and stored["created_by"] == "cli"
    finally:
        service.store.close()


def test_backfill_import_backfill_history_and_notes(tmp_path: Path, store_url: str) -> None:
    db = store_url
    service = Service(open_store(db), engine=KeywordEngine())
    try:
        service.ingest.events([{"id": "p1", "author": "u1", "text": "喝热水可以杀死新冠病毒！"},
                        {"id": "p2", "author": "u2", "text": "5G towers spread the coronavirus"},
                        {"id": "p3", "author": "u3", "text": "今天天气很好"}])
        note = service.rumors.write_note("p3", "w1", "Context for this post.")
        service.rumors.rate_note(note["id"], "r1", "yes")
    finally:
        service.store.close()
    lines = tmp_path / "d.jsonl"
    lines.write_text('{"id": "water", "claim": "喝热水可以杀死新冠病毒"}\n', encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(cli, ["debunks", "import", str(lines), "--db", db, "--backfill"])
    assert first.exit_code == 0, first.output
    assert "1 debunks added" in first.output and "3 posts scanned, 1 labels added on 1 posts" in first.output
    lines.write_text('{"id": "5g", "claim": "5G towers spread the coronavirus"}\n', encoding="utf-8")
    assert "1 debunks added" in runner.invoke(cli, ["debunks", "import", str(lines), "--db", db]).output
    only = runner.invoke(cli, ["debunks", "backfill", "--db", db, "--debunk", "water"])
    assert only.exit_code == 0 and "0 labels added" in only.output, only.output
    every = runner.invoke(cli, ["debunks", "backfill", "--db", db, "-q"])
    assert "3 posts scanned, 1 labels added on 1 posts" in every.output, every.output
    assert "0 labels added" in runner.invoke(cli, ["debunks", "backfill", "--db", db]).output
    missing = runner.invoke(cli, ["debunks", "backfill", "--db", db, "--debunk", "nope"])
    assert isinstance(missing.exception, NotFound)  # main() prints it as one "error: ..." line
    history = runner.invoke(cli, ["debunks", "history", "water", "--db", db])
    assert [json.loads(line)["change"] for line in history.output.splitlines()] == ["created"]
    scored = runner.invoke(cli, ["notes", "score", "--db", db])
    assert scored.exit_code == 0 and "1 notes scored from 1 ratings" in scored.output, scored.output
    out = tmp_path / "notes.jsonl"
    assert runner.invoke(cli, ["notes", "export", "--db", db, "-o", str(out)]).exit_code == 0
    assert [next(iter(json.loads(line))) for line in out.read_text().splitlines()] == ["note", "rating"]
    service = Service(open_store(db))
    try:
        assert [lb["debunk_id"] for lb in service.rumors.post_labels("p2")] == ["5g"]
    finally:
        service.store.close()
