"""Constructions the round-13 fresh suites showed the verdict getting wrong, both ways.

Each harmless text has an attack beside it that uses the same words, so that a rule that only makes
texts pass would fail here. The texts are written for these tests, not taken from any suite or dataset.
"""

from __future__ import annotations

import pytest

from clearspace.engine import Engine

CONSTRUCTIONS = [
    # -- attributed and named quotes
    # a quote attributed right after it (," the airline said): reported speech, not the speaker's own
    ('A fan was banned from the stadium after telling a steward to "go kill yourself," the club said.', False),
    ('"You should just go die," he wrote under her post, according to the complaint.', False),
    # the same words as the speaker's own, and a quote that nobody is said to have said
    ("The steward should go kill yourself, honestly. Go die.", True),
    ('Go kill yourself. "Customer service" my ass, you said nothing useful.', True),
    # a quote named as a threat or a slur
    ('"I know where you live, it\'s on your profile" is a threat, plain and simple. Report it.', False),
    ("I know where you live, it's on your profile. Think about that.", True),
    # -- quoted words named by de are someone elses
    # 那个说“…”的: the quoted words name the one who said them
    ("那个说“东北人都跟牲口一样”的，先管好你自己吧", False),
    ("东北人都跟牲口一样，先管好你自己吧", True),
    # -- excluding people compounds and reports
    # "no" before a slur and a verb keeps people out; before an insult it still denies the word
    ("No tranny is getting a bridesmaid dress from my shop.", True),
    ("No idiot is going to fall for that one.", False),
    ("you're no idiot, you did fine", False),
    # an identity word as the first half of a business compound is its members' description
    ("Dyke-owned bakery here, come get your cupcakes", False),
    ("that dyke runs the bakery, boycott it", True),
    # reported and urged speech in a news report
    ("The chef told reporters that commenters urged him to 'drink bleach' after the opening.", False),
    ("drink bleach, telling you now", True),
    # -- members naming themselves and their events
    # a sentence that opens with what the speaker is among; "as the" as a verb's complement still attacks
    ("As one of the two dykes in this choir, I'm claiming the alto solo.", False),
    ("As the office's resident fag I have been put in charge of the party playlist", False),
    ("treat them as the faggots they are", True),
    # "X and I are two dykes": the speaker among the word's group
    ("My girlfriend and I are just two dykes trying to assemble a wardrobe.", False),
    # an identity word naming a community's event; the same word before a verb or a place still attacks
    ("Dyke trivia night is back on Friday, bring your smartest friends", False),
    ("you are one of the faggots ruining this league", True),
    ("that fag at the party last night was annoying as hell", True),
    # -- chinese speakers naming themselves
    # 作为一个X, X一枚, X俱乐部: the speaker or the speaker's community; the same word at someone still attacks
    ("作为一个死肥宅，今天终于一个人去看了场电影", False),
    ("屌丝一枚，攒了两年钱终于换了台新电脑", False),
    ("你就是屌丝一枚，别装了", True),
    ("死肥宅俱乐部今晚开黑，来的扣1", False),
    ("你这个死肥宅离我远点", True),
    # -- chinese words named as what others say
    # words named as what others keep saying (一口一个, 有人刷, 谁说): objecting to them
    ("别一口一个娘炮，男生说话温柔点怎么了", False),
    ("直播间里有人刷“娘炮滚出去”，真的无语", False),
    ("谁说男生练瑜伽就是娘炮？", False),
    ("娘炮滚出去", True),
    ("你一口一个哥哥叫得真甜，死娘炮", True),
    # -- pictures of things are not a come-on
    ("send pics of the new puppy!", False),
    ("dm me some pics of the venue", False),
    ("send pics of your body babe", True),
]


@pytest.mark.parametrize(("text", "abusive"), CONSTRUCTIONS)
def test_round13_construction(engine: Engine, text: str, abusive: bool) -> None:
    r = engine.score(text)
    assert r.abusive is abusive, (text, r.abusive, r.target, r.stance)
