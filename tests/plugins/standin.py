"""A local stand-in for an OpenAI-compatible chat server (vLLM, llama.cpp, Ollama), on 127.0.0.1 only.

::

    with StandIn() as server:            # http://127.0.0.1:<port>/v1
        server.mode = "slow"; server.delay_s = 3.0

Modes: ``answer`` (a strict JSON verdict: abusive when the post holds one of ``ABUSIVE_WORDS``),
``slow`` (the same after ``delay_s``), ``garbage`` (prose instead of JSON), ``error`` (HTTP 500),
``broken`` (HTTP 200 with a body that is not a chat answer). It counts requests and the most
that were in flight at once. Used by tests/plugins and benchmarks/bench_guard.py.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ABUSIVE_WORDS = ("idiot", "傻逼", "loser")


class StandIn:
    def __init__(self, mode: str = "answer", delay_s: float = 0.0) -> None:
        self.mode = mode
        self.delay_s = delay_s
        self.requests = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.bodies: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> StandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, body: dict[str, Any]) -> tuple[int, bytes]:
        post = body["messages"][-1]["content"]
        abusive = any(w in post for w in ABUSIVE_WORDS)
        if self.mode in ("slow", "answer") and self.delay_s:
            time.sleep(self.delay_s)
        if self.mode == "error":
            return 500, b'{"error": {"message": "model crashed"}}'
        if self.mode == "broken":
            return 200, b'{"unexpected": true}'
        content = ("I think this post is probably fine, thanks for asking!" if self.mode == "garbage" else
                   json.dumps({"abusive": abusive, "category": "insult" if abusive else "none", "confidence": 0.9}))
        reply = {"id": "chatcmpl-1", "object": "chat.completion", "model": body.get("model"),
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                              "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 120, "completion_tokens": 12, "total_tokens": 132}}
        return 200, json.dumps(reply).encode()


def _handler(server: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output clean
            return

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            with server._lock:
                server.requests += 1
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            try:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length))
                with server._lock:
                    server.bodies.append(body)
                if self.path != "/v1/chat/completions":
                    status, payload = 404, b"{}"
                else:
                    status, payload = server.answer(body)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                with server._lock:
                    server.in_flight -= 1

    return Handler
