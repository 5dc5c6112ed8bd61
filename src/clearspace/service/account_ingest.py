"""What ingest does for creator accountability (issue 16), inside the transaction that stores the events.

Authors become known accounts (with any reach their events carry), engagement is counted
(:mod:`clearspace.service.traffic`), a rumor-labelled post from an account above
``Settings.amplification_followers`` goes to review (amplification risk), and the monetization
standing of every account whose record changed is evaluated again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from clearspace.result import ScoreResult
from clearspace.service import accounts, cases, monetization, traffic
from clearspace.service.events import Event
from clearspace.service.unit import Unit

AMPLIFICATION_PRIORITY = 85


def observe(unit: Unit, recorded: Sequence[tuple[Event, ScoreResult, Mapping[str, Any]]], actor: str) -> None:
    events = [e for e, _, _ in recorded]
    if not events:
        return
    # every account whose counters or standing this may change, locked at once in one sorted pass (no
    # deadlock between partitions: a reply's parent may live in another partition)
    unit.lock("traffic", *sorted({str(e.get("author")) for e in events if e.get("author")}
                                 | traffic.parent_owners(unit.tx, events)))
    accounts.from_events(unit, events)
    touched = traffic.observe(unit, [(e, r) for e, r, _ in recorded])
    for event, result, answer in recorded:
        author = event.get("author")
        if answer.get("rumor_labels") and author:
            touched.add(author)
            _amplification(unit, event, author, actor)
        if result.action == "remove" and author:
            touched.add(author)
    monetization.refresh(unit, touched)


def _amplification(unit: Unit, event: Event, author: str, actor: str) -> None:
    """A rumor-labelled post from an account with a very large audience: a moderator looks at it soon."""
    followers = event.get("author_followers")
    if followers is None:
        followers = (unit.tx.get("accounts", author) or {}).get("followers")
    if followers is None or followers < unit.settings.amplification_followers:
        return
    case = cases.open_case(unit, subject_id=f"event:{event.id}", kind="item", lane="severity",
                           priority=AMPLIFICATION_PRIORITY, actor=actor, event_id=event.id, account=author)
    unit.log("amplification.review", actor, event.id, {"account": author, "followers": followers,
                                                        "case_id": case["id"], "reason": "rumor label"})
