import time

import pytest

from clearspace.errors import InputError
from clearspace.protection.shield import DAY, Interaction, ShieldBook, check, make_shield

NOW = 1767571200.0


def test_default_shield_is_seven_days_with_a_reminder_before_expiry() -> None:
    s = make_shield("v", now=NOW)
    assert s.expires_at - s.starts_at == 7 * DAY
    assert s.reminder_at == s.expires_at - DAY
    assert s.active(NOW) and not s.active(NOW + 7 * DAY)


def test_strangers_are_held_and_friends_delivered() -> None:
    s = make_shield("v", now=NOW)
    assert check(s, Interaction("x", "comment"), NOW).action == "hold"
    assert check(s, Interaction("x", "comment", author_follows=True), NOW).action == "deliver"
    assert check(s, Interaction("x", "dm", follows_author=True), NOW).action == "deliver"


def test_hostile_held_audience_is_dropped_and_blocklist_dropped() -> None:
    s = make_shield("v", now=NOW, block={"troll"})
    assert check(s, Interaction("x", "comment", hostility=0.95), NOW).action == "drop"
    assert check(s, Interaction("troll", "comment", author_follows=True), NOW).action == "drop"


@pytest.mark.parametrize("audience, follows, since_days, expected", [
    ("non_followers", False, None, "hold"), ("non_followers", True, 1, "deliver"),
    ("new_followers", True, 1, "hold"), ("new_followers", True, 30, "deliver"),
    ("all_but_allowed", True, 300, "hold"),
])
def test_audiences(audience: str, follows: bool, since_days: float | None, expected: str) -> None:
    s = make_shield("v", now=NOW, audience=audience, new_follower_days=7)
    since = None if since_days is None else NOW - since_days * DAY
    assert check(s, Interaction("x", "mention", author_follows=follows, followed_since=since), NOW).action == expected


def test_allow_list_and_uncovered_surfaces_and_expiry() -> None:
    s = make_shield("v", now=NOW, surfaces={"dms"}, audience="all_but_allowed", allow={"mum"})
    assert check(s, Interaction("mum", "dm"), NOW).action == "deliver"
    assert check(s, Interaction("x", "dm"), NOW).action == "hold"
    assert check(s, Interaction("x", "danmaku"), NOW).reason == "surface not covered"
    assert check(s, Interaction("x", "dm"), NOW + 8 * DAY).action == "deliver"
    assert check(None, Interaction("x", "dm"), NOW).action == "deliver"


@pytest.mark.parametrize("kwargs, word", [
    ({"surfaces": {"email"}}, "surfaces"), ({"audience": "enemies"}, "audience"), ({"days": 0}, "days"),
    ({"drop_above": 2}, "drop_above"),
])
def test_bad_settings_say_what_to_change(kwargs: dict, word: str) -> None:
    with pytest.raises(InputError, match=word):
        make_shield("v", now=NOW, **kwargs)


def test_book_folder_review_and_reminders() -> None:
    book = ShieldBook()
    book.activate(make_shield("v", now=NOW, days=2))
    assert book.check("v", Interaction("x", "comment"), NOW + 1, item_id="c1", text="hi").action == "hold"
    assert [i.id for i in book.folder("v")] == ["c1"]
    book.resolve("v", "c1", "release")
    assert book.folder("v") == []
    with pytest.raises(InputError):
        book.resolve("v", "c1", "dismiss")
    assert book.due_reminders(NOW + DAY - 10) == []
    assert [s.account for s in book.due_reminders(NOW + DAY + 10)] == ["v"]
    assert book.due_reminders(NOW + DAY + 20) == []  # once
    assert book.get("v", NOW + 3 * DAY) is None


def test_check_is_fast() -> None:
    s = make_shield("v", now=NOW, audience="new_followers")
    it = Interaction("x", "comment", author_follows=True, followed_since=NOW - DAY, hostility=0.2)
    n = 20000
    t = time.perf_counter()
    for _ in range(n):
        check(s, it, NOW)
    assert (time.perf_counter() - t) / n < 50e-6
