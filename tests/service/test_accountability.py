"""Creator accountability (issue 16): reach, hostile engagement, monetization eligibility with due
process, organizations, the creator record and typical-case announcements."""

from __future__ import annotations

import pytest

from clearspace.errors import Conflict, InputError, NotFound
from clearspace.protection.events import Event as DetectorEvent
from clearspace.protection.incidents import Incident
from clearspace.service.clock import ManualClock
from clearspace.service.core import Service

INSULT = "你这个傻逼"  # the keyword engine: abusive, aimed at the addressee


def farm(service: Service, creator: str, victim: str, n: int = 25, post: str = "f-post", start: int = 0) -> None:
    """A creator's post about ``victim`` and ``n`` abusive replies aimed at the victim."""
    service.ingest.events({"id": post, "author": creator, "text": "看看这个人干的好事", "type": "post"})
    service.ingest.events([{"id": f"{post}-r{i}", "author": f"fan{start + i}", "type": "reply", "parent": post,
                     "target_user": victim, "text": INSULT} for i in range(n)])


def test_put_account_sets_reach_and_bad_input_changes_nothing(service: Service) -> None:
    answer = service.accounts.put("star", {"followers": 2_000_000, "verified": True, "monetized": True,
                                          "organization": "mcn-1"}, "ingest:p")
    assert answer["followers"] == 2_000_000 and answer["verified"] is True and answer["organization"] == "mcn-1"
    for bad in ({"followers": -1}, {"followers": "many"}, {"followers": True}, {"followers": 1.5},
                {"verified": "yes"}, {"organization": 5}, {"unknown": 1}, [1]):
        with pytest.raises(InputError):
            service.accounts.put("star", bad, "ingest:p")
    assert service.accounts.get("star")["followers"] == 2_000_000
    with pytest.raises(NotFound):
        service.accounts.get("nobody")
    with pytest.raises(NotFound):
        service.accounts.monetization("nobody")


def test_events_carry_reach_and_the_policy_reads_it(service: Service) -> None:
    with pytest.raises(InputError, match="author_followers"):
        service.ingest.events({"id": "x", "author": "a", "text": "hi", "author_followers": "1M"})
    service.ingest.events({"id": "e1", "author": "big", "text": "hello", "author_followers": 3_000_000,
                    "author_verified": True, "organization": "mcn-2"})
    assert service.accounts.get("big")["followers"] == 3_000_000
    small = service.ingest.events({"id": "e2", "author": "small", "text": "sb"})[0]
    assert "amplification-review@1" not in small["rules"]
    big = service.ingest.events({"id": "e3", "author": "big", "text": "sb"})[0]  # followers from the stored account
    assert "amplification-review@1" in big["rules"] and big["action"] == "hold"


def test_hostility_onto_others_counts_replies_at_the_creator_do_not(service: Service) -> None:
    service.ingest.events({"id": "c-post", "author": "critic", "text": "The minister's plan is badly thought out."})
    service.ingest.events([{"id": f"c-r{i}", "author": f"u{i}", "type": "reply", "parent": "c-post",
                     "target_user": "critic", "text": INSULT} for i in range(10)])
    service.ingest.events([{"id": f"c-s{i}", "author": f"v{i}", "type": "reply", "parent": "c-post",
                     "target_user": "minister", "text": INSULT} for i in range(2)])
    traffic = service.accounts.traffic("critic")
    assert (traffic["engagement"], traffic["hostile"]) == (12, 2)
    assert service.accounts.post_traffic("c-post")["hostile"] == 2
    assert service.accounts.monetization("critic")["eligible"] is True


def test_a_farmer_is_suspended_with_a_statement_webhook_and_appeal(service: Service) -> None:
    service.admin.add_webhook("http://127.0.0.1:9/hook", ["accounts.monetization"], "admin")
    farm(service, "farmer", "victim")
    answer = service.accounts.monetization("farmer")
    assert answer["eligible"] is False and answer["reasons"][0]["rule"] == "toxic_traffic"
    assert any(e["kind"] == "post" and e["id"] == "f-post" for e in answer["evidence"])
    decision = service.ingest.decision(answer["decision_id"])
    assert decision["action"] == "suspend_monetization"
    assert decision["statement_of_reasons"]["decision_monetary"] == "DECISION_MONETARY_SUSPENSION"
    assert decision["statement_of_reasons"]["end_date_monetary_restriction"] == answer["review_at"]
    assert [n["kind"] for n in service.accounts.notifications("farmer")] == ["monetization"]
    kinds = [e["kind"] for e in service.admin.export_audit()]
    assert "monetization.suspended" in kinds
    with service.store.read() as tx:
        assert tx.count("outbox", {"topic": "accounts.monetization"}) == 1
    appeal = service.cases.file_appeal(answer["decision_id"], "farmer", "These were my fans, not me.")
    service.cases.decide_appeal(appeal["id"], "senior:li", "reversed", "The post only quoted a news report.")
    assert service.accounts.monetization("farmer")["eligible"] is True
    assert "monetization.cleared" in [e["kind"] for e in service.admin.export_audit()]
    service.ingest.events({"id": "f-more", "author": "fanX", "type": "reply", "parent": "f-post", "text": INSULT,
                    "target_user": "victim"})  # what was cleared does not count again at once
    assert service.accounts.monetization("farmer")["eligible"] is True


def test_eligibility_comes_back_after_a_clean_window(service: Service, clock: ManualClock) -> None:
    farm(service, "farmer", "victim")
    assert service.accounts.monetization("farmer")["eligible"] is False
    clock.advance(days=89)
    assert service.accounts.monetization("farmer")["eligible"] is False
    assert service.accounts.monetization_tick() == 0
    clock.advance(days=2)
    assert service.accounts.monetization("farmer")["eligible"] is True
    assert service.accounts.monetization_tick() == 1
    assert "monetization.restored" in [e["kind"] for e in service.admin.export_audit()]
    assert service.accounts.monetization_tick() == 0


def test_removal_strikes_above_the_threshold(service: Service) -> None:
    service.ingest.events([{"id": f"k{i}", "author": "rude", "text": "我要杀了你", "target_user": f"t{i}"}
                    for i in range(2)])
    assert service.accounts.monetization("rude")["eligible"] is True
    service.ingest.events({"id": "k9", "author": "rude", "text": "我要杀了你", "target_user": "t9"})
    answer = service.accounts.monetization("rude")
    assert answer["eligible"] is False and [r["rule"] for r in answer["reasons"]] == ["strikes"]


def _incident(instigator: str) -> Incident:
    start = 1772362800.0
    incident = Incident(id="inc_x", target="v", start=start, detected_at=start + 400, last_ts=start + 400)
    for i, author in enumerate(["a", "b", "c", "d"]):
        incident.add(DetectorEvent(id=f"e{i}", type="reply", author=author, ts=start + 60 * i, target="v"), 0.9,
                     new_account=False, referral="post-1", referral_author=instigator)
    return incident


def test_an_instigated_pileon_counts_once_a_moderator_confirms_it(service: Service) -> None:
    service.accounts.put("src", {"monetized": True}, "ingest:p")
    service.protection.record_incidents([_incident("src")])
    assert service.accounts.traffic("src")["instigator"] == 1
    assert service.accounts.monetization("src")["eligible"] is True  # detected is not confirmed
    (incident,) = service.protection.incidents()
    service.cases.claim(incident["case_id"], "mod")
    service.cases.decide(incident["case_id"], "mod", "remove", "incitement", "A coordinated pile-on.")
    answer = service.accounts.monetization("src")
    assert answer["eligible"] is False and answer["reasons"][0]["rule"] == "pileon_instigator"


def test_organizations_measures_need_a_senior_moderator(service: Service) -> None:
    for name in ("o1", "o2"):
        service.accounts.put(name, {"organization": "mcn", "monetized": True}, "ingest:p")
    farm(service, "o1", "victim")
    view = service.accounts.organization("mcn")
    assert [a["account"] for a in view["accounts"]] == ["o1", "o2"] and view["ineligible"] == ["o1"]
    proposal = service.accounts.propose_org_measure("mcn", "suspend_monetization", "Runs hostile accounts.", "mod:a")
    assert service.accounts.monetization("o2")["eligible"] is True  # a proposal does nothing by itself
    with pytest.raises(Conflict):
        service.accounts.decide_org_proposal(proposal["id"], True, "ok", "mod:a")
    service.accounts.decide_org_proposal(proposal["id"], True, "Confirmed after review.", "senior:b")
    assert [r["rule"] for r in service.accounts.monetization("o2")["reasons"]] == ["organization"]
    with pytest.raises(NotFound):
        service.accounts.organization("nobody-org")


def test_creator_record_and_masked_announcement(service: Service) -> None:
    farm(service, "farmer", "victim", n=3)
    service.ingest.events({"id": "dox", "author": "farmer", "text": "victim 去死吧，他的手机号是13800001234",
                    "target_user": "victim"})
    record = service.accounts.creator_record("farmer")
    assert record["account"]["account"] == "farmer" and record["monetization"]["eligible"] is True
    (case,) = [c for c in service.cases.queue() if c["event_id"] == "dox"]
    with pytest.raises(Conflict):
        service.admin.draft_announcement([case["id"]], "典型案例", "zh", "senior:b")
    service.cases.claim(case["id"], "mod")
    service.cases.decide(case["id"], "mod", "remove", "doxxing", "farmer 公开了 victim 的电话")
    draft = service.admin.draft_announcement([case["id"]], "网暴典型案例", "zh", "senior:b")
    text = str(draft["body"])
    assert "13800001234" not in text and "farmer" not in text and "victim" not in text and "用户A" in text
    assert service.admin.announcements() == []
    service.admin.publish_announcement(draft["id"], "senior:b")
    assert [a["id"] for a in service.admin.announcements()] == [draft["id"]]
    assert any(d["action"] == "remove" for d in service.accounts.creator_record("farmer")["decisions"])


WATER = {"id": "water", "claim": "喝热水可以杀死新冠病毒", "verdict": "false", "url": "https://fc.example/water",
         "fact_checker": "Example Check"}
COPY = "喝热水可以杀死新冠病毒！"


def test_repeated_rumor_copies_and_amplification_review(service: Service) -> None:
    service.rumors.add_debunks([WATER], "fc")
    service.accounts.put("bigv", {"followers": 5_000_000}, "ingest:p")
    service.ingest.events({"id": "w1", "author": "bigv", "text": COPY})
    assert any(c["event_id"] == "w1" and c["lane"] == "severity" for c in service.cases.queue())
    assert "amplification.review" in [e["kind"] for e in service.admin.export_audit()]
    service.ingest.events({"id": "w2", "author": "bigv", "text": COPY + " 转发"})
    assert service.accounts.monetization("bigv")["eligible"] is True  # one copy after the first label
    service.ingest.events({"id": "w3", "author": "bigv", "text": "真的！" + COPY})
    answer = service.accounts.monetization("bigv")
    assert [r["rule"] for r in answer["reasons"]] == ["rumor_repeats"]
    assert {e["id"] for e in answer["evidence"]} == {"w1", "w2", "w3"}
    service.ingest.events({"id": "w4", "author": "small", "text": COPY})
    assert not any(c["event_id"] == "w4" for c in service.cases.queue())


def test_bad_input_to_proposals_and_announcements_changes_nothing(service: Service) -> None:
    service.accounts.put("m1", {"organization": "mcn"}, "ingest:p")
    for measure, reason in (("ban_everyone", "x"), ("warning", " "), ("warning", "bad\x00")):
        with pytest.raises(InputError):
            service.accounts.propose_org_measure("mcn", measure, reason, "mod:a")
    assert service.accounts.organization("mcn")["proposals"] == []
    with pytest.raises(NotFound):
        service.accounts.decide_org_proposal("orgp_none", True, "ok", "senior:b")
    for cases, title, lang in (([], "t", "zh"), (["c1"], "", "zh"), (["c1"], "t\x00", "zh"), (["c1"], "t", "fr")):
        with pytest.raises(InputError):
            service.admin.draft_announcement(cases, title, lang, "senior:b")
    with pytest.raises(NotFound):
        service.admin.draft_announcement(["case_none"], "t", "zh", "senior:b")
    assert service.admin.announcements("draft") == []
