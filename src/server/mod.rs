//! The local Guilded-compatible server (REST + Engine.IO v3 gateway) for `--demo`, `gilt
//! demo-server` and the tests: real HTTP, real WebSockets, real frames. It may use
//! `protocol/` but nothing else of the client, and the client never depends on it.

mod actions;
mod auth;
mod content;
mod emit;
mod faults;
mod frames;
mod gateway;
mod handle;
mod hub;
pub mod media;
mod presence;
mod rest;
mod rng;
mod shapes;
mod sim;
mod store;
mod structure;
mod world;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};

pub use faults::{Faults, Outage, RestFault};
pub use handle::{ChannelInfo, ServerHandle, TeamInfo, WorldInfo};
pub use hub::SocketInfo;
pub use sim::SimAction;
pub use world::WorldError;

use faults::FaultState;
use hub::Hub;
use sim::Simulator;
use store::Store;
use world::World;

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    /// Sent in the hello; clients ping this often.
    pub ping_interval: Duration,
    /// Sent in the hello; a socket silent for interval + timeout is closed.
    pub ping_timeout: Duration,
    /// Run the simulated members on their own schedule.
    pub simulate: bool,
    /// Seed of the simulator's random schedule.
    pub seed: u64,
    /// REST requests per second above which the server answers 429.
    pub rate_limit_per_sec: Option<u32>,
    /// Largest WebSocket message accepted from a client, in bytes.
    pub max_frame_bytes: usize,
}

impl ServerConfig {
    /// The demo: loopback, random port, Guilded's timings, simulated members on.
    pub fn demo() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            ping_interval: Duration::from_secs(25),
            ping_timeout: Duration::from_secs(5),
            simulate: true,
            seed: 0x6117,
            rate_limit_per_sec: None,
            max_frame_bytes: 64 * 1024,
        }
    }

    /// Tests: loopback, random port, no simulation (drive it with `sim_step`).
    pub fn test() -> Self {
        Self {
            simulate: false,
            ..Self::demo()
        }
    }
}

/// Why the server could not start or restart.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    World(#[from] WorldError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server is not running")]
    Stopped,
}

/// A restart request: how long to stay down, and where to report the new address.
struct Restart {
    downtime: Duration,
    /// Stay down until this fires (instead of `downtime`), telling `down` once stopped.
    outage: Option<(oneshot::Sender<()>, oneshot::Receiver<()>)>,
    done: oneshot::Sender<Result<SocketAddr, ServerError>>,
}

/// State shared by every task of one server; survives restarts.
pub(crate) struct Shared {
    config: ServerConfig,
    store: Mutex<Store>,
    hub: Hub,
    faults: FaultState,
    sim: Mutex<Simulator>,
    addr: Mutex<SocketAddr>,
    restart_tx: mpsc::Sender<Restart>,
    rate: Mutex<rest::RateWindow>,
}

fn relock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A poisoned lock means a task panicked mid-update; keep serving with what is there
    // rather than taking the whole server down.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Shared {
    fn store(&self) -> MutexGuard<'_, Store> {
        relock(&self.store)
    }

    fn sim(&self) -> MutexGuard<'_, Simulator> {
        relock(&self.sim)
    }

    fn addr(&self) -> SocketAddr {
        *relock(&self.addr)
    }
}

/// Start the server; it runs on the current tokio runtime until `shutdown`.
pub async fn start(config: ServerConfig) -> Result<ServerHandle, ServerError> {
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|source| ServerError::Bind {
            addr: config.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServerError::Bind {
        addr: config.listen,
        source,
    })?;
    // The world's media links point at this server, so it is read once the address is known.
    let world = World::demo_at(&format!("http://{addr}"))?;
    let store = Store::from_world(&world, jiff::Timestamp::now())?;
    let (restart_tx, restart_rx) = mpsc::channel(4);
    let sim = Simulator::new(config.seed, &world);
    let shared = Arc::new(Shared {
        config,
        store: Mutex::new(store),
        hub: Hub::default(),
        faults: FaultState::default(),
        sim: Mutex::new(sim),
        addr: Mutex::new(addr),
        restart_tx,
        rate: Mutex::new(rest::RateWindow::default()),
    });
    let (stop_tx, stop_rx) = oneshot::channel();
    let supervisor = tokio::spawn(supervise(shared.clone(), listener, restart_rx, stop_rx));
    let sim_task = shared
        .config
        .simulate
        .then(|| tokio::spawn(sim::run(shared.clone())));
    tracing::info!(%addr, "server listening");
    Ok(ServerHandle::new(shared, stop_tx, supervisor, sim_task))
}

/// How long a stopping HTTP server may take to finish in-flight requests.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);

async fn serve_until(listener: TcpListener, shared: Arc<Shared>, stop: oneshot::Receiver<()>) {
    let app = rest::router(shared);
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = stop.await;
    });
    if let Err(e) = server.await {
        tracing::error!("http server failed: {e}");
    }
}

/// Runs the HTTP server, and stops/rebinds it on restart requests, keeping the data.
async fn supervise(
    shared: Arc<Shared>,
    mut listener: TcpListener,
    mut restart_rx: mpsc::Receiver<Restart>,
    mut stop_rx: oneshot::Receiver<()>,
) {
    loop {
        let (serve_stop_tx, serve_stop_rx) = oneshot::channel();
        let mut server = tokio::spawn(serve_until(listener, shared.clone(), serve_stop_rx));
        let restart = tokio::select! {
            _ = &mut stop_rx => None,
            r = restart_rx.recv() => r,
            _ = &mut server => {
                tracing::error!("http server ended on its own");
                None
            }
        };
        // Like a crashed process: sockets vanish without a close frame.
        shared.hub.kill_all();
        let _ = serve_stop_tx.send(());
        if tokio::time::timeout(DRAIN_TIMEOUT, &mut server)
            .await
            .is_err()
        {
            server.abort();
        }
        let Some(restart) = restart else {
            tracing::info!("server stopped");
            return;
        };
        match restart.outage {
            Some((down, resume)) => {
                let _ = down.send(());
                // Dropped without firing: come back too.
                let _ = resume.await;
            }
            None => tokio::time::sleep(restart.downtime).await,
        }
        let old = shared.addr();
        let rebound = match TcpListener::bind(old).await {
            Ok(l) => Ok(l),
            Err(e) => {
                tracing::warn!(%old, "cannot rebind the same port ({e}); taking a new one");
                let any = SocketAddr::new(old.ip(), 0);
                TcpListener::bind(any)
                    .await
                    .map_err(|source| ServerError::Bind { addr: any, source })
            }
        };
        match rebound.and_then(|l| {
            let addr = l
                .local_addr()
                .map_err(|source| ServerError::Bind { addr: old, source })?;
            Ok((l, addr))
        }) {
            Ok((l, addr)) => {
                *relock(&shared.addr) = addr;
                tracing::info!(%addr, "server restarted");
                let _ = restart.done.send(Ok(addr));
                listener = l;
            }
            Err(e) => {
                tracing::error!("restart failed: {e}");
                let _ = restart.done.send(Err(e));
                return;
            }
        }
    }
}
