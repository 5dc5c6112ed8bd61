"""Pausing Python's cyclic garbage collector while a batch is scored.

Scoring a post allocates a few hundred short-lived objects (signals, spans, scores), none of them
in reference cycles: reference counting frees them all. Python's collector still runs a young
collection every 700 net allocations and walks the survivors each time, which costs about 8% of
the fast path. :func:`collector_paused` turns it off for the length of a batch; collections
resume, with everything the batch left counted, as soon as the batch ends.

The collector is process-wide: when it is already off (the caller turned it off, or another
thread's batch is running), the pause leaves it alone, so whoever turned it off turns it back on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the body with the cyclic garbage collector off, if it was on."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
