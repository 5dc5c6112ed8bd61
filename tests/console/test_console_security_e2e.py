"""Issue 11, point 7 in headless Chromium: a ``javascript:`` URL planted in a debunk is refused by
the API, is never a link in the console even when it is already in the database, and the
Content-Security-Policy that every console page carries stops inline script and ``javascript:``
navigation in the browser itself."""

from __future__ import annotations

from typing import Any

import httpx
import orjson

from tests.backends import tamper
from tests.console.conftest import Live, shot, sign_in

PLANTED = "javascript:window.__pwned=1;alert(document.cookie)"


def _plant(live: Live) -> None:
    """A debunk whose link is a script, as a row written before links were checked."""
    live.service.rumors.add_debunks({"id": "dbk-planted", "claim": "某地水源被投毒", "verdict": "false",
                              "fact_checker": "Planted Checks", "url": "https://checks.example/p"}, "test")
    payload = orjson.dumps({"id": "dbk-planted", "claim": "某地水源被投毒", "verdict": "false",
                            "fact_checker": "Planted Checks", "url": PLANTED}).decode()
    tamper(live.db, "UPDATE debunks SET payload = ?, url = ? WHERE id = 'dbk-planted'", (payload, PLANTED))


def test_a_javascript_url_is_refused_and_never_runs(page: Any, live: Live) -> None:
    answer = httpx.post(f"{live.url}/v1/debunks", headers={"Authorization": f"Bearer {live.keys['moderator']}"},
                        json={"id": "dbk-js", "claim": "某明星在机场被捕", "verdict": "false", "url": PLANTED})
    assert answer.status_code == 400 and "http" in answer.json()["error"]["message"]
    _plant(live)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    csp_reports: list[str] = []
    page.on("console", lambda m: csp_reports.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(page, live, "moderator")
    for path in ("/console/rumors", "/console/rumors/debunk?id=dbk-planted"):
        response = page.goto(f"{live.url}{path}")
        assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"
        assert page.locator("a[href^='javascript' i]").count() == 0
        checker = page.get_by_text("Planted Checks").first
        checker.click()
        assert page.evaluate("window.__pwned") is None
    shot(page, "13-planted-url-not-a-link")
    # even a link that slipped past the filter would not run: the browser enforces the page's policy
    page.evaluate("""() => {
        const a = document.createElement('a'); a.id = 'slipped'; a.href = "javascript:window.__pwned=1";
        a.textContent = 'slipped'; document.querySelector('main').appendChild(a);
        const s = document.createElement('script'); s.textContent = 'window.__pwned = 2';
        document.body.appendChild(s);
    }""")
    page.click("#slipped")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert csp_reports, "Chromium reported no Content-Security-Policy violation"
