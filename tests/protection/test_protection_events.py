import pytest

from clearspace.errors import InputError
from clearspace.protection.events import iso, parse_event, parse_ts


def test_ts_iso_and_epoch_agree() -> None:
    assert parse_ts("2026-01-05T00:00:00Z") == 1767571200.0
    assert parse_ts("2026-01-05T08:00:00+08:00") == 1767571200.0
    assert parse_ts("2026-01-05T00:00:00") == 1767571200.0
    assert parse_ts(1767571200) == parse_ts("1767571200") == 1767571200.0
    assert iso(1767571200.0) == "2026-01-05T00:00:00Z"


@pytest.mark.parametrize("bad", ["yesterday", True, None, [1]])
def test_bad_ts_says_what_is_wrong(bad: object) -> None:
    with pytest.raises(InputError, match="ts"):
        parse_ts(bad)


def test_parse_keeps_unknown_fields_and_scores() -> None:
    e = parse_event({"id": "e1", "author": "a", "ts": "2026-01-05T00:00:00Z", "target_user": "t",
                     "scores": {"abuse": 0.9, "threat": 1}, "campaign": "x", "author_follows_target": False})
    assert (e.author, e.target, e.ts) == ("a", "t", 1767571200.0)
    assert e.context == {"campaign": "x"}
    assert e.hostility() == 1.0
    assert e.author_follows_target is False


def test_fast_and_checked_paths_agree() -> None:
    obj = {"id": "e1", "author": "a", "ts": 5.0, "target_user": "t", "scores": {"abuse": 0.7}, "x": 1}
    slow = dict(obj, ts="5")
    assert parse_event(obj) == parse_event(slow)


@pytest.mark.parametrize("obj, word", [
    ({"ts": 1}, "author"), ({"author": "a"}, "ts"), ([1, 2], "object"),
    ({"author": "a", "ts": 1, "scores": {"abuse": "high"}}, "scores"),
    ({"author": "a", "ts": 1, "author_follows_target": "yes"}, "author_follows_target"),
])
def test_bad_events_are_rejected(obj: object, word: str) -> None:
    with pytest.raises(InputError, match=word):
        parse_event(obj)


def test_report_without_author_uses_reporter() -> None:
    e = parse_event({"type": "report", "reporter": "r1", "ts": 1, "target_user": "t"})
    assert e.author == "r1" and e.type == "report"
