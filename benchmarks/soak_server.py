"""``clearspace serve`` with a memory probe beside it, for the soak (``bench_soak.py --probe``).

    python benchmarks/soak_server.py STATS_FILE [--every 10] [--tracemalloc FRAMES --snapshots DIR] -- serve --db ...
    python benchmarks/soak_server.py --diff DIR [--skip 1] [--top 25]

Runs the ``clearspace`` command given after ``--`` in this process (the same code as ``python -m
clearspace``) and a daemon thread that every ``--every`` seconds appends one JSON line to STATS_FILE:
the time, VmRSS, the Python heap as pymalloc's allocated blocks (``sys.getallocatedblocks``, cheap),
the garbage collector's counts and the longest run of each generation since the last line,
``/proc/self/smaps_rollup``'s anonymous and private memory, the number
of threads, and, with ``--tracemalloc``, the heap tracemalloc traces. With ``--snapshots`` a tracemalloc
snapshot is written there every ``--every`` seconds as well (``snap-NNNN.pickle``) to diff later
(``--diff DIR``: the lines whose allocations grew most from the first snapshot after warm-up to the
last). Nothing here is part of the server: the probe only reads.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import sys
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any


def smaps() -> dict[str, int]:
    """KiB figures of ``/proc/self/smaps_rollup`` (Rss, Anonymous, Private_Dirty, ...)."""
    out = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            out[name] = int(parts[0])
    return out


def heap_kib() -> int:
    """Resident KiB of glibc's main heap (the ``[heap]`` mappings: what the main arena holds)."""
    total, in_heap = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if line[:1] in "0123456789abcdef" and "-" in line.split(maxsplit=1)[0]:
            in_heap = line.endswith("[heap]")
        elif in_heap and line.startswith("Rss:"):
            total += int(line.split()[1])
    return total


class Collections:
    """How long the garbage collector's runs took, per generation, since the last :meth:`take`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._began = 0.0
        self._runs: dict[int, list[float]] = {0: [], 1: [], 2: []}

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
            return
        with self._lock:
            self._runs[info["generation"]].append(time.perf_counter() - self._began)

    def take(self) -> dict[str, Any]:
        with self._lock:
            runs, self._runs = self._runs, {0: [], 1: [], 2: []}
        out: dict[str, Any] = {}
        for gen, times in runs.items():
            out[f"gc{gen}_runs"] = len(times)
            out[f"gc{gen}_max_ms"] = round(1000 * max(times), 1) if times else 0.0
        return out


def stats(started: float) -> dict[str, Any]:
    rollup = smaps()
    row: dict[str, Any] = {"t": round(time.monotonic() - started, 1), "rss_kib": rollup.get("Rss", 0),
                           "anon_kib": rollup.get("Anonymous", 0), "private_dirty_kib": rollup.get("Private_Dirty", 0),
                           "python_blocks": sys.getallocatedblocks(), "gc_counts": list(gc.get_count()),
                           "gc_frozen": gc.get_freeze_count(), "threads": threading.active_count(),
                           "heap_kib": heap_kib()}
    if tracemalloc.is_tracing():
        row["traced_kib"] = tracemalloc.get_traced_memory()[0] // 1024
    return row


def probe(path: Path, every: float, snapshots: Path | None, trim: float, maps: Path | None) -> None:
    started = time.monotonic()
    collections = Collections()
    gc.callbacks.append(collections)
    n = 0
    trimmed = started
    release = ctypes.CDLL("libc.so.6").malloc_trim if trim else None
    while True:
        time.sleep(every)
        if release is not None and time.monotonic() - trimmed >= trim:
            release(0)
            trimmed = time.monotonic()
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(stats(started) | collections.take()) + "\n")
        if maps is not None:
            (maps / f"smaps-{n:04d}.txt").write_text(Path("/proc/self/smaps").read_text())
        if snapshots is not None and tracemalloc.is_tracing():
            tracemalloc.take_snapshot().dump(str(snapshots / f"snap-{n:04d}.pickle"))
        n += 1


def diff(folder: Path, skip: int, top: int) -> None:
    """The lines whose traced allocations grew most from snapshot ``skip`` to the last."""
    files = sorted(folder.glob("snap-*.pickle"))
    first, last = tracemalloc.Snapshot.load(str(files[skip])), tracemalloc.Snapshot.load(str(files[-1]))
    print(f"{files[skip].name} -> {files[-1].name}")
    for stat in last.compare_to(first, "traceback")[:top]:
        frames = [f"{Path(f.filename).name}:{f.lineno}" for f in reversed(stat.traceback)][:6]
        print(f"{stat.size_diff / 1024:+9.0f} KiB {stat.count_diff:+8d}  {' < '.join(frames)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stats", type=Path, nargs="?", help="File the probe appends JSON lines to.")
    parser.add_argument("--every", type=float, default=10.0, help="Seconds between probe lines (default 10).")
    parser.add_argument("--tracemalloc", type=int, default=0, help="Trace the heap with this many frames.")
    parser.add_argument("--snapshots", type=Path, help="Folder for tracemalloc snapshots.")
    parser.add_argument("--trim", type=float, default=0.0,
                        help="Experiment: call glibc's malloc_trim(0) every so many seconds (default never).")
    parser.add_argument("--smaps", type=Path, help="Experiment: keep a copy of /proc/self/smaps here every line.")
    parser.add_argument("--diff", type=Path, help="Only print the growth between stored snapshots.")
    parser.add_argument("--skip", type=int, default=1, help="With --diff: the snapshot to start from.")
    parser.add_argument("--top", type=int, default=25, help="With --diff: lines shown.")
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:cut])
    command = argv[cut + 1:]
    if args.diff:
        diff(args.diff, args.skip, args.top)
        return
    if args.stats is None:
        parser.error("STATS_FILE is required")
    if args.tracemalloc:
        tracemalloc.start(args.tracemalloc)
    for folder in (args.snapshots, args.smaps):
        if folder:
            folder.mkdir(parents=True, exist_ok=True)
    threading.Thread(target=probe, args=(args.stats, args.every, args.snapshots, args.trim, args.smaps), daemon=True,
                     name="soak-probe").start()
    from clearspace.cli.main import cli

    cli.main(args=command, prog_name="clearspace")


if __name__ == "__main__":
    main()
