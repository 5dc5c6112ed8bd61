"""Kill the server with SIGKILL mid-load, restart it: every acknowledged event has its decision."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db: str, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "clearspace", "serve", "--db", db, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("server did not start")


def _load(base: str, key: str, worker: int, acked: list[str], stop: threading.Event) -> None:
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=5) as client:
        i = 0
        while not stop.is_set():
            batch = [{"id": f"c{worker}-{i}-{j}", "author": f"u{j}", "text": "nmsl sb 滚" if j % 2 else "hello"}
                     for j in range(3)]
            try:
                r = client.post("/v1/events", json=batch)
            except httpx.HTTPError:
                return
            if r.status_code == 200:
                acked.extend(e["id"] for e in batch)
            i += 1


def test_no_acknowledged_event_is_lost(store_url: str) -> None:
    db = store_url
    out = subprocess.run([sys.executable, "-m", "clearspace", "keys", "create", "--role", "admin", "--db", db],
                         check=True, capture_output=True, text=True).stdout
    key = out.split()[-1]
    port = _free_port()
    proc = _serve(db, port)
    acked: list[str] = []
    stop = threading.Event()
    threads = [threading.Thread(target=_load, args=(f"http://127.0.0.1:{port}", key, w, acked, stop))
               for w in range(4)]
    for t in threads:
        t.start()
    time.sleep(2.0)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stop.set()
    for t in threads:
        t.join(timeout=10)
    assert len(acked) > 30
    proc = _serve(db, port)  # restart on the same database
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {key}"}) as c:
            missing = [e for e in acked if c.get(f"/v1/events/{e}").status_code != 200]
            assert missing == []
            sample = c.get(f"/v1/events/{acked[-1]}").json()
            assert len(sample["decisions"]) == 1
            assert c.get("/v1/audit/verify").json()["ok"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
