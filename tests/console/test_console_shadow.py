"""The console's shadow page: disagreements with examples, start and stop, plug-in health; admin only."""

from __future__ import annotations

import re
from importlib.resources import files

from fastapi.testclient import TestClient

from clearspace.service.core import Service
from clearspace.service.shadow_candidates import CandidateSpec
from tests.console.test_console_pages import csrf, sign_in

DEFAULT = files("clearspace").joinpath("data/policy/default.yaml").read_text(encoding="utf-8")
STRICTER = re.sub(r"(?m)^version: \d+$", "version: 7", DEFAULT.replace("name: default\n", "name: stricter\n")).replace(
    "    action: nudge\n    category: abuse\n    priority: 10\n",
    "    action: hold\n    category: abuse\n    priority: 10\n")


def test_admin_starts_reads_and_stops_a_shadow_run(client: TestClient, keys: dict[str, str],  # noqa: F811
                                                   service: Service) -> None:  # noqa: F811
    sign_in(client, keys["admin"])
    page = client.get("/console/shadow")
    assert page.status_code == 200 and 'data-shadow-run=""' in page.text and 'href="/console/shadow"' in page.text
    token = csrf(client, "/console/shadow")
    answer = client.post("/console/shadow/start", data={"csrf": token, "policy": STRICTER, "model_path": ""})
    assert answer.status_code == 303 and "done=1" in answer.headers["location"]
    service.ingest.events([{"id": "s1", "text": "你这个傻逼"}, {"id": "s2", "text": "hello"}])
    assert service.shadow.drain(10)
    page = client.get("/console/shadow")
    assert 'data-shadow-status="running"' in page.text and "action:nudge-&gt;hold" in page.text
    assert "你这个傻逼" in page.text and "policy stricter@7" in page.text
    client.cookies.set("cs_lang", "zh")
    assert "影子模式与插件" in client.get("/console/shadow").text
    answer = client.post("/console/shadow/stop", data={"csrf": token})
    assert answer.status_code == 303 and "done=1" in answer.headers["location"]
    assert 'data-shadow-status="stopped"' in client.get("/console/shadow").text


def test_a_bad_candidate_policy_is_shown_not_started(client: TestClient, keys: dict[str, str],  # noqa: F811
                                                     service: Service) -> None:  # noqa: F811
    sign_in(client, keys["admin"])
    token = csrf(client, "/console/shadow")
    answer = client.post("/console/shadow/start", data={"csrf": token, "policy": "rules: [", "model_path": ""})
    assert answer.status_code == 303 and "error=" in answer.headers["location"]
    assert service.learning.shadow_summary()["run"] is None


def test_only_admins_see_the_page_and_its_link(client: TestClient, keys: dict[str, str]) -> None:  # noqa: F811
    sign_in(client, keys["senior_moderator"])
    assert client.get("/console/shadow").status_code == 403
    assert 'href="/console/shadow"' not in client.get("/console/").text


def test_the_page_in_chinese_has_no_english_outside_data(client: TestClient, keys: dict[str, str],  # noqa: F811
                                                         service: Service) -> None:  # noqa: F811
    from clearspace.plugins.config import PluginSet
    from clearspace.plugins.guard import GuardModel
    from tests.console.test_console_i18n import english_left

    guard = GuardModel("http://127.0.0.1:9/v1")
    guard.load()
    service.plugin_set = PluginSet((guard,), [{"plugin": "onnx_models.zh", "error": "no model.onnx in /m"}])
    service.learning.start_shadow(CandidateSpec(policy=STRICTER), "admin:ops")
    service.ingest.events([{"id": "z1", "text": "你这个傻逼"}, {"id": "z2", "text": "you idiot"}])
    assert service.shadow.drain(10)
    sign_in(client, keys["admin"])
    client.cookies.set("cs_lang", "zh", path="/console")
    for path in ("/console/shadow", "/console/shadow?kind=action:nudge->hold"):
        page = client.get(path).text
        assert "提醒 → 暂缓" in page and "闭合（正常调用）" in page and "未加载" in page
        words, _ = english_left(page)
        assert words == [], (path, words)
