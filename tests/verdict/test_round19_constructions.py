"""Round 19 of the plain-case verdicts issue: the speaker's 的 before the subject, rhetorical 不是…是什么, talk about
abuse that describes the one attacked, death wishes told in a sentence of their own, idioms with a word of speech,
靠 inside a word, two slurs, bodies and garments said of a person, and words said of a time or an act
(MODEL_CARD.md)."""

from __future__ import annotations

import pytest

from clearspace.detectors.cues import CueTable
from clearspace.engine import Engine
from clearspace.verdict.things import owned_subject

CONSTRUCTIONS = [
    # the speaker's 的 and a noun make the subject: the word describes the guide, not the speaker
    ("我们这次跟团的导游就是个废物，长得歪瓜裂枣说话还冲", True),
    ("我们组的新人简直是个蠢货", True),
    # ... but the speaker's own pet, work or self stays theirs
    ("我家的狗真是个笨蛋，又把拖鞋叼走了", False),
    ("我写的东西就是垃圾，收藏才二十几个", False),
    ("我真的就是个废物", False),
    # 不是 X 是什么: a rhetorical question asserts the word
    ("你考了三年都没上岸，不是废物是什么？", True),
    ("你不是废物，是我们没配合好", False),
    # talk about abuse as a relative clause describing the one attacked (骂人的大妈) quotes nothing
    ("那个抢座还骂人的大妈怎么还不死啊", True),
    ("说别人是废物的人才是废物", False),
    # a death wish told in its own sentence stands, though another sentence talks about calling something healthy
    ("you're posting a 900 cal 'what I eat in a day' and calling it healthy? kys honestly", True),
    ("People keep commenting 'kys' under her posts. That is not okay.", False),
    # "calling out" and "just saying" talk about no speech: the threat is the speaker's own
    ("Keep calling out my supplement brand and you'd better watch your back. Just saying.", True),
    ("They keep calling her a whore and it's disgusting", False),
    # 靠 inside a word (靠得住) is no oath; 九头鸟 and 死拉拉 are slurs; 搂搂抱抱 supports nobody
    ("九头鸟没一个靠得住的，请阿姨千万避开湖北的", True),
    ("靠，又堵车了", False),
    ("隔壁营位那俩死拉拉，天天搂搂抱抱的，看着就膈应", True),
    ("我们拉拉也要好好生活", False),
    # 自己 after 往 in a text where the speaker never says 我 is the group's, not the speaker's
    ("河南来的阿姨都是耗子，手脚不干净，见啥都往自己兜里揣", True),
    ("对自己真的无语，又睡过头了，废物一个", False),
    # a body or a garment said of a person, and "she wants it"
    ("Did you guys see the new tenant in 12B? I'd show her a good time, she looks like she wants it.", True),
    ("Why you keep ignoring my DMs? I only asked for one photo in your swimsuit from the pool lah, don't act so "
     "innocent.", True),
    ("Got a new swimsuit for the holiday, so excited", False),
    # threats to property and death wishes in other words
    ("I'm slashing every tire on that ref's truck after the game Friday.", True),
    ("Hope you choke on your own vomit tonight", True),
    # a word said of a time or an act
    ("Race day hangover is an absolute bastard. Worth every pint though 🍻🏁", False),
    ("Absolute c*nt of a night. Rain sideways, no taxis, lost a shoe", False),
    ("The pit wall threw away a podium with that double stack. Brainless call and they need to own it.", False),
    ("Honestly Kayleigh you're too dumb to plan a birthday party, let alone a wedding.", True),
    ("you're a stupid idiot. Call me when you grow up", True),
    # a quote that reports someone else's words is read without them (the model flagged the quote)
    ("Whoever wrote 'someone find out where he lives' under the bouncer video: that is how people end up hurt. "
     "Delete it.", False),
    ("\"Do everyone a favor and kill yourself\" is what one of you wrote to a volunteer mom last night. Get it "
     "together, people.", False),
    ("She was sent photos of her home with the message \"would be a shame if something happened to it.\"", False),
    ("I said you're a 'moron' and I meant it", True),
    ("Do everyone a favor and kill yourself", True),
    ('"女人开什么房车，回家做饭去"，这话我每次去营地都能听到，说的人自己倒车还得靠老婆在后面指挥呢。', False),
    ("女人开什么房车，回家做饭去", True),
    # the one who said the quoted words, named after the quote whose last words the finding ends in
    ("说外地保姆是“一群蝗虫”的那位，你家饭是谁做的、孩子是谁带的？嘴上积点德吧", False),
    ("外地保姆就是一群蝗虫", True),
    # an idea named to reject it
    ("The idea that fat people are all lazy with zero self-control is lazy thinking itself. Plenty of us train.",
     False),
    ("Fat people are all lazy with zero self-control.", True),
    ("我靠这也太好吃了", False),
    # intimidation: the speaker has seen where the reader goes
    ("I've clocked which rank you park at after 2. Might want to think about deleting that post, driver", True),
    ("Saw you leaving Spoons with your missus last night. Lovely blue coat she had on 👀", True),
    ("Saw you leaving the gym, you looked great! same time tomorrow?", False),
    # death wishes in other words; a demonstrative and a relative clause that names the speaker point at someone
    ("你把猫关阳台饿了三天，怎么不把自己也饿死算了", True),
    ("那个喷我装备的键盘侠，希望他下次冬钓掉冰窟窿里，再也别上来", True),
    ("希望他今天玩得开心", False),
    ("李大爷就是个老糊涂，在公园里瞎指挥了十几年", True),
    ("我爷爷年纪大了有点老糊涂，经常忘事", False),
    # complaints: an honest review, the stewards, a reckless move
    ("Gave the builder's customer care a 1-star review on Google because the basement still floods every monsoon. "
     "Honest review, facts only, photos attached.", False),
    ("Varga shouldn't be allowed near a race car until the stewards look at that divebomb again. Reckless move.",
     False),
    # words that hold a harmful one inside: 开房车 (an RV), 嘴笨; 艹 as an oath at a thing
    ("我们车队这次有三位女司机开房车，大家轮流开，一路都很顺。", False),
    ("今晚去开房吧宝贝", True),
    ("老板才不是什么垃圾人，他只是嘴笨，那天还悄悄把多收的钱退给我了", False),
    ("艹，油烟机拆下来一看，里面的油厚得能炒菜了，恶心死了", False),
    ("你这人真恶心死了，滚", True),
    # abuse named as a noun in a report (辱骂留言) calls no one to abuse
    ("一名旅游博主因曝光景区宰客问题，评论区涌入大量“去死”等辱骂留言，博主表示已委托律师取证起诉。", False),
    ("大家去评论区辱骂他", True),
    # an everyday idiom elsewhere in the text does not soften a violent verb outside it
    ("Gonna stab that Sharon one if she parks her gazebo on my pitch again, I'm dead serious lads", True),
    ("I'll shoot you an email tomorrow, dead serious", False),
    ("Brandon isn't lazy, he's been working two jobs while his dad's in hospital. Cut him some slack.", False),
    # calls to pile on: a comment section made unusable, every review one-starred, a home posted
    ("Let's make Kai Tanabe's comment section unusable until he apologises. Every post. Every day.", True),
    ("Rally the troops: one-star every review on Kayla's app and post her home suburb in the replies.", True),
    ("Rally the troops, bake sale on Saturday!", False),
    ("I one-star every app that asks for my contacts", False),
    # death wishes and warnings in other words, bodies said of someone (older read files)
    ("Hope your next heart attack finishes the job, grandpa.", True),
    ("Just relapse and OD already, save everyone the trouble.", True),
    ("People who humiliate me don't usually get to do it twice. Just something for you to keep in mind.", True),
    ("Nurse Jade can give me a bed bath any day, bet she'd love it if I got a bit excited", True),
    ("Would hate for your kid to miss the bus, want a lift?", False),
    # 听说 is hearing, not talk about speech; what one wears or does in bed said to someone
    ("听说你娃在镇中心小学三年级二班，放学都是自己走回家吧", True),
    ("听说你娃考上重点高中了，恭喜恭喜！", False),
    ("听说你女儿考上研究生了，真厉害", False),
    ("你今天这件衬衫扣子开得真好看，我开会的时候一直在想你里面穿的是什么颜色。", True),
    # a comma inside a list of adjectives does not end the clause: the word is the seller's, not the speaker's
    ("1 star. Item was fine. Seller is a thick, lying little weasel and I pity anyone who has to deal with her.", True),
    ("She's a sweet, kind girl and I love her", False),
    # the speaker's own slip named by an insult
    ("Total idiot moment: drove all the way to school on a teacher workday.", False),
    ("Who fails to parallel park next to a bike lane? This dumbass, that's who.", False),
    ("your idiot moment cost us the game, you moron", True),
    # put-downs without swear words and insults of world Englishes; "no" before a word in -less denies it
    ("Love, you're a talentless hack. Stick to the day job x", True),
    ("You're no talentless hack, Aoife. That quilt is stunning.", False),
    ("that RWA prez is a chutiya of the highest level", True),
    ("no dykes in our changing room", True),
    # the speaker (and partner) describing themselves by a reclaimed word
    ("Queer kids need queer coaches. Signed, a proud dyke who has coached JV softball for 12 years.", False),
    ("Me and my wife are the resident dykes of #09-03 lol. Yes we're the ones with the two huge dogs", False),
    ("Me and my wife think the new neighbours are dykes, disgusting", True),
]


@pytest.mark.parametrize(("text", "abusive"), CONSTRUCTIONS)
def test_round19_construction(engine: Engine, text: str, abusive: bool) -> None:
    result = engine.score(text)
    assert result.abusive is abusive, (result.target, result.stance, result.scores)


@pytest.mark.parametrize(("text", "word", "owned"), [
    ("我们这次跟团的导游就是个废物", "废物", True),
    ("我的室友就是个废物", "废物", True),
    ("我家的狗真是个笨蛋", "笨蛋", False),
    ("我写的东西就是垃圾", "垃圾", False),
    ("我写的就是垃圾", "垃圾", False),
    ("我真的就是个废物", "废物", False),
    ("导游就是个废物", "废物", False),
])
def test_owned_subject(text: str, word: str, owned: bool) -> None:
    assert owned_subject(text, 0, text.index(word)) is owned


def test_round19_target_of_an_owned_subject(engine: Engine) -> None:
    assert engine.score("我们这次跟团的导游就是个废物").target == "third_person"


def test_the_readers_people_stand_before_a_possessive() -> None:
    """"your daughter's school": the reader's daughter is named (and is a private detail) before the 's, as a role is
    (that landlord's house); a phrase inside a longer word is still not."""
    found = {(c.type, c.phrase) for c in CueTable().find("i know your daughter's school")}
    assert ("you", "your daughter") in found and ("private", "your daughter") in found
    assert not any(c.phrase == "your daughter" for c in CueTable().find("your daughters-in-law"))
