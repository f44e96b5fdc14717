//! The effects the reducer emits for the gateway and the answers of failed REST calls: each
//! effect carries what the runtime needs (it never reads the model), and every failure is
//! decided here.

use std::time::{Duration, Instant};

use super::tests::{DM, GENERAL, RANDOM, TEAM, created, initial, loaded, message, ts};
use super::*;

/// The reducer, minus `Effect::Persist`: these scripts are about what the user sees and the
/// network calls; what is kept in the store has its own tests (`store_tests`).
fn update(app: &mut App, msg: Msg, now: Instant) -> Vec<Effect> {
    let mut fx = super::update(app, msg, now);
    fx.retain(|e| !matches!(e, Effect::Persist(_)));
    fx
}

fn teams_changed(team: &str, removed: bool) -> Msg {
    Msg::Chat(ChatEvent::TeamsChanged {
        team_id: team.into(),
        removed,
    })
}

fn failed(op: ApiOp, kind: FailureKind, message: &str) -> Msg {
    Msg::ApiFailed {
        op,
        failure: ApiFailure {
            kind,
            message: message.into(),
        },
    }
}

#[test]
fn a_team_socket_opens_only_once_rest_confirms_the_team() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    // A join of an unknown team (`USER_TEAMS_UPDATED` with `teamId: 7`): fetch it, no socket.
    let fx = update(&mut app, teams_changed("7", false), t0);
    assert_eq!(fx, [Effect::LoadTeam { team: "7".into() }]);
    // The server does not know it: nothing appears, no socket, no link state.
    update(
        &mut app,
        failed(
            ApiOp::LoadTeam { team: "7".into() },
            FailureKind::Other,
            "not found",
        ),
        t0,
    );
    assert!(app.teams.iter().all(|t| t.id != "7"));
    assert!(app.links.keys().all(|g| *g != LinkGroup::Team("7".into())));
    // `/teams/{id}` answered: now the socket opens.
    let mut team = initial().teams.remove(0);
    team.id = "newteam1".into();
    let fx = update(&mut app, Msg::TeamLoaded(team), t0);
    assert!(fx.contains(&Effect::OpenTeamSocket {
        team: "newteam1".into()
    }));
    // A join of a team already loaded only makes sure its socket runs (it may have given up).
    let fx = update(&mut app, teams_changed(TEAM, false), t0);
    assert_eq!(fx, [Effect::OpenTeamSocket { team: TEAM.into() }]);
}

fn team_link(state: LinkStatus) -> Msg {
    Msg::Link {
        group: LinkGroup::Team(TEAM.into()),
        state,
    }
}

#[test]
fn a_refused_team_socket_shows_on_its_team_and_is_retried_then_dropped() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    update(&mut app, team_link(LinkStatus::Connecting), t0);
    update(&mut app, team_link(LinkStatus::Offline), t0);
    // Not a permanent "offline" in the status bar: on the team only.
    assert!(app.links.keys().all(|g| *g == LinkGroup::Main));
    assert!(app.team_socket_down(&TEAM.into()));
    let mut now = t0;
    for attempt in 0..update::TEAM_SOCKET_ATTEMPTS {
        let due = app.next_deadline().expect("a retry is scheduled");
        assert_eq!(due - now, update::TEAM_SOCKET_RETRY * (1 << attempt));
        assert!(
            update(
                &mut app,
                Msg::Tick,
                due.checked_sub(Duration::from_millis(1)).unwrap()
            )
            .is_empty()
        );
        now = due;
        let fx = update(&mut app, Msg::Tick, now);
        assert_eq!(fx, [Effect::OpenTeamSocket { team: TEAM.into() }]);
        update(&mut app, team_link(LinkStatus::Connecting), now);
        update(&mut app, team_link(LinkStatus::Offline), now);
    }
    // Given up: closed, no more retries, still shown on the team.
    assert_eq!(app.next_deadline(), None);
    assert!(app.team_socket_down(&TEAM.into()));
    // Joining again (or a socket that comes up) clears it.
    update(&mut app, team_link(LinkStatus::Connected), now);
    assert!(!app.team_socket_down(&TEAM.into()));
}

#[test]
fn link_states_of_teams_we_are_not_in_are_dropped() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    for state in [LinkStatus::Connecting, LinkStatus::Offline] {
        update(
            &mut app,
            Msg::Link {
                group: LinkGroup::Team("7".into()),
                state,
            },
            t0,
        );
    }
    assert!(
        app.links.keys().all(|g| *g == LinkGroup::Main),
        "{:?}",
        app.links
    );
    assert!(!app.team_socket_down(&"7".into()));
}

#[test]
fn leaving_a_team_closes_its_socket_and_stops_catching_up_on_its_channels() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    let fx = update(&mut app, teams_changed(TEAM, true), t0);
    assert!(app.teams.is_empty());
    assert_eq!(
        fx.first(),
        Some(&Effect::CloseTeamSocket { team: TEAM.into() })
    );
    assert!(fx.contains(&Effect::UntrackChannel {
        channel: GENERAL.into()
    }));
    // The DM is opened instead, and tracked.
    assert_eq!(app.current, Some(DM.into()));
    assert!(fx.contains(&Effect::TrackChannel {
        channel: DM.into(),
        newest: None
    }));
}

#[test]
fn a_history_page_of_a_tracked_channel_moves_its_newest_message_forward() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    let page = Msg::History {
        channel: GENERAL.into(),
        messages: vec![
            message("m2", GENERAL, "alice001", 20, "b"),
            message("m1", GENERAL, "alice001", 10, "a"),
        ],
        has_past: false,
        older: false,
    };
    let fx = update(&mut app, page, t0);
    assert_eq!(
        fx,
        [Effect::TrackChannel {
            channel: GENERAL.into(),
            newest: Some(ts(20)),
        }]
    );
    // A channel without loaded history is not tracked: its page (a late answer) says nothing.
    let late = Msg::History {
        channel: RANDOM.into(),
        messages: vec![message("m3", RANDOM, "alice001", 30, "c")],
        has_past: false,
        older: false,
    };
    assert_eq!(update(&mut app, late, t0), []);
}

#[test]
fn a_deleted_channel_is_no_longer_tracked_and_the_next_one_is() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    let fx = update(
        &mut app,
        Msg::Chat(ChatEvent::ChannelDeleted {
            team_id: TEAM.into(),
            channel: GENERAL.into(),
        }),
        t0,
    );
    assert!(fx.contains(&Effect::UntrackChannel {
        channel: GENERAL.into()
    }));
    assert!(fx.contains(&Effect::TrackChannel {
        channel: RANDOM.into(),
        newest: None
    }));
}

#[test]
fn a_dm_update_merges_like_any_channel() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    update(
        &mut app,
        created(message("d1", DM, "carol001", 50, "hey")),
        t0,
    );
    assert_eq!(app.channels[DM].unread, 1);
    let mut newer = app.channels[DM].clone();
    newer.name = "carol & dave".into();
    newer.unread = 0;
    newer.last_activity = Some(ts(10));
    update(
        &mut app,
        Msg::Chat(ChatEvent::DmCreated {
            channel: newer.clone(),
            users: vec![],
        }),
        t0,
    );
    let dm = &app.channels[DM];
    assert_eq!(dm.name, "carol & dave");
    assert_eq!(dm.unread, 1, "the client's counts stay");
    assert_eq!(dm.last_activity, Some(ts(50)), "the later activity stays");
    newer.last_activity = Some(ts(90));
    update(
        &mut app,
        Msg::Chat(ChatEvent::DmCreated {
            channel: newer,
            users: vec![],
        }),
        t0,
    );
    assert_eq!(app.channels[DM].last_activity, Some(ts(90)));
    assert_eq!(app.dms, [DM]);
}

#[test]
fn an_unauthorized_answer_ends_the_session_whatever_the_call() {
    let t0 = Instant::now();
    let ops = [
        ApiOp::Start,
        ApiOp::Edit {
            channel: GENERAL.into(),
            message_id: "m1".into(),
        },
        ApiOp::MarkSeen {
            channel: GENERAL.into(),
        },
        ApiOp::LoadTeam {
            team: "newteam1".into(),
        },
        ApiOp::History {
            channel: GENERAL.into(),
        },
    ];
    for op in ops {
        let mut app = loaded(t0);
        let label = format!("{op:?}");
        let fx = update(
            &mut app,
            failed(
                op,
                FailureKind::Unauthorized,
                "session expired: log in again",
            ),
            t0,
        );
        assert!(app.auth_lost, "{label}");
        assert!(matches!(&fx[..], [Effect::SaveState(_)]), "{label}: {fx:?}");
    }
}

#[test]
fn failures_say_what_failed_in_the_status_bar() {
    let t0 = Instant::now();
    let cases = [
        (
            ApiOp::Delete {
                channel: GENERAL.into(),
                message_id: "m1".into(),
            },
            "Deleting the message: nope",
        ),
        (
            ApiOp::LoadTeam {
                team: "newteam1".into(),
            },
            "Loading a new team: nope",
        ),
        (
            ApiOp::Backfill {
                channel: GENERAL.into(),
            },
            "Catching up on a channel (00000000-0000-4000-8000-000000000001): nope",
        ),
        (
            ApiOp::History {
                channel: GENERAL.into(),
            },
            "Could not load history: nope",
        ),
    ];
    for (op, shown) in cases {
        let mut app = loaded(t0);
        let fx = update(&mut app, failed(op, FailureKind::Forbidden, "nope"), t0);
        assert!(fx.is_empty());
        assert!(!app.auth_lost);
        let notice = app.notice.as_ref().unwrap();
        assert_eq!(notice.text, shown);
        assert!(notice.is_error);
    }
    // What failed at start-up is only logged: the first screen shows what did load.
    let mut app = loaded(t0);
    app.take_dirty();
    update(
        &mut app,
        failed(ApiOp::Start, FailureKind::Server, "server answered 500"),
        t0,
    );
    assert!(app.notice.is_none());
    assert!(!app.is_dirty());
}

fn f5() -> Msg {
    Msg::Key(key::Key::new(key::KeyCode::F(5), key::Mods::NONE))
}

#[test]
fn f5_asks_the_gateway_to_reconnect_now_from_every_pane() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    update(
        &mut app,
        Msg::Link {
            group: LinkGroup::Main,
            state: LinkStatus::Reconnecting {
                at: t0 + std::time::Duration::from_secs(24),
            },
        },
        t0,
    );
    for focus in [Focus::Composer, Focus::Sidebar, Focus::Timeline] {
        app.focus = focus;
        app.notice = None;
        app.take_dirty();
        let fx = update(&mut app, f5(), t0);
        assert_eq!(fx, vec![Effect::ReconnectNow], "{focus:?}");
        assert_eq!(app.notice.as_ref().unwrap().text, "Reconnecting now…");
        assert!(!app.notice.as_ref().unwrap().is_error);
        assert!(app.is_dirty());
    }
    // The composer's text is untouched: F5 is a binding, not text.
    assert!(app.composer.is_empty());
}

#[test]
fn f5_with_every_link_up_says_the_connection_is_being_checked() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    for group in [LinkGroup::Main, LinkGroup::Team(TEAM.into())] {
        update(
            &mut app,
            Msg::Link {
                group,
                state: LinkStatus::Connected,
            },
            t0,
        );
    }
    assert_eq!(update(&mut app, f5(), t0), vec![Effect::ReconnectNow]);
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "Checking the connection…"
    );
    // One team still connecting: that one is what the user will see reconnect.
    update(
        &mut app,
        Msg::Link {
            group: LinkGroup::Team(TEAM.into()),
            state: LinkStatus::Connecting,
        },
        t0,
    );
    assert_eq!(update(&mut app, f5(), t0), vec![Effect::ReconnectNow]);
    assert_eq!(app.notice.as_ref().unwrap().text, "Reconnecting now…");
}

#[test]
fn f5_in_a_popup_does_nothing() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    app.popup = Some(Popup::Help { scroll: 0 });
    assert_eq!(update(&mut app, f5(), t0), vec![]);
    assert!(app.notice.is_none());
}
