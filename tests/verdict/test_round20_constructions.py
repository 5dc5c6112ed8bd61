"""Round 20 of the plain-case verdicts issue: constructions found in the round's read files (MODEL_CARD.md)."""

from __future__ import annotations

import pytest

from clearspace.detectors.cues import CueTable
from clearspace.detectors.harm import HarmDetector
from clearspace.engine import Engine
from clearspace.text.document import Document
from clearspace.verdict.analysis import Analysis

CONSTRUCTIONS = [
    # 谁再…，我就…谁: a condition on whoever does something, then the speaker hurting that person
    ("谁再动我的座位牌，我就拿圆规扎谁", True),
    ("谁再乱停车我就扎谁轮胎", True),
    ("谁再迟到我就罚谁抄书", False),
    ("谁再不交作业，我就不让谁进教室", False),
    # "in March" is the month, not a march: the slur is no member's own
    ("Only a retard would go up Mount Barlow in March without microspikes. Congrats, you retard.", True),
    # a group said to belong or to deserve safety right after it is named
    ("gay players deserve a safe server too. any mod who lets slurs slide shouldn't be a mod", False),
    ("Trans teachers belong in our schools and in our union. Full stop.", False),
    ("Women belong in the kitchen", True),
    ("immigrants deserve what they get, vermin", True),
    # an oath opening a sentence names nobody; swearing at luck calls no group trash
    ("son of a bitch, a creeper just blew up my whole farm", False),
    ("son of a bitch, you did it again", True),
    ("fucking trash luck on this banner again, 180 pulls and nothing", False),
    ("菜难吃就算了，这家店老板本人就是个垃圾，人品比他家的菜还烂", True),
    # the harm head reads a quote-reporting text without its quotes, as the model does
    ("Man said 'Africans are animals' in the barbers today and the whole shop shut him down. Proper.", False),
    ("the casting call said 'open to nudity' so I assume you'll be sending me private videos, babe", True),
    # intimidation: the speaker photographed, watches or can see; a protector who will not be there for ever
    ("你在鹭桥机场值机柜台上班对吧，工牌上的名字我拍下来了，下班路上注意点", True),
    ("你家楼下那家面馆味道不错，我这几天常去，顺便看看你几点回家。", True),
    ("你那台白色电动车停在B区第二排，我天天都能看到哦。", True),
    ("医院保安护得了你一时，护不了你一辈子", True),
    ("下雨了，下班路上注意点哦", False),
    ("我天天都能看到你的朋友圈，真羡慕", False),
    # sexual requests as a trade
    ("你给我发个私密视频，我帮你把这个月的任务冲完", True),
    ("I can get you a headline spot at my club if you spend the night at my place first. Your call.", True),
    # asking why a group may not, and a bias named to condemn it, stand up for the group
    ("女人怎么就不能搞电商了？我们合作社最能干的就是那几位大姐", False),
    ("女人怎么就不能闭嘴？烦死了", True),
    ("河南人偷东西？这种地域黑太恶心了，我们网吧最靠谱的网管就是河南的。", False),
    # not wanting someone of a kind: the slur still names them
    ("我才不要那个二椅子医生给我看病，看着就膈应", True),
    ("他才不是什么二椅子，别瞎说", False),
    # "a talentless joke" is what someone is called, not talk about a joke
    ("Nobody rates you Jaz, you're a talentless joke with a tattoo gun", True),
    ("stop making the 'retard' joke, it's not funny", False),
    # routines watched, a workplace visited, a warning not to hide
    ("I've been watching you leave the club every Thursday at 11:40. Same route every time. Just so you know.", True),
    ("你上班的那个汽修厂我去过了，老板人挺好的，你最好也识相点。", True),
    ("听说你下个月在城南考点考雅思，考完出来我们好好“聊聊”，别想躲。", True),
    # a report of a page suspended for a post, comments condemned, "ain't", an idiom of pain, a delay criticised
    ("A popular meme page was suspended Tuesday after posting a cartoon depicting immigrants as rats.", False),
    ("The comments under Jess's video ('kys', 'hope your horse dies') are vile. Whoever wrote them should be ashamed.",
     False),
    ("Whoever wrote this trip report is a complete moron, honestly.", True),
    ("You ain't stupid for asking, sis. Everyone's first tattoo is nerve-racking.", False),
    ("This new tattoo hurt like a bitch but goddamn it's worth it", False),
    ("云鹊航空的延误处理就是垃圾，四个小时没人来说明情况，连瓶水都不给", False),
    # the speaker's own hands and brain; being scolded, and leave to scold the speaker, call nobody to a pile-on
    ("又是被导师骂的一天，我这种手残做文物修复真是拖大家后腿。", False),
    ("本人菜狗一只，开黑永远是拖后腿的那个，大家随便骂。", False),
    ("大家去骂他，被他坑惨了", True),
    # people called cattle, "not even proper people"; a slur before a role describes that person
    ("Foreign nurses are just cattle the NHS ships in, they're not even proper people", True),
    ("Our chinky night manager doesn't understand a word we say", True),
    ("dyke night at the bar was great", False),
    ("The new lodger in room 3 is a pathetic manchild, full stop.", True),
    # warnings: a tenant's comfort, a dare and "see what happens"
    ("Tenants who report me to the council don't stay comfortable for long. Remember that.", True),
    ("keep doing jokes about my family and see what happens. I'm always in the back row.", True),
    ("Try adding more salt and see what happens", False),
    ("Megan at the letting agency definitely puts out for tenants, I'll have her on her knees before we sign.", True),
    # a group said to belong somewhere that is no put-down
    ("Trans people belong in comedy, on stage and in the crowd. If your whole act is punching at them, find new "
     "material.", False),
    ("immigrants belong in their own country", True),
    # being mocked named to condemn it; opening someone's box (开盒) and exposing them
    ("外国乘客不会说中文就被人嘲笑，这不对，咱们出国不也一样听不懂", False),
    ("把这个盗版搬运号的盒开了，家里人的电话也要，全网曝光他。", True),
    ("开盒是违法的，大家千万别这么干", False),
    # the speaker's own telling: an order or an offer of their own is no report of someone else's words
    ("Told the receptionist Jade I'd pay her rent if she sends me nudes, she's playing hard to get lol", True),
    ("told the mods he keeps sending me nudes, finally banned", False),
    ("I told him to kill himself lol", True),
    ("She told him to kill himself and got banned, good", False),
    ("He tried to kill himself last year, please be kind", False),
    # "nobody thinks you're X" denies X; keeping someone out of "our community" names no membership
    ("Nobody thinks you're a fraud. The video proof is clean and all three verifiers agreed.", False),
    ("That nigger in the race chat should stay the hell out of our community.", True),
    # swearing at nobody with a weak cue of harm (jumped) stays swearing; a lockbox is a thing
    ("Rates jumped again?? What the fuck.", False),
    ("This piece of shit lockbox won't open and my buyers are standing in the rain.", False),
    # texting shorthand is no word spelt out
    ("u r a pathetic little man who peaked in high school and it shows in every message", True),
    ("u r a b i t c h", True),
    # threats of bodily harm in other words; a group the tables did not know
    ("The verifier who rejected my run is getting his skull cracked open when I see him at the Summer Retro Meetup.",
     True),
    ("Gonna wait for Kel at transition and punch her lights out for getting me DQ'd.", True),
    ("Pacific Islanders trying triathlon are basically apes on bikes.", True),
    # Chinese: a remark on a body, a put-down of a life, a pile-on at someone's door or under their posts
    ("你讲题的时候胸一晃一晃的，我哪还有心思听课啊", True),
    ("评论区那个天天杠的大叔，活了四十多年活成这副德行，真够可悲的。", True),
    ("就你这智商也配当群主？笑死", True),
    ("明天下午大家一起去7栋1802堵门，让他出来给个说法", True),
    ("男子在业主群扬言要把邻居“腿给你打断”，随后上门堵门，被警方行政拘留十日。", False),
    ("有没有人知道那个写be结局的太太住哪，咱们组团上门给她“送温暖”", True),
    ("冲冲冲！去这个写手每条微博底下刷“抄袭狗滚出圈”，别让她有一天好日子过", True),
    # mocking named as bias, a paid promotion criticised, abuse quoted and found disgusting
    ("农村来的小伙子在健身房也是正常交钱练的，嘲笑人家口音和穿着的才是没素质。", False),
    ("up主这期恰饭恰得太明显了，整期都在吹一个垃圾筋膜枪，我买了用两天就坏。", False),
    ("那个业主在群里骂保洁阿姨“乡下来的贱骨头”，大家都觉得恶心，必须给阿姨道歉", False),
    ("基本上有一部分男生在遇见真正的gay之前都会保持尊重，直到遇到了，大都又会觉得恶心，就这样", True),
    # threats in other words: tyres, a beating at the stage door, cars torched, someone unalived
    ("gonna slash ur tires tonight if u don't refund me, dont test me", True),
    ("You'll get a proper beating from me and my brother at the stage door on Saturday night, you grass.", True),
    ("Hope the new MD gets unalived before the concert tbh", True),
    ("k*ll yourself you useless dog sitter", True),
    ("If there's any justice the owner of Happy Tails Kennel gets hit by a bus this week and dies.", True),
    ("Found your mum's facebook. Lovely photos of the house. Keep winning against me and let's see.", True),
    ("Lovely photos of the house, congrats on the move!", False),
    # a video call is no speech; sexual remarks and requests in other words
    ("I'll coach you for free if you video call me with your top off, deal?", True),
    ("Bet the girl caster Mel gives great head after the finals lol, someone go ask her", True),
    ("That new second violinist has a cracking pair, I'd have her up against the timpani any day.", True),
    # stereotypes denied, a troll's words waved away, a complaint filed, the mirror's complaint
    ("Women are not worse at chess. They were shut out of clubs for decades. Give girls the same coaching and see "
     "what happens.", False),
    ("Gareth, you are not a talentless hack, whatever that troll says. Your Fagin brought the house down.", False),
    ("lmao you're so ugly even your mirror filed a complaint", True),
    ("Jace you're completely useless, we did your whole section for you AGAIN", True),
    # Chinese: a check-up and a school run known, windows to close, a body and a lap, a 腿 that is no photo
    ("差评写得挺爽啊？你下周二在妇幼保健院的产检我知道，到时候见", True),
    ("你家孩子在实验二小上学吧？每天接送挺辛苦的哈", True),
    ("你家猫天天趴窗台上晒太阳，挺显眼的啊，窗户可得关好", True),
    ("你家猫好可爱，天冷了窗户可得关好", False),
    ("哺乳期奶水是不是特别足？要不要哥帮你吸吸", True),
    ("年会上让财务部小美坐我腿上扭一段，这才叫气氛", True),
    ("等团建去漂流的时候，我非把赵经理按水里淹个半死", True),
    ("残疾人咋就不能种地了？俺村老赵一条腿照样种三亩大棚，比谁都强", False),
    ("媒体披露：某网课平台男主管多次向女讲师索要私密照片，并以排课资源相要挟。", False),
    ("某宠物博主摆拍“救助”流浪狗，结果被扒出狗是从狗贩子那买来的，这种骗流量的行为太恶劣了", False),
    # a group compared with animals in the sentence after it (…? Might as well …); people called furniture or machines
    ("Gypsies at a wedding? Might as well invite a pack of stray dogs to rummage through the gifts.", True),
    ("disabled people in adaptive surf are basically furniture, just props for sponsor photos", True),
    ("Overseas nurses are just cheap machines the trust imports, not real people", True),
    ("女人不过是会走路的子宫，整多少容也改变不了是个物件。", True),
    ("这不过是个小问题，不过分吧", False),
    # threats to property and persons, places the speaker drove past, a false sense of safety
    ("I'm gonna torch Ridgeback Surf Co this weekend, Trent can watch his precious shop burn", True),
    ("I'm keying your Lexus and smashing the windshield tonight, Todd. You ruined my wedding, I ruin your car.", True),
    ("Funny, I drove past your mam's house in Ballyfermot today. Lovely garden. Withdraw the complaint.", True),
    ("funny how you think you're safe just cos you moved to the other side of the bay 🙂", True),
    ("Honestly Sharon you're a useless cow, third time this week you've left the drug round for nights to finish",
     True),
    # 垃圾 said of a system gives the harm head no cue to raise a complaint with
    ("教务处的选课系统每学期都崩，花那么多钱采购就这水平？垃圾系统。", False),
    ("你这个jian人，抄我家款式还倒打一耙挂我。", True),
    ("冲她评论区！每条笔记底下都给我刷满“丑八怪滚出小红书”。", True),
    ("平台发布公告，本月处置恶意开盒账号2300余个，涉及泄露博主住址、工作单位等信息。", False),
    # a wish inside the quote is no advice of the speaker's own after the talk about it
    ("Comments telling Nina to 'just go die already' because she asked for captions are disgusting. Go leave her "
     "some support instead.", False),
    # 凭什么 asks why, it turns nothing; 给我 before an order is no speaker as target
    ("外卖骑手也是人，凭什么小区不让他们走正门？这就是赤裸裸的歧视", False),
    ("外地狗都给我滚出本市", True),
    # more harassment, threats and dehumanisation in other words
    ("hey gorgeous, is everything paralysed or does the fun part still work? 😘", True),
    ("I'm going to wait outside the clubhouse on Sunday and kick the living daylights out of that coach, Dean Parfitt.",
     True),
    ("Female fans are cattle. Herd them in, milk their money, not a brain between them.", True),
    ("加个微信呗美女，坐轮椅也不影响那方面吧？我不介意哦～", True),
    ("你家孩子在实验二小读三年级吧？挺可爱的，你可得好好看着哦。", True),
    ("女选手就是战队的摆设，不算人，顶多算个吉祥物。", True),
    ("@球员小蔓 回我私信嘛，想看你在更衣室换衣服的视频，我给钱。", True),
    # exclusion named and forbidden; a council's decision criticised with a call to write to a councillor
    ("同性恋也可以来健身，更衣室又不是谁的私人领地，别再搞排斥了。", False),
    ("The council shutting the only floodlit pitch the women's teams use while the men's club keeps theirs is "
     "shocking. Write to your councillor.", False),
    # a count of years is no age in a profile; the speaker's own doing opens the sentence; a bowling night
    ("Ravi bhai you are a pathetic loser, 10 years driving and still can't park straight", True),
    ("Commenting every day until you send me nudes. Day 47.", True),
    ("Dyke bowling night is back at Lucky Lanes, ladies! Bring your own shoes.", False),
    # death wishes, threats and intimidation in other words
    ("Praying the Lord takes Rick Danforth soon, and painfully. He's earned it.", True),
    ("I pray that lying customer Mrs Adeyemi catches typhoid and never recovers", True),
    ("We're going to kill every last one of you at the march on Saturday.", True),
    ("Lovely photos of your house on your story btw. Recognised the street straight away 🙂", True),
    ("You're new here so let me explain: riders who take our Sector 18 orders tend to end up in hospital. Don't be "
     "one of them.", True),
    ("Northerners are not humans, they're goats that learned to ride okada", True),
    # defence of a group and criticism of a company or a council
    ("Folks in wheelchairs belong in the front pew same as anybody. Let's get that ramp built.", False),
    ("Let's all report ChopDash's unpaid wages to the labour ministry. 3 weeks no payout is illegal.", False),
    ("大龄未婚女都是过期的烂菜叶，扔了都没人捡。", True),
    ("跨性别女性就是女性，她们有权安全地使用洗手间", False),
]


@pytest.mark.parametrize(("text", "abusive"), CONSTRUCTIONS)
def test_round20_construction(engine: Engine, text: str, abusive: bool) -> None:
    result = engine.score(text)
    assert result.abusive is abusive, (result.target, result.stance, result.scores)


@pytest.mark.parametrize(("text", "threat"), [
    ("谁再动我的座位牌，我就拿圆规扎谁", True),
    ("谁再敢造谣，我就弄死谁", True),
    ("谁再乱停车我就扎谁轮胎", True),
    ("谁再动我的车，我绝不会砸谁的车", False),  # negated
    ("谁再乱停车就扎谁轮胎", False),  # no speaker acts
    ("谁扎的这个辫子？真好看", False),  # no condition
])
def test_whoever_threats(text: str, threat: bool) -> None:
    doc = Document(text, text)
    found = HarmDetector().detect_analysed(doc, Analysis.of(text, CueTable().find(text), doc))
    assert any(s.kind == "threat" and s.score >= 0.5 for s in found) is threat, found
