"""Typed calls from the routes into the service (issue 14 point 18).

Every route reaches the :class:`~clearspace.service.core.Service` through :func:`service_of` and
calls its methods directly, ``await call(service_of(request).cases.get, case_id)``, so the type
checker sees each method's name, arguments and result at the boundary (no calls by method name).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar, cast

from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from clearspace.service.core import Service

P = ParamSpec("P")
T = TypeVar("T")


def service_of(request: Request) -> Service:
    """The service the app was built over (``app.state.service``, set by :func:`clearspace.api.app.create_app`)."""
    return cast(Service, request.app.state.service)


async def call(method: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a (blocking) service method in the thread pool and answer its result."""
    return await run_in_threadpool(method, *args, **kwargs)
