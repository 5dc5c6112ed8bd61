from __future__ import annotations

import httpx

from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.webhooks import verify_signature


def test_signed_delivery_after_commit_with_retries(service: Service, clock: ManualClock) -> None:
    hook = service.admin.add_webhook("https://hooks.example.test/cs", ["decision.made"], "admin:test", secret="s3cret")
    seen: list[httpx.Request] = []
    status = [500]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status[0])

    client = httpx.Client(transport=httpx.MockTransport(handler))
    service.ingest.events({"id": "w1", "text": "你就是个傻逼 去死吧"})
    service.ingest.events({"id": "w2", "text": "hello"})  # allow: no webhook
    assert service.admin.deliver_webhooks(client) == {"delivered": 0, "retried": 1, "failed": 0}
    assert service.admin.deliver_webhooks(client) == {"delivered": 0, "retried": 0, "failed": 0}  # not due yet
    clock.advance(seconds=3)
    status[0] = 204
    assert service.admin.deliver_webhooks(client) == {"delivered": 1, "retried": 0, "failed": 0}
    request = seen[-1]
    assert verify_signature(hook["secret"], request.content, request.headers["X-Clearspace-Signature"])
    assert not verify_signature("wrong", request.content, request.headers["X-Clearspace-Signature"])
    assert request.headers["X-Clearspace-Topic"] == "decision.made"
    assert b'"w1"' in request.content
    assert "secret" not in service.admin.webhooks()[0]


def test_gives_up_after_max_attempts(service: Service, clock: ManualClock) -> None:
    service.admin.add_webhook("https://down.example.test/", ["*"], "admin:test")
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(503)))
    service.ingest.events({"id": "x", "text": "你就是个傻逼 去死吧"})
    failed = 0
    for _ in range(10):
        failed += service.admin.deliver_webhooks(client)["failed"]
        clock.advance(hours=2)
    assert failed >= 1
