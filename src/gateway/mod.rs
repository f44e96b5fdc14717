//! The gateway: one worker task per socket (the main socket, and one per team), each driving
//! a `protocol::link::GatewayLink` over a WebSocket, reconnecting with backoff, and fetching
//! what was missed over REST after every reconnect (IO shell).
//!
//! Rule: everything crosses the boundary as [`GatewayEvent`] (out, on a bounded channel that
//! applies backpressure) and [`GatewayCommand`] (in, through [`GatewayHandle`]). Workers never
//! panic on network input; a bad socket is closed and rebuilt.
//!
//! ```text
//! runtime ──GatewayHandle──► supervisor ──► worker(Main)   ──ws──► /socket.io/?…guildedClientId=…
//!    ▲                          │      └──► worker(Team t) ──ws──► /socket.io/?…&teamId=t
//!    └──── Receiver<GatewayEvent> ◄── workers + backfill tasks (ChatMessageCreated deduplicated)
//! ```

pub mod backfill;
pub mod backoff;
mod connect;
mod supervisor;
pub mod url;
pub mod wake;
mod worker;

use std::time::{Duration, SystemTime};

use jiff::Timestamp;
use tokio::sync::{mpsc, watch};

use crate::api::{ApiClient, ApiError};
use crate::protocol::events::GuildedEvent;
use crate::protocol::models::Message;
use crate::protocol::{ChannelId, MessageId, TeamId};

pub use backoff::BackoffConfig;
pub use worker::RECONNECT_PROBE_TIMEOUT;

/// Which socket an event or status belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SocketKind {
    /// The user's main socket: chat, typing, reactions, DMs, presence, `USER_TEAMS_UPDATED`.
    Main,
    /// A team's socket (`&teamId=`): team member and channel updates of that team.
    Team(TeamId),
}

impl std::fmt::Display for SocketKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SocketKind::Main => f.write_str("main"),
            SocketKind::Team(id) => write!(f, "team {id}"),
        }
    }
}

/// The state of one socket's link as the gateway reports it (the runtime turns it into the
/// app's `LinkStatus` for the status bar).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SocketState {
    /// Opening the WebSocket (first time or after a wait).
    Connecting,
    /// Hello and `40` received: events flow.
    Connected,
    /// The link was lost (or never came up); the next attempt starts in `in_ms`.
    Reconnecting {
        /// Milliseconds until the next attempt.
        in_ms: u64,
        /// Why the previous link ended, for people ("heartbeat timeout", "connection refused").
        reason: String,
    },
    /// Stopped for good: shutdown, the team was left, or the session is invalid.
    Offline,
}

/// What the gateway tells the runtime. Delivered in order per socket on a bounded channel.
#[derive(Debug, Clone)]
pub enum GatewayEvent {
    /// A socket's link changed state. The main socket's state is the one to show; team
    /// sockets matter only for team member/channel updates.
    Link {
        socket: SocketKind,
        state: SocketState,
    },
    /// A live event from a socket. `ChatMessageCreated` is passed at most once per message id
    /// (across sockets, reconnects and backfill), and it advances the tracked channel's
    /// newest timestamp. Team joins and leaves (`USER_TEAMS_UPDATED`) are only passed on:
    /// the runtime decides which team sockets to open ([`GatewayHandle::open_team`]).
    Event {
        socket: SocketKind,
        event: GuildedEvent,
    },
    /// Messages of a tracked channel that arrived while the main link was down (or between
    /// the REST load and the socket coming up), oldest first, none of them emitted before.
    /// Merge them as if they had arrived live.
    Backfill {
        channel_id: ChannelId,
        messages: Vec<Message>,
    },
    /// Fetching missed messages of a channel failed (not an auth problem); a `Gap` follows.
    BackfillFailed {
        channel_id: ChannelId,
        error: ApiError,
    },
    /// Messages of a tracked channel are known missing after `after` (a failed backfill, or
    /// one capped at `backfill_max_pages`): the gateway keeps trying to fill it. `after: None`
    /// means the gap was filled.
    Gap {
        channel_id: ChannelId,
        after: Option<jiff::Timestamp>,
    },
    /// The server refused the session (HTTP 400/401 on the main socket's upgrade, or a 401
    /// while backfilling). Every worker has stopped; log in again, then `spawn` anew.
    SessionInvalid { reason: String },
}

impl GatewayEvent {
    /// For a live `ChatMessageCreated`: its (channel id, message id).
    pub fn chat_message_created(&self) -> Option<(ChannelId, MessageId)> {
        match self {
            GatewayEvent::Event { event, .. } => {
                worker::chat_message_key(event).map(|(channel, id, _)| (channel, id))
            }
            _ => None,
        }
    }
}

/// What the runtime asks of the gateway (see the [`GatewayHandle`] methods).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatewayCommand {
    /// Send `42["ChatChannelTyping",{"channelId":…}]` on the main socket (dropped silently
    /// while the link is down: a late typing notice would be wrong).
    Typing { channel_id: ChannelId },
    /// Backfill this channel after every reconnect, from `newest` (the `createdAt` of the
    /// newest message the UI has; `None` = it has none). Re-sending updates `newest` only if
    /// it is later than what the gateway already knows.
    TrackChannel {
        channel_id: ChannelId,
        newest: Option<Timestamp>,
    },
    /// Stop backfilling this channel (it was unloaded).
    UntrackChannel { channel_id: ChannelId },
    /// The teams whose sockets should be open (replaces the set; `/me` at start-up).
    SetTeams { team_ids: Vec<TeamId> },
    /// Open a team's socket (a team we joined), or restart it if it gave up.
    OpenTeam { team_id: TeamId },
    /// Close a team's socket (a team we left).
    CloseTeam { team_id: TeamId },
    /// The network is back (the user says so): every socket waiting out its backoff tries at
    /// once, an attempt under way starts over, and a connected socket is checked with a ping
    /// and rebuilt unless it answers within [`RECONNECT_PROBE_TIMEOUT`] (a healthy link is
    /// kept; a rebuilt main link backfills what it missed, as after any reconnect).
    Reconnect,
    /// Close every socket (`42["logout"]`, then close code 1000) and stop.
    Shutdown,
}

/// Gateway settings. `GatewayConfig::new(url, teams)` gives the production defaults.
#[derive(Debug, Clone)]
pub struct GatewayConfig {
    /// Gateway base URL, `wss://api.guilded.gg` (the worker appends `/socket.io/?…`).
    pub gateway_url: String,
    /// Teams whose sockets open at start.
    pub team_ids: Vec<TeamId>,
    /// Reconnect delays.
    pub backoff: BackoffConfig,
    /// Capacity of the event channel to the runtime.
    pub event_capacity: usize,
    /// Largest WebSocket message (and frame) accepted; bigger ones close the socket.
    pub max_message_size: usize,
    /// Timeout for TCP connect + TLS + WebSocket upgrade.
    pub connect_timeout: Duration,
    /// Messages per backfill page (`limit`).
    pub backfill_page_size: u32,
    /// Pages fetched per channel at most per attempt; what is left is a gap, fetched again.
    pub backfill_max_pages: u32,
    /// The first wait before an open gap is fetched again (doubling, at most 60 s).
    pub gap_retry: Duration,
    /// The wall clock, compared with the monotonic one to notice a wake from suspend
    /// (`SystemTime::now`; tests substitute a clock that jumps).
    pub wall_clock: fn() -> SystemTime,
}

impl GatewayConfig {
    /// Defaults for the real service.
    pub fn new(gateway_url: impl Into<String>, team_ids: Vec<TeamId>) -> Self {
        GatewayConfig {
            gateway_url: gateway_url.into(),
            team_ids,
            backoff: BackoffConfig::default(),
            event_capacity: 256,
            max_message_size: 1 << 20,
            connect_timeout: Duration::from_secs(15),
            backfill_page_size: 100,
            backfill_max_pages: 10,
            gap_retry: Duration::from_secs(2),
            wall_clock: SystemTime::now,
        }
    }
}

/// Why the gateway could not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    #[error("not logged in: the session has no guilded_mid cookie")]
    NoClientId,
    #[error(transparent)]
    Url(#[from] url::GatewayUrlError),
    #[error(
        "the session cookie would not be sent to the gateway at {0} (its host differs from the \
         API's, or the cookie is Secure and the gateway URL is ws://): give the gateway the \
         API's host, with wss:// for an https:// API"
    )]
    NoCookieForGateway(String),
}

/// The runtime's side of the gateway. Cheap to clone; dropping every clone shuts it down.
#[derive(Debug, Clone)]
pub struct GatewayHandle {
    commands: mpsc::UnboundedSender<GatewayCommand>,
    stopped: watch::Receiver<bool>,
}

impl GatewayHandle {
    /// Send any command. Returns false when the gateway has already stopped.
    pub fn send(&self, command: GatewayCommand) -> bool {
        self.commands.send(command).is_ok()
    }

    /// A typing notice for `channel_id` (throttling is the caller's job).
    pub fn typing(&self, channel_id: impl Into<ChannelId>) {
        self.send(GatewayCommand::Typing {
            channel_id: channel_id.into(),
        });
    }

    /// Keep `channel_id` complete across reconnects, knowing its newest message so far.
    pub fn track_channel(&self, channel_id: impl Into<ChannelId>, newest: Option<Timestamp>) {
        self.send(GatewayCommand::TrackChannel {
            channel_id: channel_id.into(),
            newest,
        });
    }

    /// Forget `channel_id` for backfill.
    pub fn untrack_channel(&self, channel_id: impl Into<ChannelId>) {
        self.send(GatewayCommand::UntrackChannel {
            channel_id: channel_id.into(),
        });
    }

    /// Open sockets for exactly these teams (closing the others).
    pub fn set_teams(&self, team_ids: Vec<TeamId>) {
        self.send(GatewayCommand::SetTeams { team_ids });
    }

    /// Open the socket of a team we joined (or restart it if it gave up); the others stay.
    pub fn open_team(&self, team_id: impl Into<TeamId>) {
        self.send(GatewayCommand::OpenTeam {
            team_id: team_id.into(),
        });
    }

    /// Close the socket of a team we left; the others stay.
    pub fn close_team(&self, team_id: impl Into<TeamId>) {
        self.send(GatewayCommand::CloseTeam {
            team_id: team_id.into(),
        });
    }

    /// Reconnect now wherever a link is down or doubtful (see [`GatewayCommand::Reconnect`]).
    pub fn reconnect(&self) {
        self.send(GatewayCommand::Reconnect);
    }

    /// Whether the gateway has stopped (shutdown or invalid session).
    pub fn is_stopped(&self) -> bool {
        *self.stopped.borrow()
    }

    /// Close every socket with code 1000 (after `42["logout"]`) and wait, at most `timeout`,
    /// until all workers have finished.
    pub async fn shutdown(mut self, timeout: Duration) {
        self.send(GatewayCommand::Shutdown);
        let _ = tokio::time::timeout(timeout, self.stopped.wait_for(|stopped| *stopped)).await;
    }
}

/// Start the gateway for a logged-in `api` client: the main socket, one socket per
/// `config.team_ids`, and backfill through `api`. Must be called inside a tokio runtime.
pub fn spawn(
    config: GatewayConfig,
    api: ApiClient,
) -> Result<(GatewayHandle, mpsc::Receiver<GatewayEvent>), GatewayError> {
    let client_id = api.session().client_id().ok_or(GatewayError::NoClientId)?;
    // Validate the URL once here, so a typo is an error at start rather than a retry loop; and
    // a gateway the session cookie would not be sent to would refuse every upgrade.
    let main_url = url::socket_url(&config.gateway_url, &client_id, None)?;
    let cookie_sent = api
        .session()
        .gateway_cookie_header(&main_url)
        .is_some_and(|header| {
            header
                .split("; ")
                .any(|pair| pair.starts_with(&format!("{}=", crate::api::session::SESSION_COOKIE)))
        });
    if !cookie_sent {
        return Err(GatewayError::NoCookieForGateway(config.gateway_url));
    }
    let (events_tx, events_rx) = mpsc::channel(config.event_capacity.max(1));
    let (commands_tx, commands_rx) = mpsc::unbounded_channel();
    let (stopped_tx, stopped_rx) = watch::channel(false);
    let handle = GatewayHandle {
        commands: commands_tx,
        stopped: stopped_rx,
    };
    tokio::spawn(supervisor::run(supervisor::Setup {
        config,
        api,
        client_id,
        events_tx,
        commands_rx,
        stopped_tx,
    }));
    Ok((handle, events_rx))
}
