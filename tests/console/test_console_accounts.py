"""Console pages of creator accountability (issue 16): the creator record, an organization with its
proposals, typical-case announcements; in English and Chinese, with roles."""

from __future__ import annotations

from fastapi.testclient import TestClient

from clearspace.service.core import Service
from tests.console.test_console_i18n import english_left
from tests.console.test_console_pages import csrf, sign_in

INSULT = "你这个傻逼"


def _farm(service: Service) -> None:
    service.accounts.put("farmer", {"followers": 120_000, "monetized": True, "organization": "mcn-x"}, "ingest:p")
    service.accounts.put("calm", {"organization": "mcn-x"}, "ingest:p")
    service.ingest.events({"id": "f-post", "author": "farmer", "text": "看看这个人", "type": "post"})
    service.ingest.events([{"id": f"fr{i}", "author": f"fan{i}", "type": "reply", "parent": "f-post",
                            "target_user": "v",
                     "text": INSULT} for i in range(25)])


def test_creator_record_in_both_languages(client: TestClient, keys: dict[str, str], service: Service) -> None:
    _farm(service)
    sign_in(client, keys["moderator"])
    page = client.get("/console/creators?account=farmer")
    assert page.status_code == 200 and 'data-eligible="no"' in page.text and 'data-rule="toxic_traffic"' in page.text
    assert "Toxic-traffic ratio above the threshold" in page.text and "<svg" in page.text
    assert 'href="/console/creators"' in page.text and "<script>" not in page.text
    client.cookies.set("cs_lang", "zh", path="/console")
    page = client.get("/console/creators?account=farmer")
    assert "恶意流量占比超过阈值" in page.text and "暂停收益" in page.text
    words, _ = english_left(page.text)
    assert words == []
    assert client.get("/console/creators?account=ghost").status_code == 404


def test_organization_page_proposal_then_senior_confirms(client: TestClient, keys: dict[str, str],
                                                         service: Service) -> None:
    _farm(service)
    sign_in(client, keys["moderator"])
    page = client.get("/console/organizations/mcn-x")
    assert page.status_code == 200 and 'data-account="farmer"' in page.text and 'data-account="calm"' in page.text
    token = csrf(client, "/console/organizations/mcn-x")
    answer = client.post("/console/organizations/mcn-x/propose",
                         data={"csrf": token, "measure": "suspend_monetization", "reason": "runs hostile accounts"})
    assert answer.status_code == 303 and "error" not in answer.headers["location"]
    (proposal,) = service.accounts.organization("mcn-x")["proposals"]
    assert service.accounts.monetization("calm")["eligible"] is True
    refused = client.post(f"/console/organizations/proposals/{proposal['id']}",
                          data={"csrf": token, "organization": "mcn-x", "confirm": "1", "note": "ok"})
    assert refused.status_code in (303, 403)
    assert service.accounts.organization("mcn-x")["proposals"][0]["status"] == "proposed"
    sign_in(client, keys["senior_moderator"])
    token = csrf(client, "/console/organizations/mcn-x")
    client.post(f"/console/organizations/proposals/{proposal['id']}",
                data={"csrf": token, "organization": "mcn-x", "confirm": "1", "note": "reviewed"})
    assert service.accounts.organization("mcn-x")["proposals"][0]["status"] == "confirmed"
    assert service.accounts.monetization("calm")["eligible"] is False
    client.cookies.set("cs_lang", "zh", path="/console")
    page = client.get("/console/organizations/mcn-x").text
    assert "须经资深审核员确认" in page and english_left(page)[0] == []


def test_announcements_page_drafts_masked_and_publishes(client: TestClient, keys: dict[str, str],
                                                        service: Service) -> None:
    service.ingest.events({"id": "bad", "author": "xiaoming", "text": "去死吧 13800001234", "target_user": "lin"})
    (case,) = [c for c in service.cases.queue() if c["event_id"] == "bad"]
    service.cases.claim(case["id"], "mod")
    service.cases.decide(case["id"], "mod", "remove", "threat", "xiaoming threatened lin")
    sign_in(client, keys["moderator"])
    assert client.get("/console/announcements").status_code == 403
    sign_in(client, keys["senior_moderator"])
    token = csrf(client, "/console/announcements")
    client.post("/console/announcements/draft", data={"csrf": token, "cases": case["id"], "title": "典型案例",
                                                      "lang": "zh"})
    page = client.get("/console/announcements").text
    assert 'data-status="draft"' in page and "13800001234" not in page and "xiaoming" not in page
    (draft,) = service.admin.announcements("draft")
    client.post(f"/console/announcements/{draft['id']}/publish", data={"csrf": token})
    assert 'data-status="published"' in client.get("/console/announcements").text
    sign_in(client, keys["auditor"])
    assert "data-announcements-link" in client.get("/console/transparency").text
    client.cookies.set("cs_lang", "zh", path="/console")
    page = client.get("/console/announcements").text
    assert "典型案例公告" in page and "草稿" in page
