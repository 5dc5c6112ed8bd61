"""Round 15 of the plain-case verdicts issue: the speaker's own words for themselves, pile-on calls that are
named, condemned or cheered rather than made, and English threats and death wishes the verdict had capped as
criticism or self-talk (MODEL_CARD.md)."""

from __future__ import annotations

import pytest

from clearspace.engine import Engine

CONSTRUCTIONS = [
    # the speaker calling themselves by the word (我这个死胖子, 我是真的蠢, 自己就是个丑八怪) runs themselves down;
    # the same word before the person it describes, or after 你自己, is aimed at someone else
    ("我这个死胖子跑三公里就喘成狗，还想报全马，笑死", False),
    ("行测数量关系全靠蒙，我是真的蠢，蠢到家了", False),
    ("照镜子发现自己就是个丑八怪，难怪相亲十次被拒十次", False),
    ("我这个傻逼室友又不倒垃圾", True),
    ("你自己就是个废物", True),
    # a second word in the sentence where the speaker named themselves is about the speaker too; an unaddressed
    # word in a sentence where the speaker did not name themselves still insults someone
    ("🐶东西，删我帖子算什么本事", True),
    # 冲 with nobody to go after cheers (姐妹们冲); a study group 刷题; asking to be scolded back to sense
    ("我们瘸子开手控车照样能跑长途，上周自驾去了趟大理，兄弟们冲", False),
    ("我们肥宅考公小分队，今晚一起刷题吃夜宵", False),
    ("兄弟们冲他直播间，刷到他退网", True),
    # 人肉 named as a practice (人肉是违法的, 人肉的账号) and a call not to follow the crowd are not calls to dox
    ("群里有人喊“人肉他，把他单位挖出来”，我反对。扔猫是可恶，但交给警察，人肉是违法的", False),
    ("刚看到有人号召“人肉”这位博主，真的离谱，大家别跟风，举报那条评论就好", False),
    ("大家去人肉他", True),
    # nobody wanting or asking for someone asserts the word of them; nobody thinking it denies it
    ("Nobody wants a psycho like you in this group, go back to the loony bin", True),
    ("nobody thinks you're a weirdo", False),
    # a death wish or a threat over what someone did is not criticism of their conduct, and an act of violence
    # is not the speaker talking about themselves
    ("that reporter who leaked the witness's name deserves to get hit by a bus tbh", True),
    ("Praying the HOA treasurer chokes on all that embezzled money and dies.", True),
    ("I'm going to burn this place down with the owner inside it. Watch me.", True),
    ("The treasurer embezzled the club's money and the committee must answer for it", False),
    # "language" names speech only as such ("that kind of language"); a language café holds no quote
    ("you stole my project idea. next time we meet at the language cafe I'm stabbing you", True),
    ("That kind of language has no place here, calling her a 'dumb slut' is not ok", False),
    # condolences and prayers support the reader; sarcastic "good luck" still insults
    ("thinking of you and your family", False),
    ("praying for you and your family", False),
    ("good luck finding a job with that face, ugly", True),
]


@pytest.mark.parametrize(("text", "abusive"), CONSTRUCTIONS)
def test_round15_construction(engine: Engine, text: str, abusive: bool) -> None:
    result = engine.score(text)
    assert result.abusive is abusive, (result.target, result.stance, result.scores)
