"""Audit checkpoints and alarms in the store (migration 11): the service side of :mod:`.anchor`.

* :func:`check` is the audit check the service answers: the hash chain (all of it, or the events
  since a good earlier check), then the *anchor*, the latest stored checkpoint made since the last
  acknowledged alarm, which the log must still extend.
* :func:`create` signs a new checkpoint of the chain heads after checking that the chain still
  holds from the anchor on (so a tampered log is never signed); it is stored, logged as an
  ``audit.checkpoint`` event and sent to the ``audit.checkpoint`` webhook topic.
* A failed check is stored as an alarm (:func:`raise_alarm`); the service reports the chain broken
  while an alarm is open, whatever later (incremental) checks say, until an admin acknowledges
  it (:func:`acknowledge`, itself an audit event). Acknowledging re-anchors: checkpoints stored
  before it are no longer the anchor (a copy kept outside still fails ``audit verify --checkpoint``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from clearspace.errors import Conflict, NotFound
from clearspace.service import anchor, audit
from clearspace.service.clock import iso
from clearspace.service.partitions import ADMIN_CHAIN
from clearspace.service.results_admin import AuditAlarm, CheckpointDocument
from clearspace.service.unit import Unit
from clearspace.store import Op, Row, Store, Tx

TOPIC = "audit.checkpoint"


# ---------------------------------------------------------------- reading
def listing(tx: Tx, limit: int = 100) -> list[CheckpointDocument]:
    """Stored checkpoint documents, newest first (each as :func:`create` signed and stored it)."""
    return [r["document"] for r in tx.select("audit_checkpoints", order_by=["-seq"], limit=limit)]


def anchor_row(tx: Tx) -> Row | None:
    """The checkpoint the log must extend: the latest one made after the last acknowledged alarm."""
    acked = tx.select("audit_alarms", {"acknowledged_at": Op("!=", "")}, order_by=["-acknowledged_at"], limit=1)
    where = {"created_at": Op(">", acked[0]["acknowledged_at"])} if acked else None
    rows = tx.select("audit_checkpoints", where, order_by=["-seq"], limit=1)
    return rows[0] if rows else None


def open_alarms(tx: Tx) -> list[Row]:
    return tx.select("audit_alarms", {"acknowledged_at": None}, order_by=["detected_at"])


def alarms(tx: Tx, limit: int = 100) -> list[AuditAlarm]:
    return [public_alarm(r) for r in tx.select("audit_alarms", order_by=["-detected_at"], limit=limit)]


def public_alarm(row: Row) -> AuditAlarm:
    """An ``audit_alarms`` row as answered, its columns in table order."""
    return {"id": row["id"], "chain": row["chain"], "broken_at": row["broken_at"], "problem": row["problem"],
            "detected_at": row["detected_at"], "detected_by": row["detected_by"],
            "acknowledged_by": row["acknowledged_by"], "acknowledged_at": row["acknowledged_at"], "note": row["note"]}


# ---------------------------------------------------------------- checking
def against_anchor(store: Store, result: audit.VerifyResult) -> audit.VerifyResult:
    """``result`` (a good chain check) made broken when the log no longer extends the anchor."""
    with store.read() as tx:
        row = anchor_row(tx)
    if row is None or not result.ok:
        return result
    document = row["document"]
    problems = [(None, None, p) for p in anchor.check_document(document, None)] + anchor.unextended(store, document)
    if not problems:
        return result
    chain, seq = next(((c, s) for c, s, _ in problems if c is not None), (None, None))
    return replace(result, ok=False, broken_at=seq, chain=chain, problem="; ".join(p for _, _, p in problems))


def check(store: Store, last: audit.VerifyResult | None, full: bool) -> audit.VerifyResult:
    chain = audit.verify(store) if full or last is None else audit.verify_since(store, last)
    return against_anchor(store, chain)


def with_alarms(store: Store, result: audit.VerifyResult) -> audit.VerifyResult:
    """A good ``result`` made broken while an alarm is open (a break stays shown until acknowledged)."""
    if not result.ok:
        return result
    with store.read() as tx:
        found = open_alarms(tx)
    if not found:
        return result
    first = found[0]
    return replace(result, ok=False, broken_at=first["broken_at"],
                   problem=f"{first['problem']} (found {first['detected_at']}; not yet acknowledged by an admin)")


# ---------------------------------------------------------------- alarms
def raise_alarm(unit: Unit, result: audit.VerifyResult, actor: str) -> Row | None:
    """Store a failed check as an alarm (once per break) and log ``audit.chain_broken``."""
    chain = result.chain or "audit"
    seen = unit.tx.select("audit_alarms", {"chain": chain, "broken_at": result.broken_at,
                                           "problem": result.problem}, limit=1)
    if seen:
        return None
    row = {"id": unit.ids.new("alarm"), "chain": chain, "broken_at": result.broken_at,
           "problem": result.problem, "detected_at": unit.ts, "detected_by": actor, "acknowledged_by": None,
           "acknowledged_at": None, "note": None}
    unit.tx.insert("audit_alarms", row)
    unit.log("audit.chain_broken", actor, str(row["id"]), {"chain": chain, "broken_at": result.broken_at,
                                                           "problem": result.problem})
    return row


def acknowledge(unit: Unit, alarm_id: str, actor: str, note: str) -> AuditAlarm:
    """An admin has seen the alarm: it stops holding the chain broken; logged ``audit.alarm_acknowledged``."""
    if "\x00" in alarm_id:
        raise NotFound("no such audit alarm")
    if not unit.tx.update("audit_alarms", {"id": alarm_id, "acknowledged_at": None},
                          {"acknowledged_at": unit.ts, "acknowledged_by": actor, "note": note}):
        if unit.tx.get("audit_alarms", alarm_id) is None:
            raise NotFound(f"no audit alarm {alarm_id!r}")
        raise Conflict(f"audit alarm {alarm_id!r} was already acknowledged")
    unit.log("audit.alarm_acknowledged", actor, alarm_id, {"note": note})
    row = unit.tx.get("audit_alarms", alarm_id)
    assert row is not None
    return public_alarm(row)


# ---------------------------------------------------------------- making checkpoints
def since_anchor(store: Store) -> audit.VerifyResult:
    """Every chain from the anchor on (every chain from its start when there is none): the chains the
    anchor names from their heads there, any other from its first event; the anchor itself must hold."""
    with store.read() as tx:
        row = anchor_row(tx)
    if row is None:
        return audit.verify(store)
    document = row["document"]
    gone = anchor.unextended(store, document)
    if gone:
        chain, seq, _ = gone[0]
        return audit.VerifyResult(False, 0, seq, "; ".join(p for _, _, p in gone), chain=chain)
    return audit.verify_from(store, anchor.states_of(document))


def is_due(tx: Tx, now: datetime, interval_s: float, length: int) -> bool:
    """A periodic checkpoint is due: the last is older than ``interval_s`` and the log (``length``
    events over every chain) has grown by more than that checkpoint's own ``audit.checkpoint`` event."""
    last = tx.last("audit_checkpoints", "seq")
    if last is None:
        return length > 0
    if last["created_at"] > iso(now - timedelta(seconds=interval_s)):
        return False
    return length > anchor.total_length(last["document"]) + 1


def due_now(store: Store, now: datetime, every_s: float) -> bool:
    """:func:`is_due` in a read transaction: the cheap test run before the chains are checked."""
    with store.read() as tx:
        return is_due(tx, now, every_s, sum(s.length for s in audit.heads(tx).values()))


def create(store: Store, unit: Callable[[], AbstractContextManager[Unit]], key: Ed25519PrivateKey, actor: str,
           *, every_s: float | None = None, now: datetime | None = None) -> CheckpointDocument | None:
    """Sign and store a checkpoint of every chain's head now (``every_s``: only if one is due at ``now``;
    checked again inside the write transaction, so several processes make one).

    The heads are those recorded when the checkpoint is written (the ``admin`` chain's under its lock;
    partitions keep writing meanwhile): each chain is checked from the anchor to that head first.
    Conflict (and an alarm) when a chain does not hold: a tampered log is never signed.
    """
    if every_s is not None and now is not None and not due_now(store, now, every_s):
        return None
    checked = since_anchor(store)
    if not checked.ok:
        with unit() as u:
            raise_alarm(u, checked, actor)
        raise Conflict(f"the audit chain {checked.chain!r} is broken at seq {checked.broken_at}: {checked.problem}; "
                       "no checkpoint was signed")
    with unit() as u:
        u.audit.tail(ADMIN_CHAIN)  # holds the admin chain: its head cannot move before this checkpoint's event
        states = audit.heads(u.tx) or {ADMIN_CHAIN: audit.ChainState(0)}
        for name, state in states.items():  # written since the check: they must chain on from what was checked
            before = checked.chains.get(name, audit.ChainState(0))
            if state.length > before.length:
                rows = u.tx.select("audit", {"chain": name, "seq": Op(">", before.length)}, order_by=["seq"])
                late = audit.verify_rows(rows, before.head, before.length, name)
                if not late.ok or late.events < state.length:
                    raise Conflict(f"the audit chain {name!r} is broken at seq {late.broken_at}: {late.problem}")
        length = sum(s.length for s in states.values())
        if every_s is not None and not is_due(u.tx, u.now, every_s, length):
            return None
        last = u.tx.last("audit_checkpoints", "seq")
        seq = int(last["seq"]) + 1 if last else 1
        document = anchor.make_document(anchor.heads_of(states), seq=seq, created_at=u.ts, key=key)
        u.tx.insert("audit_checkpoints", {"seq": seq, "created_at": u.ts, "root": document["root"],
                                          "key_id": document["key_id"], "document": document})
        u.log("audit.checkpoint", actor, f"checkpoint:{seq}",
              {"seq": seq, "root": document["root"], "length": length, "chains": len(states),
               "key_id": document["key_id"]})
        u.emit(TOPIC, document)
    return document
