//! The world builder: users, channels, messages and rich text from short literals, and a
//! small fixed world ("Gilt Demo": teams, channels, DMs, a conversation over two days) for
//! the rendering tests and benches. Everything is built through the model's public API
//! (`App::new` + `update`), never by poking private state.

use std::time::Instant;

use jiff::Timestamp;

use crate::app::key::{Key, KeyCode, Mods};
use crate::app::{
    ApiFailure, ApiOp, App, Category, Channel, ChannelKind, ChatEvent, Delivery, FailureKind,
    InitialData, LinkGroup, LinkStatus, Message, Msg, Settings, TeamData, User, update,
};
use crate::keymap::Keymap;
use crate::protocol::content::{
    Block, Embed, EmbedField, Inline, Marks, MediaKind, MentionKind, RichText,
};

pub const ME: &str = "nico0001";
pub const TEAM: &str = "team0001";
pub const GENERAL: &str = "c0000000-0000-4000-8000-000000000001";
pub const RANDOM: &str = "c0000000-0000-4000-8000-000000000002";
pub const DEV: &str = "c0000000-0000-4000-8000-000000000003";
pub const LOUNGE: &str = "c0000000-0000-4000-8000-000000000004";
pub const ANNOUNCE: &str = "c0000000-0000-4000-8000-000000000005";
pub const DM_ALICE: &str = "d0000000-0000-4000-8000-000000000001";
pub const DM_BOB: &str = "d0000000-0000-4000-8000-000000000002";

pub fn user(id: &str, name: &str, nickname: Option<&str>) -> User {
    User {
        id: id.into(),
        name: name.into(),
        nickname: nickname.map(Into::into),
        is_bot: false,
    }
}

pub fn text(s: &str) -> Inline {
    Inline::Text {
        text: s.into(),
        marks: Marks::NONE,
    }
}

pub fn marked(s: &str, marks: Marks) -> Inline {
    Inline::Text {
        text: s.into(),
        marks,
    }
}

pub fn para(inlines: Vec<Inline>) -> Block {
    Block::Paragraph(inlines)
}

pub fn plain(s: &str) -> RichText {
    RichText {
        blocks: vec![para(vec![text(s)])],
    }
}

pub fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

pub fn message(id: &str, channel: &str, author: &str, at: &str, content: RichText) -> Message {
    Message {
        id: id.into(),
        channel_id: channel.into(),
        author_id: author.into(),
        created_at: ts(at),
        edited_at: None,
        content: content.into(),
        replies_to: Vec::new(),
        reactions: Vec::new(),
        delivery: Delivery::Confirmed,
        is_system: false,
        is_pinned: false,
        mentions_me: false,
    }
}

/// A team channel of [`TEAM`] with content type `kind` (`"chat"`, `"voice"`, …).
pub fn channel(id: &str, name: &str, category: Option<i64>, priority: i64, kind: &str) -> Channel {
    Channel {
        id: id.into(),
        name: name.into(),
        kind: ChannelKind::Team {
            team_id: TEAM.into(),
            category_id: category,
            priority,
        },
        content_type: kind.into(),
        topic: None,
        unread: 0,
        mentions: 0,
        last_activity: None,
    }
}

/// A DM channel with `other`, last active at `at`.
pub fn dm(id: &str, name: &str, other: &str, at: &str) -> Channel {
    Channel {
        id: id.into(),
        name: name.into(),
        kind: ChannelKind::Dm {
            users: vec![other.into()],
        },
        content_type: "chat".into(),
        topic: None,
        unread: 0,
        mentions: 0,
        last_activity: Some(ts(at)),
    }
}

/// Apply a message to the app at `now`, ignoring effects.
pub fn send(app: &mut App, msg: Msg, now: Instant) {
    let _ = update(app, msg, now);
}

pub fn key(app: &mut App, code: KeyCode, mods: Mods, now: Instant) {
    send(app, Msg::Key(Key::new(code, mods)), now);
}

pub fn type_text(app: &mut App, s: &str, now: Instant) {
    for c in s.chars() {
        key(app, KeyCode::Char(c), Mods::NONE, now);
    }
}

/// The logged-in world with teams, channels and DMs, `#general` open and empty.
pub fn base_app(now: Instant) -> App {
    let settings = Settings {
        history_limit: 2_000_000,
        // Image previews have their own snapshots (`ui_images`); here the link line stays.
        images: false,
        ..Settings::default()
    };
    let mut app = App::new(settings, Keymap::default(), 42);
    send(&mut app, Msg::WallClock(ts("2026-11-25T10:30:00Z")), now);
    let mut general = channel(GENERAL, "general", Some(1), 10, "chat");
    general.topic = Some("Talk about anything — be kind".into());
    let mut random = channel(RANDOM, "random", Some(1), 5, "chat");
    random.unread = 4;
    let mut dev = channel(DEV, "dev", Some(1), 1, "chat");
    dev.unread = 2;
    dev.mentions = 1;
    let lounge = channel(LOUNGE, "lounge", Some(2), 1, "voice");
    let announcements = channel(ANNOUNCE, "announcements", None, 20, "announcement");
    let mut dm_bob = dm(DM_BOB, "bob", "bob00001", "2026-11-25T08:00:00Z");
    dm_bob.unread = 1;
    dm_bob.mentions = 1;
    let data = InitialData {
        me: user(ME, "nico", None),
        teams: vec![
            TeamData {
                id: TEAM.into(),
                name: "Gilt Demo".into(),
                channels: vec![general, random, dev, lounge, announcements],
                categories: vec![
                    Category {
                        id: 1,
                        name: "Text channels".into(),
                        priority: 2,
                        channels: Vec::new(),
                    },
                    Category {
                        id: 2,
                        name: "Voice".into(),
                        priority: 1,
                        channels: Vec::new(),
                    },
                ],
                members: vec![
                    user("alice001", "alice", None),
                    user("bob00001", "bob", Some("Bobby")),
                    user("carol001", "carol", None),
                    user("hook0001", "GitHub", None),
                    user(ME, "nico", None),
                ],
                channels_loaded: true,
            },
            TeamData {
                id: "team0002".into(),
                name: "Rustaceans".into(),
                channels_loaded: false,
                ..TeamData::default()
            },
        ],
        dms: vec![
            dm(DM_ALICE, "alice", "alice001", "2026-11-24T08:00:00Z"),
            dm_bob,
        ],
        users: vec![
            user("alice001", "alice", None),
            user("bob00001", "bob", None),
        ],
        custom_reactions: Vec::new(),
        unread: None,
    };
    send(&mut app, Msg::Loaded(data), now);
    send(
        &mut app,
        Msg::Link {
            group: LinkGroup::Main,
            state: LinkStatus::Connected,
        },
        now,
    );
    send(
        &mut app,
        Msg::Link {
            group: LinkGroup::Team(TEAM.into()),
            state: LinkStatus::Connected,
        },
        now,
    );
    app
}

/// A realistic conversation in `#general` over two days, using every kind of content.
pub fn conversation() -> Vec<Message> {
    let mut out = Vec::new();
    out.push(message(
        "m01",
        GENERAL,
        "alice001",
        "2026-11-24T16:02:00Z",
        RichText {
            blocks: vec![para(vec![
                text("Has anyone tried the "),
                marked("new timeline", Marks::BOLD),
                text(" yet? It is "),
                marked("much", Marks::ITALIC),
                text(" faster."),
            ])],
        },
    ));
    out.push(message(
        "m02",
        GENERAL,
        "alice001",
        "2026-11-24T16:03:00Z",
        RichText {
            blocks: vec![para(vec![
                text("It lives in "),
                marked("src/ui/timeline.rs", Marks::CODE),
                text(", see "),
                Inline::Link {
                    href: "https://github.com/gilt-chat/gilt/pull/6".into(),
                    label: "the PR".into(),
                },
            ])],
        },
    ));
    let mut reply = message(
        "m03",
        GENERAL,
        "bob00001",
        "2026-11-24T16:10:00Z",
        RichText {
            blocks: vec![para(vec![
                text("Looks great. "),
                Inline::Mention {
                    kind: MentionKind::Person,
                    id: ME.into(),
                    label: "@nico".into(),
                },
                text(" can you check the "),
                Inline::Channel {
                    id: DEV.into(),
                    label: "dev".into(),
                },
                text(" notes?"),
            ])],
        },
    );
    reply.replies_to = vec!["m01".into()];
    reply.reactions = vec![
        crate::app::Reaction {
            emoji_id: 90_001_815,
            name: "tada".into(),
            users: vec!["alice001".into(), ME.into(), "carol001".into()],
            count: 3,
            mine: true,
        },
        crate::app::Reaction {
            emoji_id: 90_002_563,
            name: "thumbsup".into(),
            users: vec!["alice001".into()],
            count: 1,
            mine: false,
        },
    ];
    out.push(reply);
    let mut code = message(
        "m04",
        GENERAL,
        ME,
        "2026-11-25T09:15:00Z",
        RichText {
            blocks: vec![
                para(vec![text("Sure, here is the gist:")]),
                Block::Code {
                    language: Some("rust".into()),
                    lines: vec![
                        "for m in timeline.visible() {".into(),
                        "    draw(m);".into(),
                        "}".into(),
                    ],
                },
            ],
        },
    );
    code.edited_at = Some(ts("2026-11-25T09:16:00Z"));
    out.push(code);
    out.push(message(
        "m05",
        GENERAL,
        "carol001",
        "2026-11-25T09:20:00Z",
        RichText {
            blocks: vec![
                Block::Quote(vec![vec![text("for m in timeline.visible()")]]),
                para(vec![
                    text("Nice! Ending: "),
                    marked("the cache wins", Marks::SPOILER),
                    text(" "),
                    marked("obviously", Marks::STRIKETHROUGH),
                ]),
                Block::List {
                    ordered: false,
                    items: vec![vec![text("sanitiser")], vec![text("widths")]],
                },
                Block::Media {
                    kind: MediaKind::Image,
                    url: "https://img.example/cat.png".into(),
                },
            ],
        },
    ));
    out.push(message(
        "m06",
        GENERAL,
        "hook0001",
        "2026-11-25T09:30:00Z",
        RichText {
            blocks: vec![Block::Embeds(vec![Embed {
                title: Some("CI passed on main".into()),
                description: Some("All 412 tests green.".into()),
                url: Some("https://ci.example/run/88".into()),
                color: Some(0x2e_a0_43),
                author: Some("GitHub Actions".into()),
                footer: None,
                fields: vec![EmbedField {
                    name: "Duration".into(),
                    value: "3 min 12 s".into(),
                    inline: true,
                }],
                image: None,
                thumbnail: None,
            }])],
        },
    ));
    out.push(message(
        "m07",
        GENERAL,
        "alice001",
        "2026-11-25T10:01:00Z",
        RichText {
            blocks: vec![para(vec![
                Inline::Mention {
                    kind: MentionKind::Everyone,
                    id: String::new(),
                    label: "@everyone".into(),
                },
                text(" release at 11:00 "),
                Inline::Emoji {
                    id: 90_002_000,
                    label: ":rocket:".into(),
                },
            ])],
        },
    ));
    out
}

/// The demo world with the conversation loaded, bob typing, and one own message pending
/// and one failed.
pub fn full_app(now: Instant) -> App {
    let mut app = base_app(now);
    send(
        &mut app,
        Msg::History {
            channel: GENERAL.into(),
            messages: conversation(),
            has_past: false,
            older: false,
        },
        now,
    );
    type_text(&mut app, "this one fails", now);
    key(&mut app, KeyCode::Enter, Mods::NONE, now);
    let failed_id = app
        .timeline()
        .and_then(|tl| tl.iter().last().map(|m| m.id.clone()))
        .unwrap();
    send(
        &mut app,
        Msg::ApiFailed {
            op: ApiOp::Send {
                channel: GENERAL.into(),
                message_id: failed_id,
            },
            failure: ApiFailure {
                kind: FailureKind::Network,
                message: "network unreachable".into(),
            },
        },
        now,
    );
    type_text(&mut app, "on my way", now);
    key(&mut app, KeyCode::Enter, Mods::NONE, now);
    send(
        &mut app,
        Msg::Chat(ChatEvent::Typing {
            channel: GENERAL.into(),
            user: "bob00001".into(),
        }),
        now,
    );
    type_text(&mut app, "a draft in progress", now);
    app
}

/// `count` short messages in `#general` from a few authors, one per minute.
pub fn many_messages(count: usize) -> Vec<Message> {
    let authors = ["alice001", "bob00001", "carol001", ME];
    let start = ts("2020-01-01T00:00:00Z").as_second();
    (0..count)
        .map(|i| {
            let at = Timestamp::from_second(start + 60 * i as i64).unwrap();
            let mut m = message(
                &format!("bulk{i:08}"),
                GENERAL,
                authors[(i / 3) % authors.len()],
                "2020-01-01T00:00:00Z",
                RichText {
                    blocks: vec![para(vec![
                        text(&format!("message {i}: the quick brown fox jumps over the ")),
                        marked("lazy dog", Marks::BOLD),
                        text(" and keeps on running across the field"),
                    ])],
                },
            );
            m.created_at = at;
            m
        })
        .collect()
}
