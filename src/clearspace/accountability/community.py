"""A simulated creator community for the accountability benchmark (``clearspace simulate --creators``).

Everything is invented (accounts ``farm…``, ``critic…``, ``pop…``, ``user…``, ``aud…``; template
texts). Four kinds of creators post; an audience replies:

* ``farmer``: farms pile-ons for traffic. Each post points at a private person (``target_user``)
  and a share of the replies (drawn per farmer from ``farmer_hostile``, so some farmers are
  subtle) abuses that person; the rest agree or joke.
* ``critic``: criticises the conduct of the powerful (an official, a company, a celebrity). The
  replies are heated: many disagree with the critic sharply, some rudely (aimed at the critic),
  some support, and a share (``critic_third_party``) are genuinely abusive replies by third
  parties aimed at the criticised person, which the critic did not ask for.
* ``popular``: friendly posts with many friendly replies and a little classifier noise.
* ``ordinary``: a few posts each with a few replies, now and then a rude one.

Each event is labelled with its author's kind (``label``) when ``labels=True``; the accounts and
their kinds are answered too, as the benchmark's ground truth.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

EPOCH0 = 1767571200.0  # 2026-01-05T00:00:00Z
KINDS = ("farmer", "critic", "popular", "ordinary")
FARM_POSTS = ("看看{t}干的好事，大家评评理", "就是{t}这个人，自己看吧", "look at what {t} did, judge for yourselves",
              "{t}又出来丢人了，转发让大家都看看", "everyone should see what {t} posted today")
FARM_HOSTILE = ("这种人就该被骂 滚出网络", "他就是个废物 真恶心", "what a disgusting person, she should disappear",
                "他这种垃圾怎么还有脸活着", "she is pathetic trash, everyone go tell her", "这人真贱 赶紧删号吧")
FARM_OTHER = ("哈哈哈 吃瓜", "坐等后续", "interesting, following", "这事有点离谱", "mark一下")
POWERFUL = ("mayor_wang", "ceo_liu", "star_zhao", "minister_li", "director_chen")
CRITIC_POSTS = ("{p}的防汛预案漏洞百出，应该公开道歉并说明预算去向", "{p}一边裁员一边拿奖金，这种做法站不住脚",
                "The way {p} handled the recall was negligent and they should answer for it",
                "{p}的公开回应避重就轻，公众有权知道真实数据", "I think {p} misled shareholders and regulators")
CRITIC_DISAGREE = ("我完全不同意，你根本没看完报告", "你这是断章取义，太片面了",
                   "This is a ridiculous take, read the report", "你的逻辑站不住脚，别带节奏",
                   "Strongly disagree, you are cherry-picking numbers", "胡说八道，你懂什么预算")
CRITIC_RUDE = ("你这个傻逼懂什么", "you idiot, stop spreading this", "闭嘴吧 你就是个蠢货")
CRITIC_SUPPORT = ("说得对，应该有人站出来问", "Agree, accountability matters", "支持理性监督", "数据很扎实，支持")
CRITIC_THIRD = ("{p}就是个废物 滚下台", "{p} is a corrupt pig and should rot", "{p}这种垃圾去死吧",
                "{p}真该被人肉")
POP_POSTS = ("今天的新歌发布啦，谢谢大家", "Our charity stream raised a lot, thank you all", "分享一道家常菜的做法",
             "New vlog is up, hope you enjoy it", "周末去爬山，风景太美了")
POP_REPLIES = ("太好听了 支持", "love this so much", "哈哈哈 太可爱了", "thank you for sharing", "同意 这个很实用",
               "great video as always", "谢谢分享", "加油！")
NOISE = ("你这个傻逼", "what an idiot", "滚吧")
ORD_POSTS = ("今天下雨了，带伞", "Anyone know a good bike shop?", "刚看完一本书，推荐", "my cat knocked over a plant")
ORD_REPLIES = ("我也是", "thanks!", "推荐一下", "haha same", "好的")


@dataclass(frozen=True, slots=True)
class CreatorSimConfig:
    """Parameters of the simulated creator community (change the seed for an unseen community)."""

    seed: int = 16
    days: float = 30.0
    farmers: int = 20
    critics: int = 20
    popular: int = 20
    ordinary: int = 200
    audience: int = 1500
    posts: tuple[int, int] = (4, 8)
    replies: tuple[int, int] = (25, 60)
    farmer_hostile: tuple[float, float] = (0.35, 0.75)
    critic_disagree: float = 0.45
    critic_rude: float = 0.1
    critic_third_party: float = 0.1
    popular_noise: float = 0.02
    ordinary_rude: float = 0.05


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class _Builder:
    def __init__(self, config: CreatorSimConfig, labels: bool) -> None:
        self.c = config
        self.rng = random.Random(config.seed)
        self.labels = labels
        self.events: list[dict[str, Any]] = []
        self.n = 0

    def event(self, kind: str, **fields: Any) -> dict[str, Any]:
        self.n += 1
        out = {"id": f"cs{self.n}", **fields}
        if self.labels:
            out["label"] = kind
        self.events.append(out)
        return out

    def fan(self) -> str:
        return f"aud{self.rng.randrange(self.c.audience)}"

    def thread(self, creator: str, kind: str, text: str, followers: int, replies: Sequence[tuple[str, str | None]],
               post_target: str | None = None) -> None:
        """A post and its replies: ``(text, target_user)`` each, spread over the next hours."""
        ts = EPOCH0 + self.rng.uniform(0, self.c.days * 86400 - 86400)
        post = self.event(kind, type="post", author=creator, text=text, ts=_iso(ts), author_followers=followers,
                          monetized=kind != "ordinary", **({"target_user": post_target} if post_target else {}))
        for reply, target in replies:
            ts += self.rng.expovariate(1 / 240.0)
            self.event("audience", type="reply", author=self.fan(), text=reply, ts=_iso(ts), parent=post["id"],
                       **({"target_user": target} if target else {}))

    def count(self) -> int:
        return self.rng.randint(*self.c.replies)

    def farmer(self, name: str) -> None:
        hostile = self.rng.uniform(*self.c.farmer_hostile)
        for _ in range(self.rng.randint(*self.c.posts)):
            victim = f"private{self.rng.randrange(500)}"
            replies = [(self.rng.choice(FARM_HOSTILE), victim) if self.rng.random() < hostile
                       else (self.rng.choice(FARM_OTHER), None) for _ in range(self.count())]
            text = self.rng.choice(FARM_POSTS).format(t=victim)
            self.thread(name, "farmer", text, self.rng.randint(50_000, 3_000_000), replies, victim)

    def critic(self, name: str) -> None:
        c = self.c
        for _ in range(self.rng.randint(*c.posts)):
            person = self.rng.choice(POWERFUL)
            replies: list[tuple[str, str | None]] = []
            for _ in range(self.count()):
                r = self.rng.random()
                if r < c.critic_third_party:
                    replies.append((self.rng.choice(CRITIC_THIRD).format(p=person), person))
                elif r < c.critic_third_party + c.critic_rude:
                    replies.append((self.rng.choice(CRITIC_RUDE), name))
                elif r < c.critic_third_party + c.critic_rude + c.critic_disagree:
                    replies.append((self.rng.choice(CRITIC_DISAGREE), name))
                else:
                    replies.append((self.rng.choice(CRITIC_SUPPORT), None))
            text = self.rng.choice(CRITIC_POSTS).format(p=person)
            self.thread(name, "critic", text, self.rng.randint(50_000, 3_000_000), replies, person)

    def popular(self, name: str) -> None:
        for _ in range(self.rng.randint(*self.c.posts)):
            replies = [(self.rng.choice(NOISE), name) if self.rng.random() < self.c.popular_noise
                       else (self.rng.choice(POP_REPLIES), None) for _ in range(self.count())]
            self.thread(name, "popular", self.rng.choice(POP_POSTS), self.rng.randint(1_000_000, 20_000_000), replies)

    def ordinary(self, name: str) -> None:
        for _ in range(self.rng.randint(1, 3)):
            replies = [(self.rng.choice(NOISE), None) if self.rng.random() < self.c.ordinary_rude
                       else (self.rng.choice(ORD_REPLIES), None) for _ in range(self.rng.randint(0, 6))]
            self.thread(name, "ordinary", self.rng.choice(ORD_POSTS), self.rng.randint(0, 2000), replies)


def simulate_creators(config: CreatorSimConfig | None = None, *,
                      labels: bool = True) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """``(events in time order, account -> kind)`` for the creators (the audience is not listed)."""
    config = config or CreatorSimConfig()
    b = _Builder(config, labels)
    truth: dict[str, str] = {}
    for kind, count, make in (("farmer", config.farmers, b.farmer), ("critic", config.critics, b.critic),
                              ("popular", config.popular, b.popular), ("ordinary", config.ordinary, b.ordinary)):
        for i in range(count):
            name = f"{kind[:4]}{i}"
            truth[name] = kind
            make(name)
    b.events.sort(key=lambda e: (e["ts"], e["id"]))
    return b.events, truth
