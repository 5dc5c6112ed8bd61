"""The active policy row and flag columns on both backends (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from clearspace.service.core import Service
from clearspace.service.reports import ReportIn
from clearspace.service.settings import Settings
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store

STRICT = """name: strict-community
version: 5
rules:
  - {name: insult-remove, version: 1, when: {signal: lexicon.insult, min: 0.5}, action: remove, category: abuse}
"""


def test_a_reload_is_followed_on_each_backend(store_url: str, tmp_path: Path) -> None:
    policy = tmp_path / "strict.yaml"
    policy.write_text(STRICT, encoding="utf-8")
    a, b = (Service(open_store(store_url), engine=KeywordEngine(), settings=Settings(db=store_url)).warm_up()
            for _ in range(2))
    try:
        result = a.admin.reload_policy("admin", str(policy))
        assert result["changed"] and b.admin.policy_tick()
        assert b.admin.active_policy()["active"]["policy"] == "strict-community@5"
        assert b.ingest.events({"id": "e1", "text": "你就是个傻逼"})[0]["action"] == "remove"
        report = a.cases.file_report(ReportIn(reporter="r", category="abuse", item="e1"))
        stored = a.cases.report(report["id"])
        assert stored["good_faith"] is True and stored["brigade"] is False
    finally:
        a.store.close()
        b.store.close()
