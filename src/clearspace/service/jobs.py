"""Background jobs (label backfills): a row in ``jobs`` whose progress every process can read.

A job runs in a thread of the process that started it; it writes ``done``/``total`` after each
page and ``status`` ``succeeded`` (with its ``result``) or ``failed`` (with ``error``) at the end.
A job whose process died stays ``running`` with an old ``updated_at``; running it again is safe
(backfills are idempotent).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any, Final

from clearspace.errors import NotFound
from clearspace.service.clock import Clock, iso
from clearspace.service.results_rumors import JobView
from clearspace.service.unit import Unit
from clearspace.store import Row, Store, Tx

KINDS: Final = ("backfill_labels",)
log = logging.getLogger(__name__)


def public(row: Row) -> JobView:
    """A job as the API shows it."""
    return {"id": row["id"], "kind": row["kind"], "params": row["params"], "status": row["status"],
            "total": row["total"], "done": row["done"], "result": row["result"], "error": row["error"],
            "created_by": row["created_by"], "created_at": row["created_at"], "updated_at": row["updated_at"],
            "finished_at": row["finished_at"]}


def create(unit: Unit, kind: str, params: Mapping[str, Any], actor: str) -> Row:
    row: Row = {"id": unit.ids.new("job"), "kind": kind, "params": dict(params), "status": "running", "total": 0,
                "done": 0, "result": {}, "error": None, "created_by": actor, "created_at": unit.ts,
                "updated_at": unit.ts, "finished_at": None}
    unit.tx.insert("jobs", row)
    unit.log("job.started", actor, row["id"], {"kind": kind, "params": dict(params)})
    return row


def get(tx: Tx, job_id: str) -> Row:
    row = None if "\x00" in job_id else tx.get("jobs", job_id)
    if row is None:
        raise NotFound(f"no job {job_id!r}")
    return row


def progress(store: Store, clock: Clock, job_id: str, done: int, total: int, result: Mapping[str, Any]) -> None:
    with store.transaction() as tx:
        tx.update("jobs", {"id": job_id}, {"done": done, "total": total, "result": dict(result),
                                           "updated_at": iso(clock())})


def finish(store: Store, clock: Clock, job_id: str, result: Mapping[str, Any] | None, error: str | None) -> None:
    now = iso(clock())
    changes: dict[str, Any] = {"status": "failed" if error else "succeeded", "error": error, "updated_at": now,
                               "finished_at": now}
    if result is not None:
        changes.update(result=dict(result), done=int(result.get("scanned", 0)), total=int(result.get("total", 0)))
    with store.transaction() as tx:
        tx.update("jobs", {"id": job_id}, changes)


def run(store: Store, clock: Clock, job_id: str, work: Callable[[], Mapping[str, Any]]) -> threading.Thread:
    """Run ``work`` in a daemon thread and record how it ended in the job's row."""

    def target() -> None:
        try:
            result = work()
        except Exception as exc:  # noqa: BLE001 - any failure is recorded on the job, not lost in a thread
            log.exception("job %s failed", job_id)
            finish(store, clock, job_id, None, f"{type(exc).__name__}: {exc}")
            return
        finish(store, clock, job_id, result, None)

    thread = threading.Thread(target=target, name=f"clearspace-{job_id}", daemon=True)
    thread.start()
    return thread
