"""Synthetic community data for the learning tests: a community whose own slang (made-up words) marks
abuse that the shipped model has never seen. Seeded; no real personal data."""

from __future__ import annotations

import random

SLANG = ("glorbo", "snarfwit", "blemkin", "zortle")
SUBJECTS = ("the new patch", "this thread", "the match yesterday", "your drawing", "the weather in town",
            "our meetup", "the recipe", "that movie", "the library hours", "the bus schedule")
NICE = ("I really enjoyed {s}", "thanks for sharing {s}", "what do you think about {s}", "{s} looks great today",
        "has anyone tried {s}", "I learned a lot from {s}", "{s} was fun, see you next week")
# frames that say nothing unkind without the slang word: since the shipped English column learnt contempt
# that uses no insulting word (round 8), frames such as "only a {w} would like {s}" give the abuse away
MEAN = ("{s}? classic {w} move", "a real {w} wrote this about {s}", "{w} again, posting about {s}",
        "{s}, such a {w} thing to say", "{w} energy in {s} today")


def community(n: int, seed: int = 1) -> list[tuple[str, bool]]:
    """``n`` (text, abusive) pairs, about a third abusive, each text unique."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        subject = rng.choice(SUBJECTS)
        if rng.random() < 0.35:
            text = rng.choice(MEAN).format(w=rng.choice(SLANG), s=subject)
            out.append((f"{text} #{i}", True))
        else:
            out.append((f"{rng.choice(NICE).format(s=subject)} #{i}", False))
    return out
