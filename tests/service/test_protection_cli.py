"""``clearspace replay --db`` and ``clearspace protection remind`` on every backend."""

from __future__ import annotations

from pathlib import Path

import orjson
from click.testing import CliRunner

from clearspace.cli.main import cli
from clearspace.protection.shield import make_shield
from clearspace.service.core import Service
from clearspace.store import open_store


def test_replay_records_incidents_in_the_database_once(store_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    events, out = tmp_path / "events.jsonl", tmp_path / "incidents.jsonl"
    r = runner.invoke(cli, ["simulate", "-o", str(events), "--hours", "6", "--users", "600", "--pileons", "2"])
    assert r.exit_code == 0, r.output
    args = ["replay", str(events), "-o", str(out), "--warmup-minutes", "60", "--no-progress", "--db", store_url]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert f"database: {len(records)} incidents recorded with a review case" in first.output
    second = runner.invoke(cli, args)
    assert f"database: 0 incidents recorded with a review case, {len(records)} already there" in second.output
    service = Service(open_store(store_url))
    try:
        listed = service.protection.incidents()
        assert sorted((i["target"], i["start"][:19]) for i in listed) == sorted(
            (r["target"], r["start"][:19]) for r in records)
        assert all(i["case_id"] and i["source"] == "replay" for i in listed)
        assert all(service.protection.prompts(i["target"]) == [] for i in listed)
    finally:
        service.store.close()


def test_protection_remind_sends_each_reminder_once(store_url: str) -> None:
    service = Service(open_store(store_url))
    try:
        service.protection.activate(make_shield("v", now=service.protection.epoch(), days=1, reminder_hours=24), "v")
    finally:
        service.store.close()
    runner = CliRunner()
    first = runner.invoke(cli, ["protection", "remind", "--db", store_url])
    assert first.exit_code == 0, first.output
    assert "v: protection ends" in first.output and "1 reminder(s) sent" in first.output
    again = runner.invoke(cli, ["protection", "remind", "--db", store_url])
    assert again.exit_code == 0 and "0 reminder(s) sent" in again.output
