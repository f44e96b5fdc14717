//! The gateway worker's timing on virtual time (`tokio::time::pause`), against a minimal
//! in-test Engine.IO v3 server on loopback announcing Guilded's real intervals
//! (pingInterval 25 s, pingTimeout 5 s): pings exactly on the 25 s grid, the link declared
//! dead 30 s after the last frame, the reconnect within the backoff — in milliseconds of
//! real time. Recovery from repeated drops and "reconnect now" are in `net_recovery`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use gilt::api::{ApiClient, SessionCookies};
use gilt::gateway::{self, BackoffConfig, GatewayConfig, GatewayEvent, SocketKind, SocketState};
use tokio::net::TcpListener;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

/// What the fake server saw: per connection, when it was accepted and when each ping came.
#[derive(Default)]
struct Log {
    connections: Vec<Instant>,
    pings: Vec<(usize, Instant)>,
}

/// Serve Engine.IO v3 hellos; answer pings with pongs for the first `pongs` pings of each
/// connection, then go silent (but keep the TCP connection open).
async fn fake_gateway(pongs: usize) -> (String, Arc<Mutex<Log>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Log::default()));
    let server_log = Arc::clone(&log);
    tokio::spawn(async move {
        loop {
            let (tcp, _) = listener.accept().await.unwrap();
            let log = Arc::clone(&server_log);
            tokio::spawn(async move {
                let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
                let index = {
                    let mut log = log.lock().unwrap();
                    log.connections.push(Instant::now());
                    log.connections.len() - 1
                };
                let hello =
                    r#"0{"sid":"virt","upgrades":[],"pingInterval":25000,"pingTimeout":5000}"#;
                ws.send(Message::text(hello)).await.unwrap();
                ws.send(Message::text("40")).await.unwrap();
                let mut answered = 0;
                while let Some(Ok(message)) = ws.next().await {
                    if message.to_text().unwrap_or_default() == "2" {
                        log.lock().unwrap().pings.push((index, Instant::now()));
                        if answered < pongs {
                            answered += 1;
                            ws.send(Message::text("3")).await.unwrap();
                        }
                    }
                }
            });
        }
    });
    (url, log)
}

async fn next_link(events: &mut tokio::sync::mpsc::Receiver<GatewayEvent>) -> SocketState {
    loop {
        if let GatewayEvent::Link {
            socket: SocketKind::Main,
            state,
        } = events.recv().await.unwrap()
        {
            return state;
        }
    }
}

fn near(actual: Duration, expected: Duration) -> bool {
    actual.abs_diff(expected) <= Duration::from_millis(20)
}

#[tokio::test(start_paused = true)]
async fn pings_on_the_interval_dead_after_interval_plus_timeout_then_reconnect() {
    let (url, log) = fake_gateway(3).await;
    let api_url: reqwest::Url = "http://127.0.0.1:1/api".parse().unwrap();
    let session = SessionCookies::from_cookies(
        &api_url,
        &[("hmac_signed_session", "s"), ("guilded_mid", "mid")],
    );
    let api = ApiClient::new(api_url.as_str(), session).unwrap();
    let mut config = GatewayConfig::new(url, Vec::new());
    config.backoff = BackoffConfig::default();
    let (handle, mut events) = gateway::spawn(config, api).unwrap();

    assert_eq!(next_link(&mut events).await, SocketState::Connecting);
    assert_eq!(next_link(&mut events).await, SocketState::Connected);
    let state = next_link(&mut events).await;
    let SocketState::Reconnecting { in_ms, reason } = state else {
        panic!("expected a reconnect, got {state:?}");
    };
    assert!(reason.contains("heartbeat timeout"), "{reason}");
    // The link had been connected for 105 s, so it was healthy: back within 0 ..= 0.25 s.
    assert!(in_ms <= 250, "{in_ms}");
    assert_eq!(next_link(&mut events).await, SocketState::Connecting);
    assert_eq!(next_link(&mut events).await, SocketState::Connected);

    let (first, reconnected) = {
        let log = log.lock().unwrap();
        let opened = log.connections[0];
        let first: Vec<Duration> = log
            .pings
            .iter()
            .filter(|(c, _)| *c == 0)
            .map(|(_, at)| *at - opened)
            .collect();
        (first, log.connections[1] - opened)
    };
    // Three answered pings on the 25 s grid (a fourth goes unanswered at 100 s), and the
    // link is declared dead 30 s after the last pong (75 s), i.e. at 105 s.
    assert!(first.len() >= 4, "{first:?}");
    for (n, at) in first.iter().take(4).enumerate() {
        let expected = Duration::from_secs(25 * (n as u64 + 1));
        assert!(
            near(*at, expected),
            "ping {n} at {at:?}, expected {expected:?}"
        );
    }
    let expected = Duration::from_secs(105) + Duration::from_millis(in_ms);
    assert!(
        near(reconnected, expected),
        "reconnected at {reconnected:?}, expected {expected:?} (backoff {in_ms} ms)"
    );
    handle.shutdown(Duration::from_secs(5)).await;
}

type Seen = Arc<Mutex<Vec<(Instant, Option<String>, Option<String>)>>>;

/// An HTTP server whose `/api/users/me/ping` answers with the given statuses in turn (then
/// 200), recording when each request came with its `cookie` and `guilded-client-id` headers.
async fn scripted_http(statuses: Vec<(u16, Option<&'static str>)>) -> (String, Seen) {
    use axum::http::{HeaderMap, StatusCode};
    let script = Arc::new(Mutex::new(std::collections::VecDeque::from(statuses)));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen_in = Arc::clone(&seen);
    let app = axum::Router::new().route(
        "/api/users/me/ping",
        axum::routing::put(move |request: HeaderMap| {
            let script = Arc::clone(&script);
            let seen = Arc::clone(&seen_in);
            async move {
                let header = |name: &str| {
                    request
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned)
                };
                seen.lock().unwrap().push((
                    Instant::now(),
                    header("cookie"),
                    header("guilded-client-id"),
                ));
                let (status, retry_after) =
                    script.lock().unwrap().pop_front().unwrap_or((200, None));
                let mut headers = HeaderMap::new();
                if let Some(value) = retry_after {
                    headers.insert("retry-after", value.parse().unwrap());
                }
                let body = if status == 200 {
                    "{}".to_owned()
                } else {
                    r#"{"code":"Nope","message":"scripted failure"}"#.to_owned()
                };
                (StatusCode::from_u16(status).unwrap(), headers, body)
            }
        }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/api", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

fn gaps(times: &[Instant]) -> Vec<Duration> {
    times.windows(2).map(|w| w[1] - w[0]).collect()
}

#[tokio::test(start_paused = true)]
async fn rate_limits_wait_retry_after_or_five_seconds_and_server_errors_back_off() {
    let (url, seen) = scripted_http(vec![
        (429, Some("2")),
        (429, None),
        (503, None),
        (502, None),
    ])
    .await;
    let session = SessionCookies::from_cookies(
        &url.parse().unwrap(),
        &[("hmac_signed_session", "sess"), ("guilded_mid", "mid42")],
    );
    let client = ApiClient::new(&url, session).unwrap();
    client.ping().await.unwrap();
    let seen = seen.lock().unwrap().clone();
    // Every attempt carries the session cookie and the client id header.
    for (_, cookie, client_id) in &seen {
        assert!(
            cookie
                .as_deref()
                .unwrap_or_default()
                .contains("hmac_signed_session=sess"),
            "{cookie:?}"
        );
        assert_eq!(client_id.as_deref(), Some("mid42"));
    }
    let times: Vec<Instant> = seen.iter().map(|(at, _, _)| *at).collect();
    let gaps = gaps(&times);
    let expected = [
        Duration::from_secs(2),     // Retry-After: 2
        Duration::from_secs(5),     // no Retry-After: the 5 s default
        Duration::from_millis(250), // first backoff
        Duration::from_millis(500), // doubled
    ];
    assert_eq!(gaps.len(), expected.len(), "{gaps:?}");
    for (gap, want) in gaps.iter().zip(expected) {
        assert!(near(*gap, want), "{gaps:?}");
    }
}

/// Seconds the fake wall clock runs ahead of the real one.
static WALL_AHEAD_SECS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn jumping_wall_clock() -> std::time::SystemTime {
    std::time::SystemTime::now()
        + Duration::from_secs(WALL_AHEAD_SECS.load(std::sync::atomic::Ordering::SeqCst))
}

#[tokio::test(start_paused = true)]
async fn a_wall_clock_jump_after_suspend_forces_a_reconnect() {
    // Pongs are answered forever: only the suspend check can end this link.
    let (url, log) = fake_gateway(usize::MAX).await;
    let api_url: reqwest::Url = "http://127.0.0.1:1/api".parse().unwrap();
    let session = SessionCookies::from_cookies(
        &api_url,
        &[("hmac_signed_session", "s"), ("guilded_mid", "mid")],
    );
    let api = ApiClient::new(api_url.as_str(), session).unwrap();
    let mut config = GatewayConfig::new(url, Vec::new());
    config.wall_clock = jumping_wall_clock;
    let (handle, mut events) = gateway::spawn(config, api).unwrap();
    assert_eq!(next_link(&mut events).await, SocketState::Connecting);
    assert_eq!(next_link(&mut events).await, SocketState::Connected);
    let connected_at = Instant::now();

    // The lid closes for an hour: the monotonic clock stood still, the wall clock did not.
    WALL_AHEAD_SECS.store(3600, std::sync::atomic::Ordering::SeqCst);
    let state = next_link(&mut events).await;
    let SocketState::Reconnecting { reason, .. } = state else {
        panic!("expected a reconnect, got {state:?}");
    };
    assert!(reason.contains("asleep"), "{reason}");
    // Noticed at the next wake-up of the worker: the next ping, 25 s later at most.
    assert!(Instant::now() - connected_at <= Duration::from_secs(25) + Duration::from_millis(20));
    assert_eq!(next_link(&mut events).await, SocketState::Connecting);
    assert_eq!(next_link(&mut events).await, SocketState::Connected);
    assert_eq!(log.lock().unwrap().connections.len(), 2);
    handle.shutdown(Duration::from_secs(5)).await;
}
