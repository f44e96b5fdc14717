use std::time::Instant;

use crate::app::{App, InitialData, Msg, Settings, update};
use crate::keymap::Keymap;
use crate::protocol::models;
use crate::testkit::{event_fixture as event, synthesized as fixture};

#[test]
fn fixture_events_fold_into_a_fixture_world() {
    let t0 = Instant::now();
    let me: models::Me = serde_json::from_str(&fixture("me-response.json")).unwrap();
    let channels: models::TeamChannelsResponse =
        serde_json::from_str(&fixture("team-channels-response.json")).unwrap();
    let data = InitialData {
        // Someone else, so the fixture author's messages count as unread.
        me: crate::app::User {
            id: "viewer01".into(),
            name: "viewer".into(),
            ..crate::app::User::default()
        },
        teams: me
            .teams
            .iter()
            .map(|t| super::team_data(t, Some(&channels), &[]))
            .collect(),
        ..InitialData::default()
    };
    let mut app = App::new(Settings::default(), Keymap::default(), 1);
    let general = "d2242862-401c-42f8-9ce2-0c75977475a6";
    let voice = "8f2a3b4c-5d6e-4f70-8192-a3b4c5d6e7f8";
    let mut fresh = app.clone();
    update(&mut fresh, Msg::Loaded(data.clone()), t0);
    // Uncategorised channels come first, but start-up lands in a text channel, not the
    // voice channel's chat.
    let team = &fresh.teams[0];
    assert_eq!(team.channel_ids().next(), Some(&voice.into()));
    assert_eq!(fresh.current, Some(general.into()));
    let state = crate::app::PersistedState {
        last_channel: Some(general.into()),
        ..crate::app::PersistedState::default()
    };
    update(&mut app, Msg::RestoreState(state), t0);
    update(&mut app, Msg::Loaded(data), t0);
    assert_eq!(app.current, Some(general.into()));
    update(
        &mut app,
        Msg::History {
            channel: general.into(),
            messages: vec![],
            has_past: false,
            older: false,
        },
        t0,
    );
    update(
        &mut app,
        Msg::Gateway(event("ChatChannelTyping", "chat-channel-typing.json")),
        t0,
    );
    update(
        &mut app,
        Msg::Gateway(event("ChatMessageCreated", "chat-message-created.json")),
        t0,
    );
    let id = "6a1f2d3c-4b5e-4f60-8a71-92b3c4d5e6f7";
    assert!(app.timeline().unwrap().get(&id.into()).is_some());
    // The same event again (e.g. from a backfill) is not shown twice.
    update(
        &mut app,
        Msg::Gateway(event("ChatMessageCreated", "chat-message-created.json")),
        t0,
    );
    assert_eq!(app.timeline().unwrap().len(), 1);
    update(
        &mut app,
        Msg::Gateway(event("ChatMessageDeleted", "chat-message-deleted.json")),
        t0,
    );
    assert!(app.timeline().unwrap().is_empty());
}
