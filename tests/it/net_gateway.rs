//! The gateway worker against the built-in server on loopback (150 ms ping interval, 150 ms
//! ping timeout): one main + one socket per team with the exact query, heartbeats keeping the
//! link up, reconnects after a dropped TCP connection, stalled pings and a server restart,
//! nothing lost (backfill) and nothing doubled, bad frames survived, an invalid session.

use std::collections::HashSet;
use std::time::Duration;

use gilt::api::MessageQuery;
use gilt::gateway::{self, GatewayEvent, SocketKind, SocketState};
use gilt::protocol::events::GuildedEvent;
use gilt::protocol::{ChannelId, MessageId, TeamId};
use gilt::server::ServerHandle;

use crate::support::net::{
    WAIT, connected, eventually, gateway_config, is_link, login, next_matching, reconnecting,
    server, wait_all, wait_connected,
};

fn team_sockets(me: &gilt::protocol::models::Me) -> Vec<SocketKind> {
    me.teams
        .iter()
        .map(|t| SocketKind::Team(t.id.clone()))
        .collect()
}

fn all_sockets(me: &gilt::protocol::models::Me) -> Vec<SocketKind> {
    let mut all = vec![SocketKind::Main];
    all.extend(team_sockets(me));
    all
}

fn team_ids(me: &gilt::protocol::models::Me) -> Vec<TeamId> {
    me.teams.iter().map(|t| t.id.clone()).collect()
}

#[tokio::test]
async fn one_main_socket_and_one_per_team_with_the_guilded_query() {
    let server = server().await;
    let (api, me) = login(&server).await;
    assert!(me.teams.len() >= 2, "the demo world has several teams");
    let client_id = api.session().client_id().unwrap();
    let (handle, mut events) = gateway::spawn(gateway_config(&server, team_ids(&me)), api).unwrap();
    wait_connected(&mut events, &all_sockets(&me)).await;

    let sockets = server.sockets();
    let ours: Vec<_> = sockets
        .iter()
        .filter(|s| s.client_id == client_id)
        .collect();
    assert_eq!(ours.len(), 1 + me.teams.len());
    let main: Vec<_> = ours.iter().filter(|s| s.team_id.is_none()).collect();
    assert_eq!(main.len(), 1);
    let base = vec![
        ("jwt".to_owned(), "undefined".to_owned()),
        ("EIO".to_owned(), "3".to_owned()),
        ("transport".to_owned(), "websocket".to_owned()),
        ("guildedClientId".to_owned(), client_id.clone()),
    ];
    assert_eq!(main[0].query, base);
    for team in &me.teams {
        let socket: Vec<_> = ours
            .iter()
            .filter(|s| s.team_id.as_deref() == Some(team.id.as_str()))
            .collect();
        assert_eq!(socket.len(), 1, "one socket for team {}", team.id);
        let mut query = base.clone();
        query.push(("teamId".to_owned(), team.id.to_string()));
        assert_eq!(socket[0].query, query);
    }

    // Leaving every team closes their sockets; rejoining opens them again.
    handle.set_teams(Vec::new());
    wait_all(
        &mut events,
        &team_sockets(&me),
        "team sockets offline",
        |s| *s == SocketState::Offline,
    )
    .await;
    eventually("only the main socket left", || {
        server
            .sockets()
            .iter()
            .filter(|s| s.client_id == client_id)
            .count()
            == 1
    })
    .await;
    handle.set_teams(team_ids(&me));
    wait_connected(&mut events, &team_sockets(&me)).await;
    handle.shutdown(WAIT).await;
    eventually("all sockets closed", || {
        server.sockets().iter().all(|s| s.client_id != client_id)
    })
    .await;
}

// On virtual time: a loaded machine cannot make a ping late and the socket drop.
#[tokio::test(start_paused = true)]
async fn heartbeats_keep_the_link_up_and_stalled_pongs_bring_a_reconnect() {
    let server = server().await;
    let (api, me) = login(&server).await;
    let client_id = api.session().client_id().unwrap();
    let (handle, mut events) = gateway::spawn(gateway_config(&server, Vec::new()), api).unwrap();
    wait_connected(&mut events, &[SocketKind::Main]).await;
    let sid = |server: &gilt::server::ServerHandle| {
        server
            .sockets()
            .into_iter()
            .find(|s| s.client_id == client_id)
            .map(|s| s.sid)
    };
    let first = sid(&server).unwrap();

    // The server drops sockets silent for 300 ms; after 1 s of virtual time (≈ 7 ping
    // intervals) the same socket is still there, so the client pinged on time. (The ping schedule itself is
    // unit-tested on virtual time in protocol::link.)
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(sid(&server).as_deref(), Some(first.as_str()));
    assert!(
        events.try_recv().is_err(),
        "no link change while heartbeats flow"
    );

    // The server stops answering pings: the client declares the link dead and reconnects.
    server.faults().mute_all_pongs(true);
    let event = next_matching(&mut events, "reconnect after silence", |e| {
        is_link(e, &SocketKind::Main, reconnecting)
    })
    .await;
    let GatewayEvent::Link {
        state: SocketState::Reconnecting { reason, in_ms },
        ..
    } = event
    else {
        unreachable!()
    };
    assert!(reason.contains("heartbeat timeout"), "{reason}");
    assert!(in_ms <= 300, "backoff within the configured cap: {in_ms}");
    server.faults().mute_all_pongs(false);
    next_matching(&mut events, "connected again", |e| {
        is_link(e, &SocketKind::Main, connected)
    })
    .await;
    assert_ne!(sid(&server).unwrap(), first);
    drop(me);
    handle.shutdown(WAIT).await;
}

#[tokio::test]
async fn a_dropped_tcp_connection_is_rebuilt() {
    let server = server().await;
    let (api, me) = login(&server).await;
    let (handle, mut events) = gateway::spawn(gateway_config(&server, team_ids(&me)), api).unwrap();
    wait_connected(&mut events, &all_sockets(&me)).await;
    assert_eq!(server.faults().drop_all_sockets(), 1 + me.teams.len());
    wait_all(&mut events, &all_sockets(&me), "reconnecting", reconnecting).await;
    wait_connected(&mut events, &all_sockets(&me)).await;
    handle.shutdown(WAIT).await;
}

/// Ids of the messages in a `ChatMessageCreated` or `Backfill` event.
fn message_ids(event: &GatewayEvent) -> Vec<MessageId> {
    match event {
        GatewayEvent::Backfill { messages, .. } => messages.iter().map(|m| m.id.clone()).collect(),
        other => other
            .chat_message_created()
            .map(|(_, id)| vec![id])
            .unwrap_or_default(),
    }
}

/// The general channel of the server's world, as the client names it.
fn general(server: &ServerHandle) -> ChannelId {
    server
        .world()
        .channel("general")
        .unwrap()
        .id
        .as_str()
        .into()
}

/// A message `user` posts through the server (broadcast as usual), and its id.
fn post(server: &ServerHandle, user: &str, channel: &ChannelId, text: &str) -> MessageId {
    server
        .post_as(user, channel.as_str(), text, true)
        .unwrap()
        .into()
}

#[tokio::test]
async fn messages_stored_while_the_link_was_down_arrive_once_after_reconnect() {
    let server = server().await;
    let (api, me) = login(&server).await;
    let world = server.world();
    let channel = general(&server);
    let other = world.user_id("ada").unwrap().to_owned();

    // The UI loaded the channel: its newest message is what the gateway starts from.
    let page = api
        .messages(
            &channel,
            &MessageQuery {
                limit: Some(1),
                ..MessageQuery::default()
            },
        )
        .await
        .unwrap();
    let newest = page.messages.first().map(|m| m.created_at);
    let (handle, mut events) = gateway::spawn(gateway_config(&server, Vec::new()), api).unwrap();
    handle.track_channel(channel.clone(), newest);
    wait_connected(&mut events, &[SocketKind::Main]).await;

    // The server goes down; three messages are posted meanwhile (nobody can be told).
    let faults = server.faults();
    let restart = tokio::spawn(async move { faults.restart(Duration::from_millis(400)).await });
    next_matching(&mut events, "link lost", |e| {
        is_link(e, &SocketKind::Main, reconnecting)
    })
    .await;
    let mut missed = Vec::new();
    for n in 0..3 {
        missed.push(post(&server, &other, &channel, &format!("missed {n}")));
    }
    let addr = restart.await.unwrap().unwrap();
    assert_eq!(addr, server.addr());

    // After the reconnect they come as a backfill, oldest first.
    next_matching(&mut events, "connected after restart", |e| {
        is_link(e, &SocketKind::Main, connected)
    })
    .await;
    let event = next_matching(&mut events, "backfill", |e| {
        matches!(e, GatewayEvent::Backfill { .. })
    })
    .await;
    let GatewayEvent::Backfill {
        channel_id,
        messages,
    } = &event
    else {
        unreachable!()
    };
    assert_eq!(channel_id, &channel);
    assert_eq!(message_ids(&event), missed);
    assert!(
        messages
            .windows(2)
            .all(|w| w[0].created_at <= w[1].created_at)
    );

    // Stored without a broadcast while connected (a lost event): the next reconnect fetches
    // it, and nothing seen before is sent again. (A healthy link is not rebuilt on request,
    // see `net_recovery`; here the connection drops.)
    server.faults().mute_broadcasts(true);
    let silent = post(&server, &other, &channel, "event lost");
    server.faults().mute_broadcasts(false);
    assert_eq!(server.faults().drop_all_sockets(), 1);
    next_matching(&mut events, "reconnected", |e| {
        is_link(e, &SocketKind::Main, connected)
    })
    .await;
    let live = post(&server, &other, &channel, "live again");
    let mut delivered = Vec::new();
    while !(delivered.contains(&silent) && delivered.contains(&live)) {
        let event = next_matching(&mut events, "the lost and the live message", |e| {
            !message_ids(e).is_empty()
        })
        .await;
        delivered.extend(message_ids(&event));
    }
    let unique: HashSet<_> = delivered.iter().collect();
    assert_eq!(unique.len(), delivered.len(), "duplicates: {delivered:?}");
    assert!(
        delivered.iter().all(|id| !missed.contains(id)),
        "re-sent: {delivered:?}"
    );

    // A live message is passed once even though every socket might see it.
    let once = post(&server, &other, &channel, "once");
    let event = next_matching(&mut events, "live message", |e| !message_ids(e).is_empty()).await;
    assert_eq!(message_ids(&event), vec![once]);
    drop(me);
    handle.shutdown(WAIT).await;
}

#[tokio::test]
async fn garbage_frames_are_survived_and_a_huge_frame_closes_the_socket_cleanly() {
    let server = server().await;
    let (api, me) = login(&server).await;
    let client_id = api.session().client_id().unwrap();
    let channel = general(&server);
    let other = server.world().user_id("ada").unwrap().to_owned();
    let (handle, mut events) = gateway::spawn(gateway_config(&server, Vec::new()), api).unwrap();
    wait_connected(&mut events, &[SocketKind::Main]).await;
    let main_sid = || {
        server
            .sockets()
            .into_iter()
            .find(|s| s.client_id == client_id && s.team_id.is_none())
            .unwrap()
            .sid
    };
    let sid = main_sid();
    for garbage in [
        "garbage",
        "",
        "4",
        "42",
        "42[not json",
        r#"42["SomethingNobodyKnows",{"x":1}]"#,
        r#"42["ChatMessageCreated","not an object"]"#,
        "42[17]",
        "0{}",
        "45-[\"binary\"]",
        "\u{0}\u{1b}[31m",
    ] {
        assert!(server.faults().send_raw(&sid, garbage));
    }
    let message = post(&server, &other, &channel, "still here");
    let mut unknown_seen = false;
    let event = next_matching(&mut events, "a real message after the garbage", |e| {
        if let GatewayEvent::Event {
            event: GuildedEvent::Other { name, .. },
            ..
        } = e
        {
            unknown_seen |= name == "SomethingNobodyKnows";
        }
        assert!(
            !is_link(e, &SocketKind::Main, reconnecting),
            "garbage broke the link: {e:?}"
        );
        e.chat_message_created().is_some()
    })
    .await;
    assert_eq!(event.chat_message_created().unwrap().1, message);
    assert!(unknown_seen, "unknown events are passed on as Other");
    assert_eq!(main_sid(), sid);

    // 16 MiB in one frame: over the 1 MiB limit, the socket is closed and rebuilt.
    let huge = format!("42[\"ChatMessageCreated\",\"{}\"]", "x".repeat(16 << 20));
    assert!(server.faults().send_raw(&sid, &huge));
    next_matching(&mut events, "reconnect after the huge frame", |e| {
        is_link(e, &SocketKind::Main, reconnecting)
    })
    .await;
    next_matching(&mut events, "connected after the huge frame", |e| {
        is_link(e, &SocketKind::Main, connected)
    })
    .await;
    drop(me);
    handle.shutdown(WAIT).await;
}

#[tokio::test]
async fn a_session_revoked_by_the_server_stops_the_gateway_with_session_invalid() {
    let server = server().await;
    let (api, me) = login(&server).await;
    let (handle, mut events) =
        gateway::spawn(gateway_config(&server, team_ids(&me)), api.clone()).unwrap();
    wait_connected(&mut events, &all_sockets(&me)).await;

    // Logged out elsewhere: the server closes our sockets and refuses new upgrades.
    let other = gilt::api::ApiClient::new(
        &server.api_url(),
        gilt::api::SessionCookies::from_cookies(
            api.api_url(),
            &[
                (
                    "hmac_signed_session",
                    &cookie_value(&api, "hmac_signed_session"),
                ),
                ("guilded_mid", &api.session().client_id().unwrap()),
            ],
        ),
    )
    .unwrap();
    other.logout_request(Duration::from_secs(2)).await.unwrap();
    let event = next_matching(&mut events, "session invalid", |e| {
        matches!(e, GatewayEvent::SessionInvalid { .. })
    })
    .await;
    let GatewayEvent::SessionInvalid { reason } = event else {
        unreachable!()
    };
    assert!(reason.contains("HTTP 40"), "{reason}");
    eventually("gateway stopped", || handle.is_stopped()).await;
    // No retry storm: the channel closes after the last events.
    while let Some(event) = tokio::time::timeout(WAIT, events.recv()).await.unwrap() {
        assert!(
            !matches!(
                event,
                GatewayEvent::Link {
                    state: SocketState::Connecting,
                    ..
                }
            ),
            "reconnect attempt after SessionInvalid: {event:?}"
        );
    }
}

fn cookie_value(api: &gilt::api::ApiClient, name: &str) -> String {
    let gateway = reqwest::Url::parse(&api.api_url().as_str().replace("http", "ws")).unwrap();
    let header = api.session().gateway_cookie_header(&gateway).unwrap();
    header
        .split("; ")
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_slow_runtime_gets_backpressure_not_lost_messages() {
    let server = server().await;
    let (api, _me) = login(&server).await;
    let channel = general(&server);
    let other = server.world().user_id("ada").unwrap().to_owned();
    let newest = api
        .messages(
            &channel,
            &MessageQuery {
                limit: Some(1),
                ..MessageQuery::default()
            },
        )
        .await
        .unwrap()
        .messages
        .first()
        .map(|m| m.created_at);
    let mut config = gateway_config(&server, Vec::new());
    config.event_capacity = 2;
    let (handle, mut events) = gateway::spawn(config, api).unwrap();
    handle.track_channel(channel.clone(), newest);
    wait_connected(&mut events, &[SocketKind::Main]).await;

    // The runtime stops reading while 20 messages arrive. The worker blocks on the full
    // channel (it neither drops nor panics); blocked, it cannot ping, so the server drops the
    // link, and the reconnect's backfill brings whatever the socket could not deliver.
    let mut posted = Vec::new();
    for n in 0..20 {
        posted.push(post(&server, &other, &channel, &format!("burst {n}")));
    }
    eventually("the server dropped the stalled socket", || {
        server.sockets().is_empty()
    })
    .await;

    let mut delivered = Vec::new();
    while !posted.iter().all(|id| delivered.contains(id)) {
        let event = next_matching(&mut events, "every burst message", |e| {
            !message_ids(e).is_empty()
        })
        .await;
        delivered.extend(message_ids(&event));
    }
    let unique: HashSet<_> = delivered.iter().collect();
    assert_eq!(unique.len(), delivered.len(), "duplicates: {delivered:?}");
    assert_eq!(delivered.len(), posted.len());
    handle.shutdown(WAIT).await;
}

#[tokio::test]
async fn typing_goes_out_on_the_main_socket_and_reaches_other_members() {
    let server = server().await;
    let (api, me) = login(&server).await;
    let (email, password) = server.credentials_of("ada").unwrap();
    let (ada_api, ada) = crate::support::net::login_as(&server, &email, &password).await;
    let channel = general(&server);

    let (handle, mut events) = gateway::spawn(gateway_config(&server, Vec::new()), api).unwrap();
    let (ada_handle, mut ada_events) =
        gateway::spawn(gateway_config(&server, Vec::new()), ada_api).unwrap();
    wait_connected(&mut events, &[SocketKind::Main]).await;
    wait_connected(&mut ada_events, &[SocketKind::Main]).await;

    handle.typing(channel.clone());
    let event = next_matching(&mut ada_events, "typing from the demo user", |e| {
        matches!(
            e,
            GatewayEvent::Event {
                event: GuildedEvent::ChatChannelTyping(_),
                ..
            }
        )
    })
    .await;
    let GatewayEvent::Event {
        socket,
        event: GuildedEvent::ChatChannelTyping(typing),
    } = event
    else {
        unreachable!()
    };
    assert_eq!(socket, SocketKind::Main);
    assert_eq!(typing.user_id, me.user.id);
    assert_eq!(typing.envelope.channel_id, channel);

    // And the other way round; nobody gets their own typing echoed.
    ada_handle.typing(channel.clone());
    let event = next_matching(&mut events, "typing from ada", |e| {
        matches!(
            e,
            GatewayEvent::Event {
                event: GuildedEvent::ChatChannelTyping(_),
                ..
            }
        )
    })
    .await;
    let GatewayEvent::Event {
        event: GuildedEvent::ChatChannelTyping(typing),
        ..
    } = event
    else {
        unreachable!()
    };
    assert_eq!(typing.user_id, ada.user.id);
    handle.shutdown(WAIT).await;
    ada_handle.shutdown(WAIT).await;
}

#[tokio::test]
async fn a_gateway_the_session_cookie_would_not_reach_is_a_clear_error_at_start() {
    let server = server().await;
    let (api, _me) = login(&server).await;
    // The same server by another name: the cookie the API host set is not sent there, so
    // every upgrade would be refused; say so at once instead of asking to log in again.
    let other_host = server.gateway_url().replace("127.0.0.1", "localhost");
    let config = gilt::gateway::GatewayConfig::new(other_host.clone(), Vec::new());
    match gateway::spawn(config, api.clone()) {
        Err(error @ gateway::GatewayError::NoCookieForGateway(_)) => {
            let message = error.to_string();
            assert!(
                message.contains(&other_host) && message.contains("host"),
                "{message}"
            );
        }
        other => panic!("expected NoCookieForGateway, got {:?}", other.map(|_| ())),
    }
    // The API's own host is fine.
    let (handle, mut events) = gateway::spawn(gateway_config(&server, Vec::new()), api).unwrap();
    wait_connected(&mut events, &[SocketKind::Main]).await;
    handle.shutdown(WAIT).await;
}

#[tokio::test]
async fn a_capped_backfill_shows_a_gap_and_fills_it_from_where_it_is() {
    let server = server().await;
    let (api, me) = login(&server).await;
    let world = server.world();
    let channel = general(&server);
    let other = world.user_id("ada").unwrap().to_owned();
    let page = api
        .messages(
            &channel,
            &MessageQuery {
                limit: Some(1),
                ..MessageQuery::default()
            },
        )
        .await
        .unwrap();
    let newest = page.messages.first().map(|m| m.created_at).unwrap();
    // Two messages per page, one page per attempt: five missed messages need three.
    let mut config = gateway_config(&server, Vec::new());
    config.backfill_page_size = 2;
    config.backfill_max_pages = 1;
    config.gap_retry = Duration::from_millis(50);
    let (handle, mut events) = gateway::spawn(config, api).unwrap();
    handle.track_channel(channel.clone(), Some(newest));
    wait_connected(&mut events, &[SocketKind::Main]).await;

    server.faults().mute_broadcasts(true);
    let missed: Vec<MessageId> = (0..5)
        .map(|n| post(&server, &other, &channel, &format!("missed {n}")))
        .collect();
    server.faults().mute_broadcasts(false);
    assert_eq!(server.faults().drop_all_sockets(), 1);

    // Every missed message arrives once; a gap is announced from the old newest message
    // (never from what was fetched) until it is filled.
    let mut got: Vec<MessageId> = Vec::new();
    let mut gaps = Vec::new();
    while gaps.last() != Some(&None) {
        let event = next_matching(&mut events, "backfill or gap", |e| {
            matches!(e, GatewayEvent::Backfill { .. } | GatewayEvent::Gap { .. })
        })
        .await;
        match &event {
            GatewayEvent::Gap { channel_id, after } => {
                assert_eq!(channel_id, &channel);
                gaps.push(*after);
            }
            _ => got.extend(message_ids(&event)),
        }
    }
    assert!(gaps.len() >= 2, "{gaps:?}");
    assert!(
        gaps[..gaps.len() - 1].iter().all(|g| *g == Some(newest)),
        "{gaps:?}"
    );
    got.sort();
    let mut want = missed.clone();
    want.sort();
    assert_eq!(got, want);
    drop(me);
    handle.shutdown(WAIT).await;
}
