//! Unread state at start and after a reconnect (issue 11): the server's unread maps, the
//! client's own read markers where the server says nothing, and `CHANNEL_SEEN` moving them.

use std::collections::HashMap;
use std::time::Instant;

use super::tests::{DM, GENERAL, RANDOM, TEAM, initial, message, ts};
use super::*;

fn count(unread: u32, mentions: u32) -> UnreadCount {
    UnreadCount { unread, mentions }
}

fn start(state: PersistedState, t0: Instant) -> (App, Vec<Effect>) {
    let mut app = App::new(Settings::default(), crate::keymap::Keymap::default(), 3);
    update(&mut app, Msg::WallClock(ts(1000)), t0);
    update(&mut app, Msg::RestoreState(state), t0);
    let fx = update(&mut app, Msg::Loaded(initial()), t0);
    (app, fx)
}

#[test]
fn the_servers_unread_maps_set_the_counts_at_start() {
    let t0 = Instant::now();
    let (mut app, fx) = start(PersistedState::default(), t0);
    assert!(fx.contains(&Effect::RefreshUnread {
        me: "meUser01".into(),
        teams: vec![TEAM.into()],
    }));
    let counts = HashMap::from([
        (ChannelId::from(RANDOM), count(4, 1)),
        (ChannelId::from(DM), count(2, 2)),
        (ChannelId::from(GENERAL), count(9, 9)),
    ]);
    let fx = update(&mut app, Msg::UnreadState(counts), t0);
    // No markers, nothing to count (only the window title follows the new counts).
    assert!(
        fx.iter().all(|e| matches!(e, Effect::SetTitle(_))),
        "{fx:?}"
    );
    assert_eq!(
        (app.channels[RANDOM].unread, app.channels[RANDOM].mentions),
        (4, 1)
    );
    assert_eq!((app.channels[DM].unread, app.channels[DM].mentions), (2, 2));
    // The open channel is being read: the server's count does not apply.
    assert_eq!(app.current, Some(GENERAL.into()));
    assert_eq!(app.channels[GENERAL].unread, 0);
}

#[test]
fn unread_maps_read_with_the_start_up_load_need_no_second_request() {
    let t0 = Instant::now();
    let mut app = App::new(Settings::default(), crate::keymap::Keymap::default(), 3);
    update(&mut app, Msg::WallClock(ts(1000)), t0);
    update(
        &mut app,
        Msg::RestoreState(PersistedState {
            read_markers: [(ChannelId::from(RANDOM), ts(10))].into(),
            ..PersistedState::default()
        }),
        t0,
    );
    let mut data = initial();
    // The DM list carried a map; the team's list did not, so #random counts from its marker.
    data.unread = Some(HashMap::from([(ChannelId::from(DM), count(2, 1))]));
    let fx = update(&mut app, Msg::Loaded(data), t0);
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::RefreshUnread { .. })),
        "{fx:?}"
    );
    assert!(
        fx.contains(&Effect::CountUnread {
            channel: RANDOM.into(),
            after: ts(10),
        }),
        "{fx:?}"
    );
    assert_eq!((app.channels[DM].unread, app.channels[DM].mentions), (2, 1));
}

#[test]
fn where_the_server_says_nothing_the_read_markers_count() {
    let t0 = Instant::now();
    let state = PersistedState {
        read_markers: [
            (ChannelId::from(RANDOM), ts(10)),
            (ChannelId::from("gone-channel"), ts(10)),
        ]
        .into(),
        ..PersistedState::default()
    };
    let (mut app, _) = start(state, t0);
    // No unread map in any answer: one count per marked channel.
    let fx = update(&mut app, Msg::UnreadState(HashMap::new()), t0);
    assert_eq!(
        fx,
        [Effect::CountUnread {
            channel: RANDOM.into(),
            after: ts(10),
        }]
    );
    let mut mention = message("m3", RANDOM, "alice001", 13, "hi @me");
    mention.mentions_me = true;
    let messages = vec![
        mention,
        message("mine", RANDOM, "meUser01", 12, "x"),
        message("m1", RANDOM, "alice001", 11, "x"),
        message("old", RANDOM, "alice001", 10, "x"),
    ];
    update(
        &mut app,
        Msg::UnreadSince {
            channel: RANDOM.into(),
            messages,
        },
        t0,
    );
    assert_eq!(
        (app.channels[RANDOM].unread, app.channels[RANDOM].mentions),
        (2, 1),
        "others' messages after the marker"
    );
}

#[test]
fn read_markers_follow_what_is_read_here_and_elsewhere_and_persist() {
    let t0 = Instant::now();
    let (mut app, _) = start(PersistedState::default(), t0);
    update(
        &mut app,
        Msg::History {
            channel: GENERAL.into(),
            messages: vec![message("g1", GENERAL, "alice001", 50, "x")],
            has_past: false,
            older: false,
        },
        t0,
    );
    update(
        &mut app,
        Msg::Chat(ChatEvent::MessageCreated {
            message: message("g2", GENERAL, "alice001", 60, "x"),
            team_id: None,
        }),
        t0,
    );
    // Read on another device.
    update(
        &mut app,
        Msg::Chat(ChatEvent::ChannelSeen {
            channel: RANDOM.into(),
        }),
        t0,
    );
    let markers = app.persisted_state().read_markers;
    assert_eq!(markers.get(GENERAL), Some(&ts(60)));
    assert_eq!(markers.get(RANDOM), Some(&ts(1000)), "the wall clock");
    // A message in a channel not open moves nothing.
    update(
        &mut app,
        Msg::Chat(ChatEvent::MessageCreated {
            message: message("r1", RANDOM, "alice001", 2000, "x"),
            team_id: None,
        }),
        t0,
    );
    assert_eq!(
        app.persisted_state().read_markers.get(RANDOM),
        Some(&ts(1000))
    );
}

#[test]
fn a_main_reconnect_asks_for_the_unread_state_again() {
    let t0 = Instant::now();
    let (mut app, _) = start(PersistedState::default(), t0);
    let link = |state| Msg::Link {
        group: LinkGroup::Main,
        state,
    };
    let refresh = |fx: &[Effect]| fx.iter().any(|e| matches!(e, Effect::RefreshUnread { .. }));
    assert!(!refresh(&update(&mut app, link(LinkStatus::Connected), t0)));
    update(&mut app, link(LinkStatus::Reconnecting { at: t0 }), t0);
    assert!(refresh(&update(&mut app, link(LinkStatus::Connected), t0)));
    // Counts apply to channels not loaded only (loaded ones count what the backfill brings).
    update(
        &mut app,
        Msg::UnreadState(HashMap::from([(ChannelId::from(RANDOM), count(3, 0))])),
        t0,
    );
    assert_eq!(app.channels[RANDOM].unread, 3);
}
