"""End-to-end console flows in headless Chromium: sign in, work a case, appeal, read reports."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.console.conftest import Live, shot, sign_in


def test_sign_in_is_required_and_a_wrong_key_is_refused(page: Any, live: Live) -> None:
    page.goto(f"{live.url}/console/appeals")
    assert "/console/login" in page.url
    page.fill("#key", "cs_nope_nope")
    page.click("button[type=submit]")
    assert page.locator("[role=alert]").inner_text().startswith("That key was not accepted")
    page.fill("#key", live.keys["moderator"])
    page.click("button[type=submit]")
    page.wait_for_url(f"{live.url}/console/appeals")
    assert page.locator("h1").inner_text() == "Appeals"
    shot(page, "01-signed-in")


def test_claim_decide_strike_appeal_and_reverse(page: Any, live: Live) -> None:
    sign_in(page, live, "moderator")
    page.goto(f"{live.url}/console/?lane=pileon")
    assert int(page.locator("[data-lane-count=pileon]").inner_text()) >= 1
    shot(page, "02-queue")
    page.click("#next-case")  # claims the most urgent case and opens it
    page.wait_for_url(re.compile(r".*/console/cases/case_\w+"))
    case_url = page.url.split("?")[0]
    author = page.locator("[data-author-history] h2").inner_text().split(": ")[-1]
    assert author == "troll_6"
    before = float(page.locator("[data-strike-points]").inner_text())  # the automated removal's strike
    # the evidence span of the threat is highlighted (and masked until clicked)
    mark = page.locator("mark.ev.slur").first
    assert "杀了你" in mark.inner_text()
    assert "blur" in mark.evaluate("el => getComputedStyle(el).filter")
    mark.click()
    assert mark.evaluate("el => getComputedStyle(el).filter") == "none"
    shot(page, "03-case-claimed")
    # keyboard: r picks "remove", then the statement is edited and Ctrl+Enter sends it
    page.locator("body").press("r")
    assert page.locator("input[name=action][value=remove]").is_checked()
    page.select_option("#category", "threat")
    page.fill("#explanation", "Threatens to kill a private person during a pile-on.")
    page.keyboard.press("Control+Enter")
    page.wait_for_url(re.compile(r".*decision=dec_\w+.*"))
    decision_id = re.search(r"decision=(dec_\w+)", page.url).group(1)  # type: ignore[union-attr]
    assert page.locator(".notice").first.inner_text() == "Done"
    assert float(page.locator("[data-strike-points]").inner_text()) == before + 3  # a threat weighs 3
    assert "threat" in page.locator("[data-strikes]").inner_text()
    shot(page, "04-decided-with-strike")

    # the author appeals through the platform (the ingest key)
    answer = httpx.post(f"{live.url}/v1/appeals", headers={"Authorization": f"Bearer {live.keys['ingest']}"},
                        json={"decision_id": decision_id, "appellant": "troll_6", "reason": "That was a quote."})
    assert answer.status_code in (200, 201), answer.text
    appeal_id = answer.json()["id"]

    # a senior moderator (not the one who decided) reverses it
    page.context.clear_cookies()
    sign_in(page, live, "senior_moderator")
    page.goto(f"{live.url}/console/appeals")
    page.click(f"a[href='/console/appeals/{appeal_id}']")
    assert "That was a quote." in page.locator("dl.facts").inner_text()
    page.check("input[name=outcome][value=reversed]")
    page.fill("#explanation", "On review the post quotes the threat in order to report it.")
    shot(page, "05-appeal")
    page.click("#decide-appeal")
    page.wait_for_url(re.compile(rf".*/console/appeals/{appeal_id}\?done=1"))
    assert page.locator("[data-appeal-status]").inner_text() == "reversed"
    assert float(page.locator("[data-strike-points]").inner_text()) == before
    assert "threat" in page.locator("[data-author-history]").inner_text()  # now among the lifted strikes
    shot(page, "06-appeal-reversed")
    page.goto(case_url)
    assert "reversed" in page.locator("ol.decisions").inner_text()


def test_transparency_charts_and_downloads(page: Any, live: Live) -> None:
    sign_in(page, live, "auditor")
    page.goto(f"{live.url}/console/transparency")
    charts = page.locator("svg.chart[role=img]")
    assert charts.count() == 4
    titles = [charts.nth(i).locator("title").first.text_content() for i in range(4)]
    assert titles[0] == "Restrictive actions by category over time"
    assert int(page.locator("[data-kpi=decisions]").inner_text()) >= 12
    assert int(page.locator("[data-kpi=incidents]").inner_text()) == 1  # the fixture's pile-on
    assert page.locator("svg[data-chart=by-category] rect.bar").count() >= 1
    shot(page, "07-transparency")
    with page.expect_download() as info:
        page.click("text=CSV")
    body = info.value.path().read_text(encoding="utf-8")
    assert body.startswith("metric,value\n") and "decisions.total," in body


def test_roles_shape_what_a_page_offers(page: Any, live: Live) -> None:
    sign_in(page, live, "auditor")
    page.goto(f"{live.url}/console/")
    assert page.locator("#next-case").count() == 0  # auditors read the queue but do not work it
    assert page.locator("nav a[href='/console/audit']").count() == 1
    page.goto(f"{live.url}/console/audit")
    assert page.locator("[data-audit-valid]").get_attribute("data-audit-valid") == "true"
    shot(page, "08-audit")
    page.context.clear_cookies()
    sign_in(page, live, "moderator")
    assert page.locator("nav a[href='/console/audit']").count() == 0
    response = page.goto(f"{live.url}/console/audit")
    assert response is not None and response.status == 403


def test_protection_on_and_language_switch(page: Any, live: Live) -> None:
    sign_in(page, live, "moderator")
    page.goto(f"{live.url}/console/protection?account=lin_xiaoyu")
    assert page.locator("[data-shield-status]").get_attribute("data-shield-status") == "off"
    page.uncheck("input[name=surface_danmaku]")
    page.check("input[name=assisted]")
    page.click("#shield-on")
    page.wait_for_url(re.compile(r".*done=1.*"))
    assert page.locator("[data-shield-status]").get_attribute("data-shield-status") == "on"
    assert "assisted:moderator:e2e-moderator" in page.locator("[data-shield-status]").inner_text()
    assert "Danmaku" not in page.locator("[data-shield-status] p").first.inner_text()
    shot(page, "09-protection")
    page.click("text=中文")
    assert page.locator("h1").inner_text().startswith("一键防护")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    shot(page, "10-protection-zh")


def test_incident_timeline_batch_action_and_evidence_export(page: Any, live: Live) -> None:
    from clearspace.protection.evidence import verify_bundle

    sign_in(page, live, "senior_moderator")
    page.click("nav a[href='/console/incidents']")
    page.click("table.queue a[href^='/console/incidents/inc_']")
    assert page.locator("h1").inner_text().startswith("Incident: lin_xiaoyu")
    timeline = page.locator("[data-incident-timeline] svg[role=img]")
    assert timeline.locator("title").first.text_content() == "Timeline: hostile vs other interactions"
    hostile = sum(int(c) for c in page.locator("[data-incident-timeline] table.data tbody td:nth-child(2)")
                  .all_text_contents())
    assert hostile == 8
    followers = page.locator("[data-role=follower] li").all_inner_texts()
    instigators = page.locator("[data-role=instigator] li").all_inner_texts()
    assert len(followers) + len(instigators) + page.locator("[data-role=first_poster] li a").count() \
        + page.locator("[data-role=repeat_poster] li a").count() >= 8
    assert page.locator("[data-target-protection]").count() == 1
    shot(page, "11-incident")
    with page.expect_download() as info:
        page.click("#export-evidence")
    report = verify_bundle(info.value.path().read_bytes(), public_key=live.service.protection.evidence_public_key())
    assert report.ok and report.items >= 8, report.problems
    # one batch action over the participants who are not instigators
    page.uncheck("input[name=role_instigator]")
    page.fill("#explanation", "Took part in a pile-on against one person.")
    page.click("#batch")
    page.wait_for_url(re.compile(r".*/console/incidents/inc_\w+\?done=1"))
    struck = [a for a in followers if a.startswith("troll_")]
    assert struck, followers
    assert live.service.accounts.status(struck[0])["strikes"], "the batch action strikes each chosen participant"
    shot(page, "12-incident-batch-done")


def test_the_queue_fits_a_phone_screen_in_both_languages(browser: Any, live: Live) -> None:
    for lang in ("en", "zh"):
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
        page = context.new_page()
        try:
            sign_in(page, live, "moderator")
            page.goto(f"{live.url}/console/lang/{lang}?next=/console/")
            rows = page.locator("table[data-queue] tr[data-row]")
            assert rows.count() >= 3
            # nothing wider than the screen: no sideways scrolling, every row inside the viewport
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            for i in range(rows.count()):
                box = rows.nth(i).bounding_box()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
            assert rows.first.locator("[data-snippet]").inner_text().strip()  # what the case is about
            shot(page, f"13-queue-390-{lang}")
        finally:
            context.close()
