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
    ("截图我放这了，家人们冲就完事了", True),
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
    # a person the text names by their place in the thread or at work (楼上, 我们处长, 我们导师) is not the speaker;
    # 我 as the one to be left alone (离我远点, 别回我) is not who the word describes
    ("楼上的煞笔别回我了", True),
    ("我们处长就一fw，开会两小时讲不出一句有用的", True),
    ("我们导师就是个🐶东西，拿学生的成果去评自己的职称。", True),
    ("死肥宅 离我远点 看着就油腻🤮", True),
    ("他骂我是废物，我已经截图了", False),
    ("楼上说得对，这家店确实不错", False),
    # telling someone to end themselves; ending a relationship oneself is not a death wish
    ("赶紧自己了断吧，别再出现在群里了", True),
    ("这段感情我决定自己了断，不再拖了", False),
    # put-downs of someone's intelligence without a classic insult word; the same adjectives of things are not
    ("you are so fucking thick it's actually impressive", True),
    ("do you practice being this dense or does it come naturally", True),
    ("@RichieQuant is the dumbest finfluencer on YouTube, genuinely room-temp IQ", True),
    ("this soup is so thick and creamy", False),
    ("the lighting is too dim in here", False),
    # "you've", "you'd", "you'll" name the reader; harassment dressed as a compliment to them or about a third
    ("You've got proper gardener's hands, bet they'd feel great on me. Inbox me some photos darling", True),
    ("Hey beautiful, your legs in that pas de deux had me hard the whole second act. Send pics?", True),
    ("That new volunteer Jenny has a lovely pair on her, she can groom me any day of the week", True),
    ("what a lovely pair of shoes", False),
    ("she has great legs from all that cycling", False),
    # "it was a disgrace" judges what was done
    ("Reported the ref's conduct to the league. Waving off that goal after he'd already signalled it was a disgrace.",
     False),
    ("you are a disgrace", True),
    # setting someone's car on fire; a dish ordered "🔥" is not
    ("张磊这孙子再抢我钓位，我今晚就去把他那辆破电动车点了🔥", True),
    ("今晚烧烤店我请客，菜都点了🔥", False),
    # swearing at a system, a game or the weather insults nobody; the same word before a person does
    ("这sb系统又崩了，报名页面转了半小时", False),
    ("这破游戏真sb，又掉线了。", False),
    ("煞笔天气，一出门就下冰雹", False),
    ("这sb策划又削我英雄", True),
    # 不是什么…, 哪是什么… deny the whole description
    ("你才不是什么没人要的loser，只是这一年运气差了点。二战加油，我们都看着呢。", False),
    ("王大妈哪是什么泼妇，人家就是嗓门大，心眼可好了", False),
    ("你哪里是什么好人，就是个废物", True),
    # telling people to stop calling someone a name mentions the name
    ("别管腿脚不方便的师傅叫瘸子，残疾人靠手艺吃饭一点都不丢人", False),
    ("请别再把精神科病人叫疯子，他们不是危险分子", False),
    ("别跟那个傻逼玩", True),
    # a quoted word after a verb of saying is what someone else said; forbidding a slur is not using it
    ("Every time my FIL calls my wife a 'stupid bitch' at dinner my MIL just laughs. I'm done pretending that's normal",
     False),
    ("When I came on the job, guys wrote 'dyke' on my locker in Sharpie. Twenty years later I sign their evals.",
     False),
    ("ayo dont call him a faggot in this gc, not cool we dont do that here", False),
    ("you're such a 'genius' lmao, idiot", True),
    ("今天被室友骂“垃圾玩意儿”，这种人身攻击我不接受，已经截图发给房东了。", False),
    ("工长当着全屋工人的面骂小工“废物”，就因为贴歪了一块砖，这种人凭啥当领导？", False),
    ("城里来的亲戚张口闭口“你们乡巴佬”，我就想问你吃的大米哪来的", False),
    ("你就是个废物，乡巴佬", True),
    # the profile and the stream invite of a member of the group
    ("Queer as hell and streaming Stardew tonight, come hang out with your favourite fag in a frog hat 🐸", False),
    # everyday promises to call, text or send something; a threat after the same words still counts
    ("I'll send you the link tonight", False),
    ("I'll call you tonight", False),
    ("I'll pick you up at 6", False),
    ("I'll call you when I get home, you're dead", True),
    # 你妈让你… is a message from the reader's mother, not 你妈 the curse
    ("你妈让你回电话", False),
    ("你妈叫你回家吃饭", False),
    ("你妈让你去死", True),
    # British spellings of the wishes, deaths and beatings the tables knew in American English or other words
    ("Do the world a favour and throw yourself off a cliff. The birds would thank you.", True),
    ("that umpire is getting a beating in the parking lot after the game, I promise", True),
    ("break a leg tonight, you'll be great", False),
    # 傻*, s了你, 三围: evasions and come-ons in Chinese
    ("那个店老板是个傻*，卖病猫还不给退钱", True),
    ("s了你哦，我是认真的，别以为隔着网线就没事", True),
    ("大大三围多少啊？告诉我我就继续订阅", True),
    # the one the speaker owns (our GM, my brother) is a third person, not the speaker named later (us)
    ("Our GM is a spineless little worm who'd sell every one of us out for a bonus.", True),
    # "no <slur> gonna" keeps people out; a negated verb does not deny the words after a preposition
    ("Ain't no faggot gonna run our deer camp, pack your shit Brandon.", True),
    ("Is there anything you don't ruin with that pathetic little brain of yours?", True),
    ("you're not one of those idiots", False),
    ("I don't think you're an idiot", False),
    # death wishes as slang, a come-on with an empty house, a call to go see someone at home
    ("祝你年年有今日，岁岁住ICU[微笑]", True),
    ("我爸住ICU了，大家帮我转发一下筹款", False),
    ("打完这把来我家呗，我爸妈不在，床够大", True),
    ("我家床够大，你们来住不挤", False),
    ("驿站老板娘态度这么差，她家就住驿站楼上502，大家有空可以上去找她“聊聊”", True),
    ("pls log off permanently. like from life. not just the game", True),
    # defending a group or a person in plain words; the same words around an attack do not clear it
    ("Women are not property, and no law should treat them like it.", False),
    ("fat girls can go to festivals and wear whatever they want. fix your attitude, not their bodies", False),
    ("leave her alone, she's not weird, she's just quiet. she's actually really sweet", False),
    ("fat girls are disgusting, they eat whatever they want", True),
    # "yours truly" and "I was a total …" are the speaker
    ("Cried in a Chipotle over a Hinge unmatch. Peak idiot behaviour from yours truly.", False),
    ("I was a total bitch to my sister about her theory and she turned out to be right", False),
    ("I was a total idiot to trust you, you lying bitch", True),
    # members naming themselves (我们几个“娘炮”, 作为资深死肥宅, 老瘸子我今天…); a vocative before 我…你 is aimed
    # at the reader
    ("我们几个“娘炮”今天一起去上化妆课，学完互相画，开心死了", False),
    ("作为资深死肥宅，我宣布小区健身房是我的减肥圣地，虽然一次没去过", False),
    ("老瘸子我今天复健走了五百米，谁说瘸子不能逛公园", False),
    ("傻逼我告诉你，别惹我", True),
    ("死肥宅我劝你离我远点", True),
    # calls to dox quoted after 喊 or 号召, one quote after another, and 开盒 named as an act (开盒行为)
    ("喊“人肉他”“开盒她”的，你们知道这是违法的吗？上节目的也是普通人", False),
    ("有人号召“把他人肉出来”，这种开盒行为是违法的，请大家别转发。", False),
]


@pytest.mark.parametrize(("text", "abusive"), CONSTRUCTIONS)
def test_round15_construction(engine: Engine, text: str, abusive: bool) -> None:
    result = engine.score(text)
    assert result.abusive is abusive, (result.target, result.stance, result.scores)
