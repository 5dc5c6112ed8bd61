"""The ingest pipeline: how a batch of checked events becomes decisions, top to bottom.

:meth:`Pipeline.decide` is the one entry point, for the embedded service (``Service.ingest``, the
HTTP batcher) and for a bus worker alike:

1. **check** (done by the caller: :func:`clearspace.service.events.parse_events`); repeats of an
   event id in the batch collapse, events already decided answer their stored decision;
2. **score**: the engine scores every new text with the author context the policy reads;
3. **decide**: the policy is the one source of the action, the category and the priority
   (:meth:`clearspace.policy.Policy.triage`: the deciding rules only); rumor labels are matched;
4. **record**: one transaction on the audit chains of the batch's partitions (no other lock, so
   batches of different partitions never wait for each other): per event, the event row, the
   automated decision, its statement of reasons, its audit events, a review case for ``hold``, a
   strike for ``remove``, webhook messages, rumor labels; pile-on incidents; then the caller's
   ``in_transaction`` hook (a worker commits its stream offset there), all committed together;
5. **effects** after the commit: the shadow run sees the posts (webhooks leave through the outbox).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final, Protocol

from clearspace.policy import Policy
from clearspace.result import ItemError, ScoreResult
from clearspace.rumors.views import FoundLabel
from clearspace.service import account_ingest, cases, decisions, incidents, labels, strikes
from clearspace.service.accounts import reach_context
from clearspace.service.clock import iso, parse_time
from clearspace.service.events import Event
from clearspace.service.partitions import chain_of_partition, partition_of
from clearspace.service.results import Answer
from clearspace.service.unit import Unit, lock_name
from clearspace.store import Op, Row, Store, Tx

MODEL_DETECTOR = "abuse-model@"


class ScoringEngine(Protocol):
    """What the service needs from :class:`clearspace.engine.Engine` (tests may pass a stand-in)."""

    policy_: Policy

    def warm_up(self) -> Any: ...

    def score(self, text: str, **context: Any) -> ScoreResult: ...

    def score_many(self, items: Iterable[Any]) -> Iterator[ScoreResult | ItemError] | Iterator[ScoreResult]: ...


@dataclass(frozen=True, slots=True)
class Scored:
    """One new event as scored and decided: the policy's action (on ``result``), category and priority."""

    event: Event
    result: ScoreResult
    category: str
    priority: int
    chain: str = ""


InTransaction = Callable[[Unit, Sequence[Mapping[str, Any]]], None]
"""``hook(unit, answers)``: runs inside the decision transaction, after every decision of the batch is
recorded (``answers`` in the order of the events given); raising rolls the whole batch back."""
Opener = Callable[..., AbstractContextManager[Unit]]
"""``opener(chains=..., locks=...)``: a unit on those audit chains (:func:`clearspace.service.unit.open_unit`)."""


@dataclass
class Pipeline:
    """Decides batches of checked events for one service (see the module docstring for the steps).

    Everything it needs comes from the service as callables, so it holds no state of its own:
    ``engine`` (loaded on first use), ``rumor`` (debunk labels per text; never raises), ``pileons``
    (the local pile-on detector, ready, or None), ``after`` (the effects after commit).
    """

    store: Store
    engine: Callable[[], ScoringEngine]
    open_unit: Opener
    now: Callable[[], str]
    partitions: int
    rumor: Callable[[list[str]], list[list[FoundLabel]]]
    pileons: Callable[[], incidents.LiveDetector | None]
    support_links: Callable[[], Sequence[Any]]
    after: Callable[[list[Scored], Mapping[str, Mapping[str, Any]]], None]

    def decide(self, events: Sequence[Event], actor: str = "ingest", *,
               in_transaction: InTransaction | None = None) -> list[Answer]:
        """Decide a batch of checked events (:func:`clearspace.service.events.parse_events`) and answer
        each as ``POST /v1/events`` does, in order (a repeat answers the stored decision, ``duplicate``).

        Exactly one automated decision per event id, however often and by however many processes
        the event is offered: the event's partition lock is taken before the final "already decided?"
        check, and the event row's primary key settles a race across partitions. ``in_transaction``
        (:data:`InTransaction`) runs inside the decision transaction, even when every event was a
        repeat: a bus worker commits its consumed stream offset there, so a redelivered message
        never makes a second decision.
        """
        unique = list({e.id: e for e in reversed(events)}.values())[::-1]
        with self.store.read() as tx:  # check: what is decided already, and what the policy reads
            known = stored_answers(tx, [e.id for e in unique])
            fresh = [e for e in unique if e.id not in known]
            extra = author_context(tx, fresh, self.now())
        scored = score(self.engine(), fresh, extra, self.partitions)  # score and decide
        rumor = self.rumor([s.event.text for s in scored])
        answers: dict[str, Answer] = dict(known)
        live = self.pileons()
        with self.open_unit(chains=chains_of(scored), locks=locks_for(scored, rumor)) as unit:  # record
            again = stored_answers(unit.tx, [s.event.id for s in scored])  # decided meanwhile, elsewhere
            answers.update(again)
            recorded: list[Scored] = []
            for item, found in zip(scored, rumor, strict=True):
                if item.event.id in again:
                    continue
                with unit.on_chain(item.chain):
                    answer = record(unit, item, actor, found)
                if answer is None:  # another partition stored the same id first (a different context)
                    answers.update(stored_answers(unit.tx, [item.event.id]))
                    continue
                answers[item.event.id] = answer
                recorded.append(item)
            account_ingest.observe(unit, [(i.event, i.result, answers[i.event.id]) for i in recorded], actor)
            if live is not None and recorded:
                observe_pileons(unit, live, recorded, self.support_links())
            ordered = [answers[e.id] for e in events]
            if in_transaction is not None:
                in_transaction(unit, ordered)
        self.after(recorded, extra)  # effects
        return ordered


def chains_of(scored: Sequence[Scored]) -> list[str]:
    """The audit chains a batch writes: its events' partitions' (the unit's default chain first)."""
    return sorted({s.chain for s in scored}) or [chain_of_partition(0)]


def locks_for(scored: Sequence[Scored], rumor: Sequence[Sequence[Any]]) -> list[str]:
    """The named locks recording will ask for, taken up front with the chains' in one sorted pass."""
    out: list[str] = []
    for item, found in zip(scored, rumor, strict=True):
        author = item.event.context.get("author")
        if item.result.action == "remove" and author:
            out.append(lock_name("account", str(author)))
        if item.result.action == "hold":
            out.append(lock_name("case", f"event:{item.event.id}"))
        if found:
            out.append(lock_name("label", item.event.id))
    return out


def observe_pileons(unit: Unit, live: incidents.LiveDetector, recorded: Sequence[Scored],
                    links: Sequence[Any]) -> None:
    """Feed the recorded events to the local pile-on detector, one partition at a time: an incident's
    target routes to the partition of the events about it, so its audit events join that chain."""
    by_chain: dict[str, list[Scored]] = {}
    for item in recorded:
        by_chain.setdefault(item.chain, []).append(item)
    for chain, items in sorted(by_chain.items()):
        with unit.on_chain(chain):
            incidents.observe_ingest(unit, live, [i.event for i in items], {i.event.id: i.result.scores for i in items},
                                     links)


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
    for event_id, reach in reach_context(tx, events).items():  # issue 16: the author's stored reach
        out[event_id].update(reach)
    return out


def score(engine: ScoringEngine, events: Sequence[Event], extra: Mapping[str, Mapping[str, Any]],
          partitions: int) -> list[Scored]:
    """Score each event and take the policy's category and priority for its action (only the rules
    that decided it count, :meth:`clearspace.policy.Policy.triage`)."""
    items = [{**e.context, **extra.get(e.id, {}), "text": e.text} for e in events]
    policy = engine.policy_
    out = []
    for event, result in zip(events, engine.score_many(items), strict=True):
        if isinstance(result, ItemError):  # checked input should not get here; keep the event anyway
            result = ScoreResult(id=event.id, abusive=False, action="hold", scores={}, signals=(),
                                 reasons=(f"could not be scored: {result.error}",))
        category, priority = policy.triage(result.action, result.rules)
        chain = chain_of_partition(partition_of(event.id, event.context, partitions))
        out.append(Scored(event, result, category, priority, chain))
    return out


def record(unit: Unit, item: Scored, actor: str, rumor: Sequence[Mapping[str, Any]] = ()) -> Answer | None:
    """Write one scored event and everything its action implies; returns the API answer (None, writing
    nothing, when the event id is already stored: the caller answers the stored decision).

    ``rumor``: the labels the debunk registry found for the text (``DebunkIndex.label_many``), recorded
    as label decisions after the engine's decision.
    """
    event, result = item.event, item.result
    ctx = event.context
    if not unit.tx.insert("events", {
        "id": event.id, "type": event.type, "author": ctx.get("author"), "target_user": ctx.get("target_user"),
        "parent": ctx.get("parent"), "surface": ctx.get("surface"), "lang": ctx.get("lang") or result.language,
        "text": event.text, "ts": ctx.get("ts"), "received_at": unit.ts, "context": ctx,
    }, ignore_conflict=True):
        return None
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


def answer_for(decision: Row, language: str | None) -> Answer:
    """What POST /v1/events answers for one event (also for a repeat of a stored one); ``rumor_labels``
    holds the post's active rumor labels (:func:`clearspace.service.labels.public`)."""
    return {
        "id": decision["event_id"], "decision_id": decision["id"], "action": decision["action"],
        "category": decision["category"], "scores": decision["scores"], "signals": decision["signals"],
        "rules": decision["rules"], "reasons": decision["reasons"], "labels": decision["labels"],
        "verdict": verdict_of(decision["signals"]), "language": language,
        "statement_id": decision.get("statement_id"), "duplicate": False, "rumor_labels": [],
    }


def stored_answers(tx: Tx, event_ids: Sequence[str]) -> dict[str, Answer]:
    """Answers for events already decided (the first, automated decision of each)."""
    if not event_ids:
        return {}
    events = {e["id"]: e for e in tx.select("events", {"id": Op("in", list(event_ids))})}
    if not events:
        return {}
    out: dict[str, Answer] = {}
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
