"""The console's bus page (issue 15 point 6): embedded mode says there is no bus; in bus mode the
partitions and the recent dead letters are shown, in both languages, to admins and auditors only.
The same page over the real NATS with a real poison message: tests/bus/test_bus_console.py."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearspace.errors import BusUnavailable
from clearspace.service.core import Service
from tests.console.test_console_i18n import english_left
from tests.console.test_console_pages import sign_in


def zh(client: TestClient, path: str) -> str:
    client.cookies.set("cs_lang", "zh", path="/console")
    try:
        return client.get(path).text
    finally:
        client.cookies.delete("cs_lang", path="/console")


def status_with_dead_letters() -> dict[str, Any]:
    """What ``service.admin.bus_status`` answers (service/bus_status.py) with two poison messages."""
    parts = [{"partition": p, "owner": "worker-a" if p < 2 else None, "token": 3, "consumed_seq": 40 + p,
              "decided": 38 + p, "stored": 45 + p, "pending": 5 if p == 3 else 0, "unacked": 1 if p == 3 else 0,
              "redelivered": 0} for p in range(4)]
    dead = [{"partition": 2, "seq": 7, "event_id": "poison-1", "error": "JSONDecodeError: unexpected character",
             "deliveries": 7, "tries": 5, "at": "2026-03-01T12:34:56+00:00", "data": "{not json"},
            {"partition": 3, "seq": 9, "event_id": "wrong-2", "error": "InputError: 'text' is required",
             "deliveries": 7, "tries": 5, "at": "2026-03-01T12:40:00+00:00", "data": '{"id": "w"}'}]
    return {"prefix": "cs", "stream": "cs_events", "partition_count": 4, "messages": 186, "pending": 5,
            "workers": ["worker-a"], "partitions": parts, "dead_letters": 2, "recent_dead_letters": dead}


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_embedded_mode_says_there_is_no_bus(client: TestClient, keys: dict[str, str], role: str) -> None:
    sign_in(client, keys[role])
    page = client.get("/console/bus")
    assert page.status_code == 200 and 'data-bus="embedded"' in page.text
    assert "Embedded mode: no bus." in page.text and 'href="/console/bus" aria-current="page"' in page.text
    assert "data-bus-partitions" not in page.text
    chinese = zh(client, "/console/bus")
    assert "嵌入模式：没有消息总线。" in chinese and 'data-bus="embedded"' in chinese
    assert english_left(chinese)[0] == []


@pytest.mark.parametrize("role", ["moderator", "senior_moderator"])
def test_other_roles_neither_see_the_page_nor_its_link(client: TestClient, keys: dict[str, str], role: str) -> None:
    sign_in(client, keys[role])
    assert client.get("/console/bus").status_code == 403
    assert 'href="/console/bus"' not in client.get("/console/").text


def test_partitions_and_dead_letters_are_shown_in_both_languages(client: TestClient, keys: dict[str, str],
                                                                 service: Service,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []

    def overview(recent_dead: int = 20) -> dict[str, Any]:
        asked.append(recent_dead)
        return status_with_dead_letters()

    monkeypatch.setattr(service.admin, "bus_overview", overview)
    sign_in(client, keys["auditor"])
    page = client.get("/console/bus").text
    assert asked and 'data-bus="on"' in page and 'data-bus-dead="2"' in page and "data-bus-pending>5<" in page
    assert page.count('<tr data-partition="') == 4 and "Recent dead letters" in page
    row = page.split('<tr data-dead="poison-1">', 1)[1].split("</tr>", 1)[0]
    assert "<td>2</td>" in row and "JSONDecodeError: unexpected character" in row and "<td>5</td>" in row
    assert "2026-03-01 12:34" in row
    assert "InputError: &#39;text&#39; is required" in page  # the error is escaped, not markup
    assert "no owner" in page.split('<tr data-partition="2">', 1)[1].split("</tr>", 1)[0]
    chinese = zh(client, "/console/bus")
    assert "最近的死信" in chinese and "尝试次数" in chinese and '<tr data-dead="wrong-2">' in chinese
    words, kept = english_left(chinese)
    assert words == [] and "JSONDecodeError: unexpected character" in kept


def test_an_unreachable_bus_is_said_on_the_page(client: TestClient, keys: dict[str, str], service: Service,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def down(recent_dead: int = 20) -> dict[str, Any]:
        raise BusUnavailable("NATS at nats://127.0.0.1:4222 is not reachable: timeout")

    monkeypatch.setattr(service.admin, "bus_overview", down)
    sign_in(client, keys["admin"])
    page = client.get("/console/bus")
    assert page.status_code == 200 and 'data-bus="unreachable"' in page.text
    assert "The bus cannot be reached" in page.text and "is not reachable: timeout" in page.text
    assert "无法连接消息总线" in zh(client, "/console/bus")
