"""Ingest: score checked events with the engine, then record each decision in one transaction.

Per event: the event row, the automated decision, its statement of reasons (when it
restricts), the audit event, a review case for ``hold``, a strike for ``remove``, webhook
messages in the outbox, and a rumor label (its own decision) for each debunk the post matches
(:mod:`clearspace.service.labels`), all committed together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final, Protocol

from clearspace.policy import Policy
from clearspace.result import ItemError, ScoreResult
from clearspace.service import cases, decisions, labels, strikes
from clearspace.service.clock import iso, parse_time
from clearspace.service.events import Event
from clearspace.service.unit import Unit
from clearspace.store import Op, Row, Tx

MODEL_DETECTOR = "abuse-model@"
RuleInfo = Mapping[str, tuple[str, int, str]]
"""``name@version -> (category, priority, action)`` for every rule of the policy."""
BeforeCommit = Callable[[Unit, list[tuple[Event, Mapping[str, float]]]], None]
"""Runs last in an ingest transaction with the events it recorded and their scores (bus workers)."""


class ScoringEngine(Protocol):
    """What the service needs from :class:`clearspace.engine.Engine` (tests may pass a stand-in)."""

    policy_: Policy

    def warm_up(self) -> Any: ...

    def score(self, text: str, **context: Any) -> ScoreResult: ...

    def score_many(self, items: Iterable[Any]) -> Iterator[ScoreResult | ItemError] | Iterator[ScoreResult]: ...


def rule_info(engine: ScoringEngine) -> dict[str, tuple[str, int, str]]:
    engine.warm_up()
    return {rule.id: (rule.category, rule.priority, rule.action) for rule in engine.policy_.rules}


@dataclass(frozen=True, slots=True)
class Scored:
    event: Event
    result: ScoreResult
    category: str
    priority: int


def author_context(tx: Tx, events: Sequence[Event], now: str) -> dict[str, dict[str, Any]]:
    """Context the policy reads about each author: active strike points and account age."""
    authors = sorted({e.get("author") for e in events if e.get("author")})
    points: dict[str, float] = {}
    for row in tx.select("strikes", {"account": Op("in", authors), "expires_at": Op(">", now), "lifted_at": None}):
        points[row["account"]] = points.get(row["account"], 0.0) + row["weight"]
    out: dict[str, dict[str, Any]] = {}
    for e in events:
        extra: dict[str, Any] = {"author_strikes": int(points.get(e.get("author") or "", 0))}
        if e.get("author_created_at"):
            at = parse_time(e.get("ts") or now, "ts")
            extra["author_account_age_days"] = (at - parse_time(e.get("author_created_at"), "author_created_at")).days
        out[e.id] = extra
    return out


def score(engine: ScoringEngine, info: RuleInfo, events: Sequence[Event],
          extra: Mapping[str, Mapping[str, Any]]) -> list[Scored]:
    items = [{**e.context, **extra.get(e.id, {}), "text": e.text} for e in events]
    out = []
    for event, result in zip(events, engine.score_many(items), strict=True):
        if isinstance(result, ItemError):  # checked input should not get here; keep the event anyway
            result = ScoreResult(id=event.id, abusive=False, action="hold", scores={}, signals=(),
                                 reasons=(f"could not be scored: {result.error}",))
        fired = [info[r] for r in result.rules if r in info]
        category = next((c for c, _, a in fired if a == result.action), fired[0][0] if fired else "")
        priority = max((p for _, p, _ in fired), default=0)
        out.append(Scored(event, result, category, priority))
    return out


def record(unit: Unit, item: Scored, actor: str, rumor: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """Write one scored event and everything its action implies; returns the API answer.

    ``rumor``: the labels the debunk registry found for the text (``DebunkIndex.label_many``), recorded
    as label decisions after the engine's decision.
    """
    event, result = item.event, item.result
    ctx = event.context
    unit.tx.insert("events", {
        "id": event.id, "type": event.type, "author": ctx.get("author"), "target_user": ctx.get("target_user"),
        "parent": ctx.get("parent"), "surface": ctx.get("surface"), "lang": ctx.get("lang") or result.language,
        "text": event.text, "ts": ctx.get("ts"), "received_at": unit.ts, "context": ctx,
    })
    decision = decisions.record(unit, decisions.Draft(
        event_id=event.id, account=ctx.get("author"), action=result.action, category=item.category,
        facts=statement_facts(result), automated=True, decided_by="clearspace",
        content_date=ctx.get("ts") or unit.ts, scores={k: round(float(v), 4) for k, v in result.scores.items()},
        signals=[*(s.to_dict() for s in result.signals), verdict_entry(result)], rules=list(result.rules),
        reasons=list(result.reasons), labels=list(result.labels), model_version=model_version(result)),
        handling_from=unit.ts)
    answer = answer_for(decision, result.language)
    if rumor:
        answer["rumor_labels"] = labels.apply(unit, {"id": event.id, "author": ctx.get("author"), "ts": ctx.get("ts"),
                                                     "received_at": unit.ts}, rumor, actor)
    if result.action == "hold":
        answer["case_id"] = _open_case(unit, item, actor)["id"]
    if result.action == "remove" and ctx.get("author"):
        strikes.add_strike(unit, ctx["author"], item.category, decision["id"], "clearspace")
    if result.action != "allow":
        unit.emit("decision.made", {k: answer[k] for k in ("id", "decision_id", "action", "category", "reasons")})
    return answer


TARGET_WORDS: Final[Mapping[str, str]] = {
    "addressee": "the person addressed", "third_person": "a third person", "group": "a group of people",
    "self": "the speaker themselves", "none": "nobody in particular",
}
STANCE_WORDS: Final[Mapping[str, str]] = {
    "attacking": "in the speaker's own words", "quoting_to_condemn": "quoting words to object to them",
    "reporting": "reporting on abuse", "defending": "speaking against discrimination or for a person",
    "criticizing": "criticising conduct", "neutral": "without hostility",
}


def statement_facts(result: ScoreResult) -> str:
    """The facts of the automated decision: the rules' reasons, then who the text is aimed at and how."""
    reasons = " ".join(result.reasons) or "No policy rule fired."
    verdict = "abusive" if result.abusive else "not abusive"
    aimed = TARGET_WORDS.get(result.target, result.target)
    said = STANCE_WORDS.get(result.stance, result.stance)
    return f"{reasons} The engine judged the text {verdict}: aimed at {aimed}, {said}."


def verdict_entry(result: ScoreResult) -> dict[str, Any]:
    """The verdict, stored with the decision's signals as kind ``verdict`` (no spans): the case view and
    the API read the target and stance from it."""
    return {"kind": "verdict", "score": round(float(result.scores.get("abuse", 0.0)), 4), "spans": [],
            "detector": "verdict@1", "details": {"abusive": result.abusive, "target": result.target,
                                                 "stance": result.stance, "category": result.category}}


def verdict_of(signals: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The verdict stored among a decision's signals (``None`` for decisions made before it was)."""
    found = next((s for s in signals if s.get("kind") == "verdict"), None)
    return dict(found["details"]) if found else None
def model_version(result: ScoreResult) -> str | None:
    """The abuse model version that scored ``result``: from its model signals (``abuse-model@<version>``),
    which come from the batch's one model even while a new version is being swapped in."""
    for ident in [s.detector for s in result.signals] + list(result.detectors):
        if ident.startswith(MODEL_DETECTOR):
            return ident[len(MODEL_DETECTOR):]
    return None


def _open_case(unit: Unit, item: Scored, actor: str) -> Row:
    ctx = item.event.context
    since = iso(unit.now - timedelta(minutes=unit.settings.pileon_window_minutes))
    pileon = cases.pileon_active(unit.tx, ctx.get("target_user"), since, unit.settings.pileon_min_events)
    lane = cases.choose_lane(minor=bool(ctx.get("minor")), pileon=pileon, priority=item.priority)
    return cases.open_case(unit, subject_id=f"event:{item.event.id}", kind="item", lane=lane,
                           priority=item.priority, actor=actor, event_id=item.event.id, account=ctx.get("author"))


def answer_for(decision: Row, language: str | None) -> dict[str, Any]:
    """What POST /v1/events answers for one event (also for a repeat of a stored one); ``rumor_labels``
    holds the post's active rumor labels (:func:`clearspace.service.labels.public`)."""
    return {
        "id": decision["event_id"], "decision_id": decision["id"], "action": decision["action"],
        "category": decision["category"], "scores": decision["scores"], "signals": decision["signals"],
        "rules": decision["rules"], "reasons": decision["reasons"], "labels": decision["labels"],
        "verdict": verdict_of(decision["signals"]), "language": language,
        "statement_id": decision.get("statement_id"), "duplicate": False, "rumor_labels": [],
    }


def stored_answers(tx: Tx, event_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Answers for events already decided (the first, automated decision of each)."""
    if not event_ids:
        return {}
    events = {e["id"]: e for e in tx.select("events", {"id": Op("in", list(event_ids))})}
    if not events:
        return {}
    out: dict[str, dict[str, Any]] = {}
    rows = tx.select("decisions", {"event_id": Op("in", list(events)), "automated": 1}, order_by=["created_at"])
    rows = [r for r in rows if not labels.is_label_track(r)]  # a rumor label has the same time as the decision
    ids = [r["id"] for r in rows]
    sors = {s["decision_id"]: s["id"] for s in tx.select("statements", {"decision_id": Op("in", ids)})}
    for row in rows:
        if row["event_id"] not in out:
            answer = answer_for({**row, "statement_id": sors.get(row["id"])}, events[row["event_id"]]["lang"])
            out[row["event_id"]] = {**answer, "duplicate": True}
    for event_id, found in labels.active_labels_for(tx, list(out)).items():
        out[event_id]["rumor_labels"] = found
    return out
