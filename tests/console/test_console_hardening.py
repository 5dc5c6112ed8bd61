"""Issue 11, points 5, 7 and 8 over HTTP without a browser: sign-out ends the session everywhere,
any key name signs in, ``?error=`` text is never shown, console rate limits, security headers,
only web URLs stored or linked, broken-chain alarms acknowledged by an admin, the checkpoint on
the transparency page."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest
from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.console.session import COOKIE
from clearspace.service import anchor
from clearspace.service.core import Service
from clearspace.service.settings import Settings
from tests.backends import tamper
from tests.console.conftest import ROLES, community
from tests.console.test_console_pages import csrf, sign_in

SECRET = "s" * 32


@pytest.fixture
def db(store_url: str) -> str:
    return store_url


@pytest.fixture
def settings_service(open_service: Callable[..., Service], db: str) -> Callable[..., Service]:
    """``settings_service(**settings)``: a service over this test's database with these settings."""
    return lambda **settings: open_service(settings=Settings(db=db, **settings))


@pytest.fixture
def service(settings_service: Callable[..., Service]) -> Service:
    service = settings_service()
    community(service)
    return service


@pytest.fixture
def keys(service: Service) -> dict[str, str]:
    return {role: service.admin.create_key(role, name=role)[1] for role in ROLES}


@pytest.fixture
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(create_app(service, console_secret=SECRET), follow_redirects=False) as c:
        yield c


def test_sign_out_ends_the_session_in_every_process(client: TestClient, settings_service: Callable[..., Service],
                                                    keys: dict[str, str]) -> None:
    sign_in(client, keys["moderator"])
    old = client.cookies[COOKIE]
    other = settings_service()  # a second worker process over the same database
    with TestClient(create_app(other, console_secret=SECRET), follow_redirects=False) as second:
        second.cookies.set(COOKIE, old, path="/console")
        assert second.get("/console/").status_code == 200
        token = csrf(client, "/console/")
        answer = client.post("/console/logout", data={"csrf": token})
        assert answer.status_code == 303 and answer.headers["location"] == "/console/login"
        client.cookies.clear()
        client.cookies.set(COOKIE, old, path="/console")
        assert client.get("/console/").status_code == 303  # the old cookie no longer works here
        assert second.get("/console/").status_code == 303  # nor in the other process
    kinds = [r["kind"] for r in other.admin.audit_page(kind="console.signed_out")]
    assert kinds == ["console.signed_out"]


@pytest.mark.parametrize("name", ["ops|night|shift", 'quote " and \\ and ; =', "值班|审核员 ✓", "x" * 100])
def test_any_key_name_signs_in(client: TestClient, service: Service, name: str) -> None:
    _, key = service.admin.create_key("moderator", name=name)
    sign_in(client, key)
    page = client.get("/console/")
    assert page.status_code == 200  # no sign-in loop
    assert '<strong translate="no">' + name.replace("&", "&amp;").replace('"', "&#34;") + "</strong>" in page.text


def test_error_text_from_the_url_is_never_shown(client: TestClient, service: Service, keys: dict[str, str]) -> None:
    lure = "Your account is locked: call +1 555 0100 now"
    for query in (f"error={lure}", f"error=refused&detail={lure}&seal=00ff", f"error=expired&detail={lure}"):
        login = client.get(f"/console/login?{query}")
        assert lure not in login.text and 'role="alert"' in login.text
    assert "That was not accepted" in client.get("/console/login?error=whatever").text
    sign_in(client, keys["moderator"])
    page = client.get(f"/console/?error={lure}")
    assert lure not in page.text and "That was not accepted" in page.text
    # a real refusal shows its own words to this session (sealed), and to no other
    case_id = service.cases.queue()[0]["id"]
    token = csrf(client, f"/console/cases/{case_id}")
    refused = client.post(f"/console/cases/{case_id}/decide",
                          data={"csrf": token, "action": "remove", "category": "abuse", "explanation": "x"})
    location = refused.headers["location"]
    assert "error=conflict" in location or "error=refused" in location
    shown = client.get(location).text
    assert "claim" in re.search(r'role="alert">([^<]*)<', shown).group(1)  # type: ignore[union-attr]
    client.cookies.clear()
    sign_in(client, keys["senior_moderator"])
    assert "claim" not in re.search(r'role="alert">([^<]*)<', client.get(location).text).group(1)  # type: ignore[union-attr]


def test_console_pages_are_rate_limited(settings_service: Callable[..., Service]) -> None:
    service = settings_service(console_rate_limit=1.0)  # 1 request/s, bursts of 2
    _, key = service.admin.create_key("moderator", name="m")
    with TestClient(create_app(service, console_secret=SECRET), follow_redirects=False) as client:
        sign_in(client, key)
        answers = [client.get("/console/").status_code for _ in range(4)]
        assert answers[0] == 200 and 429 in answers
        limited = client.get("/console/")
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        assert "Too many requests" in limited.text
        client.cookies.clear()
        attempts = [client.post("/console/login", data={"key": "cs_wrong_guess"}).status_code for _ in range(4)]
        assert attempts[0] == 401 and attempts[-1] == 429  # sign-in attempts per client address


def test_security_headers_on_every_console_response(client: TestClient, keys: dict[str, str]) -> None:
    responses = [client.get("/console/login"), client.get("/console/audit"), client.get("/console/static/console.js")]
    sign_in(client, keys["admin"])
    responses += [client.get("/console/"), client.get("/console/rumors"), client.get("/console/nope")]
    for answer in responses:
        csp = answer.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["referrer-policy"] == "same-origin"
    assert "content-security-policy" not in client.get("/healthz").headers
    for template in Path("src/clearspace/data/console/templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template  # no inline script
        assert not re.search(r"\son[a-z]+\s*=", text), template  # no inline event handler
        assert "style=" not in text, template


@pytest.mark.parametrize("url", ["javascript:alert(document.domain)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
                                 "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                 "vbscript:msgbox(1)", "//evil.example/x", "https:evil", "/relative"])
def test_only_web_urls_are_stored(client: TestClient, service: Service, keys: dict[str, str], url: str) -> None:
    mod = {"Authorization": f"Bearer {keys['moderator']}"}
    admin = {"Authorization": f"Bearer {keys['admin']}"}
    debunk = {"id": "d1", "claim": "某明星在机场被捕", "verdict": "false", "url": url}
    assert client.post("/v1/debunks", json=debunk, headers=mod).status_code == 400
    evidence = {**debunk, "url": "https://checks.example/1", "evidence": [{"publisher": "x", "url": url}]}
    assert client.post("/v1/debunks", json=evidence, headers=mod).status_code == 400
    claimreview = {"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": "另一个谣言",
                   "url": url, "reviewRating": {"@type": "Rating", "alternateName": "False"}}
    imported = client.post("/v1/debunks", json=[claimreview, {**debunk, "url": "https://ok.example/"}], headers=mod)
    assert imported.status_code in (200, 201, 207), imported.text
    statuses = [r["status"] for r in imported.json()["results"]]
    assert statuses == ["error", "created"]  # the bad record fails alone
    note = {"event_id": "p-hello", "author": "c1", "text": "Context here.", "sources": [url]}
    assert client.post("/v1/notes", json=note, headers=mod).status_code in (400, 422)
    hook = {"url": url if len(url) >= 8 else url + "/padding", "topics": ["*"]}
    assert client.post("/v1/webhooks", json=hook, headers=admin).status_code in (400, 422)
    assert [d["id"] for d in service.rumors.debunks()] == ["d1"]


def test_a_stored_unsafe_url_is_never_linked(client: TestClient, service: Service, db: str,
                                             keys: dict[str, str]) -> None:
    service.rumors.add_debunks({"id": "old", "claim": "旧谣言", "verdict": "false", "fact_checker": "Old Checks",
                         "url": "https://checks.example/old"}, "test")
    payload = orjson.dumps({"id": "old", "claim": "旧谣言", "verdict": "false", "fact_checker": "Old Checks",
                            "url": "javascript:alert(1)"}).decode()  # a row written before URLs were checked
    tamper(db, "UPDATE debunks SET payload = ?, url = ? WHERE id = 'old'", (payload, "javascript:alert(1)"))
    assert "url" not in service.rumors.debunk("old")
    sign_in(client, keys["moderator"])
    for path in ("/console/rumors", "/console/rumors/debunk?id=old"):
        page = client.get(path).text
        assert "Old Checks" in page and 'href="javascript' not in page.lower()


def test_a_broken_chain_is_acknowledged_by_an_admin_in_the_console(client: TestClient, service: Service, db: str,
                                                                  keys: dict[str, str]) -> None:
    [(actor,)] = tamper(db, "SELECT actor FROM audit WHERE chain = 'admin' AND seq = 3")
    tamper(db, "UPDATE audit SET actor = 'someone' WHERE chain = 'admin' AND seq = 3")
    sign_in(client, keys["auditor"])
    page = client.get("/console/audit?full=1").text
    assert 'data-audit-valid="false"' in page and "data-audit-alarm" in page and "/acknowledge" not in page
    # the row is put back: the chain verifies again, but the break stays shown until acknowledged
    tamper(db, "UPDATE audit SET actor = ? WHERE chain = 'admin' AND seq = 3", (actor,))
    again = client.get("/console/audit?full=1").text
    assert 'data-audit-valid="false"' in again and "not yet acknowledged" in again
    client.cookies.clear()
    sign_in(client, keys["admin"])
    alarm_id = service.admin.audit_alarms()[0]["id"]
    token = csrf(client, "/console/audit")
    refused = client.post(f"/console/audit/alarms/{alarm_id}/acknowledge", data={"csrf": token, "note": " "})
    assert "error=refused" in refused.headers["location"]
    done = client.post(f"/console/audit/alarms/{alarm_id}/acknowledge",
                       data={"csrf": token, "note": "restored row 3 from the backup"})
    assert done.headers["location"] == "/console/audit?done=1"
    assert 'data-audit-valid="true"' in client.get("/console/audit").text
    [event] = service.admin.audit_page(kind="audit.alarm_acknowledged")
    assert event["actor"] == "admin:admin" and event["payload"] == {"note": "restored row 3 from the backup"}


def test_the_transparency_page_publishes_the_latest_checkpoint(client: TestClient, service: Service,
                                                               keys: dict[str, str]) -> None:
    sign_in(client, keys["auditor"])
    assert "No checkpoint has been signed yet" in client.get("/console/transparency").text
    assert client.get("/console/audit/checkpoint.json").status_code == 404
    document = service.admin.make_audit_checkpoint("test")
    page = client.get("/console/transparency").text
    assert f'data-audit-checkpoint="{document["seq"]}"' in page and document["signature"] in page
    download = client.get("/console/audit/checkpoint.json")
    assert download.status_code == 200 and orjson.loads(download.content) == document
    assert anchor.check_document(orjson.loads(download.content), service.protection.evidence_public_key()) == []
    listed = client.get("/v1/audit/checkpoints", headers={"Authorization": f"Bearer {keys['auditor']}"})
    assert listed.json()["checkpoints"] == [document]
    made = client.post("/v1/audit/checkpoints", headers={"Authorization": f"Bearer {keys['auditor']}"})
    assert made.status_code == 403
    made = client.post("/v1/audit/checkpoints", headers={"Authorization": f"Bearer {keys['admin']}"})
    assert made.status_code == 201 and made.json()["seq"] == document["seq"] + 1
