"""A faster ``__init__`` for the frozen, slotted dataclasses built for every scored post.

``@dataclass(frozen=True)`` writes an ``__init__`` that sets each field through
``object.__setattr__(self, "name", value)``, which looks the attribute up by name on every
call. :func:`fast_init` replaces it with one that calls each slot's descriptor directly:
the same signature, defaults, default factories and ``__post_init__`` call, and the same
object at the end, in about two thirds of the time::

    @fast_init
    @dataclass(frozen=True, slots=True)
    class Signal: ...
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

C = TypeVar("C", bound=type)


class _Factory:
    """Default of a field with a default factory (shown like the one dataclasses uses)."""

    def __repr__(self) -> str:
        return "<factory>"


def fast_init(cls: C) -> C:
    """Give a frozen dataclass with ``slots=True`` a faster, equivalent ``__init__``.

    Raises ``TypeError`` for a class it cannot handle (not a frozen, slotted dataclass, or
    with ``init=False``, keyword-only or ``InitVar`` fields).
    """
    params = getattr(cls, "__dataclass_params__", None)
    fields = dataclasses.fields(cls) if params is not None else ()
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: fast_init needs @dataclass(frozen=True, slots=True) applied first")
    if any(not f.init or f.kw_only for f in fields) or len(fields) != len(cls.__dict__["__dataclass_fields__"]):
        raise TypeError(f"{cls.__name__}: fast_init does not handle init=False, kw_only or InitVar fields")
    factory = _Factory()
    namespace: dict[str, Any] = {"_FACTORY": factory}
    arguments: list[str] = []
    body: list[str] = []
    for i, f in enumerate(fields):
        namespace[f"_set{i}"] = cls.__dict__[f.name].__set__
        value = f.name
        if f.default is not dataclasses.MISSING:
            namespace[f"_default{i}"] = f.default
            arguments.append(f"{f.name}=_default{i}")
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f"_factory{i}"] = f.default_factory
            arguments.append(f"{f.name}=_FACTORY")
            value = f"_factory{i}() if {f.name} is _FACTORY else {f.name}"
        else:
            arguments.append(f.name)
        body.append(f"    _set{i}(self, {value})")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    exec(f"def __init__(self, {', '.join(arguments)}):\n" + "\n".join(body or ["    pass"]), namespace)  # noqa: S102
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    generated = cls.__dict__["__init__"]
    init.__doc__ = generated.__doc__
    init.__annotations__ = dict(generated.__annotations__)
    cls.__init__ = init  # type: ignore[misc]
    return cls
