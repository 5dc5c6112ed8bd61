"""``clearspace debunks import FILE --db``: JSON Lines and ClaimReview files into the service's database."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from clearspace.cli.main import cli
from clearspace.rumors.claimreview import to_claimreview
from clearspace.rumors.model import Debunk
from clearspace.service.core import Service
from clearspace.store import open_store


def test_import_jsonl_and_claimreview(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
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
        assert service.search_debunks("新冠疫苗里有芯片")[0]["debunk_id"] == "chip"
        assert service.get_debunk("5g")["verdict"] == "fabricated" and service.get_debunk("5g")["created_by"] == "cli"
    finally:
        service.store.close()
