"""Every human judgement becomes a training label with its provenance (issue 13)."""

from __future__ import annotations

import pytest

from clearspace.errors import InputError, NotFound
from clearspace.service.core import Service
from clearspace.service.reports import ReportIn

RUDE = "nmsl sb 滚"


def _post(service: Service, event_id: str, text: str = "今天的活动很好玩") -> None:
    service.ingest.events({"id": event_id, "author": "poster", "text": text, "target_user": "victim"})


def _decide(service: Service, event_id: str, action: str, category: str = "abuse") -> dict[str, object]:
    case = next(c for c in service.cases.queue() if c["event_id"] == event_id)
    service.cases.claim(case["id"], "mod:alice")
    return service.cases.decide(case["id"], "mod:alice", action, category, "Reviewed.")


def _labels(service: Service, event_id: str, history: bool = True) -> list[dict[str, object]]:
    return service.learning.labels(event_id=event_id, current_only=not history, limit=100)["labels"]


def test_a_decision_on_a_reported_post_labels_it_and_a_reversed_appeal_corrects_the_label(service: Service) -> None:
    _post(service, "p1", RUDE)
    report = service.cases.file_report(ReportIn(reporter="r1", category="abuse", item="p1"))
    decision = _decide(service, "p1", "remove")
    [label] = _labels(service, "p1")
    assert label["abusive"] is True and label["source"] == "report" and label["source_id"] == report["id"]
    assert label["decision_id"] == decision["id"] and label["actor"] == "mod:alice" and label["current"] is True
    appeal = service.cases.file_appeal(str(decision["id"]), "poster", "It was a joke between friends")
    service.cases.decide_appeal(appeal["id"], "mod:bob", "reversed", "Friendly banter.")
    first, second = _labels(service, "p1")
    assert first["current"] is False and first["superseded_at"] is not None
    assert second["abusive"] is False and second["source"] == "appeal" and second["source_id"] == appeal["id"]
    assert second["actor"] == "mod:bob" and second["current"] is True
    assert [lbl["abusive"] for lbl in _labels(service, "p1", history=False)] == [False]
    audited = [e for e in service.admin.export_audit() if e["kind"] == "training.labelled"]
    assert [e["payload"]["source"] for e in audited] == ["report", "appeal"]
    assert audited[1]["payload"]["supersedes"] == [first["id"]]


def test_an_upheld_appeal_confirms_and_an_allow_decision_is_a_negative_label(service: Service) -> None:
    _post(service, "p2", RUDE)
    service.cases.file_report(ReportIn(reporter="r1", category="abuse", item="p2"))
    allowed = _decide(service, "p2", "allow")
    assert [lbl["abusive"] for lbl in _labels(service, "p2")] == [False]
    appeal = service.cases.file_appeal(str(allowed["id"]), "r1", "It is clearly an insult")
    service.cases.decide_appeal(appeal["id"], "mod:bob", "upheld", "Within the rules.")
    labels = _labels(service, "p2")
    assert [(lbl["source"], lbl["abusive"], lbl["current"]) for lbl in labels] == [
        ("report", False, False), ("appeal", False, True)]


def test_rumor_and_spam_decisions_give_no_label(service: Service) -> None:
    _post(service, "p3", RUDE)
    service.cases.file_report(ReportIn(reporter="r1", category="spam", item="p3"))
    _decide(service, "p3", "remove", category="spam")
    assert _labels(service, "p3") == []


def test_explicit_labels_one_or_many_with_per_item_errors(service: Service) -> None:
    for i in range(3):
        _post(service, f"e{i}")
    one = service.learning.add_labels({"event_id": "e0", "abusive": True, "category": "insult"}, "mod:carol")
    assert one["source"] == "explicit" and one["category"] == "insult" and one["abusive"] is True
    with pytest.raises(NotFound, match="no event 'ghost'"):
        service.learning.add_labels({"event_id": "ghost", "abusive": True}, "mod:carol")
    with pytest.raises(InputError, match="'abusive' must be true or false"):
        service.learning.add_labels({"event_id": "e1", "abusive": "yes"}, "mod:carol")
    many = service.learning.add_labels([{"event_id": "e1", "abusive": False}, {"event_id": "ghost", "abusive": True},
                                        {"event_id": "e2", "abusive": True, "extra": 1}, "junk",
                                        {"event_id": "e0", "abusive": False}], "mod:carol")
    assert many["stored"] == 2 and many["errors"] == 3
    assert [r["status"] for r in many["results"]] == ["stored", "error", "error", "error", "stored"]
    assert "no event 'ghost'" in many["results"][1]["error"] and "extra" in many["results"][2]["error"]
    assert [lbl["abusive"] for lbl in _labels(service, "e0")] == [True, False]
    with pytest.raises(InputError, match="at most 1000"):
        service.learning.add_labels([{"event_id": "e1", "abusive": True}] * 1001, "mod:carol")
    with pytest.raises(InputError, match="empty"):
        service.learning.add_labels([], "mod:carol")


def test_labels_page_and_export_with_provenance(service: Service) -> None:
    for i in range(5):
        _post(service, f"q{i}", f"帖子 {i}")
    service.learning.add_labels([{"event_id": f"q{i}", "abusive": i % 2 == 0} for i in range(5)], "mod:carol")
    service.learning.add_labels({"event_id": "q0", "abusive": False}, "mod:dan")
    first = service.learning.labels(limit=2)
    assert [lbl["event_id"] for lbl in first["labels"]] == ["q1", "q2"] and first["next_after"] is not None
    rest = service.learning.labels(after=first["next_after"], limit=10)
    assert [lbl["event_id"] for lbl in rest["labels"]] == ["q3", "q4", "q0"] and rest["next_after"] is None
    assert len(service.learning.labels(current_only=False, limit=100)["labels"]) == 6
    exported = list(service.learning.export_labels())
    assert len(exported) == 6 and exported[0]["text"] == "帖子 0" and exported[0]["current"] is False
    assert {r["actor"] for r in exported} == {"mod:carol", "mod:dan"}
    assert len(list(service.learning.export_labels(current_only=True))) == 5


def test_suggest_skips_labelled_events_and_near_duplicates(service: Service) -> None:
    for i in range(12):
        _post(service, f"dup{i}", f"this might be rude, you fool {i % 2}")
    for i, text in enumerate(["the bus was late again", "great concert tonight", "you people are idiots",
                              "recipe for dumplings", "我觉得这个规定不合理", "你这个人真是有病"]):
        _post(service, f"u{i}", text)
    service.learning.add_labels({"event_id": "u0", "abusive": False}, "mod:carol")
    answer = service.learning.suggest_labels(n=6, pool=100)
    ids = [item["event_id"] for item in answer["items"]]
    assert len(ids) == 6 and "u0" not in ids and answer["model_version"] == "shipped"
    assert sum(i.startswith("dup") for i in ids) <= 3
    item = answer["items"][0]
    assert set(item) >= {"event_id", "text", "score", "threshold", "uncertainty", "reason"}
    assert "near the threshold" in item["reason"]
    with pytest.raises(InputError, match="n must be between"):
        service.learning.suggest_labels(n=0)
