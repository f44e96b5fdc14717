//! The client side of one Guilded gateway socket as a pure state machine (quinn-proto style):
//! frames and time go in, frames to send, events and the next deadline come out.
//!
//! Rule: no IO and no clock reads — `now` is always an argument, so the heartbeat runs on
//! virtual time in tests — and no panic on any input.
//!
//! Lifecycle: `AwaitingHello` → (`0{…}`) `AwaitingConnect` → (`40`) `Connected` → `Dead` or
//! `Closed`. Engine.IO v3 heartbeats go client → server: a `2` every `pingInterval` from the
//! hello. **Any** inbound frame proves the link alive; `pingInterval + pingTimeout` of silence
//! makes it dead; [`GatewayLink::probe`] finds a dead link sooner when the driver has reason to
//! doubt it (the user says the network is back). Malformed or unexpected frames are counted ([`GatewayLink::protocol_errors`])
//! and otherwise ignored, unless the stream cannot work without them (a bad hello, a refused
//! connect). After `Dead` or `Closed` nothing revives the link.
//!
//! Driving it (the gateway worker): after every `handle_*` call and every `send_*`/`close`,
//! write each `poll_transmit()` frame, forward each `poll_event()`, and sleep until
//! `poll_timeout()`, then call `handle_timeout(now)`. Log `last_error()` whenever
//! `protocol_errors()` grows.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::engineio::{self, Handshake};
use super::events::{self, GuildedEvent};
use super::socketio;
use crate::ChannelId;

mod report;
pub use report::{CloseReason, DeadReason, LinkEvent, ProtocolError, SendError, State};

/// How long to wait for the Engine.IO hello after the WebSocket opened.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(20);

/// At most this many events are held back while waiting for `40` (Socket.IO buffers events
/// that arrive before the connect and releases them after it); later ones are counted errors.
pub const MAX_EVENTS_BEFORE_CONNECT: usize = 256;

/// Error text quotes at most this many characters of the offending frame.
const SNIPPET_CHARS: usize = 80;

/// One gateway socket's protocol state. See the module docs for how to drive it.
#[derive(Debug)]
pub struct GatewayLink {
    state: State,
    handshake: Option<Handshake>,
    /// When the link was created (for the hello timeout).
    started: Instant,
    /// When the hello arrived (for the connect timeout).
    opened: Option<Instant>,
    /// When the last frame of any kind arrived.
    last_rx: Instant,
    /// When the next `2` is due; on a fixed grid from the hello.
    next_ping: Option<Instant>,
    /// When the latest `2` (on the grid or a probe) was queued.
    last_ping: Option<Instant>,
    /// A probe in flight: when its `2` was queued, and when the link dies unless a frame came.
    probe: Option<(Instant, Instant)>,
    transmits: VecDeque<String>,
    events: VecDeque<LinkEvent>,
    /// Events that arrived before `40`, released when it comes.
    early_events: Vec<GuildedEvent>,
    protocol_errors: u64,
    last_error: Option<ProtocolError>,
    /// Whether a pong answered one of our pings after the link connected.
    answered_ping: bool,
    /// Heartbeats (`2` on the grid, not probes) queued so far.
    heartbeats: u64,
}

impl GatewayLink {
    /// A link for a WebSocket that has just opened at `now`.
    pub fn new(now: Instant) -> Self {
        Self {
            state: State::AwaitingHello,
            handshake: None,
            started: now,
            opened: None,
            last_rx: now,
            next_ping: None,
            last_ping: None,
            probe: None,
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            early_events: Vec::new(),
            protocol_errors: 0,
            last_error: None,
            answered_ping: false,
            heartbeats: 0,
        }
    }

    /// The current lifecycle state.
    pub fn state(&self) -> State {
        self.state
    }

    /// Whether the link is dead or closed (it never comes back).
    pub fn is_finished(&self) -> bool {
        matches!(self.state, State::Dead | State::Closed)
    }

    /// The hello, once it arrived.
    pub fn handshake(&self) -> Option<&Handshake> {
        self.handshake.as_ref()
    }

    /// How many frames were malformed or unexpected so far.
    pub fn protocol_errors(&self) -> u64 {
        self.protocol_errors
    }

    /// Whether the server answered a ping of ours after the link connected: the link proved
    /// it carries traffic both ways, not just a handshake.
    pub fn answered_ping(&self) -> bool {
        self.answered_ping
    }

    /// How many heartbeats (`2` on the fixed grid; a probe is not one) were queued: the
    /// driver does what the web client did at each one (`PUT /users/me/ping`).
    pub fn heartbeats(&self) -> u64 {
        self.heartbeats
    }

    /// The most recent protocol error, for the log.
    pub fn last_error(&self) -> Option<&ProtocolError> {
        self.last_error.as_ref()
    }

    /// Feed one text frame received at `now`.
    pub fn handle_frame(&mut self, text: &str, now: Instant) {
        if self.is_finished() {
            // A late pong (or anything else) revives nothing.
            return;
        }
        self.last_rx = now;
        // Any frame answers a probe, as it proves the link alive for the heartbeat.
        self.probe = None;
        let packet = match engineio::decode(text) {
            Ok(packet) => packet,
            Err(error) if self.state == State::AwaitingHello => {
                self.die(DeadReason::BadHello(error.to_string()));
                return;
            }
            Err(error) => {
                self.count(error.into());
                return;
            }
        };
        match packet {
            engineio::Packet::Open(handshake) if self.state == State::AwaitingHello => {
                self.open(handshake, now);
            }
            _ if self.state == State::AwaitingHello => {
                self.die(DeadReason::BadHello(format!(
                    "expected the open packet 0{{…}} first, got {:?}",
                    snippet(text)
                )));
            }
            engineio::Packet::Open(_) => {
                self.count(ProtocolError::Unexpected("a second hello (ignored)".into()));
            }
            engineio::Packet::Close => self.finish(CloseReason::ServerClose),
            // v3 servers never ping, but answering one keeps an EIO4-style server happy.
            engineio::Packet::Ping(payload) => {
                self.transmits
                    .push_back(engineio::Packet::Pong(payload).encode());
            }
            engineio::Packet::Pong(_) => {
                // Liveness was recorded above.
                if self.state == State::Connected && self.last_ping.is_some() {
                    self.answered_ping = true;
                }
            }
            engineio::Packet::Noop => {}
            engineio::Packet::Upgrade => self.count(ProtocolError::Unexpected(
                "a transport upgrade on a WebSocket-only session (ignored)".into(),
            )),
            engineio::Packet::Message(payload) => self.handle_message(payload),
        }
    }

    /// Let time pass: sends a due ping, or declares the link dead. Call it when
    /// [`GatewayLink::poll_timeout`] is reached (calling it early or often is harmless).
    pub fn handle_timeout(&mut self, now: Instant) {
        match self.state {
            State::Dead | State::Closed => {}
            State::AwaitingHello => {
                if self.hello_deadline().is_some_and(|d| now >= d) {
                    self.die(DeadReason::HelloTimeout {
                        waited: now.saturating_duration_since(self.started),
                    });
                }
            }
            State::AwaitingConnect | State::Connected => {
                let Some(handshake) = &self.handshake else {
                    return;
                };
                let (ping_interval, ping_timeout) =
                    (handshake.ping_interval, handshake.ping_timeout);
                if self.liveness_deadline().is_some_and(|d| now >= d) {
                    self.die(DeadReason::HeartbeatTimeout {
                        silence: now.saturating_duration_since(self.last_rx),
                        ping_interval,
                        ping_timeout,
                    });
                    return;
                }
                if let Some((sent, deadline)) = self.probe
                    && now >= deadline
                {
                    self.die(DeadReason::ProbeUnanswered {
                        waited: now.saturating_duration_since(sent),
                    });
                    return;
                }
                if let (Some(deadline), Some(opened)) = (self.connect_deadline(), self.opened)
                    && now >= deadline
                {
                    self.die(DeadReason::ConnectTimeout {
                        waited: now.saturating_duration_since(opened),
                    });
                    return;
                }
                if let Some(due) = self.next_ping
                    && now >= due
                {
                    self.transmits
                        .push_back(engineio::Packet::Ping("").encode());
                    self.last_ping = Some(now);
                    self.heartbeats += 1;
                    // Stay on the grid set by the hello, unless the driver fell a whole
                    // interval behind: then restart from now instead of sending a burst.
                    let next = due.checked_add(ping_interval);
                    self.next_ping = match next {
                        Some(next) if next > now => Some(next),
                        _ => now.checked_add(ping_interval),
                    };
                }
            }
        }
    }

    /// The next instant at which [`GatewayLink::handle_timeout`] has work to do; `None` once
    /// finished (or if the hello asked for intervals too large to represent).
    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.state {
            State::Dead | State::Closed => None,
            State::AwaitingHello => self.hello_deadline(),
            State::AwaitingConnect | State::Connected => [
                self.next_ping,
                self.liveness_deadline(),
                self.connect_deadline(),
                self.probe.map(|(_, deadline)| deadline),
            ]
            .into_iter()
            .flatten()
            .min(),
        }
    }

    /// The next text frame to write to the WebSocket.
    pub fn poll_transmit(&mut self) -> Option<String> {
        self.transmits.pop_front()
    }

    /// The next event for the application.
    pub fn poll_event(&mut self) -> Option<LinkEvent> {
        self.events.pop_front()
    }

    /// Queue a typing notice `42["ChatChannelTyping",{"channelId":"…"}]`.
    ///
    /// Refused before `40` ([`SendError::NotConnected`]) rather than queued: a typing
    /// notice delivered late would show someone typing who has stopped.
    pub fn send_typing(&mut self, channel_id: &ChannelId) -> Result<(), SendError> {
        self.ensure_connected()?;
        self.transmits
            .push_back(socketio::encode_typing(channel_id));
        Ok(())
    }

    /// Check the link now, for a driver that has reason to doubt it (the user says the network
    /// is back, so the socket may be stuck on a route that is gone): heartbeats alone would
    /// take up to `pingInterval + pingTimeout` to notice. If the last ping has already gone
    /// unanswered for `timeout`, the link dies at once; otherwise a `2` is queued and unless
    /// a frame (of any kind) arrives within `timeout` the link dies with
    /// [`DeadReason::ProbeUnanswered`]. A probe already in flight is left to run.
    ///
    /// Refused before `40` ([`SendError::NotConnected`]): there is nothing to check yet.
    pub fn probe(&mut self, now: Instant, timeout: Duration) -> Result<(), SendError> {
        self.ensure_connected()?;
        if let Some(sent) = self.last_ping.filter(|sent| self.last_rx < *sent) {
            let waited = now.saturating_duration_since(sent);
            if waited >= timeout {
                self.die(DeadReason::ProbeUnanswered { waited });
                return Ok(());
            }
        }
        if self.probe.is_none() {
            self.transmits
                .push_back(engineio::Packet::Ping("").encode());
            self.last_ping = Some(now);
            self.probe = now.checked_add(timeout).map(|deadline| (now, deadline));
        }
        Ok(())
    }

    /// Close on purpose: when connected, queue `42["logout"]` (what guilded.py sends before
    /// a 1000 close), then report [`LinkEvent::Closed`] with [`CloseReason::Logout`].
    /// The driver writes the queued frame, then closes the WebSocket with code 1000.
    /// Does nothing if the link is already finished.
    pub fn close(&mut self) {
        match self.state {
            State::Dead | State::Closed => {}
            State::Connected => {
                self.transmits
                    .push_back(socketio::encode_bare_event(socketio::LOGOUT_EVENT));
                self.end(State::Closed, LinkEvent::Closed(CloseReason::Logout), false);
            }
            State::AwaitingHello | State::AwaitingConnect => {
                self.end(State::Closed, LinkEvent::Closed(CloseReason::Logout), true);
            }
        }
    }

    fn ensure_connected(&self) -> Result<(), SendError> {
        match self.state {
            State::Connected => Ok(()),
            State::AwaitingHello | State::AwaitingConnect => Err(SendError::NotConnected),
            State::Dead | State::Closed => Err(SendError::Finished),
        }
    }

    fn open(&mut self, handshake: Handshake, now: Instant) {
        self.state = State::AwaitingConnect;
        self.opened = Some(now);
        self.next_ping = now.checked_add(handshake.ping_interval);
        self.handshake = Some(handshake.clone());
        self.events.push_back(LinkEvent::Open(handshake));
    }

    fn handle_message(&mut self, payload: &str) {
        let packet = match socketio::decode(payload) {
            Ok(packet) => packet,
            Err(error) => {
                self.count(error.into());
                return;
            }
        };
        let namespace = packet.namespace();
        if namespace != socketio::DEFAULT_NAMESPACE {
            self.count(ProtocolError::Unexpected(format!(
                "a packet for namespace {:?} (only / is used; ignored)",
                snippet(namespace)
            )));
            return;
        }
        match packet {
            socketio::Packet::Connect { .. } => {
                if self.state == State::AwaitingConnect {
                    self.state = State::Connected;
                    self.events.push_back(LinkEvent::Connected);
                    let early = std::mem::take(&mut self.early_events);
                    self.events
                        .extend(early.into_iter().map(LinkEvent::Event));
                } else {
                    self.count(ProtocolError::Unexpected(
                        "a second Socket.IO connect (ignored)".into(),
                    ));
                }
            }
            socketio::Packet::Disconnect { .. } => self.finish(CloseReason::ServerDisconnect),
            // Guilded never asks for acks; an ack id on an event is ignored.
            socketio::Packet::Event { data, .. } => match events::decode_event(data) {
                Ok(event) if self.state == State::Connected => {
                    self.events.push_back(LinkEvent::Event(event));
                }
                Ok(event) if self.early_events.len() < MAX_EVENTS_BEFORE_CONNECT => {
                    self.early_events.push(event);
                }
                Ok(_) => self.count(ProtocolError::Unexpected(format!(
                    "more than {MAX_EVENTS_BEFORE_CONNECT} events before the Socket.IO connect (dropped)"
                ))),
                Err(error) => self.count(error.into()),
            },
            socketio::Packet::Ack { id, .. } => self.count(ProtocolError::Unexpected(format!(
                "an ack (id {id}) although gilt never asks for one"
            ))),
            socketio::Packet::Error { data, .. } => {
                if self.state == State::AwaitingConnect {
                    self.die(DeadReason::ConnectRefused(error_text(data)));
                } else {
                    self.count(ProtocolError::Unexpected(format!(
                        "a Socket.IO error packet: {}",
                        error_text(data)
                    )));
                }
            }
        }
    }

    fn hello_deadline(&self) -> Option<Instant> {
        self.started.checked_add(HELLO_TIMEOUT)
    }

    /// `pingInterval + pingTimeout` after the last inbound frame.
    fn liveness_deadline(&self) -> Option<Instant> {
        let handshake = self.handshake.as_ref()?;
        self.last_rx.checked_add(
            handshake
                .ping_interval
                .saturating_add(handshake.ping_timeout),
        )
    }

    /// `pingInterval + pingTimeout` after the hello, while `40` has not come.
    fn connect_deadline(&self) -> Option<Instant> {
        if self.state != State::AwaitingConnect {
            return None;
        }
        let handshake = self.handshake.as_ref()?;
        self.opened?.checked_add(
            handshake
                .ping_interval
                .saturating_add(handshake.ping_timeout),
        )
    }

    fn count(&mut self, error: ProtocolError) {
        self.protocol_errors = self.protocol_errors.saturating_add(1);
        self.last_error = Some(error);
    }

    fn die(&mut self, reason: DeadReason) {
        self.end(State::Dead, LinkEvent::Dead(reason), true);
    }

    fn finish(&mut self, reason: CloseReason) {
        self.end(State::Closed, LinkEvent::Closed(reason), true);
    }

    /// Enter a final state; `drop_transmits` discards frames nobody will read.
    fn end(&mut self, state: State, event: LinkEvent, drop_transmits: bool) {
        self.state = state;
        self.next_ping = None;
        self.early_events.clear();
        if drop_transmits {
            self.transmits.clear();
        }
        self.events.push_back(event);
    }
}

/// The start of untrusted text for an error message.
fn snippet(text: &str) -> String {
    text.chars().take(SNIPPET_CHARS).collect()
}

/// The message of a Socket.IO error packet: a JSON string is unquoted, anything else is
/// shown as sent (shortened).
fn error_text(data: &str) -> String {
    match serde_json::from_str::<String>(data) {
        Ok(message) => snippet(&message),
        Err(_) if data.is_empty() => "no reason given".to_owned(),
        Err(_) => snippet(data),
    }
}

#[cfg(test)]
mod tests;
