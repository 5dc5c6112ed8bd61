from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clearspace.cli.main import cli
from clearspace.service.core import Service
from clearspace.store import open_store
from tests.backends import tamper


def test_keys_create_prints_the_key_last_and_it_works(store_url: str) -> None:
    db = store_url
    result = CliRunner().invoke(cli, ["keys", "create", "--role", "moderator", "--db", db])
    assert result.exit_code == 0, result.output
    key = result.output.split()[-1]
    assert key.startswith("cs_")
    service = Service(open_store(db))
    assert service.admin.authenticate(key, "read").role == "moderator"
    service.close()
    listed = CliRunner().invoke(cli, ["keys", "list", "--db", db]).output
    assert "moderator" in listed and key not in listed
    assert CliRunner().invoke(cli, ["keys", "create", "--role", "root", "--db", db]).exit_code == 2


def test_audit_verify_detects_tampering(store_url: str) -> None:
    db = store_url
    runner = CliRunner()
    for role in ("admin", "auditor", "ingest"):
        runner.invoke(cli, ["keys", "create", "--role", role, "--db", db])
    ok = runner.invoke(cli, ["audit", "verify", "--db", db])
    assert ok.exit_code == 0 and "audit log OK: 3 events" in ok.output
    exported = runner.invoke(cli, ["audit", "export", "--db", db]).output.splitlines()
    assert [json.loads(line)["kind"] for line in exported] == ["key.created"] * 3
    tamper(db, "UPDATE audit SET payload = '{\"role\": \"admin\", \"name\": \"x\"}' WHERE seq = 2")
    bad = runner.invoke(cli, ["audit", "verify", "--db", db])
    assert bad.exit_code == 1 and "BROKEN at seq 2" in bad.output
    tamper(db, "DELETE FROM audit WHERE seq = 2")
    assert "BROKEN at seq 3" in runner.invoke(cli, ["audit", "verify", "--db", db]).output


def test_report_json_and_csv(store_url: str) -> None:
    db = store_url
    runner = CliRunner()
    runner.invoke(cli, ["keys", "create", "--role", "admin", "--db", db])
    out = runner.invoke(cli, ["report", "--from", "2000-01-01", "--to", "2100-01-01", "--db", db])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["audit"]["events"] == 1
    csv = runner.invoke(cli, ["report", "--from", "2000-01-01", "--to", "2100-01-01", "--format", "csv", "--db", db])
    assert csv.output.splitlines()[0] == "metric,value"


@pytest.mark.parametrize(("workers", "mode"), [(1, "local"), (3, "shared")])
def test_serve_with_several_workers_detects_pile_ons_in_shared_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    workers: int, mode: str) -> None:
    import uvicorn

    from clearspace.cli import service_commands
    from clearspace.service.settings import Settings

    for name in ("CLEARSPACE_DB", "CLEARSPACE_DEBUNK_ENCODER", "CLEARSPACE_CONFIG", "CLEARSPACE_SUPERVISOR_PID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLEARSPACE_PILEON_MODE", "local")  # restored after the test: serve sets it
    monkeypatch.setattr(Service, "warm_up", lambda self: self)  # no model
    monkeypatch.setattr(service_commands, "_freeze_heap", lambda: None)
    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append(app))
    db = str(tmp_path / "c.db")
    result = CliRunner().invoke(cli, ["serve", "--db", db, "--workers", str(workers)])
    assert result.exit_code == 0, result.output
    if workers == 1:  # the app itself: local mode as configured, no shared detection
        service = served[0].state.service
        assert service.settings.pileon_mode == mode and service.shared_pileons is None
    else:
        assert served == ["clearspace.api.server:app_from_env"]
        worker_settings = Settings.from_env()  # what each worker process (app_from_env) is built from
        assert worker_settings.pileon_mode == mode and worker_settings.db == db
