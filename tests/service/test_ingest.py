from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from clearspace.errors import InputError, NotFound
from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token

INSULT = "你就是个傻逼，滚出去"
THREAT = "你就是个傻逼 去死吧"
DOX = "他的手机号是13812345678，住在幸福小区3栋，大家去找他算账"


def test_one_event_is_decided_and_stored_with_statement(service: Service) -> None:
    [answer] = service.ingest.events({"id": "p1", "author": "u1", "text": THREAT, "target_user": "u2",
                                      "surface": "comment",
                               "shard": 7})
    assert answer["id"] == "p1" and answer["action"] != "allow" and not answer["duplicate"]
    assert answer["scores"]["abuse"] > 0.5 and answer["reasons"] and answer["statement_id"]
    event = service.ingest.event("p1")
    assert event["context"]["shard"] == 7  # unknown fields kept as context
    decision = event["decisions"][0]
    sor = decision["statement_of_reasons"]
    assert sor["automated_detection"] == "Yes" and sor["source_type"] == "SOURCE_VOLUNTARY"
    assert sor["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_DISABLED"]  # hold
    assert sor["category"].startswith("STATEMENT_CATEGORY_")
    assert service.admin.verify_audit().ok


def test_idempotent_by_event_id(service: Service) -> None:
    first = service.ingest.events([{"id": "a", "text": "hello there"}, {"id": "a", "text": "hello there"}])
    again = service.ingest.events({"id": "a", "text": "something else entirely"})
    assert first[0]["decision_id"] == first[1]["decision_id"] == again[0]["decision_id"]
    assert again[0]["duplicate"]
    assert len(service.ingest.event("a")["decisions"]) == 1
    assert service.admin.verify_audit().events == 1


def test_allow_has_no_statement_and_batch_keeps_order(service: Service) -> None:
    answers = service.ingest.events([{"id": i, "text": t} for i, t in enumerate(["今天天气不错", INSULT,
                                                                                 "nice post!"])])
    assert [a["id"] for a in answers] == ["0", "1", "2"]
    assert answers[0]["action"] == "allow" and answers[0]["statement_id"] is None


def test_hold_opens_a_case(service: Service) -> None:
    [answer] = service.ingest.events({"id": "t1", "author": "x", "text": THREAT, "target_user": "v"})
    assert answer["action"] == "hold" and answer["case_id"].startswith("case_")


def test_remove_adds_a_strike_and_warning(service: Service) -> None:
    [answer] = service.ingest.events({"id": "d1", "author": "doxer", "text": DOX})
    assert answer["action"] == "remove"
    status = service.accounts.status("doxer")
    assert status["strike_points"] == 3.0
    assert [r["kind"] for r in status["restrictions"]] == ["pre_send_friction"]


@pytest.mark.parametrize("bad, message", [
    ({"text": "x"}, "missing field 'id'"),
    ({"id": "1"}, "missing field 'text'"),
    ({"id": "1", "text": 5}, "'text' must be a string"),
    ({"id": True, "text": "x"}, "'id' must be"),
    ({"id": "1", "text": "x", "minor": "yes"}, "'minor' must be true or false"),
    ({"id": "1", "text": "x", "ts": "yesterday"}, "ISO-8601"),
    ({"id": "1", "text": "x", "surface": "tv"}, "'surface' must be one of"),
    ({"id": "1", "text": "x", "surface": {}}, "'surface' must be one of"),
    ({"id": "1", "text": "x", "type": {}}, "'type' must be one of"),
    ({"id": "1", "text": "x", "type": "report"}, "/v1/reports"),
    ([], "empty"),
    ([{"id": "1", "text": "x"}, 3], "event 1: an event must be a JSON object"),
    ("text", "must be a JSON object"),
])
def test_bad_events_are_input_errors(service: Service, bad: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        service.ingest.events(bad)


def test_unknown_decision(service: Service) -> None:
    with pytest.raises(NotFound):
        service.ingest.decision("nope")


def test_nul_characters_are_refused_before_they_reach_the_store() -> None:
    import pytest

    from clearspace.errors import InputError
    from clearspace.service.events import parse_event

    with pytest.raises(InputError, match="NUL"):
        parse_event({"id": "e1", "text": "a\x00b"}, max_text_chars=100)
    with pytest.raises(InputError, match="NUL"):
        parse_event({"id": "e\x001", "text": "ok"}, max_text_chars=100)


def test_concurrent_ingest_from_two_workers_stores_one_decision_per_event(open_service: Callable[..., Service],
                                                                           clock: ManualClock) -> None:
    workers = [open_service(clock=clock, ids=IdFactory(counter_token(n * 10**6))) for n in (1, 2)]
    events = [{"id": f"e{i}", "author": f"a{i % 3}", "target_user": "victim", "text": THREAT if i % 2 else "hi"}
              for i in range(12)]
    answers: list[dict[str, Any]] = []

    def send(i: int) -> None:  # every thread sends every event, in its own order
        for n in range(0, len(events), 3):
            answers.extend(workers[i % 2].ingest.events(events[n:n + 3] if i % 2 else events[::-1][n:n + 3]))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(answers) == 48
    by_event: dict[str, set[str]] = {}
    for a in answers:
        by_event.setdefault(a["id"], set()).add(a["decision_id"])
    assert all(len(ids) == 1 for ids in by_event.values()) and len(by_event) == 12
    with workers[0].store.read() as tx:
        assert tx.count("decisions") == 12 and tx.count("events") == 12
    result = workers[1].admin.verify_audit()
    assert result.ok, result
