//! A storm of odd events (issue 10 §6): every event name the protocol crate knows, with
//! empty objects, ids of the wrong type, unknown ids and 50 KB strings, sent by the built-in
//! server's gateway to the real gateway worker, folded by the real reducer. The client stays
//! up, its links stay up, and no team, team channel or team socket appears that REST did not
//! confirm.

use std::collections::BTreeSet;
use std::time::Instant;

use gilt::app::{self, App, Effect, InitialData, LinkGroup, LinkStatus, Msg, Settings, convert};
use gilt::gateway::{self, GatewayEvent, SocketKind, SocketState};
use gilt::protocol::events::EventKind;
use gilt::protocol::{ChannelId, TeamId};

use gilt::server::{ServerConfig, ServerHandle};

use crate::support::net::{WAIT, gateway_config, login, wait_connected};

/// The built-in server with a heartbeat timeout long enough that a loaded machine decoding
/// megabytes of storm in a debug build (the whole suite running beside it) does not miss a
/// ping: the link staying up is what is tested, not its timing.
async fn server() -> ServerHandle {
    let config = ServerConfig {
        ping_interval: std::time::Duration::from_secs(1),
        ping_timeout: std::time::Duration::from_secs(20),
        ..ServerConfig::test()
    };
    gilt::server::start(config).await.unwrap()
}

/// The odd payloads sent under every event name.
fn odd_payloads(name: &str) -> Vec<String> {
    let big = "x".repeat(50 * 1024);
    vec![
        "{}".to_owned(),
        // Ids of the wrong type (the phantom-team reproduction is the first one).
        format!(
            r#"{{"type":"{name}","teamId":7,"channelId":7,"userId":7,"isRemoved":false,
                "message":{{"id":7,"channelId":7,"createdBy":7}},"channel":{{"id":7,"teamId":7}},
                "user":{{"id":7}},"messageIds":[7],"channelIds":[7]}}"#
        ),
        // Ids nobody knows.
        format!(
            r#"{{"type":"{name}","teamId":"nosuchteam","channelId":"nosuch-channel",
                "userId":"nosuchuser","message":{{"id":"nosuch-message","channelId":"nosuch-channel",
                "createdBy":"nosuchuser","createdAt":"2030-01-01T00:00:00.000Z"}},
                "channel":{{"id":"nosuch-channel-2","teamId":"nosuchteam","name":"phantom",
                "contentType":"chat"}},"user":{{"id":"nosuchuser","name":"ghost"}}}}"#
        ),
        // 50 KB strings everywhere.
        format!(
            r#"{{"type":"{name}","teamId":"{big}","channelId":"{big}","userId":"{big}",
                "name":"{big}","message":{{"id":"{big}","channelId":"{big}","content":"{big}"}},
                "channel":{{"id":"{big}","teamId":"{big}","name":"{big}"}}}}"#
        ),
    ]
}

fn link_status(state: &SocketState) -> LinkStatus {
    match state {
        SocketState::Connecting => LinkStatus::Connecting,
        SocketState::Connected => LinkStatus::Connected,
        SocketState::Reconnecting { .. } => LinkStatus::Reconnecting { at: Instant::now() },
        SocketState::Offline => LinkStatus::Offline,
    }
}

#[tokio::test]
async fn a_storm_of_odd_events_leaves_the_client_up_with_no_phantom_state() {
    let server = server().await;
    let (api, me) = login(&server).await;
    let client_id = api.session().client_id().unwrap();

    // The model as REST confirms it.
    let mut data = InitialData {
        me: convert::user(&me.user),
        ..InitialData::default()
    };
    for team in &me.teams {
        let channels = api.team_channels(&team.id).await.unwrap();
        let members = api.team_members(&team.id).await.unwrap();
        data.teams
            .push(convert::team_data(team, Some(&channels), &members));
    }
    let t0 = Instant::now();
    let mut app = App::new(Settings::default(), gilt::keymap::Keymap::default(), 1);
    app::update(&mut app, Msg::Loaded(data), t0);
    let confirmed_teams: BTreeSet<TeamId> = me.teams.iter().map(|t| t.id.clone()).collect();
    let team_channels = |app: &App| -> BTreeSet<ChannelId> {
        app.channels
            .values()
            .filter(|c| c.team_id().is_some())
            .map(|c| c.id.clone())
            .collect()
    };
    let confirmed_channels = team_channels(&app);

    let team_ids: Vec<TeamId> = confirmed_teams.iter().cloned().collect();
    let (handle, mut events) =
        gateway::spawn(gateway_config(&server, team_ids.clone()), api.clone()).unwrap();
    let mut sockets = vec![SocketKind::Main];
    sockets.extend(team_ids.iter().cloned().map(SocketKind::Team));
    wait_connected(&mut events, &sockets).await;
    let ours: Vec<String> = server
        .sockets()
        .into_iter()
        .filter(|s| s.client_id == client_id)
        .map(|s| s.sid)
        .collect();
    assert_eq!(ours.len(), sockets.len());

    // The storm, on every socket, while the events are consumed as the runtime would (the
    // gateway applies backpressure to a runtime that stops reading).
    let faults = server.faults();
    let general = server.world().channel("general").unwrap().id.clone();
    let ada = server.world().user_id("ada").unwrap().to_owned();
    let storm = tokio::task::spawn_blocking(move || {
        let mut sent = 0;
        for kind in EventKind::ALL {
            let name = kind.wire_name();
            for payload in odd_payloads(name) {
                let payload = payload.replace('\n', "");
                for sid in &ours {
                    assert!(faults.send_raw(sid, &format!("42[\"{name}\",{payload}]")));
                    sent += 1;
                }
            }
        }
        sent
    });
    let mut sentinel: Option<String> = None;
    let mut storm = Some(storm);
    let deadline = tokio::time::Instant::now() + WAIT * 2;
    let mut effects: Vec<Effect> = Vec::new();
    loop {
        let event = tokio::select! {
            sent = async { storm.as_mut().unwrap().await }, if storm.is_some() => {
                storm = None;
                let sent = sent.unwrap();
                assert!(sent > 1000, "{sent} frames");
                // Then a real message: when it has come through, the storm has too.
                sentinel = Some(server.post_as(&ada, &general, "after the storm", true).unwrap());
                continue;
            }
            event = tokio::time::timeout_at(deadline, events.recv()) => event
                .expect("the sentinel message arrives in time")
                .expect("the gateway is still running"),
        };
        let msg = match event {
            GatewayEvent::Link { socket, state } => {
                assert_eq!(
                    state,
                    SocketState::Connected,
                    "{socket} left connected during the storm"
                );
                let group = match socket {
                    SocketKind::Main => LinkGroup::Main,
                    SocketKind::Team(id) => LinkGroup::Team(id),
                };
                Msg::Link {
                    group,
                    state: link_status(&state),
                }
            }
            GatewayEvent::Event { event, .. } => {
                let done = matches!(event.kind(), Some(EventKind::ChatMessageCreated))
                    && sentinel.as_deref().is_some_and(|id| event_is(&event, id));
                app::update(&mut app, Msg::Gateway(event), Instant::now());
                if done {
                    break;
                }
                continue;
            }
            other => panic!("unexpected gateway output: {other:?}"),
        };
        effects.extend(app::update(&mut app, msg, Instant::now()));
    }
    // The reducer's effects, run as the runtime would (a team load goes to REST first).
    for effect in &effects {
        match effect {
            Effect::OpenTeamSocket { team } => {
                assert!(confirmed_teams.contains(team), "socket for {team}");
            }
            Effect::LoadTeam { team } => {
                assert!(api.team(team).await.is_err(), "{team} is no team of ours");
            }
            _ => {}
        }
    }

    // No phantom state: teams, team channels and sockets are what REST confirmed, and every
    // link is up.
    let teams: BTreeSet<TeamId> = app.teams.iter().map(|t| t.id.clone()).collect();
    assert_eq!(teams, confirmed_teams);
    assert!(
        team_channels(&app).is_subset(&confirmed_channels),
        "{:?}",
        team_channels(&app).difference(&confirmed_channels)
    );
    assert!(
        app.links.keys().all(|g| match g {
            LinkGroup::Main => true,
            LinkGroup::Team(t) => confirmed_teams.contains(t),
        }),
        "{:?}",
        app.links
    );
    let after: Vec<_> = server
        .sockets()
        .into_iter()
        .filter(|s| s.client_id == client_id)
        .collect();
    assert_eq!(after.len(), sockets.len(), "every link still up");
    assert!(after.iter().all(|s| {
        s.team_id
            .as_deref()
            .is_none_or(|t| confirmed_teams.contains(t))
    }));
    assert!(
        app.timeline().is_none_or(|tl| tl.len() < 10_000),
        "nothing grew without bound"
    );
    handle.shutdown(WAIT).await;
}

/// Whether a decoded `ChatMessageCreated` carries this message id.
fn event_is(event: &gilt::protocol::events::GuildedEvent, id: &str) -> bool {
    match event {
        gilt::protocol::events::GuildedEvent::ChatMessageCreated(e) => e.message.id == id,
        _ => false,
    }
}
