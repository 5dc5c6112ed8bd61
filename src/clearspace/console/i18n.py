"""The console's two languages: strings from ``data/console/messages.tsv`` (English and 中文)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Final

from clearspace.errors import LexiconError
from clearspace.text.tables import data_path, read_tsv

LANGUAGES: Final[tuple[str, ...]] = ("en", "zh")


class Catalog:
    """Every console string in every language; a missing key shows itself as ``[key]``."""

    def __init__(self, path: str | Path | None = None) -> None:
        source = path or data_path("console/messages.tsv")
        self.messages: dict[str, dict[str, str]] = {}
        for number, cols in read_tsv(source, 3):
            if cols[0] in self.messages:
                raise LexiconError(f"{source}:{number}: duplicate key {cols[0]!r}")
            self.messages[cols[0]] = dict(zip(LANGUAGES, cols[1:3], strict=True))

    def get(self, key: str, lang: str) -> str:
        entry = self.messages.get(key)
        return entry.get(lang, entry["en"]) if entry else f"[{key}]"

    def rule_description(self, rule: str, description: str, lang: str) -> str:
        """A policy rule's description in ``lang``: the catalogue's ``rule.NAME`` (``NAME`` without
        its ``@version``) when it has one, else the description the policy file gives."""
        entry = self.messages.get("rule." + rule.split("@", 1)[0])
        return entry.get(lang, entry["en"]) if entry else description

    def value(self, group: str, value: object, lang: str) -> str:
        """A stored value (a status, a kind, a category ...) in ``lang``: the string ``group.value``,
        or the value itself when the catalogue has none (an operator's own category, say)."""
        text = "" if value is None else str(value)
        entry = self.messages.get(f"{group}.{text}")
        return entry.get(lang, entry["en"]) if entry else text


def choose_language(cookie: str | None, accept_language: str | None) -> str:
    """The console language: the visitor's choice, else the browser's first known language, else English."""
    if cookie in LANGUAGES:
        return str(cookie)
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag[:2] in LANGUAGES:
            return tag[:2]
    return "en"


def translator(catalog: Catalog, lang: str) -> Callable[[str], str]:
    """``t(key)`` for templates, in ``lang``."""
    return partial(_lookup, catalog, lang)


def _lookup(catalog: Catalog, lang: str, key: str) -> str:
    return catalog.get(key, lang)


def value_translator(catalog: Catalog, lang: str) -> Callable[[str, object], str]:
    """``tv(group, value)`` for templates: a stored value in ``lang`` (itself when not in the catalogue)."""
    return partial(_value, catalog, lang)


def _value(catalog: Catalog, lang: str, group: str, value: object) -> str:
    return catalog.value(group, value, lang)
