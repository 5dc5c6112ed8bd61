"""``serve --workers 2``: the workers die with their supervisor (issue 11, point 9).

A real run: the server starts in its own session, the supervisor is killed with SIGKILL, and the
workers must be gone (and the port closed) within seconds. Everything the test started is killed
at the end whatever happens."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from clearspace.api.lifeline import Watchdog

START_S = 90.0
GONE_S = 15.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
            return bool(r.status == 200)
    except OSError:
        return False


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    proc = subprocess.Popen([sys.executable, "-m", "clearspace", "serve", "--db", str(tmp_path / "w.db"),
                             "--workers", "2", "--port", str(port)], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    seen: set[int] = set()
    try:
        yield proc, port
    finally:
        seen.update(_children(proc.pid))
        for pid in [proc.pid, *seen]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the workers")
def test_workers_die_when_the_supervisor_is_killed(server: tuple[subprocess.Popen[bytes], int]) -> None:
    proc, port = server
    deadline = time.monotonic() + START_S
    while not _answers(port):
        assert proc.poll() is None, "serve exited while starting"
        assert time.monotonic() < deadline, f"serve did not answer within {START_S} s"
        time.sleep(0.5)
    workers = [pid for pid in _children(proc.pid) if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()]
    assert len(workers) == 2
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + GONE_S
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in workers), "workers outlived their supervisor"
    assert not _answers(port)


def test_the_watchdog_stops_an_orphaned_worker() -> None:
    parents = iter([100, 100, 1])
    stopped: list[str] = []
    dog = Watchdog(100, interval=0.01, grace=0.01, parent=lambda: next(parents, 1),
                   stop=lambda: stopped.append("term"), hard_exit=lambda code: stopped.append(f"exit {code}"))
    dog.start()
    assert dog.thread is not None
    dog.thread.join(timeout=5)
    assert stopped == ["term", "exit 1"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux only")
def test_parent_death_signal_is_set_on_linux() -> None:
    code = ("from clearspace.api.lifeline import parent_death_signal; import ctypes, signal; "
            "assert parent_death_signal(signal.SIGTERM); libc = ctypes.CDLL(None); v = ctypes.c_int(); "
            "libc.prctl(2, ctypes.byref(v), 0, 0, 0); print(v.value)")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert out.stdout.strip() == str(int(signal.SIGTERM)), out.stderr
