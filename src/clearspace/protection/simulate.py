"""A synthetic community stream with labelled pile-ons and hard negatives.

Everything is invented (accounts ``u…``/``n…``, template texts); the stream is reproducible
from its :class:`SimConfig` (``seed`` included). Kinds of traffic, each event labelled under
``label`` when ``labels=True``:

* ``ambient``: people replying to and mentioning each other, a little rudeness and classifier
  noise (popularity is Zipf-like, so some accounts get a lot of attention);
* ``pileon``: an instigator posts a quote post, an outside link or an inciting post about a
  target, and many accounts (often new, rarely followers) pile onto the target;
* ``viral``: a popular account gets hundreds of friendly replies (with classifier noise);
* ``argument``: two people trade insults (a bystander or two may chime in);
* ``high_baseline``: an account that steadily receives hostile replies all the time.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass, field
from typing import Any

EPOCH0 = 1767571200.0  # 2026-01-05T00:00:00Z
HOSTILE_TEXTS = ("你就是个废物", "滚出去吧 没人想看你", "you are pathetic, log off", "闭嘴吧 丢人现眼",
                 "what a clown, everyone look", "真恶心 赶紧删号", "nobody likes you, quit")
FRIENDLY_TEXTS = ("说得好 支持你", "great point, thanks", "哈哈哈 太有意思了", "love this!",
                  "同意 这个分析很到位", "congrats on the launch", "谢谢分享")
INCITING_TEXTS = ("大家去他评论区骂他", "everyone go tell @{t} what you think of them", "冲他 别让他好过")
QUOTE_TEXTS = ("看看这个人说的话", "look at what this person posted", "这是什么发言")


@dataclass(frozen=True, slots=True)
class SimConfig:
    """Parameters of the synthetic stream. Change them (and the seed) to get unseen streams."""

    seed: int = 7
    hours: float = 48.0
    users: int = 3000
    ambient_per_hour: float = 600.0
    ambient_hostile: float = 0.03
    warmup_hours: float = 2.0
    pileons: int = 16
    pileon_size: tuple[int, int] = (20, 80)
    pileon_minutes: tuple[float, float] = (30.0, 180.0)
    repeat_share: float = 0.2
    new_account_share: float = 0.4
    follower_share: float = 0.1
    quote_share: float = 0.6
    source_share: float = 0.65
    link_share: float = 0.2
    neutral_instigator: float = 0.3
    missed_share: float = 0.15
    defenders_share: float = 0.2
    viral: int = 8
    viral_size: tuple[int, int] = (200, 600)
    viral_noise: float = 0.04
    arguments: int = 12
    argument_size: tuple[int, int] = (10, 40)
    high_baseline: int = 6
    high_baseline_per_hour: tuple[float, float] = (4.0, 10.0)
    iso_ts: bool = False


@dataclass(slots=True)
class PileOnTruth:
    """Ground truth for one planted pile-on."""

    id: str
    target: str
    instigator: str
    start: float
    end: float
    hostile_ts: list[float] = field(default_factory=list)
    participants: set[str] = field(default_factory=set)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "target": self.target, "instigator": self.instigator, "start": self.start,
                "end": self.end, "hostile_events": len(self.hostile_ts), "hostile_ts": self.hostile_ts,
                "participants": sorted(self.participants)}


class _Builder:
    def __init__(self, cfg: SimConfig) -> None:
        self.cfg = cfg
        self.rng = random.Random(cfg.seed)
        self.events: list[dict[str, Any]] = []
        self.ids = itertools.count(1)
        self.new_ids = itertools.count(1)
        rng = self.rng
        self.created = {f"u{i}": EPOCH0 - rng.uniform(60, 2000) * 86400 for i in range(cfg.users)}
        weights = [1.0 / (i + 1) ** 1.05 for i in range(cfg.users)]
        self.cum = list(itertools.accumulate(weights))
        self.busy: set[str] = set()

    def user(self) -> str:
        r = self.rng.random() * self.cum[-1]
        return f"u{min(bisect.bisect_left(self.cum, r), self.cfg.users - 1)}"

    def quiet_user(self) -> str:
        while True:
            u = f"u{self.rng.randrange(self.cfg.users // 10, self.cfg.users)}"
            if u not in self.busy:
                self.busy.add(u)
                return u

    def new_user(self, at: float) -> str:
        name = f"n{next(self.new_ids)}"
        self.created[name] = at - self.rng.uniform(0, 10) * 86400
        return name

    def scores(self, hostile: bool, incite: bool = False) -> dict[str, float]:
        rng = self.rng
        if hostile:
            abuse = rng.uniform(0.1, 0.45) if rng.random() < self.cfg.missed_share else rng.uniform(0.55, 0.98)
        else:
            abuse = rng.uniform(0.0, 0.3)
        return {"abuse": round(abuse, 4), "threat": round(rng.uniform(0, 0.2), 4),
                "incitement": round(rng.uniform(0.65, 0.95) if incite else rng.uniform(0, 0.1), 4)}

    def emit(self, ts: float, author: str, target: str | None, *, hostile: bool, label: dict[str, Any],
             parent: str | None = None, surface: str = "comment", etype: str = "reply",
             follows: bool | None = None, text: str | None = None, incite: bool = False,
             link: str | None = None, scores: dict[str, float] | None = None) -> str:
        eid = f"e{next(self.ids)}"
        rng = self.rng
        pool = HOSTILE_TEXTS if hostile else FRIENDLY_TEXTS
        ev: dict[str, Any] = {
            "id": eid, "type": etype, "author": author, "ts": ts, "surface": surface,
            "text": text if text is not None else rng.choice(pool),
            "author_created_at": round(self.created.get(author, EPOCH0 - 400 * 86400), 1),
            "scores": scores if scores is not None else self.scores(hostile, incite), "label": label,
        }
        if target is not None:
            ev["target_user"] = target
            ev["author_follows_target"] = bool(follows) if follows is not None else rng.random() < 0.3
        if parent is not None:
            ev["parent"] = parent
        if link is not None:
            ev["link"] = link
        self.events.append(ev)
        return eid

    def ambient(self) -> None:
        cfg, rng = self.cfg, self.rng
        n = int(cfg.ambient_per_hour * cfg.hours)
        for _ in range(n):
            ts = EPOCH0 + rng.uniform(0, cfg.hours * 3600)
            author, target = self.user(), self.user()
            if author == target or rng.random() < 0.3:
                self.emit(ts, author, None, hostile=False, label={"kind": "ambient"}, etype="post", surface="post")
                continue
            hostile = rng.random() < cfg.ambient_hostile
            self.emit(ts, author, target, hostile=hostile, label={"kind": "ambient"},
                      surface=rng.choice(("comment", "comment", "dm", "danmaku")))

    def pileon(self, k: int) -> PileOnTruth:
        cfg, rng = self.cfg, self.rng
        target, instigator = self.quiet_user(), self.user()
        start = EPOCH0 + rng.uniform(cfg.warmup_hours, cfg.hours - 4) * 3600
        minutes = rng.uniform(*cfg.pileon_minutes)
        size = rng.randint(*cfg.pileon_size)
        truth = PileOnTruth(f"P{k}", target, instigator, start, start)
        label = {"kind": "pileon", "group": truth.id}
        own = self.emit(start - rng.uniform(600, 7200), target, None, hostile=False, etype="post",
                        surface="post", label={"kind": "pileon", "group": truth.id, "role": "target_post"})
        mode = rng.random()
        link = None
        neutral = rng.random() < cfg.neutral_instigator
        if mode < cfg.link_share:
            link = f"https://elsewhere.example/thread/{k}"
            source = self.emit(start, instigator, target, hostile=not neutral, incite=not neutral, link=link,
                               label=label | {"role": "instigator"}, etype="mention", follows=False)
        elif mode < cfg.link_share + cfg.quote_share:
            source = self.emit(start, instigator, target, hostile=not neutral, incite=not neutral, parent=own,
                               text=rng.choice(QUOTE_TEXTS), etype="quote", surface="post",
                               label=label | {"role": "instigator"}, follows=False)
        else:
            source = self.emit(start, instigator, target, hostile=True, incite=True,
                               text=rng.choice(INCITING_TEXTS).format(t=target), etype="mention", surface="post",
                               label=label | {"role": "instigator"}, follows=False)
        if not neutral or mode >= cfg.link_share + cfg.quote_share:
            truth.hostile_ts.append(start)
            truth.participants.add(instigator)
        offsets = sorted(rng.betavariate(1.2, 2.5) * minutes * 60 for _ in range(size))
        crowd: list[str] = []
        for off in offsets:
            ts = start + 1 + off
            if crowd and rng.random() < cfg.repeat_share:
                author = rng.choice(crowd)
            else:
                author = self.new_user(ts) if rng.random() < cfg.new_account_share else self.user()
                crowd.append(author)
            r = rng.random()
            parent = source if r < cfg.source_share else own
            self.emit(ts, author, target, hostile=True, parent=parent,
                      link=link if link and r < min(0.5, cfg.source_share) else None,
                      follows=rng.random() < cfg.follower_share, label=label | {"role": "participant"},
                      surface=rng.choice(("comment", "comment", "mention", "dm", "danmaku")))
            truth.hostile_ts.append(ts)
            truth.participants.add(author)
            if rng.random() < cfg.defenders_share:
                self.emit(ts + rng.uniform(1, 120), self.user(), target, hostile=False, parent=own,
                          label=label | {"role": "defender"})
        truth.end = truth.hostile_ts[-1]
        truth.participants.discard(target)
        return truth

    def viral(self) -> None:
        cfg, rng = self.cfg, self.rng
        target = f"u{rng.randrange(0, 20)}"
        start = EPOCH0 + rng.uniform(0.5, cfg.hours - 4) * 3600
        minutes = rng.uniform(60, 180)
        own = self.emit(start, target, None, hostile=False, etype="post", surface="post",
                        label={"kind": "viral"})
        for _ in range(rng.randint(*cfg.viral_size)):
            ts = start + 1 + rng.betavariate(1.2, 3) * minutes * 60
            noisy = rng.random() < cfg.viral_noise
            self.emit(ts, self.user(), target, hostile=noisy, parent=own, follows=rng.random() < 0.7,
                      label={"kind": "viral"})

    def argument(self) -> None:
        cfg, rng = self.cfg, self.rng
        a, b = self.user(), self.quiet_user()
        start = EPOCH0 + rng.uniform(0.5, cfg.hours - 2) * 3600
        last: str | None = None
        ts = start
        for i in range(rng.randint(*cfg.argument_size)):
            ts += rng.uniform(20, 240)
            author, target = (a, b) if i % 2 == 0 else (b, a)
            last = self.emit(ts, author, target, hostile=True, parent=last, follows=rng.random() < 0.5,
                             label={"kind": "argument"})
        for _ in range(rng.randint(0, 2)):
            self.emit(start + rng.uniform(0, ts - start), self.user(), rng.choice((a, b)), hostile=True,
                      parent=last, label={"kind": "argument"})

    def high_baseline(self) -> None:
        cfg, rng = self.cfg, self.rng
        target = self.quiet_user()
        rate = rng.uniform(*cfg.high_baseline_per_hour)
        ts = EPOCH0
        end = EPOCH0 + cfg.hours * 3600
        while True:
            ts += rng.expovariate(rate * 3 / 3600)
            if ts >= end:
                break
            hostile = rng.random() < 1 / 3
            self.emit(ts, self.user(), target, hostile=hostile, follows=rng.random() < 0.3,
                      label={"kind": "high_baseline"})


def simulate(config: SimConfig | None = None, *, labels: bool = True) -> tuple[list[dict[str, Any]], list[PileOnTruth]]:
    """The events (time-ordered dicts, DESIGN.md fields plus ``scores``) and the planted pile-ons."""
    cfg = config or SimConfig()
    b = _Builder(cfg)
    truths = [b.pileon(k + 1) for k in range(cfg.pileons)]
    for _ in range(cfg.viral):
        b.viral()
    for _ in range(cfg.arguments):
        b.argument()
    for _ in range(cfg.high_baseline):
        b.high_baseline()
    b.ambient()
    events = sorted(b.events, key=lambda e: (e["ts"], int(e["id"][1:])))
    for ev in events:
        ev["ts"] = round(ev["ts"], 3)
        if not labels:
            del ev["label"]
        if cfg.iso_ts:
            from clearspace.protection.events import iso

            ev["ts"] = iso(ev["ts"])
    return events, truths
