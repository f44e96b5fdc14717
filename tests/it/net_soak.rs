//! The soak test: the real gateway (supervisor, workers, backfill), the real reducer and the
//! real effect executor, against the built-in server's fault injection — dropped and closed
//! sockets, garbage frames, stalled links, server restarts, 429 and 5xx answers — well over a
//! thousand faults, with another member posting all along. At the end every message is in the
//! client's timeline exactly once, the gateway delivered each exactly once, and every link
//! that a fault took down was back within [`RECOVERY_BOUND`].
//!
//! Timings are shortened (pings every 100 ms, backoff 10–100 ms, a link healthy after 50 ms)
//! so that the whole run takes seconds; the bound is far above what recovery takes, so only a
//! stuck or ever-growing reconnect fails it, not a loaded machine.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use gilt::app::{self, App, Msg, Settings};
use gilt::config::Config;
use gilt::gateway::{self, BackoffConfig, GatewayEvent, SocketKind, SocketState};
use gilt::protocol::ChannelId;
use gilt::runtime::effects::Executor;
use gilt::server::{RestFault, ServerConfig, ServerHandle};
use tokio::sync::{mpsc, watch};

use crate::support::net::{gateway_config, login};

/// Fault rounds; each injects 14 faults (a restart every tenth round adds one more).
const ROUNDS: usize = 80;
/// The longest a link may take to come back after a fault that took it down.
const RECOVERY_BOUND: Duration = Duration::from_secs(5);
/// The longest anything else may take (initial load, the final catch-up).
const WAIT: Duration = Duration::from_secs(20);

/// What the client side publishes for the fault injector.
#[derive(Debug, Clone, Default)]
struct LinkView {
    /// How many times the main link reached connected so far.
    connects: usize,
    connected: bool,
}

/// The fault injector's report.
struct Injected {
    faults: usize,
    posted: Vec<String>,
    recoveries: Vec<Duration>,
}

struct Injector {
    server: Arc<ServerHandle>,
    ada: String,
    general: String,
    links: watch::Receiver<LinkView>,
    posted: Vec<String>,
    recoveries: Vec<Duration>,
    faults: usize,
}

impl Injector {
    fn post(&mut self, text: &str) {
        let id = self
            .server
            .post_as(&self.ada, &self.general, text, true)
            .unwrap();
        self.posted.push(id);
    }

    /// The main socket's sid, once the main link is connected.
    async fn main_sid(&mut self) -> String {
        self.wait_connected().await;
        let deadline = Instant::now() + RECOVERY_BOUND;
        loop {
            if let Some(socket) = self
                .server
                .sockets()
                .into_iter()
                .find(|s| s.team_id.is_none())
            {
                return socket.sid;
            }
            assert!(Instant::now() < deadline, "no main socket on the server");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    async fn wait_connected(&mut self) {
        tokio::time::timeout(WAIT, self.links.wait_for(|l| l.connected))
            .await
            .expect("the main link never came back")
            .expect("the client side stopped");
    }

    /// Run `fault` (which takes the main link down) and wait until the link is back,
    /// recording how long that took.
    async fn takes_link_down(&mut self, fault: impl FnOnce(&Self)) {
        let before = self.links.borrow().connects;
        let start = Instant::now();
        fault(self);
        self.faults += 1;
        let back = tokio::time::timeout(
            RECOVERY_BOUND,
            self.links.wait_for(|l| l.connected && l.connects > before),
        )
        .await;
        assert!(
            matches!(back, Ok(Ok(_))),
            "fault {}: the main link was not back within {RECOVERY_BOUND:?}",
            self.faults
        );
        self.recoveries.push(start.elapsed());
    }

    async fn run(mut self) -> Injected {
        let faults = self.server.faults();
        for round in 0..ROUNDS {
            self.post(&format!("round {round}: before the faults"));

            // A dropped TCP connection (no close frame), with a message posted while down.
            self.main_sid().await;
            self.takes_link_down(|s| {
                assert!(s.server.faults().drop_all_sockets() >= 1);
            })
            .await;
            self.post(&format!("round {round}: after a drop"));

            // The server closes the socket with a close frame.
            let sid = self.main_sid().await;
            self.takes_link_down(|s| {
                assert!(s.server.faults().close_socket(&sid, 1011, "going away"));
            })
            .await;

            // Garbage frames: skipped, the link stays.
            let sid = self.main_sid().await;
            for garbage in ["42[\"broken", "\u{1}\u{2}", "9zz", "42{}", "0{\"sid\":1}"] {
                faults.send_raw(&sid, garbage);
                self.faults += 1;
            }
            self.post(&format!("round {round}: after garbage"));

            // A stalled link: the server stops answering pings; the heartbeat notices.
            let sid = self.main_sid().await;
            self.takes_link_down(|s| {
                assert!(s.server.faults().mute_pongs(&sid, true));
            })
            .await;

            // The backfill after the next drop meets two 5xx, then two 429 after the one
            // after that; the client's retries get through.
            faults.fail_rest(RestFault::Status(503), 2);
            self.faults += 2;
            self.main_sid().await;
            self.takes_link_down(|s| {
                assert!(s.server.faults().drop_all_sockets() >= 1);
            })
            .await;
            self.post(&format!("round {round}: after 5xx"));
            faults.fail_rest(
                RestFault::RateLimited {
                    retry_after_secs: 0,
                },
                2,
            );
            self.faults += 2;
            self.main_sid().await;
            self.takes_link_down(|s| {
                assert!(s.server.faults().drop_all_sockets() >= 1);
            })
            .await;
            self.post(&format!("round {round}: after 429"));

            // Now and then the whole server restarts (same port, same data).
            if round % 10 == 9 {
                self.main_sid().await;
                let before = self.links.borrow().connects;
                let start = Instant::now();
                let addr = self.server.addr();
                let restarted = faults.restart(Duration::from_millis(30)).await.unwrap();
                assert_eq!(restarted, addr, "the server came back on another port");
                self.faults += 1;
                self.post(&format!("round {round}: after a restart"));
                tokio::time::timeout(
                    RECOVERY_BOUND,
                    self.links.wait_for(|l| l.connected && l.connects > before),
                )
                .await
                .expect("not back within the bound after a restart")
                .unwrap();
                self.recoveries.push(start.elapsed());
            }
        }
        self.wait_connected().await;
        self.post("the last one");
        Injected {
            faults: self.faults,
            posted: self.posted,
            recoveries: self.recoveries,
        }
    }
}

/// Note what the gateway tells the runtime: the main link's state for the injector, and how
/// often each message id was delivered (live or backfilled).
fn observe(
    event: &GatewayEvent,
    links: &watch::Sender<LinkView>,
    delivered: &mut HashMap<String, usize>,
) {
    match event {
        GatewayEvent::Link {
            socket: SocketKind::Main,
            state,
        } => {
            links.send_modify(|l| {
                l.connected = *state == SocketState::Connected;
                if l.connected {
                    l.connects += 1;
                }
            });
        }
        GatewayEvent::Backfill { messages, .. } => {
            for m in messages {
                *delivered.entry(m.id.as_str().to_owned()).or_default() += 1;
            }
        }
        GatewayEvent::SessionInvalid { reason } => panic!("session lost: {reason}"),
        _ => {}
    }
    if let Some((_, id)) = event.chat_message_created() {
        *delivered.entry(id.as_str().to_owned()).or_default() += 1;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_faults_lose_no_message_duplicate_none_and_every_link_comes_back() {
    let server = gilt::server::start(ServerConfig {
        ping_interval: Duration::from_millis(100),
        ping_timeout: Duration::from_millis(100),
        ..ServerConfig::test()
    })
    .await
    .unwrap();
    let server = Arc::new(server);
    let (api, me) = login(&server).await;
    let ada = server.world().user_id("ada").unwrap().to_owned();

    // The client as the runtime builds it, minus the terminal.
    let mut settings = Settings::from_config(&Config::default());
    settings.history_limit = 10_000;
    let mut app = App::new(settings, Config::default().keymap, 7);
    let now = Instant::now();
    app::update(&mut app, Msg::WallClock(jiff::Timestamp::now()), now);
    app::update(
        &mut app,
        Msg::Resize {
            width: 100,
            height: 30,
        },
        now,
    );
    let mut config = gateway_config(&server, me.teams.iter().map(|t| t.id.clone()).collect());
    config.backoff = BackoffConfig {
        initial: Duration::from_millis(10),
        max: Duration::from_millis(100),
        healthy_after: Duration::from_millis(50),
        healthy_jitter: Duration::from_millis(10),
    };
    let (handle, mut gateway_rx) = gateway::spawn(config, api.clone()).unwrap();
    let (results_tx, mut results_rx) = mpsc::unbounded_channel::<Msg>();
    let mut exec = Executor::new(api.clone(), handle.clone(), results_tx, None, None);
    let mut apply = |app: &mut App, msg: Msg| {
        for effect in app::update(app, msg, Instant::now()) {
            exec.run(effect);
        }
    };
    for msg in gilt::runtime::load::initial(api.clone(), me).await {
        apply(&mut app, msg);
    }
    let (links_tx, links_rx) = watch::channel(LinkView::default());
    let mut delivered: HashMap<String, usize> = HashMap::new();
    // The channel the client opens first is the one another member posts to: wait until its
    // history is loaded (and so tracked by the gateway for backfill).
    let general: ChannelId = app.current.clone().expect("a channel is open");
    tokio::time::timeout(WAIT, async {
        while !app.timelines.get(&general).is_some_and(|t| t.loaded) {
            tokio::select! {
                Some(msg) = results_rx.recv() => apply(&mut app, msg),
                Some(event) = gateway_rx.recv() => {
                    observe(&event, &links_tx, &mut delivered);
                    apply(&mut app, gilt::runtime::gateway_msg(event));
                }
            }
        }
    })
    .await
    .expect("the first channel's history never loaded");

    let injector = tokio::spawn(
        Injector {
            server: Arc::clone(&server),
            ada,
            general: general.as_str().to_owned(),
            links: links_rx,
            posted: Vec::new(),
            recoveries: Vec::new(),
            faults: 0,
        }
        .run(),
    );
    tokio::pin!(injector);

    // The runtime's loop: gateway events and effect results into the reducer.
    let started = Instant::now();
    let mut report = None;
    let mut final_deadline = None;
    loop {
        tokio::select! {
            event = gateway_rx.recv() => {
                let event = event.expect("the gateway stopped");
                observe(&event, &links_tx, &mut delivered);
                apply(&mut app, gilt::runtime::gateway_msg(event));
            }
            Some(msg) = results_rx.recv() => apply(&mut app, msg),
            done = &mut injector, if report.is_none() => {
                report = Some(done.unwrap());
                final_deadline = Some(tokio::time::Instant::now() + WAIT);
            }
            () = tokio::time::sleep(Duration::from_millis(20)) => {}
        }
        if let Some(report) = &report {
            let timeline = app.timelines.get(&general);
            let all_in = timeline.is_some_and(|t| {
                report
                    .posted
                    .iter()
                    .all(|id| t.get(&id.as_str().into()).is_some())
            });
            if all_in {
                break;
            }
            if final_deadline.is_some_and(|d| tokio::time::Instant::now() > d) {
                let missing: Vec<&String> = report
                    .posted
                    .iter()
                    .filter(|id| timeline.is_none_or(|t| t.get(&id.as_str().into()).is_none()))
                    .collect();
                let loaded: Vec<(&ChannelId, usize)> =
                    app.timelines.iter().map(|(c, t)| (c, t.len())).collect();
                panic!(
                    "{} of {} messages never reached the timeline of {general} (first: {:?}); \
                     current {:?}, loaded {loaded:?}, {} delivered by the gateway",
                    missing.len(),
                    report.posted.len(),
                    &missing[..missing.len().min(3)],
                    app.current,
                    delivered.len()
                );
            }
        }
    }
    let report = report.unwrap();
    let took = started.elapsed();

    assert!(
        report.faults >= 1000,
        "only {} faults injected",
        report.faults
    );
    // No message lost and none twice: each posted id reached the reducer exactly once (live
    // or backfilled), and sits once in the timeline, in the order it was posted.
    for id in &report.posted {
        assert_eq!(
            delivered.get(id),
            Some(&1),
            "message {id} delivered {:?} times",
            delivered.get(id)
        );
    }
    let timeline = &app.timelines[&general];
    let positions: Vec<usize> = report
        .posted
        .iter()
        .map(|id| timeline.position(&id.as_str().into()).unwrap())
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "the timeline is out of order"
    );
    let ids: Vec<&str> = timeline.iter().map(|m| m.id.as_str()).collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "a message shows twice");
    let worst = report.recoveries.iter().max().copied().unwrap_or_default();
    eprintln!(
        "soak: {} faults, {} messages, {} link recoveries (worst {worst:?}) in {took:?}",
        report.faults,
        report.posted.len(),
        report.recoveries.len()
    );
    handle.shutdown(Duration::from_secs(5)).await;
    if let Some(server) = Arc::into_inner(server) {
        server.shutdown().await;
    }
}
