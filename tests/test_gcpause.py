from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from clearspace.engine import Engine
from clearspace.gcpause import collector_paused


@pytest.fixture()
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_inside_and_on_again_after(collector_on: None) -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_comes_back_after_an_error(collector_on: None) -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_someone_else_turned_off_stays_off(collector_on: None) -> None:
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # whoever turned it off turns it on
    gc.enable()


def test_scoring_pauses_the_collector_and_restores_it(collector_on: None, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = Engine().warm_up()
    seen: list[bool] = []
    normalize = engine.normalizer_.normalize

    def spy(text: str):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return normalize(text)

    monkeypatch.setattr(engine.normalizer_, "normalize", spy)
    engine.score("你就是个傻逼")
    results = list(engine.score_many(["thanks so much", {"text": "you idiot"}, {"bad": 1}]))
    assert seen == [False, False, False]
    assert len(results) == 3
    assert gc.isenabled()
