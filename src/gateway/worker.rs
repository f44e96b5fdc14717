//! One socket's worker: connect, drive the sans-IO `GatewayLink` with a single timer, pass events
//! on, and on any loss wait out the backoff and connect again, until told to stop.
//!
//! Rule: one `select!` over the socket, the link's next deadline and the commands; no
//! polling loop. A reconnect we choose closes with 4000 (the session stays valid); quitting
//! sends `42["logout"]` and closes with 1000. The wait before a reconnect is the backoff's
//! (failed attempts only — a link that dies before it proved healthy is one; a healthy link
//! that drops is back within a quarter second); a "reconnect now" from the user skips it.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use super::backoff::{Backoff, jitter_rng};
use super::connect::{self, Socket};
use super::supervisor::{Internal, Shared};
use super::wake::WakeDetector;
use super::{SocketKind, SocketState};
use crate::protocol::events::GuildedEvent;
use crate::protocol::link::{CloseReason, DeadReason, GatewayLink, LinkEvent};
use crate::protocol::{ChannelId, MessageId};

/// Close code for a reconnect the client chooses: not 1000/1001, so the server keeps the
/// session (docs/PROTOCOL.md, "Close codes gilt uses").
pub const RECONNECT_CLOSE_CODE: u16 = 4000;

/// How long a connected link has to answer a "reconnect now" check before it is rebuilt: long
/// enough for a pong over a slow mobile link, short enough that the user who asked sees the
/// reconnect follow promptly.
pub const RECONNECT_PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// What the supervisor tells one worker.
#[derive(Debug)]
pub(crate) enum WorkerCommand {
    Typing(ChannelId),
    /// The user says the network is back: skip the backoff, start a pending attempt over,
    /// and check a connected link (rebuilt unless it answers within
    /// [`RECONNECT_PROBE_TIMEOUT`]).
    Reconnect,
    Shutdown,
}

/// How one link ended.
enum LinkEnd {
    /// Lost for this reason; reconnect after the backoff. `connected_for`: how long it had
    /// been connected, if it got that far; `answered_ping`: whether the server answered a
    /// ping of ours after that.
    Lost {
        reason: String,
        connected_for: Option<Duration>,
        answered_ping: bool,
    },
    /// Given up because the user asked for a reconnect (it was not connected yet, or did not
    /// answer the check): reconnect at once.
    Abandoned(String),
    /// Told to stop (or the runtime went away): the socket was closed with 1000.
    Stopped,
}

/// Run one socket until shutdown, the end of the runtime, or a refused session.
pub(crate) async fn run(
    kind: SocketKind,
    shared: Arc<Shared>,
    mut commands: mpsc::UnboundedReceiver<WorkerCommand>,
) {
    let team = match &kind {
        SocketKind::Main => None,
        SocketKind::Team(id) => Some(id),
    };
    let url = match super::url::socket_url(&shared.config.gateway_url, &shared.client_id, team) {
        Ok(url) => url,
        Err(e) => {
            tracing::error!(socket = %kind, error = %e, "cannot build the gateway URL");
            shared.emit_link(&kind, SocketState::Offline).await;
            return;
        }
    };
    let cookie = shared.api.session().gateway_cookie_header(&url);
    let mut backoff = Backoff::new(shared.config.backoff.clone(), jitter_rng());
    'attempts: loop {
        if !shared.emit_link(&kind, SocketState::Connecting).await {
            return;
        }
        let connect = connect::open(
            &url,
            cookie.as_deref(),
            shared.config.max_message_size,
            shared.config.connect_timeout,
        );
        tokio::pin!(connect);
        let opened = loop {
            tokio::select! {
                opened = &mut connect => break opened,
                command = commands.recv() => match command {
                    Some(WorkerCommand::Shutdown) | None => {
                        shared.emit_link(&kind, SocketState::Offline).await;
                        return;
                    }
                    // The attempt may be stuck on the route that went away: start it over.
                    Some(WorkerCommand::Reconnect) => {
                        tracing::info!(socket = %kind, "reconnect requested; connecting afresh");
                        continue 'attempts;
                    }
                    // A typing notice while connecting would be stale by the time we are up.
                    Some(WorkerCommand::Typing(_)) => {}
                },
            }
        };
        let (reason, delay) = match opened {
            Ok(socket) => match drive(&kind, socket, &shared, &mut commands).await {
                LinkEnd::Stopped => {
                    shared.emit_link(&kind, SocketState::Offline).await;
                    return;
                }
                LinkEnd::Lost {
                    reason,
                    connected_for: Some(connected_for),
                    answered_ping,
                } => (
                    reason,
                    backoff.after_lost_link(connected_for, answered_ping),
                ),
                LinkEnd::Lost {
                    reason,
                    connected_for: None,
                    ..
                } => (reason, backoff.after_failed_attempt()),
                LinkEnd::Abandoned(reason) => (reason, Duration::ZERO),
            },
            Err(e) if e.is_session_refusal() && refusal_ends_session(&kind, &e) => {
                tracing::warn!(socket = %kind, error = %e, "gateway refused the session");
                let reason = e.to_string();
                let _ = shared.internal_tx.send(Internal::SessionInvalid(reason));
                shared.emit_link(&kind, SocketState::Offline).await;
                return;
            }
            Err(e) if e.is_session_refusal() => {
                // A team socket refused while the session is fine: not (or no longer) our
                // team. Retrying would only hammer the server.
                tracing::warn!(socket = %kind, error = %e, "team socket refused; giving up on it");
                shared.emit_link(&kind, SocketState::Offline).await;
                return;
            }
            Err(e) => (e.to_string(), backoff.after_failed_attempt()),
        };
        tracing::info!(socket = %kind, %reason, ?delay, failures = backoff.failures(), "gateway link lost; reconnecting");
        if delay.is_zero() {
            continue;
        }
        let state = SocketState::Reconnecting {
            in_ms: u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            reason,
        };
        if !shared.emit_link(&kind, state).await {
            return;
        }
        let deadline = Instant::now() + delay;
        loop {
            tokio::select! {
                () = tokio::time::sleep_until(deadline) => break,
                command = commands.recv() => match command {
                    Some(WorkerCommand::Shutdown) | None => {
                        shared.emit_link(&kind, SocketState::Offline).await;
                        return;
                    }
                    Some(WorkerCommand::Reconnect) => {
                        tracing::info!(socket = %kind, "reconnect requested; skipping the wait");
                        break;
                    }
                    Some(WorkerCommand::Typing(_)) => {}
                },
            }
        }
    }
}

/// A 401 anywhere, or a 400/403 on the main socket, means the session itself is refused.
fn refusal_ends_session(kind: &SocketKind, error: &connect::ConnectError) -> bool {
    matches!(kind, SocketKind::Main) || matches!(error, connect::ConnectError::Refused(401))
}

fn now() -> std::time::Instant {
    Instant::now().into_std()
}

/// Drive one open socket until it ends.
async fn drive(
    kind: &SocketKind,
    socket: Socket,
    shared: &Arc<Shared>,
    commands: &mut mpsc::UnboundedReceiver<WorkerCommand>,
) -> LinkEnd {
    let (mut sink, mut stream) = socket.split();
    let mut link = GatewayLink::new(now());
    let mut wake = WakeDetector::new(
        (shared.config.wall_clock)(),
        now(),
        WakeDetector::threshold_for(Duration::from_secs(25)),
    );
    let mut connected_at: Option<Instant> = None;
    let mut protocol_errors = 0;
    let mut heartbeats = 0;
    loop {
        while let Some(frame) = link.poll_transmit() {
            if let Err(e) = sink.send(WsMessage::text(frame)).await {
                return lost(
                    format!("write failed: {e}"),
                    connected_at,
                    link.answered_ping(),
                );
            }
        }
        // Each heartbeat of the main socket also says "still here" over REST.
        if link.heartbeats() > heartbeats {
            heartbeats = link.heartbeats();
            if *kind == SocketKind::Main && connected_at.is_some() {
                shared.ping_presence();
            }
        }
        if link.protocol_errors() > protocol_errors {
            protocol_errors = link.protocol_errors();
            if let Some(error) = link.last_error() {
                tracing::warn!(socket = %kind, %error, count = protocol_errors, "bad gateway frame skipped");
            }
        }
        while let Some(event) = link.poll_event() {
            match event {
                LinkEvent::Open(hello) => {
                    wake.set_threshold(WakeDetector::threshold_for(hello.ping_interval));
                }
                LinkEvent::Connected => {
                    connected_at = Some(Instant::now());
                    tracing::info!(socket = %kind, "gateway link up");
                    if !shared.emit_link(kind, SocketState::Connected).await {
                        close(&mut sink, 1000).await;
                        return LinkEnd::Stopped;
                    }
                    if *kind == SocketKind::Main {
                        shared.start_backfill();
                    }
                }
                LinkEvent::Event(event) => {
                    if !shared.pass_event(kind, event).await {
                        close(&mut sink, 1000).await;
                        return LinkEnd::Stopped;
                    }
                }
                LinkEvent::Dead(reason @ DeadReason::ProbeUnanswered { .. }) => {
                    close(&mut sink, RECONNECT_CLOSE_CODE).await;
                    return LinkEnd::Abandoned(reason.to_string());
                }
                LinkEvent::Dead(reason) => {
                    close(&mut sink, RECONNECT_CLOSE_CODE).await;
                    return lost(reason.to_string(), connected_at, link.answered_ping());
                }
                LinkEvent::Closed(CloseReason::Logout) => {
                    close(&mut sink, 1000).await;
                    return LinkEnd::Stopped;
                }
                LinkEvent::Closed(reason) => {
                    close(&mut sink, RECONNECT_CLOSE_CODE).await;
                    return lost(reason.to_string(), connected_at, link.answered_ping());
                }
            }
        }
        if wake.check((shared.config.wall_clock)(), now()) {
            close(&mut sink, RECONNECT_CLOSE_CODE).await;
            return lost(
                "the computer was asleep",
                connected_at,
                link.answered_ping(),
            );
        }
        let deadline = link.poll_timeout().map(Instant::from_std);
        tokio::select! {
            message = stream.next() => match message {
                Some(Ok(WsMessage::Text(text))) => link.handle_frame(text.as_str(), now()),
                Some(Ok(WsMessage::Binary(bytes))) => {
                    // Engine.IO v3 over a WebSocket is text; binary would be a Socket.IO
                    // attachment, which Guilded never sends.
                    tracing::warn!(socket = %kind, len = bytes.len(), "binary gateway frame skipped");
                }
                Some(Ok(WsMessage::Close(frame))) => {
                    let code = frame.as_ref().map_or(1005, |f| u16::from(f.code));
                    return lost(format!("the server closed the socket (code {code})"), connected_at, link.answered_ping());
                }
                // WebSocket pings are answered by tungstenite itself.
                Some(Ok(WsMessage::Ping(_) | WsMessage::Pong(_) | WsMessage::Frame(_))) => {}
                Some(Err(e)) => {
                    // Too big, invalid UTF-8, protocol violation, reset: the stream is unusable.
                    close(&mut sink, RECONNECT_CLOSE_CODE).await;
                    return lost(e.to_string(), connected_at, link.answered_ping());
                }
                None => {
                    return lost("the connection was closed", connected_at, link.answered_ping());
                }
            },
            () = sleep_until_deadline(deadline) => link.handle_timeout(now()),
            command = commands.recv() => match command {
                Some(WorkerCommand::Typing(channel_id)) => {
                    if let Err(e) = link.send_typing(&channel_id) {
                        tracing::debug!(socket = %kind, error = %e, "typing notice dropped");
                    }
                }
                Some(WorkerCommand::Reconnect) => {
                    // A connected link is checked rather than dropped: if it is fine, nothing
                    // is lost by keeping it. One that is not connected yet starts over.
                    if link.probe(now(), RECONNECT_PROBE_TIMEOUT).is_err() {
                        close(&mut sink, RECONNECT_CLOSE_CODE).await;
                        return LinkEnd::Abandoned("reconnect requested".into());
                    }
                    tracing::info!(socket = %kind, "reconnect requested; checking the link");
                }
                Some(WorkerCommand::Shutdown) | None => {
                    // Queues 42["logout"] when connected; the Closed(Logout) event closes 1000.
                    link.close();
                }
            },
        }
    }
}

/// A link lost for `reason`, with how long it had been connected (if it got that far) and
/// whether it answered a ping.
fn lost(reason: impl Into<String>, connected_at: Option<Instant>, answered_ping: bool) -> LinkEnd {
    LinkEnd::Lost {
        reason: reason.into(),
        connected_for: connected_at.map(|at| Instant::now().saturating_duration_since(at)),
        answered_ping,
    }
}

async fn sleep_until_deadline(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// Send a close frame with `code` and flush; errors are moot (the link is going anyway).
async fn close<S>(sink: &mut S, code: u16)
where
    S: futures_util::Sink<WsMessage> + Unpin,
{
    let frame = CloseFrame {
        code: CloseCode::from(code),
        reason: "".into(),
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let _ = sink.send(WsMessage::Close(Some(frame))).await;
        let _ = sink.close().await;
    })
    .await;
}

/// A `ChatMessageCreated`'s (channel id, message id, createdAt), for dedup and tracking.
pub(crate) fn chat_message_key(
    event: &GuildedEvent,
) -> Option<(ChannelId, MessageId, Option<jiff::Timestamp>)> {
    let GuildedEvent::ChatMessageCreated(created) = event else {
        return None;
    };
    // The decoder guarantees both ids and leaves the epoch where no `createdAt` was valid.
    let message = &created.message;
    let created_at = Some(message.created_at).filter(|t| *t != jiff::Timestamp::UNIX_EPOCH);
    Some((message.channel_id.clone(), message.id.clone(), created_at))
}
