"""A live clearspace server with a small community, and headless Chromium to drive its console.

The browser is Debian's ``chromium`` (``scripts/test.sh`` installs it); Playwright never downloads
one. Outside CI the browser tests skip with a reason when it is missing; under ``CI=true`` they fail.
Screenshots go to ``$CLEARSPACE_ARTIFACTS`` (default ``artifacts/``) under ``console/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.service.reports import ReportIn
from clearspace.service.stub_engine import KeywordEngine
from clearspace.store import open_store

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("CLEARSPACE_ARTIFACTS", Path(__file__).resolve().parents[2] / "artifacts")) / "console"
ROLES = ("ingest", "moderator", "senior_moderator", "auditor", "admin")
TARGET = "lin_xiaoyu"
PILE_ON = ("你就是个傻逼", "大家一起骂她", "去死吧", "sb 滚", "nmsl", "你这个贱人", "我要杀了你", "傻逼一个")


@dataclass
class Live:
    """The running server: its base URL, service and one key per role."""

    url: str
    service: Service
    keys: dict[str, str]
    db: str


def community(service: Service) -> None:
    """Posts (friendly, rude, doxxing), a pile-on against one person, reports from a trusted flagger."""
    posts = [
        {"id": "p-hello", "author": "chen", "text": "今天的读书会很愉快，下周见！", "surface": "post"},
        {"id": "p-rude", "author": "sun_rude", "text": "你就是个傻逼，滚出这个群", "surface": "comment",
         "target_user": "wang"},
        {"id": "p-dox", "author": "wu_dox", "text": "他的手机号是13800001234，住在幸福小区，大家去找他",
         "surface": "post"},
        {"id": "p-critic", "author": "zheng", "text": "The referee made some questionable calls.",
         "surface": "comment"},
    ]
    pile = [{"id": f"pile-{i}", "author": f"troll_{i}", "text": text, "target_user": TARGET, "surface": "comment",
             "parent": "p-hello"} for i, text in enumerate(PILE_ON)]
    service.ingest.events(posts + pile, actor="fixture")
    service.cases.set_trusted_flagger("ngo_helpline", True, "fixture")
    service.cases.file_report(ReportIn(reporter="ngo_helpline", category="threat", item="pile-6",
                                 explanation="Death threat against a private person."), "fixture")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live(module_store_url: str) -> Iterator[Live]:
    """The server over a database of each backend, for the browser tests of one module."""
    service = Service(open_store(module_store_url), engine=KeywordEngine())
    keys = {role: service.admin.create_key(role, name=f"e2e-{role}")[1] for role in ROLES}
    community(service)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(service), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the console test server did not start")
        time.sleep(0.05)
    try:
        yield Live(f"http://127.0.0.1:{port}", service, keys, module_store_url)
    finally:
        server.should_exit = True
        thread.join(10)
        service.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: scripts/test.sh installs Debian's chromium")
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    try:
        yield pg
    finally:
        context.close()


def shot(page: Any, name: str) -> Path:
    """Keep a full-page screenshot as a test artefact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Any, live: Live, role: str) -> None:
    page.goto(f"{live.url}/console/login")
    page.fill("#key", live.keys[role])
    page.click("button[type=submit]")
    page.wait_for_url(f"{live.url}/console/**")


@pytest.fixture
def service(store_url: str) -> Iterator[Service]:
    """A service over a fresh database of each backend with the synthetic community (keyword stand-in engine)."""
    service = Service(open_store(store_url), engine=KeywordEngine(), ids=IdFactory(counter_token()))
    community(service)
    yield service
    service.close()


@pytest.fixture
def keys(service: Service) -> dict[str, str]:
    return {role: service.admin.create_key(role, name=role)[1] for role in ROLES}


@pytest.fixture
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(create_app(service, console_secret="s" * 32), follow_redirects=False) as c:
        yield c
