"""A fixed glibc mmap threshold keeps one burst of large blocks from growing the heap for good (issue 11, point 10)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from clearspace.errors import InputError
from clearspace.service.malloc import fix_mmap_threshold
from clearspace.service.settings import Settings


def _glibc() -> bool:
    try:
        return sys.platform.startswith("linux") and os.confstr("CS_GNU_LIBC_VERSION") is not None
    except (ValueError, OSError):
        return False


pytestmark = pytest.mark.skipif(not _glibc(), reason="glibc's malloc only")

PROBE = textwrap.dedent("""
    import sys
    from pathlib import Path
    from clearspace.service.malloc import fix_mmap_threshold

    def heap_kib():
        total, inside = 0, False
        for line in Path("/proc/self/smaps").read_text().splitlines():
            first = line.split(maxsplit=1)[0]
            if "-" in first and all(c in "0123456789abcdef-" for c in first):
                inside = line.endswith("[heap]")
            elif inside and line.startswith("Size:"):
                total += int(line.split()[1])
        return total

    fixed = fix_mmap_threshold(int(sys.argv[1]))
    burst = bytearray(16 << 20)  # one large block, freed: glibc would raise its threshold to 16 MiB
    del burst
    before = heap_kib()
    kept = [bytearray(4 << 20) for _ in range(4)]
    print(fixed, heap_kib() - before)
""")


def _heap_growth(kib: int, env: dict[str, str] | None = None) -> tuple[bool, int]:
    out = subprocess.run([sys.executable, "-c", PROBE, str(kib)], capture_output=True, text=True, check=True,
                         env={**os.environ, **(env or {})}).stdout.split()
    return out[0] == "True", int(out[1])


def test_large_blocks_stay_out_of_the_heap_once_the_threshold_is_fixed() -> None:
    fixed, grown = _heap_growth(1024)
    assert fixed and grown < 2048  # 16 MiB of 4 MiB blocks, each mapped on its own
    unfixed, grown_by_default = _heap_growth(0)
    assert not unfixed and grown_by_default >= 12 * 1024  # glibc's own: they went into the heap


def test_the_operators_own_variable_wins() -> None:
    fixed, _ = _heap_growth(1024, {"MALLOC_MMAP_THRESHOLD_": "131072"})
    assert not fixed


def test_the_setting_is_checked() -> None:
    assert Settings().malloc_mmap_threshold_kib == 1024
    with pytest.raises(InputError, match="malloc_mmap_threshold_kib"):
        Settings(malloc_mmap_threshold_kib=-1)
    with pytest.raises(InputError, match="malloc_mmap_threshold_kib"):
        Settings(malloc_mmap_threshold_kib=40_000)
    assert not fix_mmap_threshold(0)
