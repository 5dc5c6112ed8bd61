"""Which support links a risk prompt carries: those of the target's language and region.

The target's locale is, in order: the ``lang`` and ``region`` of the target's own latest event (``lang``
as sent, ``zh-CN`` style tags included, else the language detected for the text; ``region`` as sent,
else the region part of ``lang``), else the ``support_lang`` / ``support_region`` settings. A link
matches when its ``lang`` is the target's (or ``und``) and its ``region`` is the target's (or empty);
when no link has the target's region, the links of its language are used; links in another language
are never sent (a Chinese target does not get 911).
"""

from __future__ import annotations

from collections.abc import Sequence

from clearspace.protection.nudge import SupportLink
from clearspace.store import Tx


def parse_locale(tag: str | None) -> tuple[str | None, str | None]:
    """``(language, region)`` of a tag such as ``zh``, ``zh-CN``, ``zh-Hant-TW`` or ``en_US``."""
    parts = [p for p in (tag or "").replace("_", "-").split("-") if p]
    if not parts:
        return None, None
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    return parts[0].lower(), region


def target_locale(tx: Tx, target: str, default_lang: str = "", default_region: str = "") -> tuple[str | None,
                                                                                                   str | None]:
    """The target's ``(language, region)`` from its own latest event, else the defaults (None: unknown)."""
    rows = tx.select("events", {"author": target}, order_by=["-received_at"], limit=1, columns=["lang", "context"])
    lang, region = parse_locale(rows[0]["lang"]) if rows else (None, None)
    if rows:
        stated = rows[0]["context"].get("region")
        region = stated.upper() if isinstance(stated, str) and stated.strip() else region
    fallback_lang, fallback_region = parse_locale(default_lang)
    return lang or fallback_lang, region or (default_region.upper() or None) or fallback_region


def links_for(links: Sequence[SupportLink], lang: str | None, region: str | None) -> tuple[SupportLink, ...]:
    """The links for a target of ``lang`` and ``region`` (None: not known, no filter on it)."""
    spoken = [link for link in links if lang is None or link.lang in (lang, "und")]
    local = [link for link in spoken if region is None or link.region in (region, "")]
    return tuple(local or spoken)
