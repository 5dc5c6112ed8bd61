"""Rumor labels on posts: every copy of a debunked claim is labelled, and each label is a decision.

A label is one row in ``post_labels`` (event, debunk, score, ``rule`` ``claim_match@1``, ``status``
``active`` or ``withdrawn``) and one automated decision: action ``label``, category ``rumor``
(DSA category NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS, keyword MISINFORMATION), rules
``[claim_match@1]``, a statement of reasons whose facts name the claim, the verdict, the
fact-checker and the link to the debunk, and source type ``trusted_flagger`` when the debunk names
its fact-checker (fact-checkers act as trusted flaggers), else ``own_initiative``. So the author can
appeal a label like any other decision (``POST /v1/appeals``); reversing it withdraws the label.

Labels come from two places: ingest (:func:`apply` for each new post that matches) and the
backfill job (:func:`backfill`, which scans stored posts in pages). Both are idempotent: a post
carries at most one label row per debunk, and a label once withdrawn is never put back by a
later backfill. Retracting a debunk withdraws its labels (their decisions get status ``withdrawn``).

Decisions of this "label track" are told apart from the engine's and moderators' decisions by their
rules (:func:`is_label_track`), so the ingest answer for a repeated event and the "current decision"
a moderator supersedes are never a label.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Final

from clearspace.errors import Conflict
from clearspace.rumors.cards import card
from clearspace.rumors.matcher import MATCHER_NAME
from clearspace.service import clarifications, debunks, decisions
from clearspace.service.account_evidence import note_rumor_post
from clearspace.service.debunks import DebunkIndex
from clearspace.service.results_rumors import Backfill, ClarificationView, LabelView
from clearspace.service.unit import Unit
from clearspace.store import Op, Row, Store, Tx

CATEGORY: Final = "rumor"
DECIDER: Final = "clearspace"
ACTIVE: Final = "active"
WITHDRAWN: Final = "withdrawn"
MAX_CLAIM_IN_FACTS: Final = 300

Progress = Callable[[int, int, int], None]
"""``progress(scanned, total, labelled)``, called after each page of a backfill."""


def is_label_track(decision: Mapping[str, Any]) -> bool:
    """Whether a decision is a rumor label (or the reversal of one): its rules name the claim matcher."""
    return any(isinstance(r, str) and r.startswith(f"{MATCHER_NAME}@") for r in decision.get("rules") or ())


def facts(debunk: Row, score: float, rule: str) -> str:
    """The statement of reasons' facts for a label from ``debunk`` (a ``debunks`` row)."""
    item = debunks.from_row(debunk)
    claim = item.claim if len(item.claim) <= MAX_CLAIM_IN_FACTS else item.claim[: MAX_CLAIM_IN_FACTS - 1] + "…"
    checker = f"the fact-checker {item.fact_checker}" if item.fact_checker else "a fact-checker"
    link = f" ({item.url})" if item.url else ""
    return (f"This post repeats the claim \"{claim}\", which {checker} rated '{item.verdict.value}'{link}. "
            f"Debunk {item.id}, version {debunk['version']}; match score {score:.2f} ({rule}). "
            "The post stays up with a label linking to the debunk.")


def public(label: Row, debunk: Row | None, clarified: Sequence[ClarificationView] = ()) -> LabelView:
    """A label as the API shows it: the row, the verdict and link, and the debunk's card with clarifications."""
    out: LabelView = {"id": label["id"], "event_id": label["event_id"], "debunk_id": label["debunk_id"],
                      "decision_id": label["decision_id"], "score": label["score"], "rule": label["rule"],
                      "status": label["status"], "created_at": label["created_at"],
                      "withdrawn_at": label["withdrawn_at"], "withdrawn_reason": label["withdrawn_reason"],
                      "reviewed_by": label.get("reviewed_by"), "reviewed_at": label.get("reviewed_at")}
    if debunk is not None:
        item = debunks.from_row(debunk)
        out["verdict"] = item.verdict.value
        out["url"] = item.url
        out["debunk"] = {**card(item), "status": debunk["status"], "version": debunk["version"],
                         "clarifications": list(clarified)}
    return out


def public_many(tx: Tx, rows: Sequence[Row]) -> list[LabelView]:
    ids = sorted({r["debunk_id"] for r in rows})
    stored = {d["id"]: d for d in tx.select("debunks", {"id": Op("in", ids)})} if ids else {}
    clarified = clarifications.active_for(tx, ids)
    return [public(r, stored.get(r["debunk_id"]), clarified.get(r["debunk_id"], [])) for r in rows]


def labels_of(tx: Tx, event_id: str, include_withdrawn: bool = False) -> list[LabelView]:
    """The labels of one post, highest score first (withdrawn ones only when asked)."""
    where: dict[str, Any] = {"event_id": event_id}
    if not include_withdrawn:
        where["status"] = ACTIVE
    return public_many(tx, tx.select("post_labels", where, order_by=["-score", "debunk_id"]))


def active_labels_for(tx: Tx, event_ids: Sequence[str]) -> dict[str, list[LabelView]]:
    """Active labels per event (events without one are left out)."""
    if not event_ids:
        return {}
    rows = tx.select("post_labels", {"event_id": Op("in", list(event_ids)), "status": ACTIVE},
                     order_by=["-score", "debunk_id"])
    out: dict[str, list[LabelView]] = {}
    for label in public_many(tx, rows) if rows else []:
        out.setdefault(label["event_id"], []).append(label)
    return out


def apply(unit: Unit, event: Mapping[str, Any], found: Sequence[Mapping[str, Any]], actor: str,
          source: str = "ingest") -> list[LabelView]:
    """Record the labels ``found`` for a stored event (``id``, ``author``, ``ts``, ``received_at``): one
    decision and one ``post_labels`` row each. A label the post already has (active or withdrawn) and a
    debunk that is gone or retracted are skipped. Returns the new labels (public form)."""
    out: list[LabelView] = []
    if found:
        unit.lock("label", event["id"])  # so nobody can insert a label between the check below and the insert
    for match in found:
        debunk_id = match["debunk_id"]
        if unit.tx.count("post_labels", {"event_id": event["id"], "debunk_id": debunk_id}):
            continue
        debunk = unit.tx.get("debunks", debunk_id)
        if debunk is None or debunk["status"] != debunks.ACTIVE:
            continue
        score, rule = float(match["score"]), str(match["rule"])
        item = debunks.from_row(debunk)
        text = facts(debunk, score, rule)
        decision = decisions.record(unit, decisions.Draft(
            event_id=event["id"], account=event.get("author"), action="label", category=CATEGORY, facts=text,
            automated=True, decided_by=DECIDER,
            source_type="trusted_flagger" if item.fact_checker else "own_initiative",
            content_date=event.get("ts") or event.get("received_at") or unit.ts,
            scores={"claim_match": round(score, 4)}, rules=[rule], reasons=[text],
            labels=[f"rumor:{item.verdict.value}"]), handling_from=event.get("received_at") or unit.ts)
        row: Row = {"id": unit.ids.new("lbl"), "event_id": event["id"], "debunk_id": debunk_id, "score": score,
                    "rule": rule, "created_at": unit.ts, "decision_id": decision["id"], "status": ACTIVE,
                    "withdrawn_at": None, "withdrawn_reason": None}
        unit.tx.insert("post_labels", row)
        note_rumor_post(unit, event.get("author"), event["id"], debunk_id)  # issue 16: the repeat rule
        unit.log("label.applied", actor, event["id"], {
            "label_id": row["id"], "debunk_id": debunk_id, "debunk_version": debunk["version"],
            "decision_id": decision["id"], "score": round(score, 4), "rule": rule, "source": source})
        message = {"label_id": row["id"], "event_id": event["id"], "debunk_id": debunk_id,
                   "decision_id": decision["id"], "statement_id": decision["statement_id"],
                   "verdict": item.verdict.value, "url": item.url}
        unit.emit("label.applied", message)
        unit.notify(event.get("author"), "label.applied", message)
        out.append(public(row, debunk, clarifications.active_for(unit.tx, [debunk_id]).get(debunk_id, [])))
    return out


def withdraw(unit: Unit, rows: Iterable[Row], reason: str, actor: str, decision_status: str | None) -> int:
    """Withdraw active labels (``post_labels`` rows); their decisions get ``decision_status`` when given
    and still active. Each is audited (``label.withdrawn``), announced and told to the author."""
    count = 0
    for row in rows:
        if row["status"] != ACTIVE:
            continue
        unit.tx.update("post_labels", {"id": row["id"]},
                       {"status": WITHDRAWN, "withdrawn_at": unit.ts, "withdrawn_reason": reason})
        decision = unit.tx.get("decisions", row["decision_id"]) if row["decision_id"] else None
        if decision is not None and decision_status and decision["status"] == "active":
            unit.tx.update("decisions", {"id": decision["id"]}, {"status": decision_status})
        unit.log("label.withdrawn", actor, row["event_id"], {
            "label_id": row["id"], "debunk_id": row["debunk_id"], "decision_id": row["decision_id"], "reason": reason})
        message = {"label_id": row["id"], "event_id": row["event_id"], "debunk_id": row["debunk_id"],
                   "decision_id": row["decision_id"], "reason": reason}
        unit.emit("label.withdrawn", message)
        unit.notify(decision["account"] if decision else None, "label.withdrawn", message)
        count += 1
    return count


def withdraw_for_decision(unit: Unit, decision_id: str, reason: str, actor: str) -> int:
    """Withdraw the label a (reversed) decision put on a post."""
    rows = unit.tx.select("post_labels", {"decision_id": decision_id, "status": ACTIVE})
    return withdraw(unit, rows, reason, actor, decision_status=None)


def withdraw_for_debunk(unit: Unit, debunk_id: str, reason: str, actor: str) -> int:
    """Withdraw every active label from a (retracted) debunk; their decisions become ``withdrawn``."""
    rows = unit.tx.select("post_labels", {"debunk_id": debunk_id, "status": ACTIVE}, order_by=["created_at", "id"])
    return withdraw(unit, rows, reason, actor, decision_status="withdrawn")


def check_debunks(tx: Tx, debunk_ids: Sequence[str] | None) -> None:
    """NotFound for an unknown debunk, Conflict for a retracted one (nothing to label with it)."""
    for debunk_id in debunk_ids or ():
        if debunks.get(tx, debunk_id)["status"] != debunks.ACTIVE:
            raise Conflict(f"debunk {debunk_id!r} was retracted; there is nothing to label with it")


def backfill(store: Store, index: DebunkIndex, open_unit: Callable[[], AbstractContextManager[Unit]], *,
             debunk_ids: Sequence[str] | None, actor: str, page_size: int = 500,
             progress: Progress | None = None) -> Backfill:
    """Label every stored post that matches the registry (or only the debunks ``debunk_ids``).

    Posts are read in pages of ``page_size`` in id order; the labels of a page are written in one
    transaction; ``progress(scanned, total, labelled)`` follows each page. Returns the counts:
    ``scanned``, ``total`` (posts stored when the run began), ``labelled`` (new labels),
    ``posts_labelled``, ``debunk_ids`` (``None``: every debunk).
    """
    only = frozenset(debunk_ids) if debunk_ids is not None else None
    with store.read() as tx:
        total = tx.count("events")
    scanned = labelled = posts = 0
    last: str | None = None
    empty = len(index) == 0 or (only is not None and not only)
    while not empty:
        with store.read() as tx:
            page = tx.select("events", {"id": Op(">", last)} if last is not None else None, order_by=["id"],
                             limit=page_size)
        if not page:
            break
        found = index.label_many([e["text"] for e in page], only)
        todo = [(e, f) for e, f in zip(page, found, strict=True) if f]
        if todo:
            with open_unit() as unit:
                for event, matches in todo:
                    new = apply(unit, event, matches, actor, source="backfill")
                    labelled += len(new)
                    posts += bool(new)
        scanned += len(page)
        last = page[-1]["id"]
        if progress is not None:
            progress(scanned, max(total, scanned), labelled)
    result: Backfill = {"scanned": scanned, "total": max(total, scanned), "labelled": labelled, "posts_labelled": posts,
              "debunk_ids": sorted(only) if only is not None else None}
    with open_unit() as unit:
        unit.log("labels.backfilled", actor, "debunks", result)
    return result
