"""User-facing text is snapshot-tested, and tests fail when an endpoint or setting is undocumented.

Refresh the snapshots after an intended change with ``CLEARSPACE_UPDATE_SNAPSHOTS=1 pytest tests/api``.
"""

from __future__ import annotations

import os
import re
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner

from clearspace.api.app import create_app
from clearspace.cli.main import cli
from clearspace.service.access import PERMISSIONS
from clearspace.service.core import Service
from clearspace.service.settings import Settings
from clearspace.store import open_store

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "service.md").read_text(encoding="utf-8")
SNAPSHOTS = Path(__file__).parent / "snapshots"


def _snapshot(name: str, text: str, folder: Path = SNAPSHOTS, update: bool | None = None) -> None:
    """Compare ``text`` with the stored snapshot; a missing snapshot fails (write it on purpose with
    ``CLEARSPACE_UPDATE_SNAPSHOTS=1``), so a lost file cannot turn the test into one that always passes."""
    path = folder / name
    if update is None:
        update = bool(os.environ.get("CLEARSPACE_UPDATE_SNAPSHOTS"))
    if update:
        path.write_text(text, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"snapshot {name} is missing; write it with CLEARSPACE_UPDATE_SNAPSHOTS=1 and review it")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; refresh with CLEARSPACE_UPDATE_SNAPSHOTS=1"


def test_a_missing_snapshot_fails(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception, match="missing"):
        _snapshot("absent.txt", "anything", folder=tmp_path, update=False)
    assert not (tmp_path / "absent.txt").exists()
    _snapshot("written.txt", "on purpose", folder=tmp_path, update=True)
    _snapshot("written.txt", "on purpose", folder=tmp_path, update=False)


def _operations() -> list[tuple[str, str, str]]:
    spec = create_app(Service(open_store(":memory:"))).openapi()
    return [(method.upper(), path, op.get("summary", "")) for path, ops in spec["paths"].items()
            for method, op in ops.items()]


def test_openapi_operations_snapshot() -> None:
    _snapshot("openapi_operations.txt", "".join(f"{m} {p} — {s}\n" for m, p, s in sorted(_operations())))


def test_every_endpoint_is_documented() -> None:
    for _, path, _ in _operations():
        assert f"`{path}`" in DOC or f"`{path}" in DOC, f"{path} is missing from docs/service.md"


def test_every_setting_and_permission_is_documented() -> None:
    for f in fields(Settings):
        assert f"`{f.name}`" in DOC, f"setting {f.name} is missing from docs/service.md"
        if f.name != "sla_hours":
            assert f"CLEARSPACE_{f.name.upper()}" in DOC
    for permission in PERMISSIONS:
        assert f"`{permission}`" in DOC, f"permission {permission} is missing from docs/service.md"


def test_cli_help_snapshot() -> None:
    runner = CliRunner()
    texts = []
    for args in (["serve", "--help"], ["keys", "create", "--help"], ["audit", "verify", "--help"],
                 ["report", "--help"]):
        out = runner.invoke(cli, args, prog_name="clearspace", terminal_width=100).output
        cleaned = re.sub(r"[ ]+\n", "\n", out)
        texts.append(f"$ clearspace {' '.join(args)}\n{cleaned}")
    _snapshot("cli_help.txt", "\n".join(texts))


def test_the_docs_page_works_offline() -> None:
    from fastapi.testclient import TestClient

    app = create_app(Service(open_store(":memory:")))
    with TestClient(app) as client:
        page = client.get("/docs")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert client.get("/redoc").status_code == 404
    hosts = re.findall(r"(?:https?:)?//[A-Za-z0-9.-]+", page.text)
    assert hosts == [], f"/docs loads from {hosts}"
    assert "<script" not in page.text and "@import" not in page.text
    for _, path, _ in _operations():
        assert f"<code>{path}</code>" in page.text
    assert "href=/openapi.json" in page.text
