"""``clearspace bus status``: partitions, their owners, consumed and pending counts, dead letters."""

from __future__ import annotations

import asyncio

from clearspace.bus.base import BusInfo, DeadLetter
from clearspace.bus.jetstream import JetStreamBus
from clearspace.bus.names import Names
from clearspace.errors import InputError
from clearspace.service import bus_offsets
from clearspace.service.results_admin import BusStatus, DeadLetterView, PartitionStatus
from clearspace.service.settings import Settings
from clearspace.store import Store


def read_bus(settings: Settings, recent_dead: int = 20) -> BusInfo:
    """What NATS says about the deployment's streams (BusUnavailable when it cannot be reached)."""
    if not settings.bus_url:
        raise InputError("bus status needs bus_url (--bus or CLEARSPACE_BUS_URL)")

    async def read() -> BusInfo:
        bus = JetStreamBus(settings.bus_url, Names(settings.bus_prefix), settings.bus_partitions)
        await bus.open()
        try:
            return await bus.info(recent_dead)
        finally:
            await bus.close()

    return asyncio.run(read())


def status(store: Store, settings: Settings, now: str, recent_dead: int = 20) -> BusStatus:
    """One object: ``partitions`` (owner, consumed sequence, decided, stored, pending), the ``pending``
    total (published but not yet decided), live ``workers`` and the ``dead_letters``."""
    info = read_bus(settings, recent_dead)
    names = Names(settings.bus_prefix)
    with store.read() as tx:
        rows = bus_offsets.offsets(tx, names.prefix)
        leases = {r["name"]: r for r in tx.select("leases")}
    parts: list[PartitionStatus] = []
    for p in info.per_partition:
        lease = leases.get(names.lease(p.partition))
        live = lease is not None and lease["expires_at"] > now
        row = rows.get(p.partition)
        parts.append({"partition": p.partition, "owner": lease["holder"] if live and lease else None,
                      "token": int(row["token"]) if row else 0, "consumed_seq": int(row["seq"]) if row else 0,
                      "decided": int(row["decided"]) if row else 0, "stored": p.last_seq, "pending": p.pending,
                      "unacked": p.unacked, "redelivered": p.redelivered})
    workers = sorted(name[len(names.worker_lease_prefix):] for name, r in leases.items()
                     if name.startswith(names.worker_lease_prefix) and r["expires_at"] > now)
    return {"prefix": names.prefix, "stream": names.stream, "partition_count": info.partitions,
            "messages": info.stored, "pending": sum(p["pending"] for p in parts), "workers": workers,
            "partitions": parts, "dead_letters": info.dead_letters,
            "recent_dead_letters": [dead_letter(d) for d in info.recent_dead]}


def dead_letter(d: DeadLetter) -> DeadLetterView:
    return {"partition": d.partition, "seq": d.seq, "event_id": d.event_id, "error": d.error,
            "deliveries": d.deliveries, "tries": d.tries, "at": d.at, "data": d.data}
