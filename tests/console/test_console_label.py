"""The console's labelling lane over HTTP, without JavaScript: suggest, label, skip, roles, both languages."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from clearspace.service.core import Service


def _sign_in(client: TestClient, key: str) -> None:
    assert client.post("/console/login", data={"key": key, "next": "/console/"}).status_code == 303


def _item(html: str) -> str:
    match = re.search(r'data-label-item="([^"]+)"', html)
    assert match, "no post to label on the page"
    return match.group(1)


def test_label_skip_and_next_without_javascript(client: TestClient, keys: dict[str, str], service: Service) -> None:
    _sign_in(client, keys["moderator"])
    page = client.get("/console/label")
    assert page.status_code == 200 and 'href="/console/label"' in page.text
    for key in ("a", "n", "s"):
        assert f'data-label-key="{key}"' in page.text
    first = _item(page.text)
    token = re.search(r'name="csrf" value="(\w+)"', page.text).group(1)  # type: ignore[union-attr]
    done = client.post("/console/label", data={"csrf": token, "event_id": first, "verdict": "abusive",
                                               "category": "insult", "skip": ""})
    assert done.status_code == 303 and done.headers["location"].startswith("/console/label")
    [label] = service.learning.labels(event_id=first)["labels"]
    assert label["abusive"] is True and label["category"] == "insult" and label["actor"] == "moderator:moderator"
    second = _item(client.get("/console/label").text)
    assert second != first
    skip_url = re.search(r'href="([^"]+)" data-label-key="s"', client.get("/console/label").text).group(1)  # type: ignore[union-attr]
    after_skip = _item(client.get(skip_url.replace("&amp;", "&")).text)
    assert after_skip not in (first, second)
    bad = client.post("/console/label", data={"csrf": token, "event_id": second, "verdict": "maybe"})
    assert bad.status_code == 303 and "error=" in bad.headers["location"]
    assert service.learning.labels(event_id=second)["labels"] == []


def test_roles_and_chinese(client: TestClient, keys: dict[str, str]) -> None:
    _sign_in(client, keys["auditor"])
    assert client.get("/console/label").status_code == 403
    assert 'href="/console/label"' not in client.get("/console/audit").text
    _sign_in(client, keys["senior_moderator"])
    client.cookies.set("cs_lang", "zh")
    page = client.get("/console/label")
    assert page.status_code == 200 and "标注训练数据" in page.text and "不违规" in page.text
