"""Shadow runs and their disagreements in the store (tables ``shadow_runs`` and ``shadow_disagreements``).

A run counts every post it compared, every disagreement by kind, the posts it dropped because
the queue was full and the posts the candidate failed on; it keeps up to
``shadow_examples_per_kind`` example posts per kind. Kinds read ``action:<active>-><candidate>``
(``action:allow->hold``) and ``abusive:<active>-><candidate>`` (``abusive:false->true``); one
post can disagree in both ways and counts once in each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from clearspace.errors import Conflict, NotFound
from clearspace.service.results_learning import ShadowExample, ShadowRecords, ShadowRun
from clearspace.service.shadow_candidates import CandidateSpec, Judgement, ShadowItem
from clearspace.service.unit import Unit
from clearspace.store import Op, Row, Tx

TEXT_CHARS: Final = 500
"""How much of an example post's text a summary shows."""


@dataclass(frozen=True, slots=True)
class Tally:
    """What one batch adds to a run."""

    compared: int = 0
    errors: int = 0
    dropped: int = 0
    disagreements: tuple[tuple[ShadowItem, Judgement], ...] = ()


def merged(first: Tally | None, second: Tally) -> Tally:
    """Two tallies of one run as one."""
    if first is None:
        return second
    return Tally(first.compared + second.compared, first.errors + second.errors, first.dropped + second.dropped,
                 first.disagreements + second.disagreements)


def kinds_of(active: Judgement, candidate: Judgement) -> tuple[str | None, str | None]:
    """``(action kind, abusive kind)`` of a disagreement; ``(None, None)`` when they agree."""
    action = f"action:{active.action}->{candidate.action}" if active.action != candidate.action else None
    abusive = (f"abusive:{str(active.abusive).lower()}->{str(candidate.abusive).lower()}"
               if active.abusive != candidate.abusive else None)
    return action, abusive


def running(tx: Tx) -> Row | None:
    rows = tx.select("shadow_runs", {"status": "running"}, order_by=["-started_at"], limit=1)
    return rows[0] if rows else None


def get_run(tx: Tx, run_id: str | None) -> Row | None:
    """The run ``run_id``, or (``None``) the running one, else the latest one."""
    if run_id is not None:
        row = tx.get("shadow_runs", run_id)
        if row is None:
            raise NotFound(f"no shadow run {run_id!r}")
        return row
    found = running(tx)
    if found is not None:
        return found
    rows = tx.select("shadow_runs", order_by=["-started_at"], limit=1)
    return rows[0] if rows else None


def create(unit: Unit, spec: CandidateSpec, label: str, actor: str) -> Row:
    if running(unit.tx) is not None:
        raise Conflict("a shadow run is already running; stop it first (DELETE /v1/shadow or 'clearspace shadow stop')")
    row: Row = {"id": unit.ids.new("shadow"), "status": "running", "candidate": spec.to_dict(), "label": label,
           "started_by": actor, "started_at": unit.ts, "stopped_by": None, "stopped_at": None, "compared": 0,
           "disagreed": 0, "dropped": 0, "errors": 0, "counts": {}, "updated_at": unit.ts}
    unit.tx.insert("shadow_runs", row)
    unit.log("shadow.started", actor, row["id"], {"label": label, **spec.public()})
    return row


def stop(unit: Unit, actor: str) -> Row:
    row = running(unit.tx)
    if row is None:
        raise NotFound("no shadow run is running")
    unit.tx.update("shadow_runs", {"id": row["id"]}, {"status": "stopped", "stopped_by": actor,
                                                      "stopped_at": unit.ts, "updated_at": unit.ts})
    unit.log("shadow.stopped", actor, row["id"], {"compared": row["compared"], "disagreed": row["disagreed"]})
    return {**row, "status": "stopped", "stopped_by": actor, "stopped_at": unit.ts}


def add(unit: Unit, run_id: str, tally: Tally, examples_per_kind: int) -> None:
    """Add one batch's counts and disagreements (examples up to ``examples_per_kind`` per kind)."""
    row = unit.tx.get("shadow_runs", run_id)
    if row is None:
        return
    counts: dict[str, int] = dict(row["counts"])
    for item, candidate in tally.disagreements:
        action_kind, abusive_kind = kinds_of(item.active, candidate)
        kinds = [k for k in (action_kind, abusive_kind) if k]
        keep = any(counts.get(k, 0) < examples_per_kind for k in kinds)
        for kind in kinds:
            counts[kind] = counts.get(kind, 0) + 1
        if keep:
            unit.tx.insert("shadow_disagreements", {
                "id": unit.ids.new("shd"), "run_id": run_id, "event_id": item.event_id, "action_kind": action_kind,
                "abusive_kind": abusive_kind, "active": item.active.to_dict(), "candidate": candidate.to_dict(),
                "created_at": unit.ts})
    unit.tx.update("shadow_runs", {"id": run_id}, {
        "compared": row["compared"] + tally.compared, "disagreed": row["disagreed"] + len(tally.disagreements),
        "dropped": row["dropped"] + tally.dropped, "errors": row["errors"] + tally.errors, "counts": counts,
        "updated_at": unit.ts})


def public_run(row: Row) -> ShadowRun:
    compared = row["compared"]
    return {"id": row["id"], "status": row["status"], "label": row["label"],
            "candidate": CandidateSpec.from_dict(row["candidate"]).public(), "started_by": row["started_by"],
            "started_at": row["started_at"], "stopped_by": row["stopped_by"], "stopped_at": row["stopped_at"],
            "compared": compared, "disagreed": row["disagreed"], "dropped": row["dropped"], "errors": row["errors"],
            "agreement": round(1 - row["disagreed"] / compared, 4) if compared else None,
            "updated_at": row["updated_at"]}


def summary(tx: Tx, run_id: str | None, kind: str | None, limit: int) -> ShadowRecords:
    """A run with its counts by kind (most frequent first) and its latest example disagreements."""
    row = get_run(tx, run_id)
    if row is None:
        return {"run": None, "counts": {}, "examples": []}
    counts = dict(sorted(row["counts"].items(), key=lambda kv: (-kv[1], kv[0])))
    return {"run": public_run(row), "counts": counts, "examples": examples(tx, row["id"], kind, limit)}


def examples(tx: Tx, run_id: str, kind: str | None, limit: int) -> list[ShadowExample]:
    if kind is None:
        rows = tx.select("shadow_disagreements", {"run_id": run_id}, order_by=["-created_at", "-id"], limit=limit)
    else:
        column = "abusive_kind" if kind.startswith("abusive:") else "action_kind"
        rows = tx.select("shadow_disagreements", {"run_id": run_id, column: kind}, order_by=["-created_at", "-id"],
                         limit=limit)
    texts = {e["id"]: e["text"] for e in tx.select("events", {"id": Op("in", [r["event_id"] for r in rows])},
                                                 columns=["id", "text"])} if rows else {}
    return [_example(r, texts.get(r["event_id"], "")) for r in rows]


def _example(row: Row, text: str) -> ShadowExample:
    kinds: Sequence[str] = [k for k in (row["action_kind"], row["abusive_kind"]) if k]
    return {"event_id": row["event_id"], "kinds": list(kinds), "text": text[:TEXT_CHARS],
            "truncated": len(text) > TEXT_CHARS, "active": row["active"], "candidate": row["candidate"],
            "at": row["created_at"]}
