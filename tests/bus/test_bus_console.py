"""The console's bus page over the real NATS JetStream and PostgreSQL: a poison message's dead letter
is shown with its partition, error and tries, in English and Chinese (issue 15 point 6)."""

from __future__ import annotations

import pytest
from bus_helpers import bus_service, running_worker, until
from fastapi.testclient import TestClient
from test_bus_workers import events, publish

from clearspace.api.app import create_app
from clearspace.bus.base import Outgoing
from tests.console.test_console_i18n import english_left
from tests.console.test_console_pages import sign_in

pytestmark = pytest.mark.timeout(180)


def test_the_console_shows_a_poison_messages_dead_letter(pg_url: str, bus_prefix: str) -> None:
    node = bus_service(pg_url, bus_prefix)
    good = events(bus_prefix, ["g0", "g1"])
    p = good[0].partition
    publish(bus_prefix, [Outgoing("poison", p, b"{not json"), *good])
    with running_worker(bus_service(pg_url, bus_prefix, bus_max_deliver=2)) as worker:
        until(lambda: worker.stats.dead == 1 and all(node.ingest.has_event(e.event_id) for e in good),
              what="the dead letter and the good events")
        key = node.admin.create_key("auditor", name="auditor")[1]
        with TestClient(create_app(node, console_secret="s" * 32), follow_redirects=False) as client:
            sign_in(client, key)
            page = client.get("/console/bus").text
            client.cookies.set("cs_lang", "zh", path="/console")
            chinese = client.get("/console/bus").text
    assert 'data-bus="on"' in page and 'data-bus-dead="1"' in page and page.count('<tr data-partition="') == 4
    row = page.split('<tr data-dead="poison">', 1)[1].split("</tr>", 1)[0]
    assert f"<td>{p}</td>" in row and "JSONDecodeError" in row and "<td>2</td>" in row
    owned = page.split(f'<tr data-partition="{p}">', 1)[1].split("</tr>", 1)[0]
    assert worker.leases.holder in owned  # the partition's owner while the worker ran
    assert '<tr data-dead="poison">' in chinese and "最近的死信" in chinese
    assert english_left(chinese)[0] == []
    node.close()
