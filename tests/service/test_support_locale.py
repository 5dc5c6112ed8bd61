"""Risk prompts carry the support links of the target's language and region, not every configured one."""

from __future__ import annotations

from dataclasses import replace

from clearspace.protection.events import Event
from clearspace.protection.incidents import Incident
from clearspace.service.core import Service
from clearspace.service.incidents import configured_links
from clearspace.service.settings import Settings
from clearspace.service.support_locale import links_for, parse_locale

START = 1772362800.0


def _pileon(target: str) -> Incident:
    incident = Incident(id=f"inc_{target}", target=target, start=START, detected_at=START + 300, last_ts=START + 300)
    for i, author in enumerate(["a", "b", "c", "d", "e"]):
        incident.add(Event(id=f"{target}-e{i}", type="reply", author=author, ts=START + 60 * i, target=target), 0.9,
                     new_account=False, referral=None, referral_author=None)
    return incident


def _prompt_links(service: Service, target: str) -> list[dict[str, str]]:
    service.protection.record_incidents([_pileon(target)], prompts=True)
    (prompt,) = [p for p in service.protection.prompts(target) if p.get("kind", "risk_prompt") == "risk_prompt"]
    payload = prompt.get("payload", prompt)
    return list(payload["links"])


def test_a_chinese_target_gets_chinese_links_only(service: Service) -> None:
    service.ingest.events({"id": "own", "author": "zh_user", "text": "今天天气很好，我们一起去公园散步",
                           "region": "CN"})
    links = _prompt_links(service, "zh_user")
    assert links and {(link["lang"], link["region"]) for link in links} == {("zh", "CN")}
    assert not any("911" in link["url"] or "988" in link["url"] for link in links)


def test_an_english_target_gets_english_links(service: Service) -> None:
    service.ingest.events({"id": "own", "author": "en_user", "text": "What a lovely day for a walk", "lang": "en-US"})
    links = _prompt_links(service, "en_user")
    assert links and {link["lang"] for link in links} == {"en"} and {link["region"] for link in links} == {"US"}


def test_an_unknown_target_uses_the_region_setting(service: Service) -> None:
    service.settings = replace(service.settings, support_lang="zh", support_region="CN")
    links = _prompt_links(service, "stranger")
    assert {link["region"] for link in links} == {"CN"}


def test_filtering_rules() -> None:
    links = configured_links(Settings().support_links)
    assert parse_locale("zh-Hant-TW") == ("zh", "TW") and parse_locale("EN_us") == ("en", "US")
    assert parse_locale("") == (None, None)
    assert {link.region for link in links_for(links, "zh", "TW")} == {"CN"}  # no Taiwanese entry: same language
    assert links_for(links, "fr", None) == ()  # never another language's emergency numbers
    assert links_for(links, None, None) == links
