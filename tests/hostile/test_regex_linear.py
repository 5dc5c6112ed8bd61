"""Every regular expression that can see user text runs in linear time (issue 11, point 3).

The patterns are collected, not listed: every compiled pattern reachable from the globals of every
clearspace module and from a warmed-up :class:`~clearspace.engine.Engine` (its normalizer and
detectors compile theirs on first use), so a new pattern is tested the day it is added. Each one
runs (``finditer`` to the end, i.e. every start position, as ``search``/``sub``/``findall`` do)
over long runs of every kind of character; the time for ``4n`` characters must stay within a
linear budget of the time for ``n``, and a hard alarm fails a pattern that hangs rather than
stalling the suite.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import signal
import time
from collections.abc import Iterator
from types import FrameType
from typing import Any

import pytest

import clearspace

N = 5_000
"""Characters of the short run; the long run has 4N (20k, an event's most), a second look 16N (80k)."""
HARD_LIMIT_S = 5
"""A single run past this is a hang: the test fails at once."""
NOISE_S = 0.01
"""Below this a long run is too fast to judge by ratio."""
MAX_RATIO = 9.0
"""Linear growth gives about 4; quadratic about 16."""
CONFIRM_S = 0.1
"""At 16n (160k characters) a quadratic pattern takes seconds; a spike of a shared machine under this
is noise, not the pattern."""

UNITS = [
    " ", "\t", "\n", "\u3000", "\u200b", "—", "–", "-", "—a", "a—", "— ", " —", "——", "_", ".", "。", "!", "！", "?",
    ",", "，", ":", ";", '"', "“", "”", "'", "’", "`", "(", ")", "(@", "@", "@a", "#", "#a", "#a#", "a#", "/", "\\",
    "|", "*", "~", "+", "=", "0", "1", "9", "1 ", "1-", "12", "a", "A", "aA", "Ab", "a ", "a.", "a-", "ab", "q", "qq",
    "w", "v", "sb", "nmsl", "я", "а", "α", "ı", "ａ", "我", "你好", "微", "号", "楼", "京A", "我 ", "我.", "a我1", "a1",
    "1a", "x@", "a@b.", "http://", "www.", "@a (@b) ", "— A (@b) ", "a" * 79 + "—", "😀", "👍🏻", "\u202e", "\ufeff",
    "Jan 1, 2020 ", "(0", "+8", "+86 ", "00", "010-", "400-", "1 2", "a b", "a b ", "ab cd ", "我 们",
]


def _walk(obj: Any, found: dict[tuple[str, int], tuple[re.Pattern[str], str]], where: str, depth: int,
          seen: set[int]) -> None:
    if id(obj) in seen or depth > 6:
        return
    seen.add(id(obj))
    if isinstance(obj, re.Pattern):
        if isinstance(obj.pattern, str):
            found.setdefault((obj.pattern, obj.flags), (obj, where))
    elif isinstance(obj, dict):
        for key, value in list(obj.items()):
            _walk(value, found, f"{where}[{str(key)[:24]}]", depth + 1, seen)
    elif isinstance(obj, list | tuple | set | frozenset):
        for i, value in enumerate(list(obj)[:10_000]):
            _walk(value, found, f"{where}[{i}]", depth + 1, seen)
    elif type(obj).__module__.startswith("clearspace"):
        if hasattr(obj, "__dict__"):
            _walk(vars(obj), found, where, depth, seen)
        for name in getattr(type(obj), "__slots__", ()):
            if hasattr(obj, name):
                _walk(getattr(obj, name), found, f"{where}.{name}", depth + 1, seen)


def collect(engine: Any) -> dict[str, re.Pattern[str]]:
    """Every compiled text pattern reachable from clearspace's modules and from ``engine``, by where it lives."""
    found: dict[tuple[str, int], tuple[re.Pattern[str], str]] = {}
    seen: set[int] = set()
    for info in pkgutil.walk_packages(clearspace.__path__, "clearspace."):
        if info.name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional extra that is not installed
            continue
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern | dict | list | tuple):
                _walk(value, found, f"{info.name}.{name}", 0, seen)
    _walk(engine, found, "engine", 0, seen)
    return {where: pattern for pattern, where in found.values()}


class Hang(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


def _time(pattern: re.Pattern[str], text: str) -> float:
    start = time.perf_counter()
    for _ in pattern.finditer(text):
        pass
    return time.perf_counter() - start


def _confirm(pattern: re.Pattern[str], long: str, t_long: float) -> str:
    """A second look one size up: from 4n to 16n characters linear time grows about 4 times, quadratic
    16 times. Answers what was seen when it is not linear, else ""."""
    signal.alarm(4 * HARD_LIMIT_S)
    try:
        t_long = min(t_long, *(_time(pattern, long) for _ in range(3)))
        longer = long * 4
        t_longer = min(_time(pattern, longer) for _ in range(3))
    except Hang:
        return f"{4 * N} chars in {t_long * 1e3:.1f} ms, {16 * N} chars past {4 * HARD_LIMIT_S} s"
    finally:
        signal.alarm(0)
    if t_longer > MAX_RATIO * t_long and t_longer > CONFIRM_S:
        return f"{t_long * 1e3:.1f} ms for {4 * N}, {t_longer * 1e3:.1f} ms for {16 * N}"
    return ""


def _inputs() -> Iterator[tuple[str, str, str]]:
    for unit in UNITS:
        short = (unit * (N // len(unit) + 1))[:N]
        yield unit, short, short * 4


@pytest.fixture(scope="module")
def patterns(engine: Any) -> dict[str, re.Pattern[str]]:
    return collect(engine)


def test_the_collection_finds_the_patterns_that_see_user_text(patterns: dict[str, re.Pattern[str]]) -> None:
    where = set(patterns)
    for expected in ("clearspace.rumors.tokenize._SIGNATURE", "clearspace.text.normalize._LATIN_SPACED",
                     "clearspace.rumors.passages._QUOTED", "engine[normalizer_][long_alias_re_]"):
        assert expected in where
    assert any(w.startswith("engine[detectors_]") and "regexes_" in w for w in where)  # PII, compiled on first use
    assert any(w.endswith(".mention") for w in where)  # incitement
    assert len(patterns) >= 60


def test_every_pattern_is_linear_on_adversarial_input(patterns: dict[str, re.Pattern[str]]) -> None:
    previous = signal.signal(signal.SIGALRM, _alarm)
    slow: list[str] = []
    try:
        for where, pattern in sorted(patterns.items()):
            for unit, short, long in _inputs():
                signal.alarm(HARD_LIMIT_S)
                try:
                    t_short = _time(pattern, short)
                    t_long = _time(pattern, long)
                except Hang:
                    slow.append(f"{where} hangs on {unit!r} runs")
                    continue
                finally:
                    signal.alarm(0)
                if t_long > NOISE_S and t_long > MAX_RATIO * max(t_short, NOISE_S / 4):
                    problem = _confirm(pattern, long, t_long)  # caches and a busy machine blur short runs
                    if problem:
                        slow.append(f"{where} on {unit!r} runs: {t_short * 1e3:.1f} ms for {N} chars, {problem}")
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert not slow, "super-linear patterns:\n" + "\n".join(slow)
