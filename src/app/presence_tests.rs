//! Members and presence: the member pane (`Alt-m`), presence and member events as the
//! gateway sends them, role colours from a team load, and setting one's own status (`Alt-o`).

use std::time::Instant;

use serde_json::json;

use super::key::{Key, KeyCode, Mods};
use super::presence::{OwnStatus, PresenceStatus, RoleColor};
use super::tests::{DM, GENERAL, ME, TEAM, loaded};
use super::*;
use crate::protocol::events::decode_event;

/// The reducer without the store's writes.
fn run(app: &mut App, msg: Msg, now: Instant) -> Vec<Effect> {
    let mut fx = update(app, msg, now);
    fx.retain(|e| !matches!(e, Effect::Persist(_)));
    fx
}

fn press(app: &mut App, code: KeyCode, mods: Mods, now: Instant) -> Vec<Effect> {
    run(app, Msg::Key(Key::new(code, mods)), now)
}

/// A gateway event as the wire carries it, decoded by the protocol crate.
fn wire(app: &mut App, name: &str, payload: &serde_json::Value, now: Instant) {
    let event = decode_event(&json!([name, payload]).to_string()).unwrap();
    run(app, Msg::Gateway(event), now);
}

/// The pane's groups as (heading status, names).
fn groups(app: &App) -> Vec<(PresenceStatus, Vec<String>)> {
    app.member_groups()
        .into_iter()
        .map(|g| (g.status, g.members.into_iter().map(|m| m.name).collect()))
        .collect()
}

fn wide(t0: Instant) -> App {
    let mut app = loaded(t0);
    run(
        &mut app,
        Msg::Resize {
            width: 120,
            height: 40,
        },
        t0,
    );
    app
}

#[test]
fn alt_m_toggles_the_pane_and_members_are_grouped_by_presence() {
    let t0 = Instant::now();
    let mut app = wide(t0);
    assert!(!app.member_pane.shown);
    press(&mut app, KeyCode::Char('m'), Mods::ALT, t0);
    assert!(app.member_pane.shown);
    assert_eq!(app.notice, None, "wide enough: no notice");
    // Nothing said yet: everyone offline but us (we are connected).
    assert_eq!(
        groups(&app),
        vec![
            (PresenceStatus::Online, vec!["me".to_owned()]),
            (
                PresenceStatus::Offline,
                vec!["alice".to_owned(), "bob".to_owned()]
            ),
        ]
    );
    wire(
        &mut app,
        "UserPresenceReceived",
        &json!({"userId": "alice001", "status": 1}),
        t0,
    );
    wire(
        &mut app,
        "USER_PRESENCE_MANUALLY_SET",
        &json!({"userId": "bob00001", "userPresenceStatus": "3"}),
        t0,
    );
    assert_eq!(
        groups(&app),
        vec![
            (
                PresenceStatus::Online,
                vec!["alice".to_owned(), "me".to_owned()]
            ),
            (PresenceStatus::DoNotDisturb, vec!["bob".to_owned()]),
        ]
    );
    wire(
        &mut app,
        "UserPresenceReceived",
        &json!({"userId": "alice001", "status": 2}),
        t0,
    );
    assert_eq!(app.presence_of(&"alice001".into()), PresenceStatus::Idle);
    press(&mut app, KeyCode::Char('m'), Mods::ALT, t0);
    assert!(!app.member_pane.shown);
}

#[test]
fn on_a_narrow_terminal_the_pane_waits_for_room_and_says_so() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    run(
        &mut app,
        Msg::Resize {
            width: 80,
            height: 24,
        },
        t0,
    );
    press(&mut app, KeyCode::Char('m'), Mods::ALT, t0);
    assert!(
        app.member_pane.shown,
        "shown again once the terminal is wider"
    );
    let notice = app.notice.as_ref().expect("a notice");
    assert!(notice.text.contains("100 columns"), "{}", notice.text);
}

#[test]
fn member_events_keep_the_pane_true() {
    let t0 = Instant::now();
    let mut app = wide(t0);
    wire(
        &mut app,
        "TeamMemberJoined",
        &json!({"teamId": TEAM, "user": {"id": "dave0001", "name": "dave", "userPresenceStatus": 1}}),
        t0,
    );
    wire(
        &mut app,
        "TeamMembersRemoved",
        &json!({"teamId": TEAM, "memberIds": ["bob00001"]}),
        t0,
    );
    wire(
        &mut app,
        "USER_UPDATED",
        &json!({"userId": "alice001", "user": {"id": "alice001", "name": "Alice L."}}),
        t0,
    );
    wire(
        &mut app,
        "UserAliasUpdated",
        &json!({"userId": "dave0001", "alias": "Dee"}),
        t0,
    );
    let names: Vec<String> = groups(&app).into_iter().flat_map(|(_, n)| n).collect();
    assert_eq!(names, ["me", "Alice L.", "Dee"]);
    // A prune that takes us takes the team.
    wire(
        &mut app,
        "TeamMembersRemoved",
        &json!({"teamId": TEAM, "userIds": [ME]}),
        t0,
    );
    assert!(app.teams.is_empty());
}

#[test]
fn a_renamed_user_renames_the_dm_titled_after_them() {
    let t0 = Instant::now();
    let mut app = wide(t0);
    run(
        &mut app,
        Msg::Chat(ChatEvent::UserRenamed {
            user: "carol001".into(),
            name: "Caroline".into(),
        }),
        t0,
    );
    assert_eq!(app.channels[DM].name, "Caroline");
    assert_eq!(app.users["carol001"].name, "Caroline");
}

#[test]
fn in_a_dm_the_pane_lists_its_people() {
    let t0 = Instant::now();
    let mut app = wide(t0);
    run(
        &mut app,
        Msg::Chat(ChatEvent::Presence(vec![(
            "carol001".into(),
            PresenceStatus::Idle,
        )])),
        t0,
    );
    app.current = Some(DM.into());
    assert_eq!(app.member_pane_title().as_deref(), Some("carol"));
    assert_eq!(
        groups(&app),
        vec![
            (PresenceStatus::Online, vec!["me".to_owned()]),
            (PresenceStatus::Idle, vec!["carol".to_owned()]),
        ]
    );
    app.current = Some(GENERAL.into());
    assert_eq!(app.member_pane_title().as_deref(), Some("Team"));
}

#[test]
fn the_pane_scrolls_within_its_list() {
    let t0 = Instant::now();
    let mut app = wide(t0);
    for i in 0..60 {
        run(
            &mut app,
            Msg::Chat(ChatEvent::MemberJoined {
                team_id: TEAM.into(),
                user: crate::testkit::script::user(&format!("user{i:04}"), &format!("u{i:02}")),
            }),
            t0,
        );
    }
    // Not shown: the scroll keys do nothing.
    press(&mut app, KeyCode::PageDown, Mods::ALT, t0);
    assert_eq!(app.member_pane.scroll, 0);
    press(&mut app, KeyCode::Char('m'), Mods::ALT, t0);
    press(&mut app, KeyCode::PageDown, Mods::ALT, t0);
    assert_eq!(app.member_pane.scroll, 20, "half of 40 rows");
    for _ in 0..10 {
        press(&mut app, KeyCode::PageDown, Mods::ALT, t0);
    }
    assert_eq!(
        app.member_pane.scroll,
        app.member_rows() - 1,
        "never past the end"
    );
    press(&mut app, KeyCode::PageUp, Mods::ALT, t0);
    assert_eq!(app.member_pane.scroll, app.member_rows() - 21);
}

#[test]
fn role_colours_come_from_the_highest_coloured_role() {
    let team: crate::protocol::models::Team = serde_json::from_value(json!({
        "id": TEAM, "name": "Team",
        "rolesById": {
            "1": {"id": 1, "name": "Member", "color": null, "priority": 1},
            "2": {"id": 2, "name": "Mod", "color": "#33aa55", "priority": 5},
            "3": {"id": 3, "name": "Owner", "color": "#ff8800", "priority": 9},
            "baseRole": {"id": 4, "name": "Everyone", "color": "#123456", "priority": 0}
        }
    }))
    .unwrap();
    let members: Vec<crate::protocol::models::TeamMember> = serde_json::from_value(json!([
        {"id": "alice001", "name": "alice", "roleIds": [1, 2, 3], "userPresenceStatus": 1},
        {"id": "bob00001", "name": "bob", "roleIds": [1, 2], "userPresenceStatus": 4},
        {"id": "carol001", "name": "carol", "roleIds": [1, "x"]}
    ]))
    .unwrap();
    let t0 = Instant::now();
    let mut app = wide(t0);
    for event in convert::member_details(&team, &members) {
        run(&mut app, Msg::Chat(event), t0);
    }
    let color = |u: &str| app.presence.role_color(&TEAM.into(), &u.into());
    assert_eq!(color("alice001"), Some(RoleColor(0xff, 0x88, 0)));
    assert_eq!(color("bob00001"), Some(RoleColor(0x33, 0xaa, 0x55)));
    assert_eq!(color("carol001"), None, "no coloured role");
    assert_eq!(app.presence_of(&"alice001".into()), PresenceStatus::Online);
    assert_eq!(app.presence_of(&"bob00001".into()), PresenceStatus::Offline);
}

#[test]
fn alt_o_sets_our_status_and_a_refusal_puts_the_old_one_back() {
    let t0 = Instant::now();
    let mut app = wide(t0);
    assert_eq!(app.my_presence(), OwnStatus::Online);
    press(&mut app, KeyCode::Char('o'), Mods::ALT, t0);
    assert_eq!(app.popup, Some(Popup::Status { selected: 0 }));
    press(&mut app, KeyCode::Down, Mods::NONE, t0);
    press(&mut app, KeyCode::Down, Mods::NONE, t0);
    let fx = press(&mut app, KeyCode::Enter, Mods::NONE, t0);
    assert_eq!(
        fx,
        vec![Effect::SetPresence {
            status: OwnStatus::DoNotDisturb,
            previous: None
        }]
    );
    assert_eq!(app.popup, None);
    assert_eq!(app.my_presence(), OwnStatus::DoNotDisturb);
    assert_eq!(
        app.presence_of(&ME.into()),
        PresenceStatus::DoNotDisturb,
        "the pane shows it too"
    );
    // The popup opens on the current status; Esc leaves it.
    press(&mut app, KeyCode::Char('o'), Mods::ALT, t0);
    assert_eq!(app.popup, Some(Popup::Status { selected: 2 }));
    assert!(press(&mut app, KeyCode::Esc, Mods::NONE, t0).is_empty());
    assert_eq!(app.popup, None);
    run(
        &mut app,
        Msg::ApiFailed {
            op: ApiOp::SetPresence { previous: None },
            failure: ApiFailure {
                kind: FailureKind::Server,
                message: "no".into(),
            },
        },
        t0,
    );
    assert_eq!(app.my_presence(), OwnStatus::Online);
    assert!(app.notice.as_ref().is_some_and(|n| n.is_error));
}

#[test]
fn presence_for_strangers_is_bounded() {
    let t0 = Instant::now();
    let mut app = wide(t0);
    let list: Vec<(UserId, PresenceStatus)> = (0..presence::MAX_PRESENCE + 10)
        .map(|i| {
            (
                UserId::from(format!("u{i}").as_str()),
                PresenceStatus::Online,
            )
        })
        .collect();
    run(&mut app, Msg::Chat(ChatEvent::Presence(list)), t0);
    assert_eq!(app.presence.get(&"u5".into()), Some(PresenceStatus::Online));
    assert_eq!(
        app.presence
            .get(&format!("u{}", presence::MAX_PRESENCE + 5).as_str().into()),
        None
    );
}

#[test]
fn voice_participants_show_under_their_channel_and_follow_events() {
    use super::tests::{RANDOM, VOICE};
    let t0 = Instant::now();
    let mut app = wide(t0);
    // At start, from the channel list.
    run(
        &mut app,
        Msg::Chat(ChatEvent::VoiceParticipants {
            channel: VOICE.into(),
            users: vec!["alice001".into()],
        }),
        t0,
    );
    wire(
        &mut app,
        "TeamChannelVoiceParticipantAdded",
        &json!({"teamId": TEAM, "channelId": VOICE, "user": {"id": "bob00001"}}),
        t0,
    );
    let under = |app: &App| -> Vec<(String, String)> {
        app.sidebar_entries()
            .into_iter()
            .filter_map(|e| match e {
                SidebarEntry::Participant { channel, user } => {
                    Some((channel.as_str().to_owned(), user.as_str().to_owned()))
                }
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        under(&app),
        vec![
            (VOICE.to_owned(), "alice001".to_owned()),
            (VOICE.to_owned(), "bob00001".to_owned())
        ]
    );
    let entries = app.sidebar_entries();
    let voice_row = entries
        .iter()
        .position(|e| matches!(e, SidebarEntry::Channel(id) if id == VOICE))
        .unwrap();
    assert!(matches!(
        entries[voice_row + 1],
        SidebarEntry::Participant { .. }
    ));
    assert!(
        !entries[voice_row + 1].selectable(),
        "the cursor skips them"
    );
    // A move to another channel leaves the first; a leave empties it.
    wire(
        &mut app,
        "TeamChannelVoiceUserMoved",
        &json!({"channelId": RANDOM, "userId": "alice001"}),
        t0,
    );
    wire(
        &mut app,
        "TeamChannelVoiceParticipantRemoved",
        &json!({"channelId": VOICE, "userId": "bob00001"}),
        t0,
    );
    assert_eq!(
        under(&app),
        vec![(RANDOM.to_owned(), "alice001".to_owned())]
    );
    // Unknown channels are not kept.
    wire(
        &mut app,
        "TeamChannelStreamAdded",
        &json!({"channelId": "00000000-0000-4000-8000-00000000beef", "userId": "bob00001"}),
        t0,
    );
    assert!(
        app.presence
            .in_voice(&"00000000-0000-4000-8000-00000000beef".into())
            .is_empty()
    );
}
