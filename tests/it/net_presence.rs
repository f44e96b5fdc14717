//! Presence and activity over the wire: the real gateway worker pings `PUT /users/me/ping`
//! at each main heartbeat (an offline user comes online for the others), a status chosen in
//! one client (`Alt-o`, the effect run against the server's REST) reaches another client's
//! reducer as `USER_PRESENCE_MANUALLY_SET`, and a forum post reaches the forum's activity
//! view through the team socket.

use std::time::Instant;

use gilt::api::ApiClient;
use gilt::app::key::{Key, KeyCode, Mods};
use gilt::app::presence::{OwnStatus, PresenceStatus};
use gilt::app::{App, Effect, InitialData, Msg, Settings, convert, update};
use gilt::gateway::{self, GatewayEvent, GatewayHandle, SocketKind};
use gilt::keymap::Keymap;
use gilt::protocol::models::Me;
use gilt::server::ServerHandle;
use tokio::sync::mpsc::Receiver;

use crate::support::net::{WAIT, eventually, gateway_config, login_as, server, wait_connected};

/// A logged-in client: its model, REST, and its main gateway socket.
struct Client {
    app: App,
    api: ApiClient,
    events: Receiver<GatewayEvent>,
    _gateway: GatewayHandle,
}

impl Client {
    async fn start(server: &ServerHandle, name: &str) -> Client {
        let (email, password) = server.credentials_of(name).unwrap();
        let (api, me): (ApiClient, Me) = login_as(server, &email, &password).await;
        let teams: Vec<_> = me.teams.iter().map(|t| t.id.clone()).collect();
        let (gateway, mut events) =
            gateway::spawn(gateway_config(server, teams.clone()), api.clone()).unwrap();
        let mut sockets = vec![SocketKind::Main];
        sockets.extend(teams.into_iter().map(SocketKind::Team));
        wait_connected(&mut events, &sockets).await;
        let mut app = App::new(Settings::default(), Keymap::default(), 1);
        let mut data = InitialData {
            me: convert::user(&me.user),
            ..InitialData::default()
        };
        let mut details = Vec::new();
        for team in &me.teams {
            let channels = api.team_channels(&team.id).await.unwrap();
            let members = api.team_members(&team.id).await.unwrap();
            data.teams
                .push(convert::team_data(team, Some(&channels), &members));
            details.extend(convert::member_details(team, &members));
        }
        update(&mut app, Msg::Loaded(data), Instant::now());
        for event in details {
            update(&mut app, Msg::Chat(event), Instant::now());
        }
        Client {
            app,
            api,
            events,
            _gateway: gateway,
        }
    }

    /// Fold a message; run the presence effect against the server as the runtime does.
    async fn send(&mut self, msg: Msg) {
        for effect in update(&mut self.app, msg, Instant::now()) {
            if let Effect::SetPresence { status, .. } = effect {
                self.api.set_presence(status.code()).await.unwrap();
            }
        }
    }

    async fn press(&mut self, code: KeyCode, mods: Mods) {
        self.send(Msg::Key(Key::new(code, mods))).await;
    }

    /// Fold gateway events until `done` holds.
    async fn until(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        let give_up = tokio::time::Instant::now() + WAIT;
        while !done(&self.app) {
            match tokio::time::timeout_at(give_up, self.events.recv()).await {
                Ok(Some(GatewayEvent::Event { event, .. })) => {
                    self.send(Msg::Gateway(event)).await;
                }
                Ok(Some(_)) => {}
                Ok(None) => panic!("the gateway stopped while waiting for {what}"),
                Err(elapsed) => panic!("timed out waiting for {what}: {elapsed}"),
            }
        }
    }
}

#[tokio::test]
async fn the_main_socket_pings_so_an_offline_user_comes_online_for_the_others() {
    let server = server().await;
    let w = server.world();
    let emre = w.user_id("emre").unwrap().to_owned();
    assert_eq!(server.presence_of(&emre), Some(4), "offline in the world");
    let mut demo = Client::start(&server, "demo").await;
    assert_eq!(
        demo.app.presence_of(&emre.as_str().into()),
        PresenceStatus::Offline
    );
    // emre's client only connects; its heartbeats do the rest.
    let _emre = Client::start(&server, "emre").await;
    eventually("the server to see emre online", || {
        server.presence_of(&emre) == Some(1)
    })
    .await;
    demo.until("emre online in the demo user's member list", |app| {
        app.presence_of(&emre.as_str().into()) == PresenceStatus::Online
    })
    .await;
}

#[tokio::test]
async fn a_status_chosen_in_one_client_shows_in_another() {
    let server = server().await;
    let w = server.world();
    let ada_id = w.user_id("ada").unwrap().to_owned();
    let mut ada = Client::start(&server, "ada").await;
    let mut demo = Client::start(&server, "demo").await;
    // Alt-o, down twice, Enter: do not disturb.
    ada.press(KeyCode::Char('o'), Mods::ALT).await;
    ada.press(KeyCode::Down, Mods::NONE).await;
    ada.press(KeyCode::Down, Mods::NONE).await;
    ada.press(KeyCode::Enter, Mods::NONE).await;
    assert_eq!(ada.app.my_presence(), OwnStatus::DoNotDisturb);
    assert_eq!(server.presence_of(&ada_id), Some(3));
    demo.until("ada in do not disturb", |app| {
        app.presence_of(&ada_id.as_str().into()) == PresenceStatus::DoNotDisturb
    })
    .await;
    // Her own heartbeats keep pinging; the chosen status stays.
    ada.until("ada's own event", |app| {
        app.presence.get(&app.me.id) == Some(PresenceStatus::DoNotDisturb)
    })
    .await;
    assert_eq!(server.presence_of(&ada_id), Some(3));
}

#[tokio::test]
async fn a_forum_post_shows_in_the_forum_activity_view() {
    let server = server().await;
    let w = server.world();
    let ideas = w.channel("ideas").unwrap().id.clone();
    let ada = w.user_id("ada").unwrap().to_owned();
    let mut demo = Client::start(&server, "demo").await;
    server
        .post_content(&ada, &ideas, "Dark mode?", false)
        .unwrap();
    let forum = gilt::app::ChannelId::from(ideas.as_str());
    demo.until("the post in the forum's activity", |app| {
        app.activity.len_of(&forum) == 1
    })
    .await;
    let line = demo.app.activity.of(&forum).next().unwrap().clone();
    assert_eq!(line.title.as_deref(), Some("Dark mode?"));
    assert_eq!(
        line.actor.as_ref().map(gilt::app::UserId::as_str),
        Some(ada.as_str())
    );
    assert_eq!(line.kind, gilt::app::activity::ActivityKind::Created);
}

#[tokio::test]
async fn voice_participants_show_under_the_channel_at_start_and_live() {
    let server = server().await;
    let w = server.world();
    let lounge = w.channel("Lounge").unwrap().id.clone();
    let ada = w.user_id("ada").unwrap().to_owned();
    let bjorn = w.user_id("bjorn").unwrap().to_owned();
    server.set_voice(&ada, Some(&lounge)).unwrap();
    let mut demo = Client::start(&server, "demo").await;
    // The channel list said so (the start-up load folds `voiceParticipants`).
    let channels = demo
        .api
        .team_channels(&w.teams[0].id.as_str().into())
        .await
        .unwrap();
    for event in convert::team_voice(&channels) {
        demo.send(Msg::Chat(event)).await;
    }
    let room = gilt::app::ChannelId::from(lounge.as_str());
    let names = |app: &App| -> Vec<String> {
        app.presence
            .in_voice(&room)
            .iter()
            .map(|u| u.as_str().to_owned())
            .collect()
    };
    assert_eq!(names(&demo.app), std::slice::from_ref(&ada));
    server.set_voice(&bjorn, Some(&lounge)).unwrap();
    server.set_voice(&ada, None).unwrap();
    demo.until("bjorn in, ada out", |app| names(app) == [bjorn.clone()])
        .await;
}
