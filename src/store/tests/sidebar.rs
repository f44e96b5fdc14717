//! The sidebar snapshot, drafts and the last channel, read markers, the outbox.

use std::collections::BTreeMap;
use std::time::Instant;

use super::*;
use crate::app::model::ChannelKind;
use crate::app::{App, Msg, PersistedState, Settings, update};
use crate::keymap::Keymap;
use crate::store::{OutboxEntry, OutboxState, ReadMarker};
use crate::testkit::world::ts;

/// An app that was given `data` as its start-up load.
fn loaded_app(data: InitialData) -> App {
    let mut app = App::new(Settings::default(), Keymap::default(), 1);
    let _ = update(&mut app, Msg::Loaded(data), Instant::now());
    app
}

#[test]
fn the_snapshot_gives_the_app_the_same_sidebar_as_the_network_did() {
    let dir = TempDir::new("snapshot");
    let store = open(&dir);
    let h = store.handle();
    let data = world_data();
    write_all(&h, [Write::Loaded(Box::new(data.clone()))]);
    let snapshot = h.query(|q| q.snapshot()).wait().unwrap().unwrap();

    let from_network = loaded_app(data);
    let from_store = loaded_app(snapshot.data);
    assert_eq!(from_store.sidebar_entries(), from_network.sidebar_entries());
    assert_eq!(from_store.teams, from_network.teams);
    assert_eq!(from_store.me, from_network.me);
    assert_eq!(from_store.dms, from_network.dms);
    let plain = |app: &App| -> BTreeMap<String, Channel> {
        app.channels
            .iter()
            .map(|(id, c)| (id.to_string(), plain_channel(c)))
            .collect()
    };
    assert_eq!(plain(&from_store), plain(&from_network));
    for (id, user) in &from_network.users {
        assert_eq!(from_store.users.get(id), Some(user), "user {id}");
    }
}

#[test]
fn an_empty_store_has_no_snapshot() {
    let dir = TempDir::new("empty");
    let store = open(&dir);
    assert!(
        store
            .handle()
            .query(|q| q.snapshot())
            .wait()
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_new_load_forgets_teams_left_and_channels_deleted() {
    let dir = TempDir::new("reload");
    let store = open(&dir);
    let h = store.handle();
    let mut data = world_data();
    write_all(&h, [Write::Loaded(Box::new(data.clone()))]);
    // Left the second team; #dev was deleted; the first team's members arrive later.
    data.teams.truncate(1);
    data.teams[0].channels.retain(|c| c.id != world::DEV);
    write_all(&h, [Write::Loaded(Box::new(data))]);
    let snapshot = h.query(|q| q.snapshot()).wait().unwrap().unwrap();
    assert_eq!(snapshot.data.teams.len(), 1);
    let names: Vec<&str> = snapshot.data.teams[0]
        .channels
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert!(!names.contains(&"dev"), "{names:?}");
    assert_eq!(names.len(), 3);
}

#[test]
fn a_team_whose_channels_did_not_load_keeps_the_stored_ones() {
    let dir = TempDir::new("team-failed");
    let store = open(&dir);
    let h = store.handle();
    write_all(&h, [Write::Loaded(Box::new(world_data()))]);
    write_all(
        &h,
        [Write::Team(TeamData {
            id: TEAM2.into(),
            name: "Rustaceans (renamed)".into(),
            channels_loaded: false,
            ..TeamData::default()
        })],
    );
    let snapshot = h.query(|q| q.snapshot()).wait().unwrap().unwrap();
    let team = &snapshot.data.teams[1];
    assert_eq!(team.name, "Rustaceans (renamed)");
    assert_eq!(team.channels.len(), 1);
    assert!(team.channels_loaded, "what was loaded once stays loaded");
}

#[test]
fn channel_events_members_and_removals() {
    let dir = TempDir::new("events");
    let store = open(&dir);
    let h = store.handle();
    write_all(&h, [Write::Loaded(Box::new(world_data()))]);
    let mut renamed = channel(world::DEV, "dev-talk", Some(1), 1, "chat");
    renamed.last_activity = Some(ts("2026-01-01T00:00:00Z"));
    let mut unknown_team = channel("c-x", "x", None, 0, "chat");
    unknown_team.kind = ChannelKind::Team {
        team_id: "no-such-team".into(),
        category_id: None,
        priority: 0,
    };
    write_all(
        &h,
        [
            Write::Channel(renamed),
            Write::Channel(unknown_team),
            Write::Member {
                team: world::TEAM.into(),
                user: user("dave0001", "dave", Some("D")),
            },
            Write::RemoveChannel(world::LOUNGE.into()),
            Write::RemoveTeam(TEAM2.into()),
            // A message makes the channel's last activity move forward, an older one not back.
            Write::Messages(vec![msg(
                "m1",
                world::DEV,
                "alice001",
                "2026-02-01T00:00:00Z",
                "hi",
            )]),
            Write::Channel(channel(world::DEV, "dev-talk", Some(1), 1, "chat")),
        ],
    );
    let snapshot = h.query(|q| q.snapshot()).wait().unwrap().unwrap();
    assert_eq!(snapshot.data.teams.len(), 1);
    let team = &snapshot.data.teams[0];
    let dev = team.channels.iter().find(|c| c.id == world::DEV).unwrap();
    assert_eq!(dev.name, "dev-talk");
    assert_eq!(dev.last_activity, Some(ts("2026-02-01T00:00:00Z")));
    assert!(team.channels.iter().all(|c| c.id != world::LOUNGE));
    let dave = team.members.iter().find(|u| u.id == "dave0001").unwrap();
    assert_eq!(dave.nickname.as_deref(), Some("D"));
    assert!(
        team.channels.iter().all(|c| c.id != "c-x"),
        "a channel of an unknown team is not stored"
    );
}

#[test]
fn drafts_and_the_last_channel() {
    let dir = TempDir::new("drafts");
    let store = open(&dir);
    let h = store.handle();
    write_all(
        &h,
        [
            Write::Draft {
                channel: "c1".into(),
                text: "half a thought".into(),
            },
            Write::Draft {
                channel: "c2".into(),
                text: "gone soon".into(),
            },
            Write::Draft {
                channel: "c2".into(),
                text: String::new(),
            },
        ],
    );
    let drafts = h.query(|q| q.drafts()).wait().unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts.get("c1").map(String::as_str), Some("half a thought"));

    let state = PersistedState {
        last_channel: Some("c3".into()),
        drafts: [("c3".into(), "line one\nline two".to_owned())].into(),
        ..PersistedState::default()
    };
    write_all(&h, [Write::SaveState(state.clone())]);
    assert_eq!(h.query(|q| q.persisted_state()).wait().unwrap(), state);
}

/// Everything `state.json` held survives a restart in the store: read markers (forward
/// only), recent reactions and muted channels as well as the drafts and the last channel.
#[test]
fn the_whole_saved_state_survives_a_restart() {
    let dir = TempDir::new("state");
    let state = PersistedState {
        last_channel: Some("c1".into()),
        drafts: [("c2".into(), "unsent".to_owned())].into(),
        read_markers: [
            ("c1".into(), ts("2024-05-01T10:00:00Z")),
            ("c2".into(), ts("2024-05-02T10:00:00Z")),
        ]
        .into(),
        recent_reactions: vec![(90_001_815, "tada".into()), (7, "gilt".into())],
        muted: ["c3".into()].into(),
    };
    {
        let store = open(&dir);
        write_all(&store.handle(), [Write::SaveState(state.clone())]);
        store.close();
    }
    let store = open(&dir);
    let h = store.handle();
    assert_eq!(h.query(|q| q.persisted_state()).wait().unwrap(), state);
    // An older marker does not move a channel back; a newer one moves it.
    let mut older = state.clone();
    older.read_markers = [
        ("c1".into(), ts("2024-04-01T00:00:00Z")),
        ("c2".into(), ts("2024-06-01T00:00:00Z")),
    ]
    .into();
    write_all(&h, [Write::SaveState(older)]);
    let markers = h
        .query(|q| q.persisted_state())
        .wait()
        .unwrap()
        .read_markers;
    assert_eq!(markers["c1"], ts("2024-05-01T10:00:00Z"));
    assert_eq!(markers["c2"], ts("2024-06-01T00:00:00Z"));
}

/// A `state.json` is merged into the store once: again only when it changed.
#[test]
fn a_state_file_is_merged_once_and_again_only_when_it_changes() {
    let dir = TempDir::new("import");
    let store = open(&dir);
    let h = store.handle();
    write_all(
        &h,
        [Write::SaveState(PersistedState {
            drafts: [("c1".into(), "stored draft".to_owned())].into(),
            read_markers: [("c1".into(), ts("2024-05-01T00:00:00Z"))].into(),
            ..PersistedState::default()
        })],
    );
    let file = PersistedState {
        last_channel: Some("c2".into()),
        drafts: [("c2".into(), "from the file".to_owned())].into(),
        read_markers: [
            ("c1".into(), ts("2024-01-01T00:00:00Z")),
            ("c2".into(), ts("2024-05-02T00:00:00Z")),
        ]
        .into(),
        recent_reactions: vec![(1, "one".into())],
        muted: ["c9".into()].into(),
    };
    let restored = h.restore_state(file.clone()).wait().unwrap();
    assert_eq!(restored.last_channel, Some("c2".into()));
    assert_eq!(restored.drafts.len(), 2, "{:?}", restored.drafts);
    assert_eq!(restored.drafts["c2"], "from the file");
    assert_eq!(
        restored.read_markers["c1"],
        ts("2024-05-01T00:00:00Z"),
        "the file's older marker does not move the stored one back"
    );
    assert_eq!(restored.read_markers["c2"], ts("2024-05-02T00:00:00Z"));
    assert_eq!(restored.recent_reactions, file.recent_reactions);
    assert_eq!(restored.muted, file.muted);

    // The user works on: the draft is sent, another channel opened. The same file at the
    // next start changes nothing.
    let mut now = restored.clone();
    now.drafts.remove("c2");
    now.last_channel = Some("c1".into());
    write_all(&h, [Write::SaveState(now.clone())]);
    assert_eq!(h.restore_state(file.clone()).wait().unwrap(), now);

    // A file that changed since (a run with --no-store) is merged.
    let mut changed = file;
    changed.drafts = [("c3".into(), "written without the store".to_owned())].into();
    let restored = h.restore_state(changed).wait().unwrap();
    assert_eq!(restored.drafts["c3"], "written without the store");
    assert_eq!(restored.drafts["c1"], "stored draft");
    // An empty file (none at all) changes nothing.
    let before = h.query(|q| q.persisted_state()).wait().unwrap();
    assert_eq!(
        h.restore_state(PersistedState::default()).wait().unwrap(),
        before
    );
}

#[test]
fn read_markers_only_move_forward() {
    let dir = TempDir::new("markers");
    let store = open(&dir);
    let h = store.handle();
    let marker = |message: &str, at: &str| ReadMarker {
        channel: "c1".into(),
        message: Some(message.into()),
        at: ts(at),
    };
    write_all(
        &h,
        [
            Write::ReadMarker(marker("m2", "2024-05-01T10:00:00Z")),
            Write::ReadMarker(marker("m1", "2024-05-01T09:00:00Z")),
            Write::ReadMarker(ReadMarker {
                channel: "c2".into(),
                message: None,
                at: ts("2024-05-01T08:00:00Z"),
            }),
        ],
    );
    let markers = h.query(|q| q.read_markers()).wait().unwrap();
    assert_eq!(
        markers,
        [
            marker("m2", "2024-05-01T10:00:00Z"),
            ReadMarker {
                channel: "c2".into(),
                message: None,
                at: ts("2024-05-01T08:00:00Z"),
            }
        ]
    );
}

#[test]
fn the_outbox_keeps_order_and_state() {
    let dir = TempDir::new("outbox");
    let store = open(&dir);
    let h = store.handle();
    let entry = |id: &str, text: &str| OutboxEntry {
        message_id: id.into(),
        channel: "c1".into(),
        content: plain(text),
        replies_to: vec!["m0".into()],
        created_at: ts("2024-05-01T10:00:00Z"),
        attempts: 0,
        state: OutboxState::Queued,
    };
    write_all(
        &h,
        [
            Write::OutboxPut(entry("o2", "written first")),
            Write::OutboxPut(entry("o1", "written second")),
            Write::OutboxPut(entry("o3", "written third")),
            Write::OutboxAttempt("o2".into()),
            Write::OutboxAttempt("o2".into()),
            Write::OutboxSent("o2".into()),
            Write::OutboxAttempt("o1".into()),
            Write::OutboxFailed {
                message_id: "o1".into(),
                error: "too long".into(),
            },
            Write::OutboxRemove("o3".into()),
        ],
    );
    let outbox = h.query(|q| q.outbox()).wait().unwrap();
    let summary: Vec<(String, u32, OutboxState)> = outbox
        .iter()
        .map(|e| (e.message_id.to_string(), e.attempts, e.state.clone()))
        .collect();
    assert_eq!(
        summary,
        [
            ("o2".to_owned(), 2, OutboxState::Sent),
            ("o1".to_owned(), 1, OutboxState::Failed("too long".into())),
        ]
    );
    assert_eq!(outbox[0].content, plain("written first"));
    assert_eq!(outbox[0].replies_to, ["m0"]);
    // A retry queues it again.
    write_all(&h, [Write::OutboxAttempt("o1".into())]);
    let outbox = h.query(|q| q.outbox()).wait().unwrap();
    assert_eq!(
        (outbox[1].attempts, &outbox[1].state),
        (2, &OutboxState::Queued)
    );
}

#[test]
fn the_outbox_survives_a_restart() {
    let dir = TempDir::new("outbox-restart");
    {
        let store = open(&dir);
        store.handle().write(Write::OutboxPut(OutboxEntry {
            message_id: "o1".into(),
            channel: "c1".into(),
            content: plain("typed offline"),
            replies_to: Vec::new(),
            created_at: ts("2024-05-01T10:00:00Z"),
            attempts: 0,
            state: OutboxState::Queued,
        }));
        // No flush: closing commits what is queued.
    }
    let store = open(&dir);
    let outbox = store.handle().query(|q| q.outbox()).wait().unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].content, plain("typed offline"));
}
