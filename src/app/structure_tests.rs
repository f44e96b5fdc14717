//! Bulk deletes and team-structure events, decoded from wire JSON and folded: what the
//! payload carries is applied; the rest refetches the team once, after the debounce.

use std::time::{Duration, Instant};

use super::tests::{DM, GENERAL, RANDOM, TEAM, VOICE, created, loaded, message, team_channel};
use super::update::REFETCH_DEBOUNCE;
use super::*;
use super::{SidebarEntry, key};
use crate::protocol::events::decode_event;

/// The gateway event `42[name, payload]` as the runtime hands it to the reducer.
fn wire(name: &str, payload: &serde_json::Value) -> Msg {
    let event = decode_event(&serde_json::json!([name, payload]).to_string()).unwrap();
    Msg::Gateway(event)
}

fn ids(app: &App, channel: &str) -> Vec<String> {
    app.timelines[channel]
        .iter()
        .map(|m| m.id.to_string())
        .collect()
}

/// The loaded app with three messages in #general and one in the DM.
fn with_messages(t0: Instant) -> App {
    let mut app = loaded(t0);
    update(
        &mut app,
        created(message("m1", GENERAL, "alice001", 1, "a")),
        t0,
    );
    update(
        &mut app,
        created(message("m2", GENERAL, "bob00001", 2, "b")),
        t0,
    );
    update(
        &mut app,
        created(message("m3", GENERAL, "alice001", 3, "c")),
        t0,
    );
    app
}

#[test]
fn chat_messages_deleted_removes_every_listed_message() {
    let t0 = Instant::now();
    let mut app = with_messages(t0);
    update(
        &mut app,
        wire(
            "ChatMessagesDeleted",
            &serde_json::json!({"channelId": GENERAL, "teamId": TEAM, "messageIds": ["m1", "m3", "unknown"]}),
        ),
        t0,
    );
    assert_eq!(ids(&app, GENERAL), ["m2"]);
    // The `messages: [{id}]` form too; a late create cannot bring one back.
    update(
        &mut app,
        wire(
            "ChatMessagesDeleted",
            &serde_json::json!({"channelId": GENERAL, "messages": [{"id": "m2"}]}),
        ),
        t0,
    );
    update(
        &mut app,
        created(message("m2", GENERAL, "bob00001", 2, "b")),
        t0,
    );
    assert!(ids(&app, GENERAL).is_empty());
}

#[test]
fn team_messages_deleted_purges_that_member_from_the_team_only() {
    let t0 = Instant::now();
    let mut app = with_messages(t0);
    // alice also wrote in the DM (another scope): that message stays.
    app.timelines
        .entry(DM.into())
        .or_insert_with(|| timeline::Timeline::new(100));
    update(
        &mut app,
        created(message("d1", DM, "alice001", 4, "hi")),
        t0,
    );
    update(
        &mut app,
        wire(
            "TeamMessagesDeleted",
            &serde_json::json!({"teamId": TEAM, "memberId": "alice001"}),
        ),
        t0,
    );
    assert_eq!(ids(&app, GENERAL), ["m2"]);
    assert_eq!(ids(&app, DM), ["d1"]);
}

#[test]
fn hidden_archived_and_bulk_deleted_channels_leave_the_sidebar() {
    let t0 = Instant::now();
    let mut app = with_messages(t0);
    update(
        &mut app,
        wire(
            "ChatChannelHidden",
            &serde_json::json!({"channelId": RANDOM, "teamId": TEAM}),
        ),
        t0,
    );
    assert!(!app.channels.contains_key(RANDOM));
    assert_eq!(app.teams[0].categories[0].channels, vec![GENERAL, VOICE]);
    // Archiving the open channel opens another one.
    update(
        &mut app,
        wire(
            "TEAM_CHANNEL_ARCHIVED",
            &serde_json::json!({"channelId": GENERAL, "teamId": TEAM}),
        ),
        t0,
    );
    assert!(!app.timelines.contains_key(GENERAL));
    assert_ne!(app.current, Some(GENERAL.into()));
    update(
        &mut app,
        wire(
            "TeamChannelsDeleted",
            &serde_json::json!({"teamId": TEAM, "channelIds": [VOICE]}),
        ),
        t0,
    );
    assert!(app.teams[0].channel_ids().next().is_none());
}

#[test]
fn categories_and_team_names_follow_their_events() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    update(
        &mut app,
        wire(
            "TeamChannelCategoryCreated",
            &serde_json::json!({"teamId": TEAM, "category": {"id": 9, "name": "Games", "priority": 50}}),
        ),
        t0,
    );
    let names: Vec<&str> = app.teams[0]
        .categories
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["Games", "Text"]);
    update(
        &mut app,
        wire(
            "TeamChannelCategoryUpdated",
            &serde_json::json!({"teamId": TEAM, "category": {"id": 9, "name": "Play", "priority": 0}}),
        ),
        t0,
    );
    let names: Vec<&str> = app.teams[0]
        .categories
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["Text", "Play"]);
    update(
        &mut app,
        wire(
            "TeamChannelCategoryDeleted",
            &serde_json::json!({"teamId": TEAM, "categoryId": 9}),
        ),
        t0,
    );
    assert_eq!(app.teams[0].categories.len(), 1);
    update(
        &mut app,
        wire(
            "TeamUpdated",
            &serde_json::json!({"teamId": TEAM, "team": {"id": TEAM, "name": "Renamed"}}),
        ),
        t0,
    );
    assert_eq!(app.teams[0].name, "Renamed");
}

#[test]
fn a_burst_of_opaque_structure_events_refetches_the_team_once_after_the_debounce() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    assert_eq!(app.next_deadline(), None);
    let mut fx = Vec::new();
    for (i, name) in [
        "TeamChannelPrioritiesUpdated",
        "teamRolesUpdated",
        "TeamGroupCreated",
        "TeamChannelRestored",
    ]
    .into_iter()
    .enumerate()
    {
        let at = t0 + Duration::from_millis(100 * i as u64);
        fx.extend(update(
            &mut app,
            wire(
                name,
                &serde_json::json!({"teamId": TEAM, "channelId": RANDOM}),
            ),
            at,
        ));
    }
    // An unknown team is not ours to refetch.
    fx.extend(update(
        &mut app,
        wire("TeamGroupUpdated", &serde_json::json!({"teamId": "other"})),
        t0,
    ));
    assert!(!fx.iter().any(|e| matches!(e, Effect::RefreshTeam { .. })));
    // The first event set the deadline; later ones in the burst do not push it back.
    assert_eq!(app.next_deadline(), Some(t0 + REFETCH_DEBOUNCE));
    let early = update(&mut app, Msg::Tick, t0 + REFETCH_DEBOUNCE / 2);
    assert!(early.is_empty());
    let due = update(&mut app, Msg::Tick, t0 + REFETCH_DEBOUNCE);
    assert_eq!(due, vec![Effect::RefreshTeam { team: TEAM.into() }]);
    assert_eq!(app.next_deadline(), None);
}

#[test]
fn a_refreshed_team_replaces_its_channel_list() {
    let t0 = Instant::now();
    let mut app = with_messages(t0);
    // The authoritative list: #general renamed, #random gone, a new #news.
    let mut general = team_channel(GENERAL, "general-2", 5, "chat");
    general.unread = 0;
    let news = team_channel("00000000-0000-4000-8000-0000000000aa", "news", 2, "chat");
    let voice = team_channel(VOICE, "voice", 3, "voice");
    let fx = update(
        &mut app,
        Msg::TeamRefreshed(TeamData {
            id: TEAM.into(),
            name: "Team".into(),
            channels: vec![general, news, voice],
            categories: vec![Category {
                id: 1,
                name: "Text".into(),
                priority: 1,
                channels: vec![],
            }],
            members: vec![],
            channels_loaded: true,
        }),
        t0,
    );
    assert!(!app.channels.contains_key(RANDOM));
    assert_eq!(app.channels[GENERAL].name, "general-2");
    assert_eq!(
        app.teams[0].categories[0].channels,
        vec![
            ChannelId::from(GENERAL),
            VOICE.into(),
            "00000000-0000-4000-8000-0000000000aa".into()
        ]
    );
    // The open channel and its history survive a refresh.
    assert_eq!(app.current, Some(GENERAL.into()));
    assert_eq!(ids(&app, GENERAL), ["m1", "m2", "m3"]);
    assert!(!fx.iter().any(|e| matches!(e, Effect::LoadHistory { .. })));
    // A refresh whose channel list failed removes nothing.
    update(
        &mut app,
        Msg::TeamRefreshed(TeamData {
            id: TEAM.into(),
            channels_loaded: false,
            ..TeamData::default()
        }),
        t0,
    );
    assert!(app.channels.contains_key(VOICE));
}

const THREAD: &str = "00000000-0000-4000-8000-0000000000f1";

fn thread_created(id: &str, name: &str, parent: &str, message: Option<&str>) -> Msg {
    wire(
        "TemporalChannelCreated",
        &serde_json::json!({"teamId": TEAM, "silenceNotification": false, "channel": {
            "id": id, "name": name, "parentChannelId": parent, "threadMessageId": message,
            "contentType": "chat", "type": "Team", "channelCategoryId": 1}}),
    )
}

fn press(app: &mut App, code: key::KeyCode, mods: key::Mods, now: Instant) -> Vec<Effect> {
    update(app, Msg::Key(key::Key::new(code, mods)), now)
}

#[test]
fn a_thread_sits_under_its_parent_in_the_sidebar_and_the_switcher() {
    let t0 = Instant::now();
    let mut app = with_messages(t0);
    update(
        &mut app,
        thread_created(THREAD, "side talk", GENERAL, Some("m2")),
        t0,
    );
    // Not a channel of the category itself, but the row after its parent.
    assert!(!app.teams[0].channel_ids().any(|c| c == THREAD));
    let entries = app.sidebar_entries();
    let at = |id: &str| {
        entries
            .iter()
            .position(|e| *e == SidebarEntry::Channel(id.into()))
            .unwrap()
    };
    assert_eq!(at(THREAD), at(GENERAL) + 1);
    assert_eq!(
        app.team_chat_channels(&TEAM.into())[..2],
        [ChannelId::from(GENERAL), THREAD.into()]
    );
    assert_eq!(
        app.thread_of_message(&"m2".into()).map(|c| c.name.as_str()),
        Some("side talk")
    );
    // The switcher finds it and opens it like any channel.
    press(&mut app, key::KeyCode::Char('k'), key::Mods::CTRL, t0);
    for c in "side".chars() {
        press(&mut app, key::KeyCode::Char(c), key::Mods::NONE, t0);
    }
    let fx = press(&mut app, key::KeyCode::Enter, key::Mods::NONE, t0);
    assert_eq!(app.current, Some(THREAD.into()));
    assert!(fx.contains(&Effect::LoadHistory {
        channel: THREAD.into(),
        before: None,
        limit: HISTORY_PAGE
    }));
    // A refresh of the team keeps it (threads are listed apart).
    let categories = app.teams[0].categories.clone();
    update(
        &mut app,
        Msg::TeamRefreshed(TeamData {
            id: TEAM.into(),
            name: "Team".into(),
            channels: vec![team_channel(GENERAL, "general", 5, "chat")],
            categories,
            members: vec![],
            channels_loaded: true,
        }),
        t0,
    );
    assert!(app.threads.contains_key(THREAD));
    assert_eq!(app.current, Some(THREAD.into()));
}

#[test]
fn t_on_a_selected_message_starts_a_thread_and_opens_it_when_it_arrives() {
    let t0 = Instant::now();
    let mut app = with_messages(t0);
    update(
        &mut app,
        created(message(
            "m4",
            GENERAL,
            "alice001",
            4,
            "shall we plan the release party together this weekend everyone",
        )),
        t0,
    );
    press(&mut app, key::KeyCode::Char('s'), key::Mods::ALT, t0);
    assert_eq!(app.timeline().unwrap().selected, Some("m4".into()));
    let fx = press(&mut app, key::KeyCode::Char('t'), key::Mods::NONE, t0);
    assert_eq!(
        fx,
        vec![Effect::CreateThread {
            channel: GENERAL.into(),
            message: "m4".into(),
            name: "shall we plan the release party together…".into(),
        }]
    );
    assert_eq!(app.current, Some(GENERAL.into()));
    // Someone else's thread does not pull us away; ours opens when it arrives.
    update(
        &mut app,
        thread_created("other", "theirs", GENERAL, Some("m1")),
        t0,
    );
    assert_eq!(app.current, Some(GENERAL.into()));
    update(
        &mut app,
        thread_created(THREAD, "shall we plan", GENERAL, Some("m4")),
        t0,
    );
    assert_eq!(app.current, Some(THREAD.into()));
    // Back in #general, t on a message with a thread opens that thread.
    press(&mut app, key::KeyCode::Char('k'), key::Mods::CTRL, t0);
    for c in "general".chars() {
        press(&mut app, key::KeyCode::Char(c), key::Mods::NONE, t0);
    }
    press(&mut app, key::KeyCode::Enter, key::Mods::NONE, t0);
    assert_eq!(app.current, Some(GENERAL.into()));
    press(&mut app, key::KeyCode::Char('s'), key::Mods::ALT, t0);
    let fx = press(&mut app, key::KeyCode::Char('t'), key::Mods::NONE, t0);
    assert!(!fx.iter().any(|e| matches!(e, Effect::CreateThread { .. })));
    assert_eq!(app.current, Some(THREAD.into()));
}

#[test]
fn threads_start_only_from_sent_team_messages() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    // A DM message.
    press(&mut app, key::KeyCode::Char('k'), key::Mods::CTRL, t0);
    for c in "carol".chars() {
        press(&mut app, key::KeyCode::Char(c), key::Mods::NONE, t0);
    }
    press(&mut app, key::KeyCode::Enter, key::Mods::NONE, t0);
    assert_eq!(app.current, Some(DM.into()));
    update(
        &mut app,
        Msg::History {
            channel: DM.into(),
            messages: vec![message("d1", DM, "carol001", 1, "hi")],
            has_past: false,
            older: false,
        },
        t0,
    );
    press(&mut app, key::KeyCode::Char('s'), key::Mods::ALT, t0);
    let fx = press(&mut app, key::KeyCode::Char('t'), key::Mods::NONE, t0);
    assert!(fx.is_empty());
    assert!(app.notice.as_ref().is_some_and(|n| n.is_error));
}
