"""The pure part of creator accountability: engagement, hostility onto others, marks, masking, community."""

from __future__ import annotations

from clearspace.accountability import eligibility as rules
from clearspace.accountability.community import CreatorSimConfig, simulate_creators
from clearspace.accountability.eligibility import Evidence, Thresholds
from clearspace.accountability.masking import mask
from clearspace.accountability.traffic import Interaction, hostile_to_others, is_engagement, ratio

T = Thresholds()
NOW = "2026-06-01T00:00:00.000000Z"
SINCE = "2026-03-03T00:00:00.000000Z"


def test_abuse_aimed_at_the_creator_is_not_counted_against_them() -> None:
    at_creator = Interaction("reply", "fan", "creator", "creator", abusive=True, target="addressee", stance="attacking")
    at_other = Interaction("reply", "fan", "creator", "victim", abusive=True, target="third_person")
    at_group = Interaction("comment", "fan", "creator", None, abusive=True, target="group")
    condemning = Interaction("reply", "fan", "creator", "victim", abusive=True, stance="quoting_to_condemn")
    assert [hostile_to_others(i) for i in (at_creator, at_other, at_group, condemning)] == [False, True, True, False]
    assert not is_engagement(Interaction("reply", "creator", "creator", None, abusive=False))
    assert not is_engagement(Interaction("post", "a", "creator", None, abusive=False))
    assert ratio(0, 0) == 0.0 and ratio(20, 5) == 0.25


def test_strikes_mark_expires_when_only_the_allowed_number_is_left() -> None:
    strikes = [Evidence("strike", f"s{i}", f"2026-05-0{i}T00:00:00.000000Z") for i in (1, 2, 3)]
    found = rules.strikes_mark(strikes, SINCE, None, T)
    assert found is not None and found["expires_at"] == "2026-07-30T00:00:00.000000Z"  # 90 days after the oldest
    assert rules.strikes_mark(strikes[:2], SINCE, None, T) is None
    assert rules.strikes_mark(strikes, SINCE, "2026-05-02T12:00:00.000000Z", T) is None  # cleared by an appeal


def test_ratio_needs_enough_engagement_and_answer_turns_eligible_when_marks_expire() -> None:
    assert not rules.ratio_over(0.9, 5, T) and rules.ratio_over(0.31, 20, T) and not rules.ratio_over(0.3, 50, T)
    mark = rules.ratio_mark("2026-05-01T00:00:00.000000Z", SINCE, None, 0.5, 40, [], T)
    assert mark is not None
    answer = rules.answer("a", [mark], NOW, "2026-05-01T00:00:00.000000Z", "dec_1")
    assert answer["eligible"] is False and answer["review_at"] == mark["expires_at"]
    later = rules.answer("a", [mark], "2026-08-01T00:00:00.000000Z", "2026-05-01T00:00:00.000000Z")
    assert later["eligible"] is True and later["since"] == mark["expires_at"] and later["reasons"] == []


def test_rumor_repeats_count_copies_after_the_first_label() -> None:
    posts = [Evidence("rumor_post", f"p{i}", f"2026-05-0{i}T00:00:00.000000Z") for i in (1, 2)]
    assert rules.rumor_mark(posts, SINCE, None, T) is None
    posts.append(Evidence("rumor_post", "p3", "2026-05-03T00:00:00.000000Z"))
    assert rules.rumor_mark(posts, SINCE, None, T) is not None


def test_masking_removes_personal_information_and_names() -> None:
    text = mask("xiaoming 说 lin 的手机号是 13800001234", ["xiaoming", "lin"], "zh")
    assert "13800001234" not in text and "xiaoming" not in text and "lin" not in text
    assert "用户A" in text and "用户B" in text
    assert mask("ann met bob", ["ann"], "en") == "User A met bob"


def test_the_simulated_community_is_reproducible_and_heated_for_critics() -> None:
    config = CreatorSimConfig(seed=3, farmers=2, critics=2, popular=2, ordinary=5)
    events, kinds = simulate_creators(config)
    assert simulate_creators(config) == (events, kinds)
    assert sorted(set(kinds.values())) == ["critic", "farmer", "ordinary", "popular"]
    posts = {e["id"]: e for e in events if e["type"] == "post"}
    critic_replies = [e for e in events if e.get("parent") in posts and posts[e["parent"]]["author"] == "crit0"]
    aimed_at_critic = [e for e in critic_replies if e.get("target_user") == "crit0"]
    third_party = [e for e in critic_replies if e.get("target_user") not in (None, "crit0")]
    assert aimed_at_critic and third_party  # heated disagreement and abuse of the criticised person both occur
    assert [e["ts"] for e in events] == sorted(e["ts"] for e in events)


def test_masking_renames_whole_words_only() -> None:
    assert mask("lin is online", ["lin"], "en") == "User A is online"
