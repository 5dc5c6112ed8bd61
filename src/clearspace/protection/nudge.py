"""Pre-send nudges and risk prompts.

:func:`nudge` tells a platform, before a comment is posted, whether to show "this may hurt
someone" friction and at what level (``none`` < ``gentle`` < ``warn`` < ``strong``), from the
text's scores and the author's recent strikes. :func:`risk_prompt` is what a person gets when
a pile-on against them is detected: an offer of protection and links from a configurable
support list (legal aid, counselling, how to report to the police).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from clearspace.errors import InputError
from clearspace.protection.incidents import Incident
from clearspace.text.urls import is_web_url

LEVELS: tuple[str, ...] = ("none", "gentle", "warn", "strong")
MESSAGES: dict[str, dict[str, str]] = {
    "none": {"en": "", "zh": ""},
    "gentle": {"en": "Take a second: could this hurt someone?", "zh": "发送前想一想：这句话会伤到别人吗？"},
    "warn": {"en": "This may hurt someone. Do you want to rephrase it?",
             "zh": "这条内容可能伤害他人，要不要换个说法？"},
    "strong": {"en": "This looks abusive or threatening and may break the rules. Please rewrite it.",
               "zh": "这条内容疑似辱骂或威胁，可能违反社区规则，请修改后再发。"},
}
SUPPORT_KINDS: tuple[str, ...] = ("legal_aid", "counselling", "police_howto", "platform_help")
DEFAULT_SUPPORT_LINKS: tuple[dict[str, str], ...] = (
    # National public services of mainland China and the United States only; an operator
    # replaces this list (Settings.support_links) with the services of its own region and
    # adds its own platform_help links. No entry here is a private organisation's number.
    {"kind": "police_howto", "title": "紧急情况请拨打 110 报警", "url": "tel:110", "lang": "zh", "region": "CN"},
    {"kind": "police_howto", "title": "12377 违法和不良信息举报（中央网信办举报中心）", "url": "https://www.12377.cn",
     "lang": "zh", "region": "CN"},
    {"kind": "legal_aid", "title": "12348 公共法律服务热线（法律援助咨询）", "url": "tel:12348", "lang": "zh",
     "region": "CN"},
    {"kind": "counselling", "title": "12355 青少年服务台（心理与法律咨询）", "url": "tel:12355", "lang": "zh",
     "region": "CN"},
    {"kind": "police_howto", "title": "In an emergency, call 911 (US)", "url": "tel:911", "lang": "en",
     "region": "US"},
    {"kind": "police_howto", "title": "Report threats and online harassment to the FBI's IC3 (US)",
     "url": "https://www.ic3.gov", "lang": "en", "region": "US"},
    {"kind": "counselling", "title": "988 Suicide & Crisis Lifeline: call or text 988 (US)", "url": "tel:988",
     "lang": "en", "region": "US"},
    {"kind": "legal_aid", "title": "Find free legal aid near you (LawHelp.org, US)", "url": "https://www.lawhelp.org",
     "lang": "en", "region": "US"},
)


@dataclass(frozen=True, slots=True)
class NudgeConfig:
    """Thresholds on the text's hostility and how much recent strikes raise the level."""

    gentle: float = 0.4
    warn: float = 0.6
    strong: float = 0.85
    threat_strong: float = 0.7
    strikes_one_level: int = 1
    strikes_two_levels: int = 3
    strikes_floor: float = 0.3
    keys: tuple[str, ...] = ("abuse", "insult", "threat", "incitement", "doxxing", "identity_attack")


class NudgeFields(TypedDict):
    """A nudge as JSON (:meth:`Nudge.to_dict`)."""

    level: str
    show: bool
    score: float
    reasons: list[str]
    message: dict[str, str]  # the message per language (``en``, ``zh``)


@dataclass(frozen=True, slots=True)
class Nudge:
    level: str
    score: float
    reasons: tuple[str, ...]
    message: dict[str, str]

    @property
    def show(self) -> bool:
        return self.level != "none"

    def to_dict(self) -> NudgeFields:
        return {"level": self.level, "show": self.show, "score": round(self.score, 4),
                "reasons": list(self.reasons), "message": dict(self.message)}


def nudge(scores: Mapping[str, float], recent_strikes: int = 0, config: NudgeConfig | None = None) -> Nudge:
    """The friction level for one draft, from its scores and the author's recent strikes."""
    cfg = config or NudgeConfig()
    if recent_strikes < 0:
        raise InputError("'recent_strikes' must be >= 0")
    top_key, score = max(((k, float(scores.get(k, 0.0))) for k in cfg.keys), key=lambda kv: kv[1])
    reasons: list[str] = []
    if score >= cfg.strong or float(scores.get("threat", 0.0)) >= cfg.threat_strong:
        level = 3
    elif score >= cfg.warn:
        level = 2
    elif score >= cfg.gentle:
        level = 1
    else:
        level = 0
    if level:
        reasons.append(f"{top_key} score {score:.2f}")
    if score >= cfg.strikes_floor and recent_strikes >= cfg.strikes_one_level:
        bump = 2 if recent_strikes >= cfg.strikes_two_levels else 1
        raised = min(3, max(level, 1) + bump - (0 if level else 1))
        if raised > level:
            reasons.append(f"{recent_strikes} recent strike(s)")
            level = raised
    name = LEVELS[level]
    return Nudge(name, score, tuple(reasons), MESSAGES[name])


@dataclass(frozen=True, slots=True)
class SupportLink:
    kind: str
    title: str
    url: str
    lang: str = "und"
    region: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "title": self.title, "url": self.url, "lang": self.lang, "region": self.region}


_CALL_OR_MAIL = re.compile(r"tel:\+?[0-9][0-9 ()-]{0,30}|mailto:[^\s\x00-\x1f\x7f<>\"'\\]{3,254}")
"""The other links a support list may hold: a phone number to call, an address to write to."""


def support_links(entries: Sequence[Mapping[str, Any]]) -> tuple[SupportLink, ...]:
    """Validate a configured support list (each entry: kind, title, url, optional lang/region)."""
    out = []
    for i, entry in enumerate(entries):
        kind, title, url = entry.get("kind"), entry.get("title"), entry.get("url")
        if kind not in SUPPORT_KINDS:
            raise InputError(f"support link {i}: 'kind' must be one of {', '.join(SUPPORT_KINDS)}, got {kind!r}")
        if not title or not isinstance(title, str):
            raise InputError(f"support link {i}: 'title' is required")
        if not isinstance(url, str) or not (is_web_url(url) or _CALL_OR_MAIL.fullmatch(url)):
            raise InputError(f"support link {i}: 'url' must start with https://, http://, tel: or mailto: "
                             "(a web URL, tel:NUMBER or mailto:ADDRESS; no spaces or control characters)")
        out.append(SupportLink(kind, title, url, str(entry.get("lang", "und")), str(entry.get("region", ""))))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class RiskPrompt:
    """What the target of a detected pile-on is offered."""

    account: str
    incident_id: str
    participants: int
    since: float
    offer: dict[str, Any]
    links: tuple[SupportLink, ...]
    assisted: bool
    message: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "risk_prompt", "account": self.account, "incident_id": self.incident_id,
                "participants": self.participants, "since": self.since, "offer": self.offer,
                "links": [link.to_dict() for link in self.links], "assisted_activation": self.assisted,
                "message": dict(self.message)}


def risk_prompt(incident: Incident, links: Sequence[SupportLink], *, lang: str | None = None,
                shield_days: float = 7.0) -> RiskPrompt:
    """The prompt for ``incident.target``; minors get assisted activation by a moderator."""
    chosen = tuple(link for link in links if lang is None or link.lang in (lang, "und"))
    n = len(incident.participants)
    message = {
        "en": f"{n} accounts have been targeting you. You can turn on protection with one tap, "
              "and save evidence. Help is available below.",
        "zh": f"有{n}个账号正在集中针对你。你可以一键开启防护并一键取证，下面是可以求助的渠道。",
    }
    offer = {"action": "shield", "days": shield_days, "surfaces": ["comments", "dms", "mentions", "reposts", "danmaku"],
             "audience": "strangers", "evidence": True}
    return RiskPrompt(incident.target, incident.id, n, incident.start, offer, chosen, incident.minor, message)
