"""Every public facade method answers a typed result (issue 14 point 18), and the typed results name the
keys the service really answers."""

from __future__ import annotations

import inspect
import time
import types
import typing
from collections.abc import Iterator
from typing import Any

import pytest

from clearspace.service import facades
from clearspace.service.context import Facade
from clearspace.service.core import Service
from clearspace.service.facades import accounts, admin, cases, ingest, learning, protection, rumors
from clearspace.service.results_accounts import PostTraffic, Traffic
from clearspace.service.results_cases import BatchResult, CaseSummary, ReporterStanding
from clearspace.service.results_protection import IncidentCounts, NudgeView, PileonTick, ProtectionTick, ShieldCheck
from clearspace.service.results_rumors import (
    ClarificationView,
    DebunkAdded,
    DebunkBatch,
    DebunkRetracted,
    DebunkVersion,
    DebunkView,
    JobView,
    LabelView,
    NoteView,
    PostContext,
    PostMatches,
    SearchCard,
)

FACADES = [ingest.IngestFacade, cases.CasesFacade, protection.ProtectionFacade, rumors.RumorsFacade,
           accounts.AccountsFacade, admin.AdminFacade, learning.LearningFacade]

# Justified: not a result but a store row handed back to store_held (the fast path batches the inserts).
JUSTIFIED = {"ProtectionFacade.held_row"}


def _untyped(hint: Any) -> bool:
    """``Any``, or a dict with ``Any`` values (also inside a list, an iterator or an optional)."""
    if hint is Any:
        return True
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is dict:
        return args[1] is Any or _untyped(args[1])
    if origin in (list, Iterator, typing.Union, types.UnionType):
        return any(_untyped(a) for a in args)
    return False


def public_methods() -> Iterator[tuple[str, Any]]:
    for facade in FACADES:
        for name, member in vars(facade).items():
            if name.startswith("_"):
                continue
            function = member.fget if isinstance(member, property) else member
            if inspect.isfunction(function):
                yield f"{facade.__name__}.{name}", typing.get_type_hints(function)["return"]


def test_every_facade_is_checked() -> None:
    found = {cls for module in (ingest, cases, protection, rumors, accounts, admin, learning)
             for cls in vars(module).values()
             if inspect.isclass(cls) and issubclass(cls, Facade) and cls.__module__ == module.__name__}
    assert found == set(FACADES) and facades.__doc__


def test_no_public_facade_method_answers_an_untyped_dict() -> None:
    untyped = {name for name, hint in public_methods() if _untyped(hint)}
    assert untyped - JUSTIFIED == set(), "answer a TypedDict (service/results*.py)"
    assert JUSTIFIED - untyped == set(), "typed now: take it off the list"


def test_the_guard_sees_an_untyped_dict() -> None:
    assert _untyped(dict[str, Any]) and _untyped(list[dict[str, Any]]) and _untyped(dict[str, Any] | None)
    assert _untyped(Any) and not _untyped(DebunkView) and not _untyped(dict[str, int])


def keys(typed: Any) -> set[str]:
    return set(typed.__required_keys__) | set(typed.__optional_keys__)


def same_shape(value: Any, typed: Any) -> bool:
    """``value`` has every required key of ``typed`` and no key it does not name."""
    return set(typed.__required_keys__) <= set(value) <= keys(typed)


DEBUNK = {"id": "dbk-1", "claim": "喝高度白酒可以预防新冠病毒感染", "verdict": "false", "url": "https://example.org/1",
          "fact_checker": "checker"}


@pytest.fixture
def posted(service: Service) -> Service:
    service.rumors.add_debunks(DEBUNK, "mod")
    service.ingest.events([{"id": "p1", "author": "a", "text": "喝高度白酒可以预防新冠病毒感染，大家快转发"},
                           {"id": "p2", "author": "b", "text": "you idiot", "target_user": "v"}])
    return service


def finished(service: Service, job_id: str) -> JobView:
    """The background job once it ended (so no thread outlives the test's service)."""
    for _ in range(500):
        job = service.rumors.job(job_id)
        if job["status"] != "running":
            return job
        time.sleep(0.02)
    raise AssertionError(f"job {job_id} still running")


def test_rumor_results_carry_the_documented_keys(posted: Service) -> None:
    service = posted
    assert same_shape(service.rumors.debunk("dbk-1"), DebunkView)
    added = service.rumors.add_debunks_and_backfill({**DEBUNK, "id": "dbk-2"}, "mod")
    shown: dict[str, Any] = dict(added)
    assert same_shape(added, DebunkAdded) and shown["duplicate_of"] == ["dbk-1"]
    assert same_shape(finished(service, shown["backfill_job"]["id"]), JobView)
    batch: dict[str, Any] = dict(service.rumors.add_debunks([DEBUNK, {"id": "x"}], "mod"))
    assert same_shape(batch, DebunkBatch) and batch["errors"] == 1 and batch["created"] == 0
    [version] = service.rumors.debunk_history("dbk-1")
    assert same_shape(version, DebunkVersion)
    assert all(same_shape(card, SearchCard) for card in service.rumors.search("白酒 新冠"))
    assert all(same_shape(m, PostMatches) for m in service.rumors.match_posts([("q", "白酒预防新冠")]))
    labels = service.rumors.label_event("p1")
    assert labels and all(same_shape(label, LabelView) for label in labels)
    assert same_shape(labels[0]["debunk"], LabelView.__annotations__["debunk"].__args__[0])
    note = service.rumors.write_note("p1", "n1", "Doctors say alcohol does not prevent it.")
    assert same_shape(note, NoteView) and same_shape(service.rumors.rate_note(note["id"], "r1", "yes"), NoteView)
    assert same_shape(service.rumors.post_context("p1"), PostContext)
    job = service.rumors.start_backfill(["dbk-1"], "mod")
    assert same_shape(job, JobView) and finished(service, job["id"])["status"] == "succeeded"
    clarified = service.rumors.add_clarification("dbk-1", "someone", "it was not me", "mod")
    assert same_shape(clarified, ClarificationView)
    assert same_shape(service.rumors.retract_debunk("dbk-1", "mod", "wrong"), DebunkRetracted)


def test_case_account_and_protection_results_carry_the_documented_keys(posted: Service) -> None:
    service = posted
    assert same_shape(service.accounts.traffic("b"), Traffic)
    assert same_shape(service.accounts.post_traffic("p2"), PostTraffic)
    assert same_shape(service.protection.nudge_draft("you idiot", "b"), NudgeView)
    assert same_shape(service.protection.tick(), ProtectionTick)
    assert same_shape(service.protection.pileon_tick(), PileonTick)
    assert same_shape(service.protection.record_incidents([]), IncidentCounts)
    batch = service.cases.batch_action("mod", "abuse", "pile-on", accounts=["b"])
    assert same_shape(batch, BatchResult) and [a["account"] for a in batch["accounts"]] == ["b"]
    assert all(same_shape(s, ReporterStanding) for s in service.cases.reporter_standing(["r"]).values())
    summaries = service.cases.summaries(service.cases.queue())
    assert all(same_shape(s, CaseSummary) for s in summaries.values())
    from clearspace.protection.shield import Interaction

    check = service.protection.check("v", Interaction(author="b", surface="comments"))
    assert same_shape(check, ShieldCheck)


def test_a_debunk_answers_its_fields_in_the_order_written(posted: Service) -> None:
    """The JSON the API answers is the typed dict itself: its key order is the one it always had."""
    shown = list(posted.rumors.debunk("dbk-1"))
    assert shown[:5] == ["id", "claim", "verdict", "url", "fact_checker"]
    assert shown[5:] == ["language", "claimreview", "status", "version", "retracted_at", "created_by",
                         "created_at", "updated_at", "clarifications"]

