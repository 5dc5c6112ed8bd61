"""Console sign-out ends the session in the store (issue 11, point 8) on SQLite and PostgreSQL:
the old cookie stops working in every process over the database."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.console.session import COOKIE
from clearspace.service.core import Service
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store


def test_sign_out_ends_the_session_for_every_process(store_url: str) -> None:
    first, second = (Service(open_store(store_url), engine=KeywordEngine()) for _ in range(2))
    _, key = first.admin.create_key("moderator", name="night|shift")
    apps = [TestClient(create_app(s, console_secret="k" * 32), follow_redirects=False) for s in (first, second)]
    with apps[0] as one, apps[1] as two:
        assert one.post("/console/login", data={"key": key, "next": "/console/"}).status_code == 303
        old = one.cookies[COOKIE]
        two.cookies.set(COOKIE, old, path="/console")
        page = one.get("/console/")
        assert page.status_code == 200 and two.get("/console/").status_code == 200
        token = re.search(r'name="csrf" value="(\w+)"', page.text).group(1)  # type: ignore[union-attr]
        assert one.post("/console/logout", data={"csrf": token}).status_code == 303
        one.cookies.clear()
        one.cookies.set(COOKIE, old, path="/console")
        assert one.get("/console/").headers["location"].startswith("/console/login")
        assert two.get("/console/").headers["location"].startswith("/console/login")
    kinds = [r["kind"] for r in second.admin.audit_page(limit=3)]
    assert kinds[:2] == ["console.signed_out", "console.signed_in"]
    first.store.close()
    second.store.close()
