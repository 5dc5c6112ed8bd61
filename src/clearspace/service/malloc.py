"""A fixed glibc mmap threshold for long-running processes (``serve``, its workers, ``worker``).

glibc serves a large allocation (128 KiB and more, at first) with its own ``mmap`` and gives it back
to the system when it is freed; but each time such a block is freed it raises that threshold to the
block's size (up to 32 MiB), so later blocks of that size come from the heap, and a heap that has
grown for one burst of large temporaries (scoring a batch with a 20,000-character text builds
arrays of several MiB) may stay grown for good: the soak benchmark saw RSS step up by 8 to 10 MiB
within seconds, at the same point of its fixed-seed load, and never come back. Setting the
threshold explicitly turns that adjustment off, so a block past it is always mapped and unmapped on
its own. ``malloc_mmap_threshold_kib`` (default 1024) is the threshold; 0 leaves glibc as it is, and
so does a ``MALLOC_MMAP_THRESHOLD_`` variable in the environment (the operator's own choice). Other C
libraries (musl, macOS) are left alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3  # mallopt's parameter number in glibc's malloc.h


def fix_mmap_threshold(kib: int) -> bool:
    """Set glibc's mmap threshold to ``kib`` KiB (no dynamic adjustment); whether it was set."""
    if kib <= 0 or "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc: nothing to tune
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    if mallopt(M_MMAP_THRESHOLD, kib * 1024) != 1:
        log.warning("could not set the malloc mmap threshold to %d KiB", kib)
        return False
    return True
