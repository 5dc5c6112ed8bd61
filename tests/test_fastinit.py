"""fast_init gives frozen dataclasses the same __init__ behaviour, only faster."""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import dataclass, field
from typing import Any

import pytest

from clearspace.fastinit import fast_init
from clearspace.result import ScoreResult
from clearspace.types import Signal


def make(decorate: bool) -> type:
    @dataclass(frozen=True, slots=True)
    class Point:
        x: int
        y: int = 2
        tags: list[str] = field(default_factory=list)
        seen: tuple[int, ...] = field(default=(), compare=False)

        def __post_init__(self) -> None:
            if self.x < 0:
                raise ValueError("negative")

    return fast_init(Point) if decorate else Point


PLAIN, FAST = make(False), make(True)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((1,), {}), ((1, 3), {}), ((), {"x": 1, "tags": ["a"]}), ((1, 3, ["b"], (4,)), {}), ((1,), {"seen": (1,)})],
)
def test_same_objects_as_dataclass_init(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    plain, fast = PLAIN(*args, **kwargs), FAST(*args, **kwargs)
    assert dataclasses.astuple(plain) == dataclasses.astuple(fast)
    assert repr(plain) == repr(fast)


def test_same_errors_and_signature() -> None:
    assert str(inspect.signature(PLAIN)) == str(inspect.signature(FAST))
    for args in [(), (1, 2, [], (), 5)]:
        with pytest.raises(TypeError) as plain:
            PLAIN(*args)
        with pytest.raises(TypeError) as fast:
            FAST(*args)
        assert str(plain.value) == str(fast.value)
    with pytest.raises(ValueError, match="negative"):
        FAST(-1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        FAST(1).x = 2  # type: ignore[misc]


def test_each_default_factory_call_gives_a_new_object() -> None:
    assert FAST(1).tags is not FAST(1).tags
    assert Signal("abuse", 0.5).details is not Signal("abuse", 0.5).details
    assert ScoreResult(1, False, "allow", {}, ()).extra == {}


def test_refuses_what_it_cannot_handle() -> None:
    @dataclass
    class Mutable:
        x: int

    @dataclass(frozen=True, slots=True)
    class Hidden:
        x: int
        y: int = field(init=False, default=0)

    for cls in (Mutable, Hidden):
        with pytest.raises(TypeError):
            fast_init(cls)
