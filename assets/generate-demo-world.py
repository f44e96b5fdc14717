#!/usr/bin/env python3
"""Writes demo-world.json, the data of gilt's demo world (read by src/server/world.rs).

Run from this folder: `python3 generate-demo-world.py`. Deterministic (fixed seed), so the
committed JSON only changes when this script does. Edit the JSON by hand if you prefer;
the server validates it at start-up either way.
"""
import json
import random
import uuid

rnd = random.Random(4242)

def uid():
    return str(uuid.UUID(int=rnd.getrandbits(128), version=4))

DEMO = "GiLtDem0"
users = [
    {"id": DEMO, "name": "demo", "presence": 1, "tagLine": "trying gilt"},
    {"id": "AdaL0vel", "name": "ada", "presence": 1, "tagLine": "first programmer"},
    {"id": "Bj0rnSvn", "name": "bjorn", "presence": 2},
    {"id": "Chen8Wei", "name": "chen", "presence": 1, "tagLine": "写代码的人"},
    {"id": "DanaK1m0", "name": "dana", "presence": 3, "tagLine": "do not disturb: shipping"},
    {"id": "EmreYlmz", "name": "emre", "presence": 4},
    {"id": "FarahN0r", "name": "farah", "presence": 1, "tagLine": "مرحبا"},
    {"id": "GusT4vo0", "name": "gus", "presence": 2},
    {"id": "HanaSat0", "name": "hana", "presence": 1, "tagLine": "こんにちは"},
    {"id": "IvanP3tr", "name": "ivan", "presence": 4},
    {"id": "JoMarsh1", "name": "jo", "presence": 1},
    {"id": "KaiNakam", "name": "kai", "presence": 2},
    {"id": "LumenB0t", "name": "lumen", "presence": 1, "bot": True, "tagLine": "I post release notes"},
]
U = {u["name"]: u["id"] for u in users}
for u in users[1:]:
    if not u.get("bot"):
        u["email"] = f'{u["name"]}@gilt.example'

emoji = [
    {"id": 90001815, "name": "tada"},
    {"id": 90002563, "name": "thumbsup"},
    {"id": 90001284, "name": "heart"},
    {"id": 90002108, "name": "joy"},
    {"id": 90001171, "name": "eyes"},
    {"id": 90002402, "name": "rocket"},
    {"id": 90000921, "name": "thinking"},
]
E = {e["name"]: e["id"] for e in emoji}

def ch(name, ctype, cat, prio, desc=None):
    return {"id": uid(), "name": name, "contentType": ctype, "category": cat, "priority": prio,
            "description": desc}

crew_channels = [
    ch("welcome", "chat", None, 100, "Start here"),
    ch("general", "chat", 1001, 90, "Anything goes"),
    ch("random", "chat", 1001, 80, "Off-topic, memes, pets"),
    ch("releases", "chat", 1002, 70, "Release notes and plans"),
    ch("design-docs", "doc", 1002, 60),
    ch("ideas", "forum", 1002, 50),
    ch("Lounge", "voice", 1003, 40),
]
cafe_channels = [
    ch("lobby", "chat", 2001, 90, "Say hi"),
    ch("code-review", "chat", 2001, 80, "Paste code, get opinions"),
    ch("help", "chat", 2002, 70, "Ask anything about Rust"),
    ch("meetups", "event", 2002, 60),
    ch("Pair Programming", "voice", 2002, 50),
]
world_channels = [
    ch("travel", "chat", 3001, 90),
    ch("日本語", "chat", 3001, 80, "日本語で話しましょう"),
    ch("中文", "chat", 3001, 70, "用中文聊天"),
    ch("العربية", "chat", 3001, 60, "دردشة باللغة العربية"),
    ch("photos", "media", 3001, 50),
]

def members(names, admins=(), nick=None):
    nick = nick or {}
    return [{"user": U[n], "nickname": nick.get(n), "role": "admin" if n in admins else "member"}
            for n in names]

teams = [
    {"id": "GiLtCr3w", "name": "Gilt Crew", "subdomain": "gilt-crew", "ownerId": U["ada"],
     "description": "The people building gilt", "baseGroupId": "GrpCr3w0",
     "members": members(["demo", "ada", "bjorn", "chen", "dana", "emre", "gus", "jo", "lumen"],
                        admins=("ada",), nick={"ada": "Ada (admin)", "gus": "Gus the Bus"}),
     "categories": [{"id": 1001, "name": "Text Channels", "priority": 3},
                    {"id": 1002, "name": "Projects", "priority": 2},
                    {"id": 1003, "name": "Voice", "priority": 1}],
     "channels": crew_channels},
    {"id": "RustCaf3", "name": "Rustaceans Café", "subdomain": "rust-cafe", "ownerId": U["ivan"],
     "description": "Coffee and borrow checking", "baseGroupId": "GrpCaf30",
     "members": members(["demo", "ivan", "kai", "dana", "bjorn", "jo", "chen"], admins=("ivan",),
                        nick={"kai": "kai 🦀"}),
     "categories": [{"id": 2001, "name": "Chat", "priority": 2},
                    {"id": 2002, "name": "Help", "priority": 1}],
     "channels": cafe_channels},
    {"id": "W0rldT3a", "name": "Around the World", "subdomain": "around-the-world",
     "ownerId": U["hana"], "description": "Languages and travel", "baseGroupId": "GrpW0rld",
     "members": members(["demo", "hana", "farah", "chen", "emre", "kai", "gus"], admins=("hana",),
                        nick={"farah": "فرح", "chen": "陈伟"}),
     "categories": [{"id": 3001, "name": "Languages", "priority": 1}],
     "channels": world_channels},
]
C = {c["name"]: c["id"] for t in teams for c in t["channels"]}
TEAM_OF = {c["id"]: t for t in teams for c in t["channels"]}

dms = [
    {"id": uid(), "users": [DEMO, U["ada"]], "owner": U["ada"]},
    {"id": uid(), "users": [DEMO, U["hana"]], "owner": DEMO},
    {"id": uid(), "users": [DEMO, U["bjorn"], U["farah"], U["kai"]], "owner": U["bjorn"],
     "name": "weekend plans"},
]
D_ADA, D_HANA, D_GROUP = (d["id"] for d in dms)

messages = []

def say(channel, author, minutes_ago, text=None, *, mid=None, reply_to=None, edited=None,
        reactions=None, pinned_by=None, document=None):
    m = {"channel": channel, "author": U.get(author, author), "minutesAgo": minutes_ago}
    if mid:
        m["id"] = mid
    if document is not None:
        m["document"] = document
    else:
        m["text"] = text
    if reply_to:
        m["replyTo"] = reply_to
    if edited is not None:
        m["editedMinutesAgo"] = edited
    # A reaction nobody made is not a reaction (the random picks below can come out empty).
    reactions = [(e, us) for e, us in (reactions or []) if us]
    if reactions:
        m["reactions"] = [{"emoji": E[e], "users": [U[u] for u in us]} for e, us in reactions]
    if pinned_by:
        m["pinnedBy"] = U[pinned_by]
    messages.append(m)
    return m

# ---- hand-written showcase messages (each construct at least once) ----
gen = C["general"]
w1 = uid()
say(C["welcome"], "ada", 5750, "Welcome to **Gilt Crew**! Read the pinned messages, then say hi in #general.",
    mid=w1, pinned_by="ada", reactions=[("tada", ["bjorn", "chen", "gus"]), ("heart", ["jo"])])
say(C["welcome"], "ada", 5745, "House rules:\n- be kind\n- keep threads on topic\n- *no* spoilers without warning\n- have fun")
say(C["welcome"], "bjorn", 5700, "Thanks @ada, glad to be here :tada:", reply_to=w1)
q1 = uid()
say(gen, "chen", 4300, "Has anyone tried the new terminal client? It's *really* fast.", mid=q1,
    reactions=[("eyes", ["ada", "dana"])])
say(gen, "ada", 4295, "Yes! @demo has been testing it all week.", reply_to=q1)
say(gen, "dana", 4290, "> It's *really* fast.\nIt renders a frame in under a millisecond, so I believe it.")
say(gen, "gus", 4200, "Here is the repo: https://github.com/example/gilt and the book is at https://example.com/gilt/book.")
def leaf(text, marks=()):
    return {"object": "text", "leaves": [{"object": "leaf", "text": text,
                                           "marks": [{"object": "mark", "type": m, "data": {}} for m in marks]}]}
def inline(kind, data, text):
    return {"object": "inline", "type": kind, "data": data, "nodes": [leaf(text)]}
say(gen, "chen", 4150, document={"object": "value", "document": {"object": "document", "data": {}, "nodes": [
    {"object": "block", "type": "paragraph", "data": {}, "nodes": [
        leaf("Notes are in "),
        inline("channel", {"channel": {"matcher": "#design-docs", "name": "design-docs", "id": C["design-docs"]}}, "#design-docs"),
        leaf(", thanks "),
        inline("mention", {"mention": {"type": "person", "matcher": "@demo", "name": "demo", "id": DEMO,
                                       "avatar": None, "color": "#ececee", "nickname": False}}, "@demo"),
        leaf(" "),
        inline("reaction", {"reaction": {"id": E["tada"], "customReactionId": E["tada"]}}, ":tada:"),
        leaf(" and see the "),
        inline("link", {"href": "https://example.com/gilt/book"}, "gilt book"),
        leaf(" — "),
        leaf("really", ["bold", "italic"]),
        leaf(" worth it."),
    ]}]}})
say(gen, "jo", 4100, "**bold**, *italic*, __underline__, ~~strikethrough~~, ||spoiler|| and `inline code` all in one line")
say(gen, "emre", 4000, "Keyboard shortcuts I use the most:\n1. `Ctrl-K` to switch channels\n2. `Alt-Up` to edit\n3. `Esc` to cancel", edited=3990)
say(gen, "bjorn", 3900, "@demo can you check whether mentions highlight correctly for you?",
    reactions=[("thumbsup", ["demo"])])
say(gen, "chen", 3800, "```rust\nfn main() {\n    println!(\"hello from gilt\");\n}\n```")
say(gen, "ada", 3700, "Emoji test: 🎉🚀✨ and a family 👨‍👩‍👧 and a flag 🇯🇵")
say(gen, "dana", 3600, "Right-to-left check: مرحبا بالعالم — and mixed: hello שלום world")
say(gen, "gus", 3500, "CJK width check: 漢字かなカナ한국어 should take two cells each")
say(gen, "lumen", 3400, document={
    "object": "value",
    "document": {"object": "document", "data": {}, "nodes": [
        {"object": "block", "type": "paragraph", "data": {}, "nodes": [
            {"object": "text", "leaves": [{"object": "leaf", "text": "Release v0.3.0 is out", "marks": []}]}]},
        {"object": "block", "type": "webhookMessage", "data": {"embeds": [{
            "title": "gilt v0.3.0",
            "description": "Faster scrolling, typing indicators, and reconnect that never loses a message.",
            "url": "https://example.com/gilt/releases/v0.3.0",
            "color": 16106050,
            "author": {"name": "lumen", "iconUrl": None},
            "footer": {"text": "release bot"},
            "fields": [{"name": "Downloads", "value": "1,024", "inline": True},
                       {"name": "Fixes", "value": "17", "inline": True}],
            "timestamp": "2026-11-01T12:00:00.000Z"}]}, "nodes": []}]}},
    reactions=[("rocket", ["ada", "bjorn", "chen", "demo"]), ("tada", ["jo"])])
say(gen, "emre", 3300, "@everyone standup moved to 10:30 tomorrow")
say(D_ADA, "ada", 3000, "Hey! Did you get a chance to look at the sidebar?")
say(D_ADA, "demo", 2990, "Yes, the unread badges look great.")
say(D_ADA, "ada", 2980, "Awesome, thanks :heart:")
say(D_HANA, "hana", 2500, "こんにちは！元気ですか？")
say(D_HANA, "demo", 2490, "元気です、ありがとう！")
say(D_GROUP, "bjorn", 2400, "Hiking on Saturday? ⛰️")
say(D_GROUP, "farah", 2395, "أنا موافقة! count me in")
say(D_GROUP, "kai", 2390, "I'll bring snacks 🍙", reactions=[("heart", ["farah", "bjorn"])])

# ---- generated chatter ----
pools = {
    "general": [
        "Morning all ☕", "Who broke the build? 😅", "Pushed a fix for the flaky test",
        "Lunch in 10?", "Reviewing the PR now", "Can someone pair with me on the reconnect logic?",
        "The new theme looks **so** much better", "I wrote up notes in #design-docs",
        "Typing indicators are live on staging", "Does anyone have the link to the roadmap?",
        "Found a bug: long names overflow the sidebar", "Heads up, I'm out on Friday",
        "`cargo clippy` is finally clean!", "Anyone else seeing high CPU in the demo?",
        "Great work today, everyone 🎉", "Let's keep the scope small for this release",
    ],
    "random": [
        "My cat just walked across the keyboard: asdfghjkl", "Best pizza topping? Wrong answers only",
        "Look at this sunset 🌅", "Anyone watching the match tonight?", "Coffee count today: 4 ☕☕☕☕",
        "I finally fixed my mechanical keyboard", "TIL octopuses have three hearts 🐙",
        "Weekend plans?", "That meeting could have been a message", "New album recommendation: lo-fi beats",
        "Rain again 🌧️", "*dramatic sigh*", "Who wants to start a book club?",
    ],
    "releases": [
        "v0.2.1 is tagged", "Changelog draft is up for review", "Shipping the hotfix in an hour",
        "Release checklist: tests ✅ docs ✅ binaries ⏳", "We should freeze features on Wednesday",
        "Windows build is green now", "Bumped the MSRV to 1.89",
    ],
    "Lounge": ["anyone around for a quick call?", "brb", "I'll join in 5", "mic check 🎤"],
    "lobby": [
        "Hello from Berlin 👋", "First time here, hi!", "What's everyone building this week?",
        "Is async closures stable yet?", "Rust 1.95 notes are out", "Good morning, crabs 🦀",
        "Anyone going to RustConf?", "I love this community ❤️", "Reading the nomicon again...",
    ],
    "code-review": [
        "Could someone review my iterator adapter?", "Use `?` instead of the match there",
        "This clone is unnecessary, borrow instead", "Consider `thiserror` for the error enum",
        "LGTM 👍", "Nit: name it `handle_frame`", "The lifetime here can be elided",
        "Have you tried `Vec::with_capacity`?", "Please add a test for the empty case",
    ],
    "help": [
        "Why does the borrow checker hate me?", "How do I share state between tokio tasks?",
        "`Arc<Mutex<T>>` or channels?", "What's the difference between `&str` and `String`?",
        "cargo says `feature edition2024 is required`, help", "How do I read a file line by line?",
        "Solved it, thanks everyone!", "Try `cargo tree -d` to find duplicate deps",
    ],
    "travel": [
        "Just landed in Lisbon ✈️", "Best ramen in Tokyo? 🍜", "Packing tips for a week of hiking?",
        "The train from Zurich to Milan is gorgeous", "Visa question: anyone been to Morocco recently?",
        "Photos from Istanbul coming soon", "Night markets in Taipei are unbeatable",
    ],
    "日本語": [
        "おはようございます！", "今日はいい天気ですね", "日本語の勉強を始めました",
        "この漢字の読み方は？", "ラーメンが食べたい🍜", "週末は京都に行きます", "ありがとうございます！",
    ],
    "中文": [
        "大家好！", "今天天气很好", "我在学习中文", "这个词是什么意思？", "周末去爬山吧",
        "谢谢你的帮助", "我喜欢吃饺子🥟",
    ],
    "العربية": [
        "صباح الخير", "كيف حالك؟", "أنا أتعلم البرمجة", "شكرا جزيلا", "ما رأيكم في هذا الكتاب؟",
        "الطقس جميل اليوم", "إلى اللقاء 👋",
    ],
}

for channel_name, lines in pools.items():
    cid = C[channel_name]
    team = TEAM_OF[cid]
    cast = [m["user"] for m in team["members"] if m["user"] not in (DEMO, U["lumen"])]
    count = {"general": 50, "random": 40, "lobby": 35, "code-review": 25, "help": 30,
             "releases": 15, "Lounge": 8}.get(channel_name, 18)
    times = sorted((rnd.randint(3, 5700) for _ in range(count)), reverse=True)
    recent = []
    for t in times:
        author = rnd.choice(cast)
        text = rnd.choice(lines)
        kw = {}
        roll = rnd.random()
        if roll < 0.12 and recent:
            kw["reply_to"] = rnd.choice(recent[-6:])
        elif roll < 0.17:
            text = "@demo " + text
        if rnd.random() < 0.2:
            others = [u for u in cast if u != author]
            kw["reactions"] = [(rnd.choice(list(E)), [n for n, i in U.items() if i in rnd.sample(others, rnd.randint(1, 3))])]
        if rnd.random() < 0.06:
            kw["edited"] = max(t - rnd.randint(1, 3), 0)
        mid = uid()
        m = say(cid, author, t, text, mid=mid, **kw)
        recent.append(mid)

simulation = {
    "phrases": [
        "anyone around?", "just pushed a small fix", "coffee time ☕", "hey {name}, how's the client going?",
        "the build is green again 🎉", "**reminder**: demo at 3pm", "lol", "brb", "this channel is so quiet today",
        "check this out: https://example.com/cool-thing", "I think we should ship it 🚀",
        "`cargo test` passes locally for me", "agreed with the plan above", "has anyone seen my charger?",
        "お疲れ様です", "你好！", "مرحبا بالجميع",
    ],
    "replies": ["good point, {name}", "+1", "not sure about that, {name}", "haha yes",
                "can you say more?", "thanks {name}!", "same here"],
    "mentionAnswers": ["@{name} yes?", "@{name} on it!", "@{name} sure, give me a minute",
                       "@{name} 👀 looking now", "@{name} thanks for the ping"],
    "edits": ["(edited: typo)", "— actually, never mind", "✨"],
}

world = {
    "demoUser": DEMO,
    "email": "demo@gilt.example",
    "password": "gilt-demo",
    "emoji": emoji,
    "users": users,
    "teams": teams,
    "dms": dms,
    "messages": messages,
    "simulation": simulation,
}
with open("demo-world.json", "w", encoding="utf-8") as f:
    json.dump(world, f, ensure_ascii=False, indent=1)
    f.write("\n")
print(f"{len(messages)} messages")
