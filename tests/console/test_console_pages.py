"""Console pages over HTTP without a browser: sign-in, sessions, CSRF, roles, every page rendering."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.console.i18n import choose_language
from clearspace.console.session import COOKIE, Sessions
from clearspace.errors import Unauthenticated
from clearspace.service.core import Service

PAGES = ("/console/", "/console/?lane=pileon", "/console/appeals", "/console/accounts?account=troll_6",
         "/console/protection?account=lin_xiaoyu", "/console/rumors?q=test", "/console/audit",
         "/console/transparency", "/console/audit?kind=decision.made")


def sign_in(client: TestClient, key: str) -> None:
    answer = client.post("/console/login", data={"key": key, "next": "/console/"})
    assert answer.status_code == 303 and answer.headers["location"] == "/console/"


def csrf(client: TestClient, path: str) -> str:
    match = re.search(r'name="csrf" value="(\w+)"', client.get(path).text)
    assert match, "the page has no form token"
    return match.group(1)


def test_pages_need_a_session(client: TestClient) -> None:
    answer = client.get("/console/audit")
    assert answer.status_code == 303 and answer.headers["location"] == "/console/login?next=/console/audit"
    assert client.get("/console").headers["location"] == "/console/"


def test_every_page_renders_for_an_admin(client: TestClient, keys: dict[str, str]) -> None:
    sign_in(client, keys["admin"])
    for path in PAGES:
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.text[-500:])
        assert "<main" in answer.text and "[" + "nav." not in answer.text
        assert answer.headers["cache-control"] == "no-store"


def test_a_wrong_or_ingest_key_cannot_sign_in(client: TestClient, keys: dict[str, str]) -> None:
    for key in ("", "cs_x_y", keys["ingest"]):
        answer = client.post("/console/login", data={"key": key})
        assert answer.status_code == 401
        assert COOKIE not in answer.cookies


def test_forged_expired_and_revoked_sessions_end(client: TestClient, service: Service,
                                                 keys: dict[str, str]) -> None:
    sign_in(client, keys["moderator"])
    cookie = client.cookies[COOKIE]
    body, _, mac = cookie.rpartition(".")
    client.cookies.clear()  # (else the jar sends the real cookie too, under its own domain)
    client.cookies.set(COOKIE, body + "." + ("0" * len(mac)), path="/console")
    assert client.get("/console/").status_code == 303
    sessions = Sessions("s" * 32, lifetime=10)
    with pytest.raises(Unauthenticated):
        sessions.read(sessions.issue("k", "moderator", "m", now=0.0), now=11.0)
    client.cookies.set(COOKIE, cookie, path="/console")
    assert client.get("/console/").status_code == 200
    key_id = next(k["id"] for k in service.admin.list_keys() if k["role"] == "moderator")
    service.admin.revoke_key(key_id, "test")
    assert client.get("/console/").status_code == 303


def test_forms_without_the_session_token_change_nothing(client: TestClient, service: Service,
                                                        keys: dict[str, str]) -> None:
    sign_in(client, keys["moderator"])
    case_id = service.cases.queue()[0]["id"]
    answer = client.post(f"/console/cases/{case_id}/claim", data={"csrf": "forged"})
    assert answer.status_code == 303 and "error=" in answer.headers["location"]
    assert service.cases.get(case_id)["lease_owner"] is None
    token = csrf(client, f"/console/cases/{case_id}")
    answer = client.post(f"/console/cases/{case_id}/claim", data={"csrf": token})
    assert answer.headers["location"] == f"/console/cases/{case_id}?done=1"
    assert service.cases.get(case_id)["lease_owner"] == "moderator:moderator"


def test_a_refused_decision_is_shown_and_changes_nothing(client: TestClient, service: Service,
                                                         keys: dict[str, str]) -> None:
    sign_in(client, keys["moderator"])
    case_id = service.cases.queue()[0]["id"]
    token = csrf(client, f"/console/cases/{case_id}")
    answer = client.post(f"/console/cases/{case_id}/decide",
                         data={"csrf": token, "action": "remove", "category": "abuse", "explanation": "x"})
    assert "error=" in answer.headers["location"] and "claim" in answer.headers["location"]
    page = client.get(answer.headers["location"]).text
    assert 'role="alert"' in page
    assert service.cases.get(case_id)["status"] == "open"


def test_roles_are_enforced_on_pages_and_forms(client: TestClient, service: Service, keys: dict[str, str]) -> None:
    sign_in(client, keys["auditor"])
    case_id = service.cases.queue()[0]["id"]
    token = csrf(client, "/console/audit")
    answer = client.post(f"/console/cases/{case_id}/claim", data={"csrf": token})
    assert "error=" in answer.headers["location"] and "may+not" in answer.headers["location"]
    assert service.cases.get(case_id)["lease_owner"] is None
    client.cookies.clear()
    sign_in(client, keys["moderator"])
    assert client.get("/console/transparency").status_code == 403
    assert client.get("/console/cases/case_nope").status_code == 404


def test_sign_in_never_redirects_off_the_console(client: TestClient, keys: dict[str, str]) -> None:
    for target in ("//evil.example/x", "https://evil.example", "/console//evil.example", "/elsewhere"):
        answer = client.post("/console/login", data={"key": keys["moderator"], "next": target})
        assert answer.headers["location"] == "/console/"


def test_language_follows_choice_then_browser(client: TestClient, keys: dict[str, str]) -> None:
    sign_in(client, keys["moderator"])
    assert "<h1>审核队列</h1>" in client.get("/console/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    client.get("/console/lang/en?next=/console/")
    assert "<h1>Review queue</h1>" in client.get("/console/", headers={"Accept-Language": "zh-CN"}).text
    assert choose_language(None, "fr-FR, en;q=0.5") == "en" and choose_language("xx", None) == "en"


def test_adding_a_debunk_from_the_console(client: TestClient, service: Service, keys: dict[str, str]) -> None:
    sign_in(client, keys["moderator"])
    token = csrf(client, "/console/rumors")
    answer = client.post("/console/rumors/debunks", data={
        "csrf": token, "claim": "某明星在机场被捕", "verdict": "fabricated", "language": "zh",
        "fact_checker": "Example Checks", "url": "https://checks.example/1", "variants": "明星机场被捕\n"})
    assert answer.headers["location"] == "/console/rumors?done=1"
    stored = service.rumors.debunks()
    assert [(d["claim"], d["verdict"], d["variants"]) for d in stored] == [
        ("某明星在机场被捕", "fabricated", ["明星机场被捕"])]
    answer = client.post("/console/rumors/debunks", data={"csrf": token, "claim": "  "})
    assert "error=" in answer.headers["location"]
    assert len(service.rumors.debunks()) == 1


def test_rumor_labels_are_confirmed_or_rejected_and_debunks_edited(client: TestClient, service: Service,
                                                                   keys: dict[str, str]) -> None:
    claim = "喝热水可以杀死新冠病毒"
    service.rumors.add_debunks({"id": "dbk-water", "claim": claim, "verdict": "false", "language": "zh",
                         "fact_checker": "Example Checks"}, "test")
    service.ingest.events([{"id": "r1", "author": "aunt_li", "text": claim}, {"id": "r2", "author": "uncle_wu",
                                                                          "text": claim + "。"}])
    waiting = service.rumors.labels_to_review()
    assert sorted(label["event_id"] for label in waiting) == ["r1", "r2"]
    sign_in(client, keys["moderator"])
    page = client.get("/console/rumors").text
    assert "data-waiting-labels" in page and "aunt_li" in page
    token = csrf(client, "/console/rumors")
    first, second = sorted(waiting, key=lambda label: label["event_id"])
    assert client.post(f"/console/rumors/labels/{first['id']}",
                       data={"csrf": token, "decision": "confirm"}).headers["location"] == "/console/rumors?done=1"
    refused = client.post(f"/console/rumors/labels/{second['id']}", data={"csrf": token, "decision": "reject"})
    assert "error=" in refused.headers["location"]  # a rejection needs its reason
    client.post(f"/console/rumors/labels/{second['id']}",
                data={"csrf": token, "decision": "reject", "reason": "It quotes the rumor to refute it."})
    assert service.rumors.labels_to_review() == []
    assert [label["reviewed_by"] for label in service.rumors.post_labels("r1")] == ["moderator:moderator"]
    assert service.rumors.post_labels("r2") == []  # withdrawn
    again = client.post(f"/console/rumors/labels/{first['id']}", data={"csrf": token, "decision": "reject",
                                                                        "reason": "x"})
    assert "already+checked" in again.headers["location"]

    page = client.get("/console/rumors/debunk?id=dbk-water").text
    assert "data-history" in page
    client.post("/console/rumors/debunk/edit", data={"csrf": token, "id": "dbk-water", "claim": claim,
                                                    "verdict": "misleading", "reason": "new evidence"})
    client.post("/console/rumors/debunk/clarification", data={"csrf": token, "id": "dbk-water",
                                                             "account": "dr_zhang", "text": "我从未这样说过。"})
    stored = service.rumors.debunk("dbk-water")
    assert (stored["verdict"], stored["version"]) == ("misleading", 2)
    assert [c["text"] for c in stored["clarifications"]] == ["我从未这样说过。"]
    client.post("/console/rumors/debunk/retract", data={"csrf": token, "id": "dbk-water", "reason": "wrong"})
    assert service.rumors.debunk("dbk-water")["status"] == "retracted"
    assert service.rumors.post_labels("r1") == []


def test_audit_page_checks_new_events_and_offers_the_whole_chain(client: TestClient, service: Service,
                                                                   keys: dict[str, str]) -> None:
    sign_in(client, keys["auditor"])
    page = client.get("/console/audit").text
    assert 'data-audit-valid="true"' in page and "data-audit-full" not in page  # first view: the whole chain
    page = client.get("/console/audit").text  # later views rehash only what is new since
    assert 'data-audit-valid="true"' in page and "data-audit-full" in page
    with service.store.transaction() as tx:
        tx.update("audit", {"seq": 1}, {"actor": "someone-else"})
    page = client.get("/console/audit?full=1").text
    assert 'data-audit-valid="false"' in page and "#1:" in page


def test_workers_over_one_database_share_sessions_unless_a_secret_is_set(
        service: Service, keys: dict[str, str], store_url: str, open_service: Callable[..., Service]) -> None:
    from clearspace.service.settings import Settings

    other = open_service(settings=Settings(db=store_url))  # a second worker over the `service` fixture's database
    assert other.admin.console_secret() == service.admin.console_secret()  # both derived from the key next to the file
    with TestClient(create_app(service), follow_redirects=False) as one, \
            TestClient(create_app(other), follow_redirects=False) as two:
        sign_in(one, keys["moderator"])
        two.cookies.set(COOKIE, one.cookies[COOKIE])
        assert two.get("/console/").status_code == 200
    own = open_service(settings=Settings(db=store_url, console_secret="x" * 40))
    with TestClient(create_app(own), follow_redirects=False) as three:
        three.cookies.set(COOKIE, one.cookies[COOKIE])
        assert three.get("/console/").status_code == 303  # signed with another secret: sign in again


def test_without_a_usable_evidence_key_sessions_are_signed_per_process(
        tmp_path: Path, store_url: str, open_service: Callable[..., Service]) -> None:
    from clearspace.service.settings import Settings

    broken = Settings(db=store_url, evidence_key=str(tmp_path / "missing" / "key.pem"))
    services = [open_service(settings=broken) for _ in range(2)]
    first, second = (s.admin.console_secret() for s in services)
    assert len(first) == 64 and first != second  # the console still starts; sessions stay in their process
    with TestClient(create_app(services[0]), follow_redirects=False) as client:
        assert client.get("/console/login").status_code == 200


def _case_of(service: Service, event_id: str) -> str:
    return next(c["id"] for c in service.cases.queue(limit=100) if c["event_id"] == event_id)


def test_case_view_names_each_detector_and_masks_slurs_in_recent_posts(client: TestClient, service: Service,
                                                                       keys: dict[str, str]) -> None:
    sign_in(client, keys["moderator"])
    page = client.get(f"/console/cases/{_case_of(service, 'pile-2')}").text
    rows = re.findall(r"<tr><td><span class=\"swatch.*?</tr>", page.split("data-signals")[1].split("</table>")[0])
    detectors = re.findall(r"<td data-detector><code translate=\"no\">([^<]*)</code></td>", "".join(rows))
    assert len(rows) >= 2 and detectors == ["keywords@1"] * len(rows)
    recent = page.split("data-author-history")[1]
    post = re.search(r'data-post="pile-2">(.*?)</span>', recent, re.S)
    assert post, "the recent post is missing"
    assert re.search(r'<mark class="ev ev-abuse slur"[^>]*data-kinds="[^"]*lexicon.threat[^"]*"[^>]*>去死</mark>吧',
                     post.group(1))
    account = client.get("/console/accounts?account=sun_rude").text  # the account page masks them too
    assert re.search(r'<mark class="ev ev-abuse slur"[^>]*data-kinds="[^"]*lexicon.insult[^"]*"[^>]*>傻逼</mark>'
                     r'，滚出这个群', account)


def test_the_queue_says_what_each_case_is_about(client: TestClient, service: Service, keys: dict[str, str]) -> None:
    sign_in(client, keys["moderator"])
    page = client.get("/console/").text
    rude = _case_of(service, "pile-2")
    row = re.search(rf'<tr data-row [^>]*data-case="{rude}".*?</tr>', page, re.S)
    assert row, "the case is not in the queue"
    text = row.group(0)
    assert re.search(r"<mark class=\"ev ev-abuse slur\"[^>]*>去死</mark>吧", text)  # the snippet, masked
    assert "troll_2" in text and f"<code translate=\"no\">{rude}</code>" in text
    assert re.search(r"<td data-label=\"Category\" data-category>threat</td>", text)
    assert re.search(r"<time datetime=\"[^\"]+\" title=\"[^\"]+\" data-age>\d+ min</time>", text)
    incident = next(c for c in service.cases.queue(limit=100) if c["kind"] == "incident")
    row = re.search(rf'<tr data-row [^>]*data-case="{incident["id"]}".*?</tr>', page, re.S)
    assert row and "Pile-on against <bdi translate=\"no\">lin_xiaoyu</bdi>" in row.group(0)


def test_an_incident_case_shows_the_incident(client: TestClient, service: Service, keys: dict[str, str]) -> None:
    sign_in(client, keys["moderator"])
    case = next(c for c in service.cases.queue(limit=100) if c["kind"] == "incident")
    incident = next(i for i in service.protection.incidents(None) if i["case_id"] == case["id"])
    page = client.get(f"/console/cases/{case['id']}").text
    facts = page.split("data-case-incident")[1]
    assert "lin_xiaoyu" in facts.split("</dl>")[0]
    roles = dict(re.findall(r'data-role="(\w+)"><h3>[^<]*\((\d+)\)', page))
    detail = service.protection.incident(incident["id"])
    assert roles == {r: str(len(detail["participants_by_role"].get(r, []))) for r in roles}
    assert sum(int(n) for n in roles.values()) >= 1
    assert f'href="/console/incidents/{incident["id"]}" data-incident-link' in page
    assert f'href="/console/incidents/{incident["id"]}/evidence"' in page
    assert "data-chart='incident-timeline'" in page


def test_a_closed_case_keeps_its_rules_drops_its_timer_and_offers_the_next(
        client: TestClient, service: Service, keys: dict[str, str]) -> None:
    sign_in(client, keys["moderator"])
    rude = _case_of(service, "pile-2")
    before = client.get(f"/console/cases/{rude}").text
    rules = re.findall(r"<li><code translate=\"no\">([\w@.-]+)</code>", before.split("data-rules")[1].split("</ul>")[0])
    assert rules and 'class="sla"' in before
    token = csrf(client, f"/console/cases/{rude}")
    client.post(f"/console/cases/{rude}/claim", data={"csrf": token})
    answer = client.post(f"/console/cases/{rude}/decide", data={"csrf": token, "action": "remove",
                                                                  "category": "abuse", "explanation": "Insult."})
    assert answer.status_code == 303 and "decision=" in answer.headers["location"]
    after = client.get(answer.headers["location"]).text
    assert 'data-case-status="closed"' in after
    assert re.findall(r"<li><code translate=\"no\">([\w@.-]+)</code>",
                      after.split("data-rules")[1].split("</ul>")[0]) == rules
    assert 'class="sla"' not in after and "data-closed" in after
    assert re.search(r'<form method="post" action="/console/next"[^>]*data-next-case>', after)
    following = client.post("/console/next", data={"csrf": token})
    location = following.headers["location"]
    assert re.fullmatch(r"/console/cases/case_\w+\?done=1", location) and rude not in location
    claimed = location.split("/")[-1].split("?")[0]
    assert service.cases.get(claimed)["lease_owner"] == "moderator:moderator"


def test_transparency_charts_are_titled_and_appeals_are_not_stacked(client: TestClient, service: Service,
                                                                      keys: dict[str, str]) -> None:
    rude = _case_of(service, "pile-2")
    service.cases.claim(rude, "moderator:m")
    decision = service.cases.decide(rude, "moderator:m", "remove", "abuse", "Insult.")
    appeal = service.cases.file_appeal(decision["id"], "troll_2", "It was a quote.")
    service.cases.decide_appeal(appeal["id"], "senior_moderator:s", "reversed", "It was a quote.")
    sign_in(client, keys["auditor"])
    page = client.get("/console/transparency").text
    titles = re.findall(r"<figcaption class='chart-title'>([^<]+)</figcaption>", page)
    assert titles == ["Restrictive actions by category over time", "Automated vs human decisions",
                      "Appeals filed and reversed", "Median handling time"]
    assert page.count("<text class='axis-label' data-axis='y'") == 3
    appeals = page.split("data-chart='appeals'")[1].split("</svg>")[0]
    filed = re.findall(r"data-series='filed' x='([\d.]+)' y='([\d.]+)' width='[\d.]+' height='([\d.]+)'", appeals)
    reversed_ = re.findall(r"data-series='reversed' x='([\d.]+)' y='([\d.]+)' width='[\d.]+' height='([\d.]+)'",
                           appeals)
    assert len(filed) == len(reversed_) == 1
    (fx, fy, fh), (rx, ry, rh) = (tuple(map(float, filed[0])), tuple(map(float, reversed_[0])))
    assert fh == rh and fy == ry and rx > fx  # 1 filed and 1 reversed: two equal bars side by side
    zh = client.get("/console/transparency", headers={"Accept-Language": "zh-CN"}).text
    assert "<figcaption class='chart-title'>提出与被撤销的申诉</figcaption>" in zh
    assert "data-series='提出'" in zh and "data-series='被撤销'" in zh and ">日期（UTC）</text>" in zh


def test_the_case_view_shows_the_verdicts_target_and_stance(client: TestClient, service: Service,
                                                            keys: dict[str, str]) -> None:
    sign_in(client, keys["moderator"])
    page = client.get(f"/console/cases/{_case_of(service, 'pile-2')}").text
    verdict = re.search(r'<p class="meta" data-verdict data-target="([a-z_]+)" data-stance="([a-z_]+)">(.*?)</p>', page)
    assert verdict, "the case page does not show the engine's verdict"
    assert verdict.group(1) in ("addressee", "third_person", "group", "self", "none")
    assert "verdict" not in re.findall(r"<code>([a-z_.]+)</code>", page.split("data-signals")[1].split("</table>")[0])
    client.cookies.set("cs_lang", "zh", path="/console")
    zh = client.get(f"/console/cases/{_case_of(service, 'pile-2')}").text
    assert "引擎判断" in zh and "针对" in zh
