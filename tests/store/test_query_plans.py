"""What a request does to the database costs the same on a big database as on an empty one (issue 11,
point 10): every statement that ingest, a report or a shield check runs reads a growing table through
an index, never by scanning it. Before, brigade detection scanned every report per report filed (no
index on the reporter), and the pile-on lane check read up to 2,000 whole events per held event."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.service.reports import ReportIn
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store.sqlite import SQLiteStore

GROWING = ("events", "decisions", "statements", "audit", "reports", "cases", "strikes", "restrictions",
           "notifications", "outbox", "incidents", "held_interactions", "post_labels", "training_labels")


def _plan(db: Path, sql: str) -> str:
    with sqlite3.connect(db) as conn:
        return " | ".join(str(r[3]) for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))


def test_ingest_reports_and_checks_read_growing_tables_through_an_index(tmp_path: Path, clock: ManualClock) -> None:
    db = tmp_path / "plans.db"
    store = SQLiteStore(db)
    service = Service(store, engine=KeywordEngine(), clock=clock, ids=IdFactory(counter_token()))
    for n in range(12):  # a pile-on: held posts from many authors at one target, so every lane check runs
        clock.advance(seconds=5)
        service.ingest.events({"id": f"w{n}", "type": "reply", "author": f"a{n}", "target_user": "victim",
                        "text": "你就是个傻逼"})
    seen: list[str] = []
    store._conn.set_trace_callback(seen.append)  # the statements themselves, with their values
    try:
        clock.advance(seconds=5)
        service.ingest.events([{"id": f"x{n}", "type": "reply", "author": f"b{n}", "target_user": "victim",
                         "text": "你就是个傻逼"} for n in range(6)])
        service.cases.file_report(ReportIn(reporter="r1", category="abuse", target_user="victim", good_faith=True), "t")
        service.cases.file_report(ReportIn(reporter="r2", category="abuse", item="x1", good_faith=True), "t")
    finally:
        store._conn.set_trace_callback(None)
    reads = [s for s in seen if s.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE"))]
    assert any("reporter IN" in s or '"reporter" IN' in s for s in reads)  # brigade detection ran
    tail = "SELECT * FROM audit ORDER BY seq DESC LIMIT 1"  # the chain's tail: the rowid walk stops at one row
    scans = {s: p for s in reads if s != tail and any(f"SCAN {t}" in (p := _plan(db, s)) for t in GROWING)}
    assert not scans, "\n".join(f"{p}: {s[:200]}" for s, p in scans.items())
