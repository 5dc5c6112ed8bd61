"""Every visible string of the console comes from the catalogue, in both languages.

Two checks: the templates hold no literal visible text outside ``t(...)`` calls (static), and every
page rendered in Chinese over data that covers every badge, kind and state shows no English word
outside user content, ids and code (dynamic).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.console.i18n import Catalog
from clearspace.text.tables import data_path

TEMPLATES = Path(data_path("console/templates"))
VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
WORD = re.compile(r"[A-Za-z]{2,}|[\u4e00-\u9fff]+")


def literal_text(source: str) -> list[str]:
    """Words a template shows that do not come from an expression (``{{ ... }}``)."""
    text = re.sub(r"{#.*?#}", " ", source, flags=re.S)
    text = re.sub(r"{%.*?%}", " ", text, flags=re.S)
    text = re.sub(r"{{.*?}}", " ", text, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    shown = [html.unescape(v) for a in VISIBLE_ATTRIBUTES for v in re.findall(rf'\s{a}="([^"]*)"', text)]
    body = re.sub(r"<[^>]*>", " ", text)
    return WORD.findall(html.unescape(body)) + [w for v in shown for w in WORD.findall(v)]


def test_literal_text_is_found_and_expressions_are_not() -> None:
    assert literal_text('<p title="Hello">{{ t("x") }} lifted: {% if a %}x{% endif %}</p>') == ["lifted", "Hello"]
    assert literal_text('<code>{{ r.id }}</code> · → – {{ "%.2f"|format(v) }} <b>中文</b>') == ["中文"]


def test_templates_show_no_literal_text() -> None:
    found = {path.name: literal_text(path.read_text(encoding="utf-8")) for path in sorted(TEMPLATES.glob("*.html"))}
    assert len(found) >= 15
    assert {name: words for name, words in found.items() if words} == {}


def test_the_catalogue_has_both_languages_for_every_key() -> None:
    catalog = Catalog()
    assert not [k for k, v in catalog.messages.items() if not (v["en"].strip() and v["zh"].strip())]
    used: set[str] = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"\bt\('([\w.-]+)'\)", template.read_text(encoding="utf-8")))
    assert sorted(k for k in used if k not in catalog.messages) == []


# ---------------------------------------------------------------------------------------- every page in 中文
ENGLISH = re.compile(r"[A-Za-z]{2,}")
ID = re.compile(r"\b[a-z]+(?:[_-][a-z0-9]+)*[_-][0-9a-f]*\d[0-9a-f]*\b")
ALLOWED = {"clearspace", "English", "Enter", "Ctrl", "UTC", "CSV", "JSON", "AI", "API", "ID"}
"""English a Chinese page may show: the product's name, the switch to English, key names, formats."""
SKIPPED_TAGS = {"script", "style", "code", "kbd", "pre"}
GROUPS = ("kind", "status", "category", "action", "surface", "signal", "verdict", "change", "note", "appellant",
          "outcome", "role", "restriction", "language", "lane")


class VisibleText(HTMLParser):
    """The text a reader sees (and visible attributes), minus user content: elements marked
    ``translate="no"`` or ``lang="und"`` and code; those are collected apart in ``kept``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.shown: list[str] = []
        self.kept: list[str] = []
        self._kept_now: list[list[str]] = []

    def _skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        skip = tag in SKIPPED_TAGS or found.get("translate") == "no" or found.get("lang") == "und"
        if not self._skipping() and not skip:
            self.shown += [v for k, v in attrs if k in VISIBLE_ATTRIBUTES and v]
        if not self._skipping() and found.get("translate") == "no":
            self._kept_now.append([])
        if tag not in ("br", "input", "meta", "link", "img", "hr"):
            self.stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            name, skip = self.stack.pop()
            if skip and not self._skipping() and self._kept_now:
                self.kept.append("".join(self._kept_now.pop()).strip())
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._skipping():
            if self._kept_now:
                self._kept_now[-1].append(data)
        else:
            self.shown.append(data)


def english_left(page: str) -> tuple[list[str], list[str]]:
    """English words a Chinese page shows outside user content, and what it kept as user content."""
    parser = VisibleText()
    parser.feed(page)
    words = [w for text in parser.shown for w in ENGLISH.findall(ID.sub(" ", text)) if w not in ALLOWED]
    return words, parser.kept


def test_visible_text_leaves_out_user_content_and_code() -> None:
    page = ('<p title="Masked">案件 <code>case_00ab</code> <bdi translate="no">troll_6 <b>x</b></bdi> '
            '<span lang="und">you idiot</span> open</p>')
    words, kept = english_left(page)
    assert words == ["Masked", "open"] and kept == ["troll_6 x"]


def rich_community(service: Any) -> dict[str, str]:
    """The demo community plus every state a page can show: a closed case, a reversed appeal, an
    active shield with a held item, restrictions, debunks (active and retracted) with labels
    waiting and a crowd note. Returns a few ids the pages need."""
    from clearspace.protection.shield import Interaction, make_shield
    from clearspace.service.demo import TARGET, fill_demo

    fill_demo(service)
    case = service.cases.next("moderator:demo-moderator", lane="standard")
    decision = service.cases.decide(case["id"], "moderator:demo-moderator", "remove", "abuse", "自我测试的处理理由。")
    pending = service.cases.appeals("pending", 10)
    service.cases.decide_appeal(pending[0]["id"], "senior_moderator:demo-senior", "reversed", "复核后撤销。")
    service.cases.file_appeal(decision["id"], case["account"], "我只是开玩笑。", "test")  # an open appeal case
    service.cases.batch_action("senior_moderator:demo-senior", "threat", "参与网暴。", accounts=["demo_troll_7"])
    moderator = "moderator:demo-moderator"
    service.protection.activate(make_shield(TARGET, now=service.protection.epoch(), days=7, surfaces=["comments",
                                                                                                      "dms"],
                                        audience="strangers", activated_by=f"console:{moderator}"), moderator)
    service.protection.check(TARGET, Interaction(author="demo_stranger", surface="comments", hostility=0.2),
                              item_id="held-1", text="你好，我想问一下")
    claim = "喝热水可以杀死新冠病毒"
    service.rumors.add_debunks([{"id": "dbk-water-1", "claim": claim, "verdict": "false", "language": "zh",
                          "fact_checker": "核查机构", "url": "https://checks.example/1"},
                         {"id": "dbk-old-2", "claim": "某地发生地震是人为制造的", "verdict": "misleading",
                          "language": "zh"}], "test")
    service.rumors.retract_debunk("dbk-old-2", "moderator:demo-moderator", "证据不足")
    service.ingest.events([{"id": "r1", "author": "aunt_li", "text": claim}], actor="test")
    note = service.rumors.write_note("r1", "note_writer", "多项研究表明热水不能杀死病毒。")
    service.rumors.rate_note(note["id"], "rater_1", "yes")
    return {"closed": case["id"], "decision": decision["id"]}


def zh_pages(client: TestClient, service: Any) -> dict[str, str]:
    """Every page the console has, in Chinese, over the rich community."""
    paths = ["/console/", "/console/incidents", "/console/appeals", "/console/rumors?q=喝热水杀死新冠",
             "/console/rumors/debunk?id=dbk-water-1", "/console/rumors/debunk?id=dbk-old-2", "/console/audit",
             "/console/transparency", "/console/protection?account=demo_xiaoyu", "/console/accounts", "/console/bus"]
    paths += [f"/console/?lane={lane}" for lane in ("pileon", "severity", "appeal", "standard")]
    every = service.cases.queue(limit=100) + service.cases.queue(status="closed", limit=100)
    paths += [f"/console/cases/{c['id']}" for c in every]
    paths += [f"/console/incidents/{i['id']}" for i in service.protection.incidents(None, limit=10)]
    appeals = service.cases.appeals("pending", 50) + service.cases.appeals("decided", 50)
    paths += [f"/console/appeals/{a['id']}" for a in appeals]
    authors = {"demo_troll_7", "demo_sun", "demo_wu", "demo_zhou", "demo_he", "aunt_li"}
    paths += [f"/console/accounts?account={a}" for a in sorted(authors)]
    pages = {}
    for path in paths:
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.text[-300:])
        pages[path] = answer.text
    client.cookies.clear()
    client.cookies.set("cs_lang", "zh", path="/console")
    pages["/console/login"] = client.get("/console/login").text
    return pages


def test_every_chinese_page_is_chinese(open_service: Callable[..., Any]) -> None:
    from clearspace.service.settings import Settings

    # 39 pages in a row are faster than a person: lift the console's rate limit for this walk
    service = open_service(settings=Settings(console_rate_limit=10_000.0))
    ids = rich_community(service)
    key = service.admin.create_key("admin", name="chief")[1]
    catalog = Catalog()
    values = {k.split(".", 1)[1] for k in catalog.messages if k.split(".", 1)[0] in GROUPS}
    with TestClient(create_app(service, console_secret="s" * 32), follow_redirects=False) as client:
        client.cookies.set("cs_lang", "zh", path="/console")
        assert client.post("/console/login", data={"key": key}).status_code == 303
        pages = zh_pages(client, service)
    assert len(pages) >= 30
    assert f"/console/cases/{ids['closed']}" in pages
    cases = service.cases.queue(limit=100) + service.cases.queue(status="closed", limit=100)
    assert {c["kind"] for c in cases} == {"item", "account", "incident", "appeal"}
    assert service.cases.appeals("pending", 50) and service.cases.appeals("decided", 50)
    english: dict[str, list[str]] = {}
    for path, page in pages.items():
        words, kept = english_left(page)
        if words:
            english[path] = sorted(set(words))
        # user content is never a word the catalogue translates (a status shown raw and marked as data)
        assert not [k for k in kept if k in values], (path, [k for k in kept if k in values])
    assert english == {}, english
