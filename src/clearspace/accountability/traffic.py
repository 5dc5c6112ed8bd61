"""Hostility-driven engagement: what counts as engagement, what counts as hostility drawn onto others.

Engagement of an account is every reply, comment, repost or mention whose ``parent`` is one of its
posts. It is *hostile toward a third person* when the engine judged it abusive and it is aimed at
someone other than the account: its ``target_user`` is another account, or (without a
``target_user``) the verdict's target is a third person or a group. Abuse aimed at the creator
themself never counts against the creator (they are its target, not its source).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

ENGAGEMENT_TYPES: Final = frozenset({"reply", "comment", "repost", "mention", "danmaku", "livechat"})
OTHERS: Final = frozenset({"third_person", "group"})
NOT_ATTACKING: Final = frozenset({"quoting_to_condemn", "reporting", "defending"})


@dataclass(frozen=True, slots=True)
class Interaction:
    """One engagement event as the ratio sees it."""

    type: str
    author: str | None
    parent_author: str | None
    target_user: str | None
    abusive: bool
    target: str = ""
    stance: str = ""


def is_engagement(item: Interaction) -> bool:
    """A reply, comment, repost or mention of someone else's post."""
    return (item.type in ENGAGEMENT_TYPES and item.parent_author is not None
            and item.author != item.parent_author)


def hostile_to_others(item: Interaction) -> bool:
    """Abusive, and aimed at someone other than the parent post's author."""
    if not item.abusive or item.stance in NOT_ATTACKING:
        return False
    if item.target_user:
        return item.target_user != item.parent_author
    return item.target in OTHERS


def ratio(engagement: int, hostile: int) -> float:
    """The share of engagement that was hostility drawn onto others (0 without engagement)."""
    return round(hostile / engagement, 4) if engagement > 0 else 0.0
