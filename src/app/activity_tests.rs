//! Non-chat channels: choosing one opens its activity view; their events (as the wire sends
//! them) become its lines, newest first, live and bounded.

use std::time::Instant;

use serde_json::json;

use super::activity::{ACTIVITY_KEPT, ActivityKind};
use super::key::{Key, KeyCode, Mods};
use super::tests::{GENERAL, TEAM, loaded, team_channel};
use super::*;
use crate::protocol::events::decode_event;

const FORUM: &str = "00000000-0000-4000-8000-0000000000f1";

fn run(app: &mut App, msg: Msg, now: Instant) -> Vec<Effect> {
    let mut fx = update(app, msg, now);
    fx.retain(|e| !matches!(e, Effect::Persist(_)));
    fx
}

fn wire(app: &mut App, name: &str, payload: &serde_json::Value, now: Instant) {
    let event = decode_event(&json!([name, payload]).to_string()).unwrap();
    run(app, Msg::Gateway(event), now);
}

fn with_forum(t0: Instant) -> App {
    let mut app = loaded(t0);
    let mut forum = team_channel(FORUM, "ideas", 9, "forum");
    forum.kind = ChannelKind::Team {
        team_id: TEAM.into(),
        category_id: Some(1),
        priority: 9,
    };
    run(&mut app, Msg::Chat(ChatEvent::ChannelUpserted(forum)), t0);
    app
}

fn lines(app: &App) -> Vec<(ActivityKind, Option<String>, Option<String>)> {
    app.activity
        .of(&FORUM.into())
        .map(|i| {
            (
                i.kind,
                i.title.clone(),
                i.actor.as_ref().map(|u| u.as_str().to_owned()),
            )
        })
        .collect()
}

#[test]
fn choosing_a_forum_opens_its_activity_and_events_fill_it_live() {
    let t0 = Instant::now();
    let mut app = with_forum(t0);
    // From the sidebar: the forum is no dead end.
    let row = app
        .sidebar_entries()
        .iter()
        .position(|e| matches!(e, SidebarEntry::Channel(id) if id == FORUM))
        .unwrap();
    app.focus = Focus::Sidebar;
    app.sidebar_cursor = row;
    run(&mut app, Msg::Key(Key::new(KeyCode::Enter, Mods::NONE)), t0);
    assert_eq!(
        app.popup,
        Some(Popup::Activity {
            channel: FORUM.into(),
            scroll: 0
        })
    );
    assert_eq!(
        app.current,
        Some(GENERAL.into()),
        "the chat stays open under it"
    );
    wire(
        &mut app,
        "TEAM_CHANNEL_CONTENT_CREATED",
        &json!({"teamId": TEAM, "channelId": FORUM, "contentType": "forum",
                "thread": {"id": 1, "title": "Dark mode?", "createdBy": "alice001",
                           "createdAt": "2026-11-30T10:00:00.000Z"}}),
        t0,
    );
    wire(
        &mut app,
        "TeamChannelContentReplyCreated",
        &json!({"channelId": FORUM, "userId": "bob00001", "thread": {"id": 1, "title": "Dark mode?"}}),
        t0,
    );
    wire(
        &mut app,
        "TeamContentReactionsAdded",
        &json!({"channelId": FORUM, "userId": "bob00001"}),
        t0,
    );
    assert_eq!(
        lines(&app),
        vec![
            (ActivityKind::Reacted, None, Some("bob00001".into())),
            (
                ActivityKind::Replied,
                Some("Dark mode?".into()),
                Some("bob00001".into())
            ),
            (
                ActivityKind::Created,
                Some("Dark mode?".into()),
                Some("alice001".into())
            ),
        ]
    );
    let first = app.activity.of(&FORUM.into()).last().unwrap();
    assert_eq!(first.at, Some("2026-11-30T10:00:00Z".parse().unwrap()));
    let latest = app.activity.of(&FORUM.into()).next().unwrap();
    assert!(
        latest.at.is_some(),
        "no time in the event: the time it arrived"
    );
    // Scrolling stays inside the list; Esc closes.
    for _ in 0..5 {
        run(&mut app, Msg::Key(Key::new(KeyCode::Down, Mods::NONE)), t0);
    }
    assert!(matches!(app.popup, Some(Popup::Activity { scroll: 2, .. })));
    run(&mut app, Msg::Key(Key::new(KeyCode::Esc, Mods::NONE)), t0);
    assert_eq!(app.popup, None);
}

#[test]
fn activity_is_bounded_and_only_for_known_channels() {
    let t0 = Instant::now();
    let mut app = with_forum(t0);
    for i in 0..ACTIVITY_KEPT + 20 {
        wire(
            &mut app,
            "TeamEventCreated",
            &json!({"channelId": FORUM, "event": {"id": i, "name": format!("meetup {i}")}}),
            t0,
        );
    }
    assert_eq!(app.activity.len_of(&FORUM.into()), ACTIVITY_KEPT);
    let newest = app.activity.of(&FORUM.into()).next().unwrap();
    assert_eq!(newest.title.as_deref(), Some("meetup 119"));
    assert_eq!(newest.kind, ActivityKind::EventCreated);
    wire(
        &mut app,
        "TeamChannelContentCreated",
        &json!({"channelId": "00000000-0000-4000-8000-00000000dead", "content": {"title": "x"}}),
        t0,
    );
    assert_eq!(
        app.activity
            .len_of(&"00000000-0000-4000-8000-00000000dead".into()),
        0
    );
}

#[test]
fn the_switcher_jumps_to_a_forum_too() {
    let t0 = Instant::now();
    let mut app = with_forum(t0);
    run(
        &mut app,
        Msg::Key(Key::new(KeyCode::Char('k'), Mods::CTRL)),
        t0,
    );
    for c in "ideas".chars() {
        run(
            &mut app,
            Msg::Key(Key::new(KeyCode::Char(c), Mods::NONE)),
            t0,
        );
    }
    let Some(Popup::Switcher(sw)) = &app.popup else {
        panic!("{:?}", app.popup)
    };
    assert_eq!(sw.results, [ChannelId::from(FORUM)]);
    run(&mut app, Msg::Key(Key::new(KeyCode::Enter, Mods::NONE)), t0);
    assert_eq!(
        app.popup,
        Some(Popup::Activity {
            channel: FORUM.into(),
            scroll: 0
        })
    );
}
