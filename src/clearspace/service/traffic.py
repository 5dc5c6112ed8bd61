"""Hostility-driven engagement, kept up to date at ingest (issue 16 point 2).

For every reply, comment, repost or mention whose ``parent`` is a stored post, the transaction that
records it adds one to the engagement of that post (``post_traffic``) and of its author's day
(``account_traffic``, one row per account and day), and one to their ``hostile`` count when it is
hostility drawn onto a third person (:mod:`clearspace.accountability.traffic`). The toxic-traffic
ratio over a window is then a sum over at most one row per day, never a scan of events.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Final

from clearspace.accountability.traffic import Interaction, hostile_to_others, is_engagement, ratio
from clearspace.result import ScoreResult
from clearspace.service.events import Event
from clearspace.service.results_accounts import DailyTraffic, PostTraffic
from clearspace.service.unit import Unit
from clearspace.store import Op, Row, Tx

CHUNK: Final = 500


def _day(event: Event, now: str) -> str:
    ts = event.get("ts")
    return min(ts, now)[:10] if isinstance(ts, str) else now[:10]


def _parents(tx: Tx, ids: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for i in range(0, len(ids), CHUNK):
        for row in tx.select("events", {"id": Op("in", list(ids[i:i + CHUNK]))}, columns=["id", "author"]):
            if row["author"]:
                out[row["id"]] = row["author"]
    return out


def _add(tx: Tx, table: str, key: str, base: Mapping[str, Any], engagement: int, hostile: int, now: str) -> None:
    row = tx.get(table, key)
    if row is None:
        tx.insert(table, {"id": key, **base, "engagement": engagement, "hostile": hostile, "updated_at": now})
    else:
        tx.update(table, {"id": key}, {"engagement": row["engagement"] + engagement,
                                       "hostile": row["hostile"] + hostile, "updated_at": now})


def parent_owners(tx: Tx, events: Sequence[Event]) -> set[str]:
    """The authors of the stored posts that ``events`` reply to, repost or mention."""
    return set(_parents(tx, sorted({str(e.get("parent")) for e in events if e.get("parent")})).values())


def observe(unit: Unit, recorded: Sequence[tuple[Event, ScoreResult]]) -> set[str]:
    """Count the engagement among ``recorded`` (just stored in ``unit``); the accounts whose counts changed."""
    candidates = [(e, r) for e, r in recorded if e.get("parent")]
    if not candidates:
        return set()
    owners = _parents(unit.tx, sorted({str(e.get("parent")) for e, _ in candidates}))
    posts: dict[str, list[Any]] = {}
    days: dict[tuple[str, str], list[int]] = {}
    for event, result in candidates:
        parent = str(event.get("parent"))
        item = Interaction(type=event.type, author=event.get("author"), parent_author=owners.get(parent),
                           target_user=event.get("target_user"), abusive=result.abusive, target=result.target,
                           stance=result.stance)
        if not is_engagement(item) or item.parent_author is None:
            continue
        hostile = int(hostile_to_others(item))
        day = _day(event, unit.ts)
        post = posts.setdefault(parent, [item.parent_author, day, 0, 0])
        post[2] += 1
        post[3] += hostile
        count = days.setdefault((item.parent_author, day), [0, 0])
        count[0] += 1
        count[1] += hostile
    unit.lock("traffic", *sorted({account for account, _ in days}))  # counters other partitions add to as well
    for post_id, (account, day, engagement, hostile) in posts.items():
        _add(unit.tx, "post_traffic", post_id, {"account": account, "day": day}, engagement, hostile, unit.ts)
    for (account, day), (engagement, hostile) in days.items():
        _add(unit.tx, "account_traffic", f"{account}|{day}", {"account": account, "day": day}, engagement, hostile,
             unit.ts)
    return {account for account, _ in days}


def window(tx: Tx, account: str, now: datetime, days: float, after_day: str = "") -> tuple[int, int]:
    """``(engagement, hostile)`` of ``account`` over the last ``days`` days (days after ``after_day`` only)."""
    first = max((now - timedelta(days=days)).strftime("%Y-%m-%d"), after_day)
    rows = tx.select("account_traffic", {"account": account, "day": Op(">=", first)},
                     columns=["day", "engagement", "hostile"])
    rows = [r for r in rows if r["day"] > after_day] if after_day else rows
    return sum(r["engagement"] for r in rows), sum(r["hostile"] for r in rows)


def hostile_posts(tx: Tx, account: str, limit: int = 5) -> list[PostTraffic]:
    """The account's posts that drew the most hostility onto others (the ratio's evidence)."""
    rows = tx.select("post_traffic", {"account": account, "hostile": Op(">", 0)}, order_by=["-hostile", "id"],
                     limit=limit)
    return [public_post(r) for r in rows]


def public_post(row: Row) -> PostTraffic:
    return {"post": row["id"], "account": row["account"], "day": row["day"], "engagement": row["engagement"],
            "hostile": row["hostile"], "ratio": ratio(row["engagement"], row["hostile"])}


def daily(tx: Tx, account: str, now: datetime, days: float) -> list[DailyTraffic]:
    """Per-day engagement and hostility over the last ``days`` days (for the record page's chart)."""
    first = (now - timedelta(days=days)).strftime("%Y-%m-%d")
    rows = tx.select("account_traffic", {"account": account, "day": Op(">=", first)}, order_by=["day"])
    return [{"day": r["day"], "engagement": r["engagement"], "hostile": r["hostile"]} for r in rows]
