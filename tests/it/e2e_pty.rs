//! End to end: the real `gilt` binary in a pseudo-terminal against the built-in server. It logs
//! in, shows the first channel, shows a message the server emits, sends typing notices while
//! typing, sends a message with Enter, switches channel with Ctrl-K, and quits with Ctrl-C
//! leaving the terminal as it was.

use std::time::{Duration, Instant};

use gilt::api::{ApiClient, MessageQuery};
use gilt::app::{self, App, InitialData, Msg, Settings, convert};
use gilt::gateway::{self, GatewayConfig, GatewayEvent};
use gilt::keymap::Keymap;
use gilt::protocol::ChannelId;
use gilt::protocol::events::GuildedEvent;
use gilt::server::{ServerConfig, ServerHandle};
use secrecy::SecretString;

use crate::support::pty::{PtyApp, is_cooked, xdg_env};
use crate::support::temp_dir;

const WAIT: Duration = Duration::from_secs(30);

pub(crate) async fn login(
    server: &ServerHandle,
    email: &str,
    password: &str,
) -> (ApiClient, gilt::protocol::models::Me) {
    let (session, me) = gilt::api::login(
        &server.api_url(),
        email,
        SecretString::from(password.to_owned()),
    )
    .await
    .unwrap();
    (ApiClient::new(&server.api_url(), session).unwrap(), me)
}

/// The channel the client opens first (no saved state): the reducer's own choice, fed the same
/// REST data the client loads.
pub(crate) async fn first_channel(api: &ApiClient, me: &gilt::protocol::models::Me) -> ChannelId {
    let mut data = InitialData {
        me: convert::user(&me.user),
        ..InitialData::default()
    };
    for team in &me.teams {
        let channels = api.team_channels(&team.id).await.unwrap();
        data.teams
            .push(convert::team_data(team, Some(&channels), &[]));
    }
    let mut model = App::new(Settings::default(), Keymap::default(), 0);
    app::update(&mut model, Msg::Loaded(data), Instant::now());
    model.current.clone().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_logs_in_chats_switches_channel_and_quits() {
    let server = gilt::server::start(ServerConfig::test()).await.unwrap();
    let world = server.world();
    let (email, password) = server.credentials();
    let (demo_api, demo_me) = login(&server, &email, &password).await;
    let first = first_channel(&demo_api, &demo_me).await;
    let team = world
        .teams
        .iter()
        .find(|t| t.channels.iter().any(|c| c.id == first.as_str()))
        .unwrap();
    let first_name = team
        .channels
        .iter()
        .find(|c| c.id == first.as_str())
        .unwrap()
        .name
        .clone();
    let other = team
        .channels
        .iter()
        .find(|c| c.id != first.as_str() && c.content_type == "chat")
        .unwrap()
        .clone();
    // Another member watches the gateway, as the people the user chats with would.
    let (peer_id, peer_name) = world
        .users
        .iter()
        .find(|(id, name)| {
            *id != world.demo_user_id
                && team.member_ids.contains(id)
                && server.credentials_of(name).is_some()
        })
        .unwrap()
        .clone();
    let (peer_email, peer_password) = server.credentials_of(&peer_name).unwrap();
    let (peer_api, _) = login(&server, &peer_email, &peer_password).await;
    let (peer_gateway, mut peer_events) = gateway::spawn(
        GatewayConfig::new(server.gateway_url(), vec![]),
        peer_api.clone(),
    )
    .unwrap();

    let dir = temp_dir("e2e");
    let mut env = xdg_env(&dir);
    env.push(("GILT_EMAIL".into(), email.clone()));
    env.push(("GILT_PASSWORD".into(), password.clone()));
    let api_url = server.api_url();
    let gateway_url = server.gateway_url();
    let mut term = PtyApp::spawn(
        &["--api-url", &api_url, "--gateway-url", &gateway_url],
        &env,
        30,
        110,
    );

    // Logged in, the first channel is open: a message the server emits shows up.
    term.wait_for_text(&first_name, WAIT).await;
    server
        .post_as(&peer_id, first.as_str(), "hello from the e2e peer", true)
        .unwrap();
    term.wait_for_text("hello from the e2e peer", WAIT).await;

    // Typing sends typing notices the peer receives.
    term.send(b"hi from the pty").await;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let ev = tokio::time::timeout_at(deadline, peer_events.recv())
            .await
            .expect("no typing notice reached the peer")
            .unwrap();
        if let GatewayEvent::Event {
            event: GuildedEvent::ChatChannelTyping(t),
            ..
        } = ev
            && t.user_id.as_str() == world.demo_user_id
        {
            assert_eq!(t.envelope.channel_id, first);
            break;
        }
    }

    // Enter sends: the server stores it and the screen shows it.
    term.send(b"\r").await;
    term.wait_for_text("hi from the pty", WAIT).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let page = peer_api
            .messages(
                &first,
                &MessageQuery {
                    limit: Some(10),
                    ..MessageQuery::default()
                },
            )
            .await
            .unwrap();
        if page
            .messages
            .iter()
            .any(|m| m.created_by.as_str() == world.demo_user_id)
        {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the message never reached the server: {:?}\nscreen:\n{}",
            page.messages
                .iter()
                .map(|m| (&m.created_by, m.content.plain_text()))
                .collect::<Vec<_>>(),
            term.contents()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Ctrl-K switches channel.
    server
        .post_as(&peer_id, &other.id, "over in the other channel", true)
        .unwrap();
    term.send(b"\x0b").await;
    term.send(other.name.as_bytes()).await;
    // Choose once the switcher shows the whole query (it ranks as each key arrives).
    term.wait_for_text(&format!("› {}", other.name), WAIT).await;
    term.send(b"\r").await;
    term.wait_for_text("over in the other channel", WAIT).await;

    // Ctrl-C quits and leaves the terminal as it was.
    term.send(b"\x03").await;
    let status = term.wait_exit(WAIT).await;
    assert!(status.success(), "exit status {status:?}");
    // The last bytes may still be on their way from the pty after the exit.
    let deadline = tokio::time::Instant::now() + WAIT;
    while term.with_screen(vt100::Screen::alternate_screen)
        && tokio::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    term.with_screen(|s| {
        assert!(!s.alternate_screen(), "still on the alternate screen");
        assert!(!s.hide_cursor(), "cursor left hidden");
    });
    assert!(is_cooked(&term.stty().await), "raw mode left on");
    peer_gateway.shutdown(Duration::from_secs(1)).await;
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
