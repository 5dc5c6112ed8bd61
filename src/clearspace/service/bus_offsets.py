"""Each partition's consumed stream sequence and fencing token (migration 16, table ``bus_offsets``).

A worker that takes a partition raises its token (:func:`claim`); every transaction that commits
decisions of the partition also moves its sequence forward *only while the token is still the
committer's* (:func:`commit`), so a worker that lost the partition (paused, partitioned from the
network, killed mid-commit) can never commit decisions after the new owner started. Every change
is a conditional update, correct without any global lock.
"""

from __future__ import annotations

from typing import Any

from clearspace.errors import Conflict
from clearspace.store import Row, Tx


def offset_id(prefix: str, partition: int) -> str:
    return f"{prefix}/{partition}"


def claim(tx: Tx, prefix: str, partition: int, owner: str, now: str) -> int:
    """Raise the partition's token for ``owner`` (the new lease holder); answers the new token."""
    key = offset_id(prefix, partition)
    row = tx.get("bus_offsets", key)
    if row is None:
        fresh = {"id": key, "prefix": prefix, "part": partition, "seq": 0, "token": 1, "owner": owner,
                 "decided": 0, "updated_at": now}
        if tx.insert("bus_offsets", fresh, ignore_conflict=True):
            return 1
        row = tx.get("bus_offsets", key)
        assert row is not None
    token = int(row["token"]) + 1
    if tx.update("bus_offsets", {"id": key, "token": row["token"]}, {"token": token, "owner": owner,
                                                                      "updated_at": now}) != 1:
        raise Conflict(f"partition {partition} of {prefix} was claimed by another worker meanwhile")
    return token


def commit(tx: Tx, prefix: str, partition: int, token: int, seq: int, decided: int, now: str) -> None:
    """Record that the stream is consumed up to ``seq`` and ``decided`` more decisions were made, in the
    transaction of those decisions; Conflict (so the transaction rolls back) when ``token`` is stale."""
    key = offset_id(prefix, partition)
    row = tx.get("bus_offsets", key)
    if row is None or int(row["token"]) != token:
        raise Conflict(f"partition {partition} of {prefix} has a new owner; this worker's batch is not committed")
    changes: dict[str, Any] = {"seq": max(int(row["seq"]), seq), "decided": int(row["decided"]) + decided,
                               "updated_at": now}
    if tx.update("bus_offsets", {"id": key, "token": token}, changes) != 1:
        raise Conflict(f"partition {partition} of {prefix} has a new owner; this worker's batch is not committed")


def offsets(tx: Tx, prefix: str) -> dict[int, Row]:
    """Every partition's row, by partition."""
    return {int(r["part"]): r for r in tx.select("bus_offsets", {"prefix": prefix})}
