"""A small synthetic community so a newcomer sees every feature at once (``clearspace serve --demo``).

Every account, post and number here is invented (phone numbers use the reserved-looking
138-0000-xxxx block); there is no real personal data.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Final

from clearspace.errors import ClearspaceError
from clearspace.service import access
from clearspace.service.clock import iso
from clearspace.service.core import Service
from clearspace.service.reports import ReportIn

TARGET: Final = "demo_xiaoyu"
POSTS: Final[tuple[tuple[str, str, str], ...]] = (
    ("demo_chen", "今天的读书会很愉快，下周见！", "post"),
    ("demo_lin", "Great stream tonight, thanks everyone for joining.", "livechat"),
    ("demo_wang", "我觉得这家店的售后服务需要改进，等了一周都没人回复。", "comment"),
    ("demo_zhao", "市里的公交新线路规划不合理，希望相关部门听听居民意见。", "post"),
    ("demo_sun", "你就是个傻逼，滚出这个群", "comment"),
    ("demo_zhou", "nmsl sb 滚", "danmaku"),
    ("demo_wu", "他的手机号是13800001234，住在幸福小区3栋，大家去找他算账", "post"),
    ("demo_zheng", "The referee made some questionable calls, the league should review them.", "comment"),
    ("demo_feng", "你这个贱人，全家死光", "dm"),
    ("demo_he", "谢谢大家的关心，我已经好多了。", "post"),
)
PILE_ON: Final[tuple[str, ...]] = (
    "nmsl sb 滚", "你就是个傻逼", "大家一起骂她", "你怎么还不去死",
    "又是你，丑人多作怪", "恶心死了 滚", "你这个贱人，全家死光", "去死吧傻逼，我要杀了你",
)
DEBUNKS: Final[tuple[dict[str, str], ...]] = (
    {"id": "demo-debunk-liquor", "claim": "喝高度白酒可以预防新冠病毒感染", "verdict": "false",
     "fact_checker": "Demo Fact Check", "url": "https://factcheck.example/liquor",
     "text": "饮酒不能预防新冠病毒感染，过量饮酒反而损害健康。"},
    {"id": "demo-debunk-5g", "claim": "5G towers spread the coronavirus", "verdict": "false",
     "fact_checker": "Demo Fact Check", "url": "https://factcheck.example/5g",
     "text": "Viruses cannot travel on radio waves or mobile networks."},
)
RUMORS: Final[tuple[tuple[str, str], ...]] = (  # copies of the debunked claims, labelled at ingest
    ("demo_qian", "喝高度白酒可以预防新冠病毒感染！赶紧告诉家里人"),
    ("demo_lee", "Share before it is deleted: 5G towers spread the coronavirus"),
)
ROLES: Final = ("ingest", "moderator", "senior_moderator", "auditor", "admin")
POST_SPACING: Final = timedelta(hours=2)  # ordinary posts over the last day
PILE_SPACING: Final = timedelta(minutes=4)  # the pile-on: one insult every few minutes, an hour ago


def fill_demo(service: Service) -> dict[str, Any]:
    """Load the demo community (events only once per database) and one key per role: the same keys on every
    start over the same database (derived from its secret), so a restart prints them again and adds none."""
    keys = {role: demo_key(service, role) for role in ROLES}
    if service.ingest.has_event("demo-post-0"):
        return {"keys": keys, "counts": "already loaded"}
    service.rumors.add_debunks(list(DEBUNKS), "demo")  # before the posts, so their copies are labelled at ingest
    decided = service.ingest.events(demo_events(service.clock()), actor="demo")
    service.cases.set_trusted_flagger("demo_trusted_ngo", True, "demo")
    service.cases.file_report(ReportIn(reporter="demo_trusted_ngo", category="threat", item="demo-post-8",
                                 explanation="Death wish sent by DM."), "demo")
    service.cases.file_report(ReportIn(reporter="demo_he", category="abuse", target_user=TARGET, minor=False,
                                 explanation="Dozens of insults under my post."), "demo")
    for i in range(6):  # a brigade: the same accounts mass-report two harmless posts
        for item in ("demo-post-3", "demo-post-2"):
            service.cases.file_report(ReportIn(reporter=f"demo_brigader_{i}", category="other", item=item), "demo")
    appeals = _decide_and_appeal(service, {d["id"]: d for d in decided})
    return {"keys": keys, "counts": {"events": len(decided), "reports": 14, "appeals": appeals,
                                     "debunks": len(DEBUNKS), "open_cases": len(service.cases.queue())}}


def demo_events(now: datetime) -> list[dict[str, Any]]:
    """The demo's posts, spread over the last day, and a pile-on over half an hour, an hour ago (so the
    incident's timeline has several bars)."""
    posts = [{"id": f"demo-post-{i}", "author": a, "text": t, "surface": s,
              "ts": iso(now - POST_SPACING * (len(POSTS) - i))} for i, (a, t, s) in enumerate(POSTS)]
    rumors = [{"id": f"demo-rumor-{i}", "author": a, "text": t, "surface": "post",
               "ts": iso(now - timedelta(hours=3, minutes=20 * i))} for i, (a, t) in enumerate(RUMORS)]
    start = now - timedelta(hours=1) - PILE_SPACING * len(PILE_ON)
    pile = [{"id": f"demo-pile-{i}", "author": f"demo_troll_{i}", "text": t, "target_user": TARGET,
             "surface": "comment", "parent": "demo-post-9", "ts": iso(start + PILE_SPACING * i)}
            for i, t in enumerate(PILE_ON)]
    return posts + rumors + pile


def demo_key(service: Service, role: str) -> str:
    """The demo key of ``role``: derived from the database's secret (the same on every start), stored once."""
    secret = service.admin.console_secret().encode()
    digest = hmac.new(secret, f"clearspace demo key {role}".encode(), hashlib.sha256).digest()
    key_id = digest[:4].hex()
    key = f"cs_{key_id}_{base64.urlsafe_b64encode(hashlib.sha256(digest).digest()).decode().rstrip('=')}"
    with service.store.read() as tx:
        known = tx.get("api_keys", key_id)
    if known is None:
        row = {"id": key_id, "hash": access.hash_key(key), "prefix": key[:11], "role": role, "name": f"demo-{role}",
               "rate_limit": service.settings.default_rate_limit, "created_at": service.now(), "revoked_at": None}
        with service.unit() as unit:
            unit.tx.insert("api_keys", row)
            unit.log("key.created", "demo", key_id, {"role": role, "name": row["name"]})
    return key


def _decide_and_appeal(service: Service, decided: Mapping[str, Mapping[str, Any]]) -> int:
    count = 0
    try:
        case = service.cases.next("moderator:demo-moderator", lane="trusted_flagger")
        if case:
            service.cases.decide(case["id"], "moderator:demo-moderator", "remove", "threat",
                                "Wishes death on the recipient in a direct message.")
        service.cases.batch_action("senior_moderator:demo-senior", "abuse",
                                   "Took part in a pile-on against one person.",
                             target=TARGET)
        dox = decided["demo-post-6"]["decision_id"]
        appeal = service.cases.file_appeal(dox, "demo_wu", "The number is my shop's public line.", "demo")
        service.cases.decide_appeal(appeal["id"], "senior_moderator:demo-senior", "upheld",
                              "The post calls on others to confront a private person.")
        count += 1
        insult = decided["demo-post-5"]["decision_id"]
        service.cases.file_appeal(insult, "demo_zhou", "It was a joke between friends.", "demo")
        count += 1
    except ClearspaceError:
        pass
    return count
