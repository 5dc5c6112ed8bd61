"""A slur the speaker describes themselves by (reclaimed in-group speech) against the same word aimed at others.

The texts are written for these tests, not taken from the functional suites or any dataset.
"""

from __future__ import annotations

import pytest

from clearspace.engine import Engine
from clearspace.verdict.analysis import quoted_stretches
from clearspace.verdict.membership import self_named


def _named(text: str, word: str) -> bool:
    start = text.index(word)
    return self_named(text, start, start + len(word))


@pytest.mark.parametrize(
    ("text", "word", "member"),
    [
        ("we're the loudest dykes in the choir", "dykes", True),
        ("i'm a proud old queer and i vote", "queer", True),
        ("us crips got the good seats for once", "crips", True),
        ("as a fat dyke i have opinions on this", "dyke", True),
        ("being a bit of a fag myself, i approve the outfit", "fag", True),
        ("we're a bunch of sweaty queers on bikes", "queers", True),
        ("i hate dykes", "dykes", False),
        ("i'm afraid of dykes", "dykes", False),
        ("we're surrounded by queers", "queers", False),
        ("we don't want queers in this bar", "queers", False),
        ("i'm sick of these crips taking the seats", "crips", False),
        ("we're not fags, stop it", "fags", False),
        ("i told the fag myself", "fag", False),
        ("you dykes are all the same", "dykes", False),
        ("they were queers and everyone knew", "queers", False),
        ("growing up a dyke in a small town was an education", "dyke", True),
        ("我就是个娘炮，怎么了", "娘炮", True),
        ("我们这些死肥宅就爱宅家", "死肥宅", True),
        ("我最讨厌娘炮", "娘炮", False),
        ("你就是个娘炮", "娘炮", False),
    ],
)
def test_only_a_first_person_description_names_the_speaker(text: str, word: str, member: bool) -> None:
    assert _named(text, word) is member


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ("We're the rowdy dykes in the back row of the quiz night and we won again", False),
        ("Get these dykes out of the quiz night, nobody wants them", True),
    ],
)
def test_the_verdict_lets_a_member_use_the_word(engine: Engine, text: str, abusive: bool) -> None:
    assert engine.score(text).abusive is abusive, text


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("she got hundreds of 'kys' replies", ["kys"]),
        ("replying 'you're useless' to a kid? grow up", ["you're useless"]),
        ("you're right, it's the dogs' bowl", []),
        ("the '90s had rock 'n' roll", ["90s had rock 'n"]),
        ("he said “滚” and 'scram'", ["滚", "scram"]),
        ("an apostrophe opens 'nothing if it never closes", []),
        ("'" + "x " * 100 + "'", []),  # an ASCII single quote closes within SINGLE_QUOTE_REACH characters
    ],
)
def test_ascii_single_quotes_quote_and_apostrophes_do_not(text: str, quoted: list[str]) -> None:
    assert [text[a:b] for a, b in quoted_stretches(text)] == quoted


@pytest.mark.parametrize(
    ("text", "word", "member"),
    [
        ("my fellow nerdy weirdos, who is coming to the con", "weirdos", True),
        ("we're such losers at bowling lol", "losers", True),
        ("i'm such a loser", "loser", False),  # the speaker alone: self-description, weighed as "self" elsewhere
        ("you weirdos never stop", "weirdos", False),
    ],
)
def test_an_insulting_word_names_the_speakers_group_only_after_a_plural_copula(text: str, word: str,
                                                                               member: bool) -> None:
    start = text.index(word)
    assert self_named(text, start, start + len(word), group_only=True) is member


@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ("Drop the 'lazy immigrant' talk, it's tired and it was never true", False),
        ("“废物”这种说法太伤人了，孩子会记一辈子", False),
        ("you lazy immigrant, go home", True),
    ],
)
def test_words_named_as_talk_are_mentioned_not_used(engine: Engine, text: str, abusive: bool) -> None:
    assert engine.score(text).abusive is abusive, text
