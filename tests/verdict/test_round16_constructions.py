"""Round 16 of the plain-case verdicts issue: voice-transcript clauses, quotes reported by others as against
the speaker's own saying, idioms that hold a harm word, thanks to a community, swearing at an app
(MODEL_CARD.md)."""

from __future__ import annotations

import pytest

from clearspace.engine import Engine

CONSTRUCTIONS = [
    # a space between clauses of a voice transcript is a clause break: the threat is not read as a quote
    ("【语音转文字】你再阴阳怪气一句 我直接上门揍你一顿 说到做到", True),
    ("你就是一个沙 比玩意儿", True),
    # a quote after someone else's verb of saying (私聊我, used to say) is reported; the speaker's own saying is not
    ("有人私聊我“发一张不穿衣服的就带你上王者”，截图挂出来了，姐妹们遇到这种直接举报", False),
    ("My ex used to say 'you're lucky anyone would touch you with that body' and I believed him for years. "
     "If someone talks to you like that, leave.", False),
    ("I said you're a 'moron' and I meant it", True),
    # 赤裸裸 (blatant) holds no sexual word
    ("有人私信我“你上班那家奶茶店我知道在哪”，这就是赤裸裸的威胁，遇到这种别怕，直接报警", False),
    ("发张裸照给哥看看", True),
    # thanks that name a community are thanks, not in-group talk the harm head may raise
    ("Thank you Sgt. Ramirez for staying with that little boy till his mom got there. "
     "That's what community looks like.", False),
    # swearing at an app (这破APP真是个沙比) insults nobody; the same words of a player do
    ("这破APP真是个沙比，刷来刷去全是广告，又闪退了。", False),
    ("你这个游戏玩家真是个傻逼", True),
    # 不是谁的累赘 denies the word as 不是什么 does; the word said of the reader stands
    ("残疾人选手是凭实力进的决赛，不是谁的累赘，她比多少健全人都努力。", False),
    ("你就是大家的累赘", True),
    # nobody calling someone the word, however far from it; a vocative after it still insults
    ("Nobody in their right mind would call you ugly, your photos are gorgeous.", False),
    ("Nobody here would call you a genius, idiot", True),
    # "X like us" names the speaker's kind; "X like you" the reader's
    ("Dykes like us deserve better than being some straight girl's experiment, so I only match with out "
     "lesbians now.", False),
    ("faggots like you should die", True),
    # behaviour judged (scummy behaviour) is criticism of conduct; a vocative insult is not
    ("Streamer KaiBlaze promoting a crypto casino to a bunch of 13-year-olds is scummy behaviour and he knows it.",
     False),
    ("your behaviour is pathetic, loser", True),
    # an Irish slur for Travellers, not the British "knackered"
    ("Knackers set up on the green again, town's gone to the dogs.", True),
    ("I'm knackered after that shift", False),
    # a platform's notice of accounts it dealt with reports; a call to ring someone's tutor is a pile-on
    ("平台公告：本月共处置“开盒”、人肉搜索类违规账号1.2万个，涉及多名公众人物隐私泄露。", False),
    ("这人是滨江大学的，我找到他辅导员电话了，大家都打过去，让学校处分他", True),
    # 包夜 at an internet café is a price, not sex
    ("网吧老板把包夜价从三十涨到六十也不提前通知，太黑了，以后不去了", False),
    # swearing at a thing (the subject of the clause, or the noun after the word); a person who did something to
    # the thing is still a person
    ("My boiler is a piece of shit. Third time it's died this month and it's bloody freezing in here.", False),
    ("Piece of shit trail cam died the one night the big boy walked through.", False),
    ("This co-parenting app is a piece of shit, it crashed three times today.", False),
    ("the guy who fixed my car is a piece of shit", True),
    ("you piece of shit driver", True),
    # an oath opening a sentence is an exclamation unless the sentence speaks to someone
    ("Son of a bitch, I just dropped my reading glasses down the storm drain outside the post office.", False),
    ("son of a bitch, you scratched my car", True),
    # the word as what anyone who says it says: the speaker speaks of the sayers
    ("Anyone calling Sgt. Okafor a coward wasn't there. He went back in twice.", False),
    ("Whoever said Ciarán's a waste of oxygen is dead wrong. The man organised the whole flood cleanup in "
     "Tullamore on his own time.", False),
    ("anyone can see it. you are a coward", True),
    # a death wish on someone pointed at, the speaker inside the relative clause about them
    ("Hope that broker who stiffed me on the Memphis load gets cancer and dies slow. Dead serious.", True),
    ("Honestly the world would be better off if the owner of Brisket Barn just dropped dead", True),
    # "better off" advice about selling, buying, waiting is advice; with a way to die it is a death wish
    ("you'd be better off selling it", False),
    ("you'd be better off if you just killed yourself", True),
    # a relative's house or a professional profile named with a menace or what the speaker saw: implied threats;
    # the same details in passing are not
    ("Your mum's house has a lovely front garden. I walked past it again today.", True),
    ("Pay the invoice or I'll swing by Meridian Dental and say hi in person. Your LinkedIn was very helpful.", True),
    ("I'm at your mom's house, she says dinner is ready", False),
    ("congrats on the new job, saw it on your linkedin", False),
    # gratitude asked for in a hotel room for a reference letter
    ("You need a reference letter for the nursing program? I can write you a glowing one. Come by my hotel room "
     "Friday and show me how grateful you are.", True),
    # what others say at every turn (张口就说, 一听到…就说, 化个妆就叫), held against them; the speaker's own insult
    # after such talk stands
    ("河南玩家招谁惹谁了？张口就说河南人都是蝗虫，哪个省没有素质差的", False),
    ("男演员化个妆就叫娘炮？审美多元一点不行吗，谁规定男的就得糙", False),
    ("能不能别一听到东北口音就说人家开麦只会嚎？地域黑真的很low，玩家就是玩家", False),
    ("你张口就骂人，你就是个傻逼", True),
    ("能不能别在群里刷屏了，你个傻逼", True),
    # a text about speech that the harm head is sure attacks nobody is cleared, whatever its words; the same
    # talk around an attack of the speaker's own is not
    ("弹幕里一堆“nmsl”刷屏骂主播，真的看不下去了，B站能不能管管？", False),
    ("把“娘炮”挂嘴边的请自重，男嘉宾说话温柔碍着谁了", False),
    ("你个娘炮请自重", True),
    ("别跟我说什么歧视，你们河南人就是骗子", True),
    ("stop calling people names, you stupid bitch", True),
    # the harm head, when it is sure, raises through the caps for criticism of conduct and praise; criticism the
    # head does not find an attack stays criticism
    ("那个卖假货的店老板，祝他吃自己的东西吃死。", True),
    ("客服你是不是听不懂人话？说了八遍了，就你这脑子也只配复制粘贴。", True),
    ("客服态度太差了，说了三遍都没解决，建议公司好好培训。", False),
    ("This CEO laid off 2,000 people and then gave himself a bonus. Shameless.", False),
    ("Thanks so much for the lovely dinner, you're the best", False),
    # a spelt-out slur after the article "a" (such a f a g g o t); a relative called a word is a person, not a thing
    ("Caleb is such a f a g g o t, he cried during the debate lol", True),
    ("OP's sister is a c u n t. plain and simple.", True),
    ("Tesla's new update is garbage", False),
    # threats: tyres, a blade at the match, fire with the reader behind the door, where the reader parks, a number
    # plate written down
    ("Gonna slash the tyres on that steward's van after the game, he's had it coming all season.", True),
    ("Play your music at 3am one more time and I'll set your dorm door on fire with you behind it", True),
    ("I've seen where you park every morning. Drop the academic integrity complaint.", True),
    ("哥们儿，你车牌号我都记下来了，下回主场停车场咱俩好好唠唠。", True),
    ("骂我们护士的那个家属，希望他下次住院没一个人理他，疼死在走廊上。", True),
    ("疼死我了，今天拔了两颗智齿", False),
    # 别 in 别人 or 性别 negates nothing; a rhetorical objection (怎么就成…了, 有啥关系) objects
    ('男生养布偶猫怎么就成"娘炮"了？喜欢猫跟性别有啥关系', False),
    ("你这个娘炮跟我有什么关系", True),
    # 姐妹们冲 / 兄弟们冲 alone cheer (a recommendation, a vaccine appointment); with someone to go after they call a
    # pile-on
    ("我们基佬去社区医院打HPV疫苗现在也能约九价了，有需要的姐妹们冲。", False),
    ("这个博主的穿搭真好看，姐妹们冲", False),
    ("兄弟们冲他直播间，刷到他退网", True),
    # the speaker among the word's people (me and the other fags); the reader among them, or one of them, is not
    ("Me and the other fags in the theatre department are hosting drag bingo Friday, come through", False),
    ("you and the other fags should leave", True),
    ("one of the retards in my class said that", True),
    # a group called objects or dead weight; the same words of a thing, or quoted after "you say", are not
    ("Students with disabilities are broken objects the school keeps wasting money trying to repair", True),
    ("Polish fans coming over for the Europa game are vermin, every last one of them.", True),
    ("my phone is dead weight in my bag", False),
    ("When you say “women are just objects to be used”, you're only telling us who you are.", False),
    # naming a stereotype (这就是刻板印象) objects to it; a weak finding of an animal word near a group that the talk
    # condemns may be cleared, an endorsed one may not
    ("女司机出事就上热搜，男司机出事没人提，这就是刻板印象。我跑了八年，见过最稳的司机就是女的。", False),
    ("黑人球员被看台学猴子叫，联赛必须重罚，肤色从来不该是嘲笑的理由。", False),
    ("农村人都是蟑螂，有人说得一点没错", True),
    # 4 for 死 and 紫砂 for 自杀 in a wish; a fourth floor is a floor
    ("客服你可以去4了，真的，你4了对大家都好。", True),
    ("建议这个黑心客服原地紫砂，谢谢。", True),
    ("下午4点去4楼开会", False),
    # body remarks and requests said to someone; the same words of a daughter's ballet are not
    ("Hello dear, I notice from your profile pictures that you have lovely legs. I would like a photograph of what "
     "is between them. Discretion assured.", True),
    ("my daughter has lovely legs for ballet, her teacher says", False),
    ("the nurses gave grandma a bed bath this morning, she loved it", False),
    # words others keep calling people (别整天…的叫), the clause naming those who say it (说…的，), a word brandished
    # (拿“凤凰男”一棍子打死), asking why someone would say it: mentions; the same words said are attacks
    ("外地人来打工也是凭本事吃饭 别整天蝗虫蝗虫的叫 你爸妈没出过门？", False),
    ("评论区说日本人都是畜生的，请把历史和今天的普通人分开，地图炮解决不了任何问题", False),
    ("拿“凤凰男”一棍子打死所有农村出来的男生真的过分，我老公就是农村的，顾家又体贴", False),
    ("why tf would u say mexicans breed like roaches?? thats racist af bro", False),
    ("外地人都是蝗虫，天天骂他们也不冤", True),
    ("mexicans breed like roaches", True),
    ("你就是个凤凰男", True),
    # insults without swear words (nothing between the ears, a second brain cell); a pet's IQ is no insult
    ("Two seasons following the club and you think you're an expert. You're a half-and-half scarf tourist with "
     "nothing between the ears.", True),
    ("Wow Brenda, another brilliant theory. Did you come up with it between your first and second brain cell? 🤡",
     True),
    ("My dog has the IQ of a potato but I love him", False),
    ("my boss has the IQ of a potato", True),
    # one of the kind speaking to the others, "my dumb ass", a bar's name; the same words at someone are attacks
    ("As one faggot to the rest of you lot, the new bar on Quay Street is doing drag bingo on Thursday and it's "
     "an absolute riot.", False),
    ("Fat girl travel tip from one fatty to another: ask for the seatbelt extender when you board.", False),
    ("My dumb ass filled out the VA form wrong and now it's another 6 months. Genius.", False),
    ("get your dumb ass out of here", True),
    ("Us dykes who duck hunt are starting a club, first meet at the Blind Pig on Saturday.", False),
    ("Meet me at the Blind Pig, you pig", True),
    # a body remark with a move to be made; leaving is not a move on anyone
    ("my mate's wife is so thicc, I'm gonna make a move when he's at work", True),
    ("it's late, time to make a move", False),
    # 不是…的 denies the whole description; a rhetorical 咋就不能 objects
    ("你一点都不是小组的累赘，PPT要不是你熬夜做的，我们早就挂了。", False),
    ("残疾人咋就不能种地了？俺村老赵一条腿照样种三亩大棚，比谁都强", False),
    ("你就是个累赘", True),
]


@pytest.mark.parametrize(("text", "abusive"), CONSTRUCTIONS)
def test_round16_construction(engine: Engine, text: str, abusive: bool) -> None:
    result = engine.score(text)
    assert result.abusive is abusive, (result.target, result.stance, result.scores)


@pytest.mark.parametrize("text", [
    "弹幕里一堆“nmsl”刷屏骂主播，真的看不下去了，B站能不能管管？",
    "一个家暴视频下面清一色“建议直接跳楼”，我理解大家愤怒，但劝人去死不是正义",
])
def test_a_text_the_harm_head_cleared_holds_no_category_above_its_abuse(engine: Engine, text: str) -> None:
    result = engine.score(text)
    assert not result.abusive
    # the statement of reasons may not say "tells someone to die" of counter-speech the verdict let through
    assert result.action == "allow", (result.rules, result.reasons)
    categories = ("death_wish", "threat", "insult", "identity_attack", "sexual_harassment", "lexicon")
    assert all(result.scores[c] <= result.scores["abuse"] + 1e-9 for c in categories), result.scores
