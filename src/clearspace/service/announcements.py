"""Typical-case announcements (典型案例, governance notices) for the transparency page (issue 16 point 5).

A senior moderator picks decided cases; :func:`draft` writes a draft from each case's decision
(category, action, the facts of its statement of reasons, the post's text) with personal
information and every account name masked (:func:`clearspace.accountability.masking.mask`). The
draft can be edited, then published; only published announcements are listed publicly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from clearspace.accountability.masking import mask
from clearspace.errors import Conflict, InputError, NotFound
from clearspace.service.results_admin import AnnouncedCase, Announcement
from clearspace.service.unit import Unit
from clearspace.store import Row, Tx

LANGS: Final = ("zh", "en")
MAX_CASES: Final = 20
HEAD: Final = {"zh": "案例{n}：{category}（处理：{action}）", "en": "Case {n}: {category} (action: {action})"}


def _case_entry(tx: Tx, case_id: str, n: int, lang: str, names: list[str]) -> AnnouncedCase:
    case = tx.get("cases", case_id) if "\x00" not in case_id else None
    if case is None:
        raise NotFound(f"no case {case_id!r}")
    if case["status"] != "closed" or not case["decision_id"]:
        raise Conflict(f"case {case_id} is not decided yet; only decided cases can be announced")
    decision = tx.get("decisions", case["decision_id"])
    assert decision is not None
    event = tx.get("events", case["event_id"]) if case["event_id"] else None
    for name in (case["account"], decision["account"], (event or {}).get("author"), (event or {}).get("target_user")):
        if name and name not in names:
            names.append(name)
    facts = " ".join(decision["reasons"]) or decision["category"] or ""
    text = (event or {}).get("text") or ""
    return {"case_id": case_id, "category": decision["category"], "action": decision["action"],
            "head": HEAD[lang].format(n=n, category=decision["category"] or "-", action=decision["action"]),
            "facts": facts, "text": text}


def draft(unit: Unit, case_ids: Sequence[str], title: str, lang: str, actor: str) -> Announcement:
    if lang not in LANGS:
        raise InputError(f"lang must be one of {', '.join(LANGS)}")
    ids = list(dict.fromkeys(c.strip() for c in case_ids if c.strip()))
    if not ids or len(ids) > MAX_CASES:
        raise InputError(f"pick 1 to {MAX_CASES} decided cases")
    if not title.strip() or "\x00" in title or len(title) > 200:
        raise InputError("give the announcement a title of 1 to 200 characters (no NUL characters)")
    names: list[str] = []
    entries = [_case_entry(unit.tx, c, n, lang, names) for n, c in enumerate(ids, 1)]
    body: list[AnnouncedCase] = [{"case_id": e["case_id"], "category": e["category"], "action": e["action"],
             "head": e["head"], "facts": mask(e["facts"], names, lang), "text": mask(e["text"], names, lang)}
            for e in entries]
    row: Announcement = {"id": unit.ids.new("ann"), "title": mask(title, names, lang), "lang": lang, "cases": ids,
                "body": body, "status": "draft", "created_by": actor, "created_at": unit.ts,
                "published_by": None, "published_at": None}
    unit.tx.insert("announcements", row)
    unit.log("announcement.drafted", actor, row["id"], {"cases": ids})
    return row


def get(tx: Tx, announcement_id: str) -> Announcement:
    row = None if "\x00" in announcement_id else tx.get("announcements", announcement_id)
    if row is None:
        raise NotFound(f"no announcement {announcement_id!r}")
    return public(row)


def public(row: Row) -> Announcement:
    """An ``announcements`` row as answered, its columns in table order."""
    return {"id": row["id"], "title": row["title"], "lang": row["lang"], "cases": row["cases"], "body": row["body"],
            "status": row["status"], "created_by": row["created_by"], "created_at": row["created_at"],
            "published_by": row["published_by"], "published_at": row["published_at"]}


def publish(unit: Unit, announcement_id: str, actor: str) -> Announcement:
    row = get(unit.tx, announcement_id)
    if row["status"] != "draft":
        raise Conflict(f"announcement {announcement_id} is already {row['status']}")
    unit.tx.update("announcements", {"id": announcement_id}, {"status": "published", "published_by": actor,
                                                              "published_at": unit.ts})
    unit.log("announcement.published", actor, announcement_id, {"cases": row["cases"]})
    return {**row, "status": "published", "published_by": actor, "published_at": unit.ts}


def listing(tx: Tx, status: str, limit: int = 100) -> list[Announcement]:
    if status not in ("draft", "published"):
        raise InputError("status must be draft or published")
    order = "-published_at" if status == "published" else "-created_at"
    return [public(r) for r in tx.select("announcements", {"status": status}, order_by=[order, "id"], limit=limit)]
