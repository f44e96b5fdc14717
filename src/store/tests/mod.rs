//! Store tests: real SQLite files in temporary directories, through the public API (a
//! `Store`, its handles and queries) unless a test is about the file itself.

// `query(|q| q.snapshot())` cannot be `query(Queries::snapshot)`: the method is not general
// over the `Queries` lifetime the way the closure is.
#![allow(clippy::redundant_closure_for_method_calls)]

mod concurrency;
mod files;
mod limits;
mod messages;
mod search;
mod sidebar;
mod spans;

use std::path::{Path, PathBuf};

use super::{AccountKey, Limits, Store, StoreHandle, Write};
use crate::app::model::{Category, Channel, Message};
use crate::app::{InitialData, TeamData};
use crate::testkit::world::{self, channel, dm, message, plain, user};

pub const API: &str = "http://127.0.0.1:1/api";
pub const TEAM2: &str = "team0002";
pub const OTHER_TEAM_CHANNEL: &str = "c0000000-0000-4000-8000-000000000099";

/// A fresh private directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "gilt-store-{label}-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The account every test uses unless it is about accounts.
pub fn account() -> AccountKey {
    AccountKey::new(API, &world::ME.into())
}

/// A store for [`account`] under `dir` with the default limits.
pub fn open(dir: &TempDir) -> Store {
    open_with(dir, Limits::default())
}

pub fn open_with(dir: &TempDir, limits: Limits) -> Store {
    Store::open(dir.path(), &account(), limits).unwrap()
}

/// Write, then wait until it is committed.
pub fn write_all(store: &StoreHandle, writes: impl IntoIterator<Item = Write>) {
    for w in writes {
        store.write(w);
    }
    store.flush().wait().unwrap();
}

/// Two teams (the second with one channel), two DMs, named people with a nickname: what the
/// search and sidebar tests use.
pub fn world_data() -> InitialData {
    let mut general = channel(world::GENERAL, "general", Some(1), 10, "chat");
    general.topic = Some("Talk about anything".into());
    let mut other = channel(OTHER_TEAM_CHANNEL, "crates", None, 0, "chat");
    other.kind = crate::app::model::ChannelKind::Team {
        team_id: TEAM2.into(),
        category_id: None,
        priority: 0,
    };
    InitialData {
        me: user(world::ME, "nico", None),
        teams: vec![
            TeamData {
                id: world::TEAM.into(),
                name: "Gilt Demo".into(),
                channels: vec![
                    general,
                    channel(world::DEV, "dev", Some(1), 1, "chat"),
                    channel(world::LOUNGE, "lounge", Some(2), 1, "voice"),
                    channel(world::ANNOUNCE, "announcements", None, 20, "announcement"),
                ],
                categories: vec![category(1, "Text channels", 2), category(2, "Voice", 1)],
                members: vec![
                    user("alice001", "alice", Some("Ali")),
                    user("bob00001", "bob", None),
                    user(world::ME, "nico", None),
                ],
                channels_loaded: true,
            },
            TeamData {
                id: TEAM2.into(),
                name: "Rustaceans".into(),
                channels: vec![other],
                categories: Vec::new(),
                members: vec![user("carol001", "carol", None)],
                channels_loaded: true,
            },
        ],
        dms: vec![
            dm(world::DM_ALICE, "alice", "alice001", "2026-11-24T08:00:00Z"),
            dm(world::DM_BOB, "bob", "bob00001", "2026-11-25T08:00:00Z"),
        ],
        users: vec![
            user("alice001", "alice", None),
            user("bob00001", "bob", None),
        ],
        custom_reactions: Vec::new(),
        unread: None,
    }
}

fn category(id: i64, name: &str, priority: i64) -> Category {
    Category {
        id,
        name: name.into(),
        priority,
        channels: Vec::new(),
    }
}

/// A one-paragraph message.
pub fn msg(id: &str, channel: &str, author: &str, at: &str, text: &str) -> Message {
    message(id, channel, author, at, plain(text))
}

/// `count` messages in `channel`, one second apart from `2024-01-01`, ids `<prefix>-<n>`.
pub fn numbered(prefix: &str, channel: &str, count: usize) -> Vec<Message> {
    let start = world::ts("2024-01-01T00:00:00Z").as_second();
    (0..count)
        .map(|i| {
            let mut m = msg(
                &format!("{prefix}-{i:06}"),
                channel,
                "alice001",
                "2024-01-01T00:00:00Z",
                &format!("{prefix} message number {i} about nothing in particular"),
            );
            m.created_at = jiff::Timestamp::from_second(start + i as i64).unwrap();
            m
        })
        .collect()
}

/// The ids of some messages, for comparing.
pub fn ids(messages: &[Message]) -> Vec<String> {
    messages.iter().map(|m| m.id.to_string()).collect()
}

/// A channel's data as the app would hold it, for the round-trip tests.
pub fn plain_channel(c: &Channel) -> Channel {
    Channel {
        unread: 0,
        mentions: 0,
        ..c.clone()
    }
}
