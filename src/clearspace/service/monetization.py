"""Monetization eligibility, precomputed (issue 16 point 3).

:func:`refresh` evaluates the rules of :mod:`clearspace.accountability.eligibility` for an account in
the transaction that changed its record (ingest, a decision, an appeal, a confirmed measure) and
stores the result as one ``account_standing`` row; :func:`answer` reads that one row, so the answer
costs one indexed read however long the account's history is. Marks carry their expiry, so the
answer turns eligible by itself when the last one expires; :func:`due` lists those accounts for the
periodic job, which records the restoration (audit, notification, webhook).

A change from eligible to ineligible is a decision (action ``suspend_monetization``) with a DSA
statement of reasons (``decision_monetary: DECISION_MONETARY_SUSPENSION``), audited, told to the
account and to webhooks (topic ``accounts.monetization``); the account may appeal it, and a reversed
appeal restores eligibility at once and clears what was counted until then (:func:`after_appeal`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from clearspace.accountability import eligibility as rules
from clearspace.accountability.eligibility import Evidence, Thresholds
from clearspace.accountability.traffic import ratio
from clearspace.service import account_evidence as found
from clearspace.service import decisions, traffic
from clearspace.service.results import Monetization
from clearspace.service.settings import Settings
from clearspace.service.statements import StatementInput, build_statement
from clearspace.service.unit import Unit
from clearspace.store import Op, Row, Tx

SUSPEND: Final = "suspend_monetization"
TOPIC: Final = "accounts.monetization"
DECIDER: Final = "clearspace"


def thresholds(settings: Settings) -> Thresholds:
    return Thresholds(window_days=settings.monetization_window_days, max_strikes=settings.monetization_max_strikes,
                      ratio_days=settings.toxic_ratio_days, max_ratio=settings.toxic_ratio_threshold,
                      min_engagement=settings.toxic_min_engagement, rumor_repeats=settings.rumor_repeat_threshold)


def _evaluate(unit: Unit, account: str, standing: Row | None) -> dict[str, Any]:
    """The account's marks and traffic now, from the stored evidence."""
    tx, t = unit.tx, thresholds(unit.settings)
    since = rules.window_start(unit.now, t.window_days)
    cleared = standing["cleared_at"] if standing else None
    engagement, hostile = traffic.window(tx, account, unit.now, t.ratio_days, (cleared or "")[:10])
    share = ratio(engagement, hostile)
    over_at = unit.ts if rules.ratio_over(share, engagement, t) else (standing or {}).get("ratio_over_at")
    posts = [Evidence("post", p["post"], p["day"], {"engagement": p["engagement"], "hostile": p["hostile"]})
             for p in traffic.hostile_posts(tx, account)]
    org = (tx.get("accounts", account) or {}).get("organization")
    marks = [m for m in (
        rules.instigator_mark(found.confirmed_instigations(tx, account, since), since, cleared, t),
        rules.strikes_mark(found.strikes(tx, account, since, unit.ts), since, cleared, t),
        rules.ratio_mark(over_at, since, cleared, share, engagement, posts, t),
        rules.rumor_mark(found.rumor_posts(tx, account, since), since, cleared, t),
        rules.organization_mark(found.org_measures(tx, org, since), since, cleared, t),
    ) if m is not None]
    return {"marks": marks, "ratio": share, "engagement": engagement, "hostile": hostile, "ratio_over_at": over_at}


def refresh(unit: Unit, accounts: Iterable[str | None]) -> None:
    """Evaluate each account again and store its standing; record a suspension or restoration when it flips."""
    chosen = sorted({a for a in accounts if a})
    unit.lock("traffic", *chosen)  # the standing is read, then written
    for account in chosen:
        standing = unit.tx.get("account_standing", account)
        state = _evaluate(unit, account, standing)
        live = rules.in_force(state["marks"], unit.ts)
        was = bool(standing["eligible"]) if standing else True
        row: Row = {"account": account, "eligible": int(not live), "marks": state["marks"],
                    "since": standing["since"] if standing else unit.ts,
                    "review_at": max((m["expires_at"] for m in live), default=None),
                    "decision_id": standing["decision_id"] if standing else None, "ratio": state["ratio"],
                    "engagement": state["engagement"], "hostile": state["hostile"],
                    "ratio_over_at": state["ratio_over_at"], "cleared_at": standing["cleared_at"] if standing else None,
                    "updated_at": unit.ts}
        if was and live:
            row["since"], row["decision_id"] = unit.ts, _suspend(unit, account, live, row["review_at"])
        elif not was and not live:
            row["since"], row["decision_id"] = unit.ts, None
            _announce(unit, account, True, {"reason": "clean window"}, "monetization.restored")
        _store(unit.tx, standing, row)


def _store(tx: Tx, standing: Row | None, row: Row) -> None:
    if standing is None:
        tx.insert("account_standing", row)
    else:
        tx.update("account_standing", {"account": row["account"]}, {k: v for k, v in row.items() if k != "account"})


def _suspend(unit: Unit, account: str, live: Sequence[Mapping[str, Any]], review_at: str | None) -> str:
    reasons = [str(m["reason"]) for m in live]
    category = rules.CATEGORY[live[0]["rule"]]
    names = [f"monetization.{m['rule']}@1" for m in live]
    facts = ("Monetization suspended: " + "; ".join(reasons)
             + f". It comes back by itself on {review_at} unless new evidence arrives.")
    decision = decisions.record(unit, decisions.Draft(
        event_id=None, account=account, action=SUSPEND, category=category, facts=facts, automated=True,
        decided_by=DECIDER, rules=names, reasons=reasons))
    body = build_statement(StatementInput(
        decision_id=decision["id"], action="restrict", category=category, facts=facts, automated_detection=True,
        automated_decision=True, human_involved=False, source_type="own_initiative", content_date=None,
        application_date=unit.ts, end_date=review_at, restriction="demonetization", rules=tuple(names)))
    statement_id = unit.ids.new("sor")
    unit.tx.insert("statements", {"id": statement_id, "decision_id": decision["id"], "account": account,
                                  "created_at": unit.ts, "body": body})
    _announce(unit, account, False, {"decision_id": decision["id"], "statement_id": statement_id,
                                     "reasons": reasons, "review_at": review_at}, "monetization.suspended")
    return str(decision["id"])


def _announce(unit: Unit, account: str, eligible: bool, payload: Mapping[str, Any], kind: str,
              actor: str = DECIDER) -> None:
    message = {"account": account, "eligible": eligible, **payload}
    unit.log(kind, actor, account, message)
    unit.notify(account, "monetization", message)
    unit.emit(TOPIC, message)


def after_appeal(unit: Unit, decision: Row, reversed_: bool, reviewer: str) -> None:
    """After an appeal decision: a reversed suspension restores eligibility at once (what it counted is
    cleared); any other reversal (a strike lifted) re-evaluates the account."""
    account = decision.get("account")
    if not reversed_ or not account:
        return
    if decision["action"] != SUSPEND:
        refresh(unit, [account])
        return
    standing = unit.tx.get("account_standing", account)
    if standing is None:
        return
    unit.tx.update("account_standing", {"account": account}, {
        "eligible": 1, "marks": [], "since": unit.ts, "review_at": None, "decision_id": None, "ratio_over_at": None,
        "cleared_at": unit.ts, "updated_at": unit.ts})
    _announce(unit, account, True, {"decision_id": decision["id"], "reason": "appeal reversed"},
              "monetization.cleared", reviewer)


def answer(tx: Tx, account: str, now: str) -> Monetization:
    """The monetization answer from the stored standing (one row); NotFound for an unknown account."""
    standing = None if "\x00" in account else tx.get("account_standing", account)
    if standing is None:
        from clearspace.service.accounts import require

        row = require(tx, account)
        found = rules.answer(account, [], now, row["created_at"])
    else:
        found = rules.answer(account, standing["marks"], now, standing["since"], standing["decision_id"])
    return {"account": found["account"], "eligible": found["eligible"], "reasons": found["reasons"],
            "evidence": found["evidence"], "since": found["since"], "review_at": found["review_at"],
            "decision_id": found["decision_id"]}


def due(tx: Tx, now: str, limit: int = 1000) -> list[str]:
    """Ineligible accounts whose marks have all expired (their restoration is to be recorded)."""
    rows = tx.select("account_standing", {"eligible": 0, "review_at": Op("<=", now)}, columns=["account"],
                     limit=limit)
    return [r["account"] for r in rows]


def standing_of(tx: Tx, account: str) -> Row | None:
    return tx.get("account_standing", account)


def instigators_of_case(tx: Tx, case: Row) -> list[str]:
    """The instigators of the incident an incident case is about (its decision may confirm them)."""
    if case.get("kind") != "incident":
        return []
    rows = tx.select("incidents", {"case_id": case["id"]}, columns=["instigators"], limit=1)
    return list(rows[0]["instigators"]) if rows else []
