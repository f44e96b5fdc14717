//! The supervisor: owns the worker tasks (main + one per team), routes the runtime's commands
//! to them, opens and closes team sockets when told to, and runs the backfill after each
//! main-socket reconnect.
//!
//! Rule: the only task that starts or stops workers; state shared with workers (the tracker)
//! sits behind a mutex that is never held across an await.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::backfill::{Fill, Tracker, fetch_missed};
use super::worker::{self, WorkerCommand};
use super::{GatewayCommand, GatewayConfig, GatewayEvent, SocketKind, SocketState};
use crate::api::{ApiClient, ApiError};
use crate::protocol::TeamId;
use crate::protocol::events::GuildedEvent;

/// What workers and backfill tasks tell the supervisor.
#[derive(Debug)]
pub(crate) enum Internal {
    SessionInvalid(String),
}

/// State every worker of one gateway shares.
pub(crate) struct Shared {
    pub config: GatewayConfig,
    pub api: ApiClient,
    pub client_id: String,
    pub events_tx: mpsc::Sender<GatewayEvent>,
    pub internal_tx: mpsc::UnboundedSender<Internal>,
    tracker: Mutex<Tracker>,
    /// Running backfill fetches, aborted at shutdown.
    backfills: Mutex<Vec<tokio::task::AbortHandle>>,
    /// A presence ping is on its way.
    pinging: std::sync::atomic::AtomicBool,
}

impl Shared {
    fn tracker(&self) -> MutexGuard<'_, Tracker> {
        // A panic while holding the lock cannot leave the bookkeeping half-updated in a way
        // that matters more than losing the gateway: keep going with the data as it is.
        self.tracker
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn backfills(&self) -> MutexGuard<'_, Vec<tokio::task::AbortHandle>> {
        self.backfills
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Send an event to the runtime, waiting while its channel is full (backpressure).
    /// False when the runtime is gone.
    pub async fn emit(&self, event: GatewayEvent) -> bool {
        self.events_tx.send(event).await.is_ok()
    }

    pub async fn emit_link(&self, socket: &SocketKind, state: SocketState) -> bool {
        self.emit(GatewayEvent::Link {
            socket: socket.clone(),
            state,
        })
        .await
    }

    /// Pass a live event on, unless it is a `ChatMessageCreated` already emitted. False when
    /// the runtime is gone.
    pub async fn pass_event(&self, socket: &SocketKind, event: GuildedEvent) -> bool {
        // Only the main socket's stream advances a channel's newest timestamp: the backfill
        // after a main reconnect starts there, and a team socket (should it ever carry chat)
        // could be ahead of a gap on the main one.
        if let Some((channel_id, message_id, created_at)) = worker::chat_message_key(&event)
            && !self.tracker().admit_live(
                &channel_id,
                &message_id,
                created_at.filter(|_| *socket == SocketKind::Main),
            )
        {
            tracing::debug!(%socket, %message_id, "duplicate ChatMessageCreated dropped");
            return true;
        }
        self.emit(GatewayEvent::Event {
            socket: socket.clone(),
            event,
        })
        .await
    }

    /// Fetch, for every tracked channel, what arrived after its newest message (or what is
    /// still missing of an earlier gap). The fills are taken now, before the new link
    /// delivers any live event. Gaps left (capped at `backfill_max_pages`, or failed) are
    /// announced and tried again after `gap_retry`, doubling, [`GAP_RETRIES`] times;
    /// a gap still open then waits for the next reconnect.
    pub fn start_backfill(self: &Arc<Self>) {
        let fills = self.tracker().fills();
        if fills.is_empty() {
            return;
        }
        let shared = Arc::clone(self);
        let task = tokio::spawn(async move {
            let mut fills = fills;
            let mut wait = shared.config.gap_retry;
            for attempt in 0..=GAP_RETRIES {
                if attempt > 0 {
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(GAP_RETRY_MAX);
                    fills = shared.tracker().gap_fills();
                }
                for fill in &fills {
                    if !shared.fill(fill).await {
                        return;
                    }
                }
                if shared.tracker().gap_fills().is_empty() {
                    return;
                }
            }
        });
        let mut running = self.backfills();
        running.retain(|t| !t.is_finished());
        running.push(task.abort_handle());
    }

    /// The main socket sent a heartbeat: tell the server we are still here
    /// (`PUT /users/me/ping`, as the web client did), so others see us online. A failure is
    /// only logged: presence is not worth a reconnect. One ping at a time; a heartbeat that
    /// comes while the last one is still on its way is skipped.
    pub fn ping_presence(self: &Arc<Self>) {
        if self.pinging.swap(true, std::sync::atomic::Ordering::AcqRel) {
            return;
        }
        let shared = Arc::clone(self);
        tokio::spawn(async move {
            if let Err(e) = shared.api.ping().await {
                tracing::debug!(error = %e, "presence ping failed");
            }
            shared
                .pinging
                .store(false, std::sync::atomic::Ordering::Release);
        });
    }

    /// Fetch one channel's missed messages and pass them on, with the gap left (if any).
    /// False when the runtime is gone or the session was refused.
    async fn fill(&self, fill: &Fill) -> bool {
        let channel_id = fill.channel_id.clone();
        let fetched = fetch_missed(
            &self.api,
            fill,
            self.config.backfill_page_size,
            self.config.backfill_max_pages,
        )
        .await;
        let (events, gap) = match fetched {
            Ok((messages, fetched_to)) => {
                let mut tracker = self.tracker();
                let fresh = tracker.admit_backfill(&channel_id, fill.after, messages);
                let gap = tracker.fill_done(fill, fetched_to);
                drop(tracker);
                let mut events = Vec::new();
                if !fresh.is_empty() {
                    tracing::info!(%channel_id, count = fresh.len(), "backfilled missed messages");
                    events.push(GatewayEvent::Backfill {
                        channel_id: channel_id.clone(),
                        messages: fresh,
                    });
                }
                (events, gap)
            }
            Err(ApiError::Unauthorized) => {
                let _ = self
                    .internal_tx
                    .send(Internal::SessionInvalid(ApiError::Unauthorized.to_string()));
                return false;
            }
            Err(error) => {
                tracing::warn!(%channel_id, %error, "backfill failed");
                let gap = self.tracker().fill_failed(fill);
                (
                    vec![GatewayEvent::BackfillFailed {
                        channel_id: channel_id.clone(),
                        error,
                    }],
                    gap,
                )
            }
        };
        for event in events {
            if !self.emit(event).await {
                return false;
            }
        }
        // The UI shows a "missing messages" row while a gap is open, and drops it once filled.
        let had_gap = fill.after.is_some() && (fill.before.is_some() || gap.is_some());
        if gap.is_some() || had_gap {
            return self
                .emit(GatewayEvent::Gap {
                    channel_id,
                    after: gap.map(|g| g.after),
                })
                .await;
        }
        true
    }
}

/// The longest wait between two attempts at a gap.
const GAP_RETRY_MAX: Duration = Duration::from_secs(60);
/// Retries of an open gap after one reconnect (by default 2 s … 60 s, about 3 minutes).
const GAP_RETRIES: u32 = 6;

/// Everything `spawn` hands to the supervisor task.
pub(crate) struct Setup {
    pub config: GatewayConfig,
    pub api: ApiClient,
    pub client_id: String,
    pub events_tx: mpsc::Sender<GatewayEvent>,
    pub commands_rx: mpsc::UnboundedReceiver<GatewayCommand>,
    pub stopped_tx: watch::Sender<bool>,
}

struct Worker {
    commands: mpsc::UnboundedSender<WorkerCommand>,
    task: JoinHandle<()>,
}

fn start(kind: SocketKind, shared: &Arc<Shared>) -> Worker {
    let (commands, commands_rx) = mpsc::unbounded_channel();
    let task = tokio::spawn(worker::run(kind, Arc::clone(shared), commands_rx));
    Worker { commands, task }
}

/// Make sure a team's worker runs: start it if absent, restart it if it gave up (a team
/// socket refused earlier, e.g. before the membership was complete).
/// At most this many team sockets at once (one per team; a hostile server's team list must
/// not open thousands). Teams beyond it get no socket and are logged.
pub(crate) const MAX_TEAM_SOCKETS: usize = 64;

fn ensure_team(teams: &mut HashMap<TeamId, Worker>, team: TeamId, shared: &Arc<Shared>) {
    let full = teams.len() >= MAX_TEAM_SOCKETS;
    match teams.entry(team) {
        std::collections::hash_map::Entry::Vacant(slot) if full => {
            tracing::warn!(team = %slot.key(), "more than {MAX_TEAM_SOCKETS} team sockets; not opening this one");
        }
        std::collections::hash_map::Entry::Vacant(slot) => {
            let worker = start(SocketKind::Team(slot.key().clone()), shared);
            slot.insert(worker);
        }
        std::collections::hash_map::Entry::Occupied(mut slot) if slot.get().task.is_finished() => {
            let worker = start(SocketKind::Team(slot.key().clone()), shared);
            slot.insert(worker);
        }
        std::collections::hash_map::Entry::Occupied(_) => {}
    }
}

async fn stop(worker: Worker) {
    let _ = worker.commands.send(WorkerCommand::Shutdown);
    if let Err(e) = worker.task.await
        && e.is_panic()
    {
        tracing::error!("a gateway worker panicked: {e}");
    }
}

/// The supervisor task.
pub(crate) async fn run(setup: Setup) {
    let Setup {
        config,
        api,
        client_id,
        events_tx,
        mut commands_rx,
        stopped_tx,
    } = setup;
    let (internal_tx, mut internal_rx) = mpsc::unbounded_channel();
    let initial_teams = config.team_ids.clone();
    let shared = Arc::new(Shared {
        config,
        api,
        client_id,
        events_tx,
        internal_tx,
        tracker: Mutex::new(Tracker::default()),
        backfills: Mutex::new(Vec::new()),
        pinging: std::sync::atomic::AtomicBool::new(false),
    });
    let main = start(SocketKind::Main, &shared);
    let mut teams: HashMap<TeamId, Worker> = HashMap::new();
    for team in initial_teams {
        ensure_team(&mut teams, team, &shared);
    }
    let mut session_invalid = None;
    loop {
        tokio::select! {
            command = commands_rx.recv() => match command {
                None | Some(GatewayCommand::Shutdown) => break,
                Some(GatewayCommand::Typing { channel_id }) => {
                    let _ = main.commands.send(WorkerCommand::Typing(channel_id));
                }
                Some(GatewayCommand::TrackChannel { channel_id, newest }) => {
                    shared.tracker().track(&channel_id, newest);
                }
                Some(GatewayCommand::UntrackChannel { channel_id }) => {
                    shared.tracker().untrack(&channel_id);
                }
                Some(GatewayCommand::SetTeams { team_ids }) => {
                    let gone: Vec<TeamId> = teams
                        .keys()
                        .filter(|t| !team_ids.contains(t))
                        .cloned()
                        .collect();
                    for team in gone {
                        if let Some(worker) = teams.remove(&team) {
                            stop(worker).await;
                        }
                    }
                    for team in team_ids {
                        ensure_team(&mut teams, team, &shared);
                    }
                }
                Some(GatewayCommand::OpenTeam { team_id }) => {
                    ensure_team(&mut teams, team_id, &shared);
                }
                Some(GatewayCommand::CloseTeam { team_id }) => {
                    if let Some(worker) = teams.remove(&team_id) {
                        stop(worker).await;
                    }
                }
                Some(GatewayCommand::Reconnect) => {
                    for worker in std::iter::once(&main).chain(teams.values()) {
                        let _ = worker.commands.send(WorkerCommand::Reconnect);
                    }
                }
            },
            Some(Internal::SessionInvalid(reason)) = internal_rx.recv() => {
                session_invalid = Some(reason);
                break;
            }
        }
    }
    // Tell every worker first, then wait: their close handshakes run side by side.
    let all: Vec<Worker> = std::iter::once(main)
        .chain(teams.drain().map(|(_, w)| w))
        .collect();
    for worker in &all {
        let _ = worker.commands.send(WorkerCommand::Shutdown);
    }
    for worker in all {
        stop(worker).await;
    }
    for task in shared.backfills().drain(..) {
        task.abort();
    }
    if let Some(reason) = session_invalid {
        shared.emit(GatewayEvent::SessionInvalid { reason }).await;
    }
    let _ = stopped_tx.send(true);
}
