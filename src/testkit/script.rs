//! The reducer-script world: one team with three channels and a DM, loaded through
//! `Msg::Loaded` the way the runtime does, for the app's reducer tests (`src/app/tests.rs`).
//! Built from the same constructors as the screen world in [`world`]; the small differences
//! (seconds since an epoch instead of dates, plain-text bodies) keep scripts short.

use std::time::Instant;

use jiff::Timestamp;

use super::world;
use crate::app::{
    ApiFailure, ApiOp, App, Category, Channel, ChannelKind, ChatEvent, Effect, FailureKind,
    HISTORY_PAGE, InitialData, Message, Msg, Settings, TeamData, User, update,
};
use crate::protocol::content::RichText;

pub const ME: &str = "meUser01";
pub const TEAM: &str = "team0001";
pub const GENERAL: &str = "00000000-0000-4000-8000-000000000001";
pub const RANDOM: &str = "00000000-0000-4000-8000-000000000002";
pub const VOICE: &str = "00000000-0000-4000-8000-000000000003";
pub const DM: &str = "00000000-0000-4000-8000-0000000000d1";
/// The team's one custom reaction (`:gilt:`).
pub const CUSTOM_EMOJI: i64 = 7001;

pub fn user(id: &str, name: &str) -> User {
    world::user(id, name, None)
}

/// A channel of [`TEAM`] in category 1.
pub fn team_channel(id: &str, name: &str, priority: i64, content_type: &str) -> Channel {
    world::channel(id, name, Some(1), priority, content_type)
}

pub fn initial() -> InitialData {
    InitialData {
        me: user(ME, "me"),
        teams: vec![TeamData {
            id: TEAM.into(),
            name: "Team".into(),
            channels: vec![
                team_channel(RANDOM, "random", 1, "chat"),
                team_channel(GENERAL, "general", 5, "chat"),
                team_channel(VOICE, "voice", 3, "voice-only"),
            ],
            categories: vec![Category {
                id: 1,
                name: "Text".into(),
                priority: 1,
                channels: vec![],
            }],
            members: vec![
                user("alice001", "alice"),
                user("bob00001", "bob"),
                user(ME, "me"),
            ],
            channels_loaded: true,
        }],
        dms: vec![Channel {
            id: DM.into(),
            name: "carol".into(),
            kind: ChannelKind::Dm {
                users: vec!["carol001".into()],
            },
            content_type: "chat".into(),
            topic: None,
            unread: 0,
            mentions: 0,
            last_activity: None,
        }],
        users: vec![user("carol001", "carol")],
        custom_reactions: vec![crate::app::reactions::CustomEmoji {
            id: CUSTOM_EMOJI,
            name: "gilt".into(),
            team: Some(TEAM.into()),
        }],
        unread: None,
    }
}

pub fn text(s: &str) -> RichText {
    world::plain(s)
}

pub fn ts(secs: i64) -> Timestamp {
    Timestamp::from_second(1_700_000_000 + secs).unwrap()
}

/// A confirmed message with plain text `body`, `secs` after the script's epoch.
pub fn message(id: &str, channel: &str, author: &str, secs: i64, body: &str) -> Message {
    world::message(id, channel, author, &ts(secs).to_string(), text(body))
}

/// The answer to a send that failed with a server error.
pub fn send_failed(channel: &str, message_id: &str, error: &str) -> Msg {
    Msg::ApiFailed {
        op: ApiOp::Send {
            channel: channel.into(),
            message_id: message_id.into(),
        },
        failure: ApiFailure {
            kind: FailureKind::Server,
            message: error.into(),
        },
    }
}

pub fn created(m: Message) -> Msg {
    Msg::Chat(ChatEvent::MessageCreated {
        message: m,
        team_id: Some(TEAM.into()),
    })
}

/// A loaded app with #general open and its (empty) first page answered.
pub fn loaded(t0: Instant) -> App {
    let mut app = App::new(Settings::default(), crate::keymap::Keymap::default(), 7);
    update(&mut app, Msg::WallClock(ts(1000)), t0);
    let fx = update(&mut app, Msg::Loaded(initial()), t0);
    assert_eq!(app.current, Some(GENERAL.into()));
    assert!(fx.contains(&Effect::LoadHistory {
        channel: GENERAL.into(),
        before: None,
        limit: HISTORY_PAGE
    }));
    update(
        &mut app,
        Msg::History {
            channel: GENERAL.into(),
            messages: vec![],
            has_past: false,
            older: false,
        },
        t0,
    );
    app
}
