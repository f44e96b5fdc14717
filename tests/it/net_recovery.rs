//! Recovery from a flaky link, on virtual time (`tokio::time::pause`) against the built-in
//! server with Guilded's timings (pingInterval 25 s, pingTimeout 5 s) and the production
//! backoff: a link that keeps dropping is back and caught up within a second every time,
//! failures still back off to 30 s, and "reconnect now" skips the wait, keeps a healthy link
//! and rebuilds a silent one. Each recovery is measured in virtual time, so a loaded machine
//! cannot make it flaky.

use std::time::Duration;

use gilt::api::MessageQuery;
use gilt::gateway::{
    self, GatewayConfig, GatewayEvent, GatewayHandle, RECONNECT_PROBE_TIMEOUT, SocketKind,
    SocketState,
};
use gilt::protocol::{ChannelId, MessageId};
use gilt::server::{ServerConfig, ServerHandle};
use tokio::sync::mpsc::Receiver;
use tokio::time::Instant;

use crate::support::net::{
    eventually, is_link, login, next_matching, next_matching_within, wait_connected,
};

/// The target: from a dropped link to caught up.
const RECOVERY: Duration = Duration::from_secs(1);

struct Setup {
    server: ServerHandle,
    handle: GatewayHandle,
    events: Receiver<GatewayEvent>,
    general: ChannelId,
    /// Another member, who posts what the client must not miss.
    ada: String,
}

/// The server, a logged-in client and its gateway (production settings but `backoff`),
/// tracking #general from its newest message as the UI would, with the main link up.
async fn setup(backoff: gateway::BackoffConfig) -> Setup {
    let server = gilt::server::start(ServerConfig::test()).await.unwrap();
    let (api, _me) = login(&server).await;
    let general: ChannelId = server
        .world()
        .channel("general")
        .unwrap()
        .id
        .as_str()
        .into();
    let ada = server.world().user_id("ada").unwrap().to_owned();
    let query = MessageQuery {
        limit: Some(1),
        ..MessageQuery::default()
    };
    let newest = api
        .messages(&general, &query)
        .await
        .unwrap()
        .messages
        .first()
        .map(|m| m.created_at);
    let mut config = GatewayConfig::new(server.gateway_url(), Vec::new());
    config.backoff = backoff;
    let (handle, mut events) = gateway::spawn(config, api).unwrap();
    handle.track_channel(general.clone(), newest);
    wait_connected(&mut events, &[SocketKind::Main]).await;
    Setup {
        server,
        handle,
        events,
        general,
        ada,
    }
}

impl Setup {
    /// A message stored without a gateway event: only a backfill can bring it.
    fn post_unannounced(&self, text: &str) -> MessageId {
        self.server
            .post_as(&self.ada, self.general.as_str(), text, false)
            .unwrap()
            .into()
    }

    /// The main socket's sid on the server (exactly one is open).
    fn main_sid(&self) -> String {
        let sockets = self.server.sockets();
        assert_eq!(sockets.len(), 1, "one main socket");
        sockets[0].sid.clone()
    }
}

/// The main link's states and whether `missed` was backfilled, gathered until it was or
/// `deadline` passed.
async fn until_backfilled(
    events: &mut Receiver<GatewayEvent>,
    missed: &MessageId,
    deadline: Instant,
) -> (Vec<SocketState>, bool) {
    let mut states = Vec::new();
    while let Ok(Some(event)) = tokio::time::timeout_at(deadline, events.recv()).await {
        if note(event, missed, &mut states) {
            return (states, true);
        }
    }
    (states, false)
}

/// Records a main-link state; true when `event` is the backfill that brought `missed`.
fn note(event: GatewayEvent, missed: &MessageId, states: &mut Vec<SocketState>) -> bool {
    match event {
        GatewayEvent::Link {
            socket: SocketKind::Main,
            state,
        } => {
            states.push(state);
            false
        }
        GatewayEvent::Backfill { messages, .. } => messages.iter().any(|m| &m.id == missed),
        _ => false,
    }
}

/// Virtual time moves by this much each time the client has been idle for `IDLE`.
const STEP: Duration = Duration::from_millis(25);
/// Real time the client must stay idle before virtual time moves on.
const IDLE: std::time::Duration = std::time::Duration::from_millis(10);

/// Like `until_backfilled`, but virtual time moves only while the client is idle: by `STEP`
/// after each `IDLE` of real time without an event. A paused runtime otherwise jumps to its
/// next timer whenever it parks, even while real loopback IO is still in flight, so on a
/// loaded machine a reconnect that takes no virtual time could appear to take seconds.
/// Returns the states, whether `missed` came, and the virtual time it took.
async fn catch_up_on_a_held_clock(
    events: &mut Receiver<GatewayEvent>,
    missed: &MessageId,
) -> (Vec<SocketState>, bool, Duration) {
    use tokio::sync::mpsc::error::TryRecvError;
    let started = Instant::now();
    // A generous real-time bound, so that a broken client fails instead of hanging.
    let give_up = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut states = Vec::new();
    let mut idle_since = std::time::Instant::now();
    while std::time::Instant::now() < give_up && started.elapsed() <= Duration::from_secs(60) {
        match events.try_recv() {
            Ok(event) => {
                if note(event, missed, &mut states) {
                    return (states, true, started.elapsed());
                }
                idle_since = std::time::Instant::now();
            }
            Err(TryRecvError::Disconnected) => break,
            Err(TryRecvError::Empty) if idle_since.elapsed() >= IDLE => {
                tokio::time::advance(STEP).await;
                idle_since = std::time::Instant::now();
            }
            // A yield keeps the runtime from parking with a timeout, which would move the
            // clock; IO is still polled.
            Err(TryRecvError::Empty) => tokio::task::yield_now().await,
        }
    }
    (states, false, started.elapsed())
}

/// The waits announced in `Reconnecting` states.
fn waits(states: &[SocketState]) -> Vec<u64> {
    states
        .iter()
        .filter_map(|s| match s {
            SocketState::Reconnecting { in_ms, .. } => Some(*in_ms),
            _ => None,
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn a_link_dropped_every_twelve_seconds_is_caught_up_within_a_second_every_time() {
    let mut s = setup(gateway::BackoffConfig::default()).await;
    for round in 0..5 {
        tokio::time::sleep(Duration::from_secs(12)).await;
        let missed = s.post_unannounced(&format!("missed in round {round}"));
        assert_eq!(s.server.faults().drop_all_sockets(), 1);
        let (states, backfilled, took) = catch_up_on_a_held_clock(&mut s.events, &missed).await;
        assert!(
            backfilled,
            "round {round}: never caught up; link states {states:?}"
        );
        assert!(
            took <= RECOVERY,
            "round {round}: caught up {took:?} after the drop; link states {states:?}"
        );
        assert!(
            states.contains(&SocketState::Connected),
            "round {round}: {states:?}"
        );
        // The link had been healthy for 12 s: the wait is jitter only.
        let waits = waits(&states);
        assert_eq!(waits.len(), 1, "round {round}: {states:?}");
        assert!(waits[0] <= 250, "round {round}: waited {} ms", waits[0]);
    }
    s.handle.shutdown(Duration::from_secs(5)).await;
}

#[tokio::test(start_paused = true)]
async fn failed_attempts_back_off_up_to_thirty_seconds_with_jitter() {
    let mut s = setup(gateway::BackoffConfig::default()).await;
    tokio::time::sleep(Duration::from_secs(12)).await;
    // The server is gone for two and a half minutes: every attempt is refused.
    let faults = s.server.faults();
    let restart = tokio::spawn(async move { faults.restart(Duration::from_secs(150)).await });
    let mut states = Vec::new();
    loop {
        // The longest wait is 30 s; a minute of silence means the gateway is stuck.
        let event = next_matching_within(
            Duration::from_secs(60),
            &mut s.events,
            "the main link back",
            |e| {
                matches!(
                    e,
                    GatewayEvent::Link {
                        socket: SocketKind::Main,
                        ..
                    }
                )
            },
        )
        .await;
        let GatewayEvent::Link { state, .. } = event else {
            unreachable!()
        };
        if state == SocketState::Connected {
            break;
        }
        states.push(state);
    }
    assert_eq!(restart.await.unwrap().unwrap(), s.server.addr());
    let waits = waits(&states);
    // The healthy link that dropped: jitter only. Then one wait per refused attempt, doubling
    // from 0.5 s to the 30 s cap, each between half and all of its nominal value.
    assert!(waits[0] <= 250, "{waits:?}");
    let failures = &waits[1..];
    assert!(failures.len() >= 8, "{waits:?}");
    for (n, wait) in failures.iter().enumerate() {
        let nominal = 500u64.saturating_mul(1 << n.min(16)).min(30_000);
        assert!(
            (nominal / 2..=nominal).contains(wait),
            "failure {n}: waited {wait} ms, nominal {nominal} ms: {waits:?}"
        );
    }
    assert!(
        failures.iter().filter(|w| **w >= 15_000).count() >= 2,
        "{waits:?}"
    );
    s.handle.shutdown(Duration::from_secs(5)).await;
}

#[tokio::test(start_paused = true)]
async fn reconnect_now_skips_the_backoff_and_catches_up() {
    // Long waits, so that only "reconnect now" can bring the link back soon.
    let backoff = gateway::BackoffConfig {
        initial: Duration::from_secs(40),
        max: Duration::from_secs(40),
        ..gateway::BackoffConfig::default()
    };
    let mut s = setup(backoff).await;
    let faults = s.server.faults();
    let restart = tokio::spawn(async move { faults.restart(Duration::from_secs(5)).await });
    let event = next_matching(&mut s.events, "link lost", |e| {
        is_link(e, &SocketKind::Main, |s| {
            matches!(s, SocketState::Reconnecting { .. })
        })
    })
    .await;
    let GatewayEvent::Link {
        state: SocketState::Reconnecting { in_ms, .. },
        ..
    } = event
    else {
        unreachable!()
    };
    // Connected for an instant only: a failure, so the long backoff applies.
    assert!(in_ms >= 20_000, "{in_ms}");
    let missed = s.post_unannounced("posted while the server was down");
    assert_eq!(restart.await.unwrap().unwrap(), s.server.addr());

    s.handle.reconnect();
    let (states, backfilled, took) = catch_up_on_a_held_clock(&mut s.events, &missed).await;
    assert!(backfilled, "never caught up: {states:?}");
    assert!(
        took <= RECOVERY,
        "caught up {took:?} after the request: {states:?}"
    );
    assert_eq!(states, [SocketState::Connecting, SocketState::Connected]);
    s.handle.shutdown(Duration::from_secs(5)).await;
}

#[tokio::test(start_paused = true)]
async fn reconnect_now_keeps_a_healthy_link_and_rebuilds_a_silent_one() {
    let mut s = setup(gateway::BackoffConfig::default()).await;
    let first = s.main_sid();

    // The link answers the check: it stays as it is.
    s.handle.reconnect();
    let quiet = Instant::now() + Duration::from_secs(10);
    while let Ok(Some(event)) = tokio::time::timeout_at(quiet, s.events.recv()).await {
        assert!(
            !matches!(event, GatewayEvent::Link { .. }),
            "a healthy link was touched: {event:?}"
        );
    }
    assert_eq!(s.main_sid(), first);

    // The socket goes silent (the route is gone, the server never hears us) and a message
    // is posted meanwhile.
    assert!(s.server.faults().mute_pongs(&first, true));
    let missed = s.post_unannounced("posted while the link was silent");
    let asked = Instant::now();
    s.handle.reconnect();
    let (states, backfilled) = until_backfilled(
        &mut s.events,
        &missed,
        asked + RECONNECT_PROBE_TIMEOUT + RECOVERY,
    )
    .await;
    assert!(backfilled, "not caught up: {states:?}");
    // No wait after the unanswered check: straight to a new connection.
    assert_eq!(states, [SocketState::Connecting, SocketState::Connected]);
    let rebuilt_after = Instant::now() - asked;
    assert!(
        rebuilt_after >= RECONNECT_PROBE_TIMEOUT,
        "rebuilt before the check timed out: {rebuilt_after:?}"
    );
    eventually("the silent socket gone", || {
        s.server.sockets().iter().all(|socket| socket.sid != first)
    })
    .await;
    assert_eq!(s.server.sockets().len(), 1);
    s.handle.shutdown(Duration::from_secs(5)).await;
}

#[tokio::test(start_paused = true)]
async fn a_server_that_drops_every_link_at_once_is_backed_off_not_hammered() {
    let mut s = setup(gateway::BackoffConfig::default()).await;
    tokio::time::sleep(Duration::from_secs(12)).await;
    // From now on the server accepts each socket, says hello and `40`, and drops it.
    s.server.faults().drop_on_connect(true);
    assert_eq!(s.server.faults().drop_all_sockets(), 1);
    let mut waits = Vec::new();
    let mut connects = 0;
    while waits.len() < 9 {
        let event = next_matching_within(
            Duration::from_secs(60),
            &mut s.events,
            "the main link's next state",
            |e| {
                matches!(
                    e,
                    GatewayEvent::Link {
                        socket: SocketKind::Main,
                        ..
                    }
                )
            },
        )
        .await;
        match event {
            GatewayEvent::Link {
                state: SocketState::Reconnecting { in_ms, .. },
                ..
            } => waits.push(in_ms),
            GatewayEvent::Link {
                state: SocketState::Connected,
                ..
            } => connects += 1,
            _ => {}
        }
    }
    // Each of those links did reach connected, yet proved nothing: the healthy link that
    // dropped first is followed at once, then the waits double towards the 30 s cap.
    assert!(connects >= 8, "{connects} connects, waits {waits:?}");
    assert!(waits[0] <= 250, "{waits:?}");
    for (n, wait) in waits[1..].iter().enumerate() {
        let nominal = 500u64.saturating_mul(1 << n.min(16)).min(30_000);
        assert!(
            (nominal / 2..=nominal).contains(wait),
            "attempt {n}: waited {wait} ms, nominal {nominal} ms: {waits:?}"
        );
    }
    // Once the server keeps links again, the link comes back and stays.
    s.server.faults().drop_on_connect(false);
    s.handle.reconnect();
    wait_connected(&mut s.events, &[SocketKind::Main]).await;
    s.handle.shutdown(Duration::from_secs(5)).await;
}
