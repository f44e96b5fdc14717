//! What a [`super::GatewayLink`] reports: its state, its events, and why it ended or refused.
//!
//! Rule: plain data with human-readable `Display` texts (they reach the status bar and the
//! log); no logic.

use std::time::Duration;

use crate::engineio::{self, Handshake};
use crate::events::{self, GuildedEvent};
use crate::socketio;

/// Where the link is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// The WebSocket is open; waiting for `0{…}`.
    AwaitingHello,
    /// The hello arrived and heartbeats run; waiting for the Socket.IO connect `40`.
    AwaitingConnect,
    /// `40` arrived: events flow and commands may be sent.
    Connected,
    /// The link is unusable (see [`DeadReason`]); reconnect with a new link.
    Dead,
    /// Closed on purpose, by either side (see [`CloseReason`]).
    Closed,
}

/// What the link reports to its driver.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkEvent {
    /// The Engine.IO hello arrived; heartbeats are now scheduled from it.
    Open(Handshake),
    /// The Socket.IO connect (`40`) arrived: the socket is ready.
    Connected,
    /// A Guilded gateway event.
    Event(GuildedEvent),
    /// The link is dead; this is the last event.
    Dead(DeadReason),
    /// The link was closed; this is the last event.
    Closed(CloseReason),
}

/// Why the link was declared dead, in words a status bar can show.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeadReason {
    /// No hello within [`super::HELLO_TIMEOUT`].
    #[error("no hello from the server within {} ms", .waited.as_millis())]
    HelloTimeout {
        /// How long the link waited.
        waited: Duration,
    },
    /// The first frame was not a usable Engine.IO open packet.
    #[error("bad hello from the server: {0}")]
    BadHello(String),
    /// The server answered the connect with a Socket.IO error packet (`44…`).
    #[error("the server refused the connection: {0}")]
    ConnectRefused(String),
    /// The hello arrived but `40` did not within `pingInterval + pingTimeout`.
    #[error("no Socket.IO connect within {} ms of the hello", .waited.as_millis())]
    ConnectTimeout {
        /// How long the link waited after the hello.
        waited: Duration,
    },
    /// Nothing (not even a pong) arrived for `pingInterval + pingTimeout`.
    #[error(
        "heartbeat timeout: nothing from the server for {} ms (pingInterval {} ms + pingTimeout {} ms)",
        .silence.as_millis(), .ping_interval.as_millis(), .ping_timeout.as_millis()
    )]
    HeartbeatTimeout {
        /// How long the server had been silent.
        silence: Duration,
        /// The hello's ping interval.
        ping_interval: Duration,
        /// The hello's ping timeout.
        ping_timeout: Duration,
    },
    /// Nothing arrived in answer to [`super::GatewayLink::probe`] in time.
    #[error("no answer from the server within {} ms of a connection check", .waited.as_millis())]
    ProbeUnanswered {
        /// How long the link waited for an answer.
        waited: Duration,
    },
}

/// Who closed the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CloseReason {
    /// The server sent an Engine.IO close (`1`).
    #[error("the server closed the connection")]
    ServerClose,
    /// The server sent a Socket.IO disconnect (`41`).
    #[error("the server disconnected the socket")]
    ServerDisconnect,
    /// [`super::GatewayLink::close`] was called (a `42["logout"]` was queued if connected).
    #[error("logged out")]
    Logout,
}

/// A frame the link could not use; counted, not fatal.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum ProtocolError {
    /// Not an Engine.IO packet.
    #[error(transparent)]
    EngineIo(#[from] engineio::DecodeError),
    /// An Engine.IO message that is not a Socket.IO packet.
    #[error(transparent)]
    SocketIo(#[from] socketio::DecodeError),
    /// A Socket.IO event whose array is not a Guilded event.
    #[error(transparent)]
    Event(#[from] events::EventError),
    /// A well-formed packet that makes no sense here (e.g. a second hello, an ack).
    #[error("unexpected packet: {0}")]
    Unexpected(String),
}

/// Why a command could not be queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Commands wait for `40`. Typing notices are not queued: a late one would be a lie.
    #[error("the gateway is not connected yet")]
    NotConnected,
    /// The link is dead or closed.
    #[error("the gateway connection is gone")]
    Finished,
}
