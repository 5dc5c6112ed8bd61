"""Worker processes die with their supervisor (``clearspace serve --workers N``).

uvicorn's supervisor starts the workers; if it is killed outright (``kill -9``, the OOM killer), the
workers would go on answering on the shared port, and a process manager that restarts the
supervisor would start a second generation beside them. Each worker therefore ties its life to
the supervisor's, two ways:

- on Linux, ``prctl(PR_SET_PDEATHSIG, SIGTERM)``: the kernel sends the worker SIGTERM the moment
  its parent dies (uvicorn then shuts down: in-flight requests finish, batches commit);
- everywhere, a watchdog thread that checks every ``interval`` seconds that the parent is still
  the supervisor (``os.getppid()``); when not, it sends the worker SIGTERM itself, and ends the
  process outright if it has not exited ``grace`` seconds later.

``serve`` names the supervisor in ``$CLEARSPACE_SUPERVISOR_PID``; a worker started with the
supervisor already gone (the race before ``prctl`` took effect) stops at once.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping

ENV: str = "CLEARSPACE_SUPERVISOR_PID"
PR_SET_PDEATHSIG = 1
log = logging.getLogger("clearspace.api")


def parent_death_signal(sig: int = signal.SIGTERM) -> bool:
    """Ask the Linux kernel to send ``sig`` when the parent process dies; False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


class Watchdog:
    """Stops this process when its parent is no longer ``supervisor`` (a daemon thread)."""

    def __init__(self, supervisor: int, *, interval: float = 1.0, grace: float = 10.0,
                 parent: Callable[[], int] = os.getppid, stop: Callable[[], None] | None = None,
                 hard_exit: Callable[[int], None] = os._exit) -> None:
        self.supervisor = supervisor
        self.interval = interval
        self.grace = grace
        self.parent = parent
        self.stop = stop or (lambda: os.kill(os.getpid(), signal.SIGTERM))
        self.hard_exit = hard_exit
        self.thread: threading.Thread | None = None

    def orphaned(self) -> bool:
        return self.parent() != self.supervisor

    def start(self) -> Watchdog:
        self.thread = threading.Thread(target=self.run, name="supervisor-watchdog", daemon=True)
        self.thread.start()
        return self

    def run(self) -> None:
        while not self.orphaned():
            time.sleep(self.interval)
        log.error("the supervisor (pid %d) is gone: this worker (pid %d) stops", self.supervisor, os.getpid())
        self.stop()
        time.sleep(self.grace)
        self.hard_exit(1)


def tie_to_supervisor(environ: Mapping[str, str] | None = None) -> Watchdog | None:
    """In a worker started by ``serve --workers N``: die with the supervisor (see the module docstring).
    Does nothing outside one (no ``$CLEARSPACE_SUPERVISOR_PID``, or this process is the supervisor)."""
    env = os.environ if environ is None else environ
    raw = env.get(ENV, "")
    if not raw.isdigit() or int(raw) == os.getpid():
        return None
    parent_death_signal(signal.SIGTERM)
    return Watchdog(int(raw)).start()  # also covers a supervisor that died before prctl took effect
