//! The gateway worker against an independent Engine.IO v3 / Socket.IO v2 server: npm
//! `socket.io@2.5.1` (tests/peer/server-peer/server.js) speaking Guilded's query and event
//! format. Installs its npm packages itself on first run (into target/peer-server/); prints
//! SKIPPED and passes where node/npm are missing, except with CI=true, where it fails.

use std::path::Path;
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use gilt::api::{ApiClient, SessionCookies};
use gilt::gateway::{
    self, BackoffConfig, GatewayConfig, GatewayEvent, RECONNECT_PROBE_TIMEOUT, SocketKind,
    SocketState,
};
use gilt::protocol::MessageId;
use gilt::protocol::events::GuildedEvent;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc::Receiver;

use crate::support::net::{connected, is_link, next_matching_within, reconnecting};
use crate::support::tools::{install_peer, manifest_dir, node_available};

const CLIENT_ID: &str = "0123456789abcdef0123456789abcdef";
const SESSION: &str = "peer-session-value";
const TEAM: &str = "4R5q39VR";
/// Generous upper bound for anything to happen; tests finish as soon as it does.
const WAIT: Duration = Duration::from_secs(15);

struct Peer {
    _child: Child,
    port: u16,
    http: reqwest::Client,
}

impl Peer {
    async fn start(modules: &Path) -> Peer {
        let mut child = Command::new("node")
            .arg(manifest_dir().join("tests/peer/server-peer/server.js"))
            .env("NODE_PATH", modules.join("node_modules"))
            .env("PEER_PING_INTERVAL", "200")
            .env("PEER_PING_TIMEOUT", "400")
            .env("PEER_CLIENT_ID", CLIENT_ID)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start node");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(WAIT, lines.next_line())
            .await
            .expect("the peer server printed its port in time")
            .unwrap()
            .expect("the peer server printed a line");
        let port = serde_json::from_str::<Value>(&line).unwrap()["port"]
            .as_u64()
            .unwrap();
        Peer {
            _child: child,
            port: u16::try_from(port).unwrap(),
            http: reqwest::Client::new(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    async fn state(&self) -> Value {
        self.http
            .get(self.url("/control/state"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.http
            .post(self.url(path))
            .body(body.to_string())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Poll the server's state until `check` holds.
    async fn wait_state(&self, what: &str, check: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let state = self.state().await;
            if check(&state) {
                return state;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting for {what}; last state {state}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

/// Next event matching `want`, skipping others; panics after [`WAIT`].
async fn next_matching(
    events: &mut Receiver<GatewayEvent>,
    what: &str,
    want: impl FnMut(&GatewayEvent) -> bool,
) -> GatewayEvent {
    next_matching_within(WAIT, events, what, want).await
}

/// A `USER_TEAMS_UPDATED` for NewTeam1 from the main socket (`removed`: a leave).
fn is_teams_update(event: &GatewayEvent, removed: bool) -> bool {
    matches!(event, GatewayEvent::Event {
        socket: SocketKind::Main,
        event: GuildedEvent::UserTeamsUpdated(u),
    } if u.team_id == Some("NewTeam1".into()) && u.is_removed == removed)
}

/// Seconds the workers' wall clock runs ahead of the real one: a jump looks like a suspend.
static WALL_AHEAD_SECS: AtomicU64 = AtomicU64::new(0);

fn jumping_wall_clock() -> SystemTime {
    SystemTime::now() + Duration::from_secs(WALL_AHEAD_SECS.load(Ordering::SeqCst))
}

#[tokio::test]
async fn gateway_worker_against_socket_io_2_5_1() {
    if !node_available("net_peer") {
        return;
    }
    let modules = install_peer("server-peer", "peer-server", "socket.io", &[]);
    let peer = Peer::start(&modules).await;

    // A session as a login would leave it: the session cookie and guilded_mid.
    let api_url = format!("http://127.0.0.1:{}/api", peer.port);
    let session = SessionCookies::from_cookies(
        &api_url.parse().unwrap(),
        &[("hmac_signed_session", SESSION), ("guilded_mid", CLIENT_ID)],
    );
    let api = ApiClient::new(&api_url, session).unwrap();
    let mut config = GatewayConfig::new(format!("ws://127.0.0.1:{}", peer.port), vec![TEAM.into()]);
    config.backoff = BackoffConfig {
        initial: Duration::from_millis(50),
        max: Duration::from_millis(400),
        ..BackoffConfig::default()
    };
    config.wall_clock = jumping_wall_clock;
    let (handle, mut events) = gateway::spawn(config, api).unwrap();
    let main = SocketKind::Main;
    let team = SocketKind::Team(TEAM.into());

    // Both sockets come up (in either order).
    let mut up = (false, false);
    while up != (true, true) {
        let event = next_matching(&mut events, "both links connected", |e| {
            is_link(e, &main, connected) || is_link(e, &team, connected)
        })
        .await;
        if is_link(&event, &main, connected) {
            up.0 = true;
        } else {
            up.1 = true;
        }
    }

    // The server saw the Guilded query and the session cookie on both upgrades.
    let state = peer
        .wait_state("two sockets", |s| s["connections"] == 2)
        .await;
    let sockets = state["sockets"].as_array().unwrap();
    for socket in sockets {
        assert_eq!(socket["guildedClientId"], CLIENT_ID);
        assert_eq!(socket["jwt"], "undefined");
        let cookie = socket["cookie"].as_str().unwrap();
        assert!(
            cookie.contains(&format!("hmac_signed_session={SESSION}")),
            "{cookie}"
        );
    }
    let mut teams: Vec<&Value> = sockets.iter().map(|s| &s["teamId"]).collect();
    teams.sort_by_key(|t| t.is_null());
    assert_eq!(teams, vec![&Value::from(TEAM), &Value::Null]);

    // Heartbeats: the client pings every 200 ms on both sockets, the server answers.
    peer.wait_state("pings", |s| s["pings"].as_u64().unwrap() >= 6)
        .await;

    // Events: every socket gets each message (io.emit), the runtime sees each id once.
    for (id, text) in [("m-1", "first"), ("m-2", "second"), ("m-3", "third")] {
        peer.post(
            "/control/emit",
            serde_json::json!({"messageId": id, "text": text}),
        )
        .await;
    }
    let mut seen = Vec::new();
    while seen.last().map(MessageId::as_str) != Some("m-3") {
        let event = next_matching(&mut events, "ChatMessageCreated", |e| {
            e.chat_message_created().is_some()
        })
        .await;
        let (channel, id) = event.chat_message_created().unwrap();
        assert_eq!(channel, "d2242862-401c-42f8-9ce2-0c75977475a6");
        seen.push(id);
    }
    assert_eq!(seen, vec!["m-1", "m-2", "m-3"]);

    // Typing goes out on the main socket and the server decodes it.
    handle.typing("chan-typing");
    let state = peer
        .wait_state("typing", |s| s["typing"].as_array().unwrap().len() == 1)
        .await;
    assert_eq!(state["typing"][0]["channelId"], "chan-typing");
    assert_eq!(state["typing"][0]["guildedClientId"], CLIENT_ID);

    // A server-side disconnect (Socket.IO `41` + close): the worker reconnects.
    peer.post("/control/disconnect", serde_json::json!({"mode": "close"}))
        .await;
    next_matching(&mut events, "main reconnecting after a close", |e| {
        is_link(e, &main, reconnecting)
    })
    .await;
    next_matching(&mut events, "main connected again", |e| {
        is_link(e, &main, connected)
    })
    .await;
    peer.wait_state("both sockets back", |s| {
        s["connections"] == 2 && s["connectsTotal"].as_u64().unwrap() >= 4
    })
    .await;

    // A dead TCP connection (no close frame): detected, reconnected.
    peer.post("/control/disconnect", serde_json::json!({"mode": "drop"}))
        .await;
    next_matching(&mut events, "main reconnecting after a drop", |e| {
        is_link(e, &main, reconnecting)
    })
    .await;
    next_matching(&mut events, "main connected after the drop", |e| {
        is_link(e, &main, connected)
    })
    .await;
    peer.wait_state("both sockets back after the drop", |s| {
        s["connections"] == 2 && s["connectsTotal"].as_u64().unwrap() >= 6
    })
    .await;
    peer.post("/control/emit", serde_json::json!({"messageId": "m-4"}))
        .await;
    let event = next_matching(&mut events, "m-4 after reconnect", |e| {
        e.chat_message_created().is_some()
    })
    .await;
    assert_eq!(event.chat_message_created().unwrap().1, "m-4");

    // Joining a team (USER_TEAMS_UPDATED on the main socket) is passed on; the reducer
    // answers with OpenTeamSocket, which the runtime turns into `open_team` (as here). Leaving
    // is passed on the same way and closes it.
    peer.post(
        "/control/event",
        serde_json::json!({"name": "USER_TEAMS_UPDATED",
            "payload": {"type": "USER_TEAMS_UPDATED", "teamId": "NewTeam1", "isRemoved": false}}),
    )
    .await;
    next_matching(&mut events, "the join passed on", |e| {
        is_teams_update(e, false)
    })
    .await;
    handle.open_team("NewTeam1");
    let joined = SocketKind::Team("NewTeam1".into());
    next_matching(&mut events, "the new team's socket", |e| {
        is_link(e, &joined, connected)
    })
    .await;
    peer.wait_state("three sockets", |s| {
        s["connections"] == 3
            && s["sockets"]
                .as_array()
                .unwrap()
                .iter()
                .any(|so| so["teamId"] == "NewTeam1")
    })
    .await;
    peer.post(
        "/control/event",
        serde_json::json!({"name": "USER_TEAMS_UPDATED",
            "payload": {"type": "USER_TEAMS_UPDATED", "teamId": "NewTeam1", "isRemoved": true}}),
    )
    .await;
    next_matching(&mut events, "the leave passed on", |e| {
        is_teams_update(e, true)
    })
    .await;
    handle.close_team("NewTeam1");
    next_matching(&mut events, "the left team's socket offline", |e| {
        is_link(e, &joined, |s| *s == SocketState::Offline)
    })
    .await;
    peer.wait_state("two sockets again", |s| s["connections"] == 2)
        .await;

    // A binary frame is skipped; the link stays up and events still flow.
    peer.post("/control/raw", serde_json::json!({"kind": "binary"}))
        .await;
    peer.post("/control/emit", serde_json::json!({"messageId": "m-5"}))
        .await;
    let event = next_matching(&mut events, "m-5 after a binary frame", |e| {
        assert!(
            !is_link(e, &main, reconnecting),
            "a binary frame broke the link"
        );
        e.chat_message_created().is_some()
    })
    .await;
    assert_eq!(event.chat_message_created().unwrap().1, "m-5");

    // A text frame that is not UTF-8 makes the stream unusable: closed, then rebuilt.
    let connects = peer.state().await["connectsTotal"].as_u64().unwrap();
    peer.post("/control/raw", serde_json::json!({"kind": "invalid-utf8"}))
        .await;
    // Both links are rebuilt, in either order: each is lost, then connected again.
    let mut lost = [false, false];
    let mut back = [false, false];
    while back != [true, true] {
        let event = next_matching(&mut events, "both links rebuilt after invalid UTF-8", |e| {
            matches!(e, GatewayEvent::Link { .. })
        })
        .await;
        let GatewayEvent::Link { socket, state } = event else {
            unreachable!()
        };
        let i = usize::from(socket == team);
        match state {
            SocketState::Reconnecting { .. } => lost[i] = true,
            SocketState::Connected if lost[i] => back[i] = true,
            _ => {}
        }
    }
    peer.wait_state("both sockets back after invalid UTF-8", |s| {
        s["connections"] == 2 && s["connectsTotal"].as_u64().unwrap() >= connects + 2
    })
    .await;

    // "Reconnect now" checks a connected link with an extra ping; this server answers it, so
    // both links are kept.
    let before = peer.state().await;
    handle.reconnect();
    let window = tokio::time::Instant::now() + RECONNECT_PROBE_TIMEOUT + Duration::from_secs(1);
    while let Ok(Some(event)) = tokio::time::timeout_at(window, events.recv()).await {
        assert!(
            !matches!(event, GatewayEvent::Link { .. }),
            "a healthy link was touched: {event:?}"
        );
    }
    let after = peer.state().await;
    assert_eq!(after["connectsTotal"], before["connectsTotal"], "{after}");
    assert_eq!(after["closeCodes"], before["closeCodes"], "{after}");

    // A reconnect the client chooses (here: the computer seems to have slept) closes with
    // 4000 (session kept) ...
    let before = peer.state().await["closeCodes"].as_array().unwrap().len();
    WALL_AHEAD_SECS.store(3600, Ordering::SeqCst);
    let state = peer
        .wait_state("client close codes", |s| {
            s["closeCodes"].as_array().unwrap().len() >= before + 2
        })
        .await;
    let codes = &state["closeCodes"].as_array().unwrap()[before..];
    assert!(codes.iter().all(|c| c == 4000), "{codes:?}");
    next_matching(&mut events, "main back after the suspend", |e| {
        is_link(e, &main, connected)
    })
    .await;
    peer.wait_state("both sockets back again", |s| s["connections"] == 2)
        .await;

    // ... and quitting sends 42["logout"] and closes with 1000.
    let before = peer.state().await["closeCodes"].as_array().unwrap().len();
    handle.shutdown(WAIT).await;
    let state = peer
        .wait_state("sockets closed on shutdown", |s| {
            s["connections"] == 0 && s["closeCodes"].as_array().unwrap().len() >= before + 2
        })
        .await;
    let codes = &state["closeCodes"].as_array().unwrap()[before..];
    assert!(codes.iter().all(|c| c == 1000), "{codes:?}");
    assert!(state["logouts"].as_u64().unwrap() >= 2, "{state}");
}
