"""One long hostile post must not hold up anyone else (issue 11, point 3): a 20,000-character event of
one repeated character class is matched against the debunk registry, ingested and scored fast (the
signature pattern made one of em-dashes take 18 s, in the ingest thread every request waits on)."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearspace.service.core import Service

LONG = 20_000
BUDGET_S = 2.0
"""Per request, on a shared machine; the quadratic patterns took 4 to 18 s here."""
UNITS = [" ", "—", "–", "— ", "\n", "a", "aа", "我", "12", "@a ", "#a", ".", "“", "😀", "\u3000", "sb ",
         "我是河南人他们", "“你”我靠他们跨性别者", "I'm gay they them "]
WATER: dict[str, Any] = {"id": "water", "claim": "喝热水可以杀死新冠病毒", "verdict": "false",
                         "variants": ["Drinking hot water kills the coronavirus"], "url": "https://fc.example/water",
                         "fact_checker": "Example Check"}
FIVE_G: dict[str, Any] = {"id": "5g", "claim": "5G towers spread the coronavirus", "verdict": "fabricated"}


class Hang(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _text(unit: str) -> str:
    if unit == "a":  # one Cyrillic letter first: the confusables step runs over the long Latin run
        return "а " + "a" * (LONG - 2)
    return (unit * (LONG // len(unit) + 1))[:LONG]


@pytest.fixture
def registry(client: TestClient, h: dict[str, dict[str, str]]) -> None:
    for debunk in (WATER, FIVE_G):
        assert client.post("/v1/debunks", json=debunk, headers=h["moderator"]).status_code in (200, 201)


@pytest.mark.parametrize("unit", UNITS, ids=[repr(u) for u in UNITS])
def test_a_long_event_is_matched_and_ingested_fast(client: TestClient, h: dict[str, dict[str, str]], registry: None,
                                                   service: Service, unit: str) -> None:
    text = _text(unit)
    with _deadline(30):
        start = time.perf_counter()
        r = client.post("/v1/match", json={"posts": [{"id": "p", "text": text}]}, headers=h["moderator"])
        matched = time.perf_counter() - start
        start = time.perf_counter()
        ingested = client.post("/v1/events", json={"id": "long", "text": text}, headers=h["ingest"])
        took = time.perf_counter() - start
    assert r.status_code == 200 and ingested.status_code == 200
    assert matched < BUDGET_S and took < BUDGET_S, (matched, took)
    assert service.ingest.has_event("long")


@pytest.mark.parametrize("unit", UNITS, ids=[repr(u) for u in UNITS])
def test_the_real_engine_scores_a_long_event_fast(engine: Any, unit: str) -> None:
    text = _text(unit)
    with _deadline(30):
        start = time.perf_counter()
        engine.score(text)
        took = time.perf_counter() - start
    assert took < BUDGET_S, took
