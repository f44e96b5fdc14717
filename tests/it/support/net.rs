//! The client side against a server: the built-in server with short timings, a logged-in
//! `ApiClient`, gateway settings with quick backoff, and waiting for gateway events without
//! sleeping blindly.

use std::time::Duration;

use gilt::api::{self, ApiClient, RetryPolicy};
use gilt::gateway::{BackoffConfig, GatewayConfig, GatewayEvent, SocketKind, SocketState};
use gilt::protocol::TeamId;
use gilt::protocol::models::Me;
use gilt::server::{ServerConfig, ServerHandle};
use secrecy::SecretString;
use tokio::sync::mpsc::Receiver;

/// Upper bound for anything to happen; tests go on as soon as it does.
pub const WAIT: Duration = Duration::from_secs(10);

/// The built-in server with a 150 ms ping interval and 150 ms ping timeout.
pub async fn server() -> ServerHandle {
    let config = ServerConfig {
        ping_interval: Duration::from_millis(150),
        ping_timeout: Duration::from_millis(150),
        ..ServerConfig::test()
    };
    gilt::server::start(config).await.unwrap()
}

/// Short waits so retries do not slow the tests down.
pub fn fast_policy() -> RetryPolicy {
    RetryPolicy {
        request_timeout: Duration::from_secs(5),
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(100),
        ..RetryPolicy::default()
    }
}

/// Log in as the demo user.
pub async fn login(server: &ServerHandle) -> (ApiClient, Me) {
    let (email, password) = server.credentials();
    login_as(server, &email, &password).await
}

pub async fn login_as(server: &ServerHandle, email: &str, password: &str) -> (ApiClient, Me) {
    let (session, me) = api::auth::login_with_policy(
        &server.api_url(),
        email,
        SecretString::from(password.to_owned()),
        fast_policy(),
    )
    .await
    .unwrap();
    let client = ApiClient::with_policy(&server.api_url(), session, fast_policy()).unwrap();
    (client, me)
}

/// Gateway settings for tests: quick backoff.
pub fn gateway_config(server: &ServerHandle, teams: Vec<TeamId>) -> GatewayConfig {
    let mut config = GatewayConfig::new(server.gateway_url(), teams);
    config.backoff = BackoffConfig {
        initial: Duration::from_millis(50),
        max: Duration::from_millis(300),
        ..BackoffConfig::default()
    };
    config.connect_timeout = Duration::from_secs(2);
    config
}

/// The next event matching `want` (others are skipped); panics after [`WAIT`].
pub async fn next_matching(
    events: &mut Receiver<GatewayEvent>,
    what: &str,
    want: impl FnMut(&GatewayEvent) -> bool,
) -> GatewayEvent {
    next_matching_within(WAIT, events, what, want).await
}

/// The next event matching `want` (others are skipped); panics after `wait`.
pub async fn next_matching_within(
    wait: Duration,
    events: &mut Receiver<GatewayEvent>,
    what: &str,
    mut want: impl FnMut(&GatewayEvent) -> bool,
) -> GatewayEvent {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
            .unwrap_or_else(|| panic!("the gateway stopped while waiting for {what}"));
        if want(&event) {
            return event;
        }
    }
}

pub fn is_link(event: &GatewayEvent, socket: &SocketKind, want: fn(&SocketState) -> bool) -> bool {
    matches!(event, GatewayEvent::Link { socket: s, state } if s == socket && want(state))
}

pub fn connected(state: &SocketState) -> bool {
    *state == SocketState::Connected
}

pub fn reconnecting(state: &SocketState) -> bool {
    matches!(state, SocketState::Reconnecting { .. })
}

/// Wait until every socket in `sockets` reported Connected (in any order).
pub async fn wait_connected(events: &mut Receiver<GatewayEvent>, sockets: &[SocketKind]) {
    wait_all(events, sockets, "links connected", connected).await;
}

/// Wait until every socket in `sockets` reported a link state matching `want` (any order).
pub async fn wait_all(
    events: &mut Receiver<GatewayEvent>,
    sockets: &[SocketKind],
    what: &str,
    want: fn(&SocketState) -> bool,
) {
    let mut pending: Vec<SocketKind> = sockets.to_vec();
    while !pending.is_empty() {
        let event = next_matching(events, what, |e| {
            pending.iter().any(|s| is_link(e, s, want))
        })
        .await;
        if let GatewayEvent::Link { socket, .. } = event {
            pending.retain(|s| *s != socket);
        }
    }
}

/// Poll `check` every 10 ms until it holds; panics after [`WAIT`].
pub async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !check() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
