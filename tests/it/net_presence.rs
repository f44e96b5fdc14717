//! Presence over the wire: the real gateway worker pings `PUT /users/me/ping` at each main
//! heartbeat (an offline user comes online for the others), and a status chosen in one
//! client (`Alt-o`, the effect run against the server's REST) reaches another client's
//! reducer as `USER_PRESENCE_MANUALLY_SET`.

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
        let (gateway, mut events) =
            gateway::spawn(gateway_config(server, Vec::new()), api.clone()).unwrap();
        wait_connected(&mut events, &[SocketKind::Main]).await;
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
