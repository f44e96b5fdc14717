//! Fault injection for tests: misbehaving sockets, failing or slow REST, a restart that
//! keeps the data, and messages stored without being announced (history backfill).

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;

use super::hub::SocketCmd;
use super::{Restart, ServerError, Shared, relock};

/// What the next REST request(s) should suffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestFault {
    /// Answer with this status (5xx, 4xx) and a `{code, message}` body.
    Status(u16),
    /// Answer 429 with `Retry-After: secs`.
    RateLimited { retry_after_secs: u64 },
}

#[derive(Default)]
pub(crate) struct FaultState {
    rest_delay: Mutex<Option<Duration>>,
    rest_faults: Mutex<VecDeque<RestFault>>,
    pongs_muted: AtomicBool,
    broadcasts_muted: AtomicBool,
    drop_on_connect: AtomicBool,
}

impl FaultState {
    pub fn broadcasts_muted(&self) -> bool {
        self.broadcasts_muted.load(Ordering::SeqCst)
    }

    pub fn pongs_muted(&self) -> bool {
        self.pongs_muted.load(Ordering::SeqCst)
    }

    pub fn drop_on_connect(&self) -> bool {
        self.drop_on_connect.load(Ordering::SeqCst)
    }

    pub fn rest_delay(&self) -> Option<Duration> {
        *relock(&self.rest_delay)
    }

    pub fn next_rest_fault(&self) -> Option<RestFault> {
        relock(&self.rest_faults).pop_front()
    }
}

/// The fault-injection handle (cheap to clone; outlives restarts).
#[derive(Clone)]
pub struct Faults {
    shared: Arc<Shared>,
}

impl Faults {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }

    /// Drop a socket's TCP connection without a close frame. False if no such socket.
    pub fn drop_socket(&self, sid: &str) -> bool {
        self.shared.hub.to_sid(sid, SocketCmd::Drop)
    }

    /// Drop every socket's TCP connection without a close frame; returns how many.
    pub fn drop_all_sockets(&self) -> usize {
        self.shared.hub.to_all(&SocketCmd::Drop)
    }

    /// Stop (true) or resume (false) answering pings on one socket.
    pub fn mute_pongs(&self, sid: &str, mute: bool) -> bool {
        self.shared.hub.mute_pongs(sid, mute)
    }

    /// Stop (true) or resume (false) answering pings on every socket, present and future.
    pub fn mute_all_pongs(&self, mute: bool) {
        self.shared.faults.pongs_muted.store(mute, Ordering::SeqCst);
    }

    /// Write a raw text frame (possibly malformed) to a socket.
    pub fn send_raw(&self, sid: &str, text: &str) -> bool {
        self.shared
            .hub
            .to_sid(sid, SocketCmd::Text(text.to_owned()))
    }

    /// Close a socket with a close frame carrying `code` and `reason`.
    pub fn close_socket(&self, sid: &str, code: u16, reason: &str) -> bool {
        self.shared
            .hub
            .to_sid(sid, SocketCmd::Close(code, reason.to_owned()))
    }

    /// Accept every new socket, send the hello and `40`, then drop it at once (true), or
    /// serve sockets normally again (false): a server that is up but cannot keep a link.
    pub fn drop_on_connect(&self, drop: bool) {
        self.shared
            .faults
            .drop_on_connect
            .store(drop, Ordering::SeqCst);
    }

    /// Delay every REST answer by `delay` (None: no delay).
    pub fn delay_rest(&self, delay: Option<Duration>) {
        *relock(&self.shared.faults.rest_delay) = delay;
    }

    /// The next `count` REST requests fail with `fault` (queued after earlier ones).
    pub fn fail_rest(&self, fault: RestFault, count: usize) {
        let mut q = relock(&self.shared.faults.rest_faults);
        q.extend(std::iter::repeat_n(fault, count));
    }

    /// Store messages and apply changes without sending any gateway event, until unmuted.
    pub fn mute_broadcasts(&self, mute: bool) {
        self.shared
            .faults
            .broadcasts_muted
            .store(mute, Ordering::SeqCst);
    }

    /// Stop the whole server (sockets dropped, listener closed), stay down for `downtime`,
    /// then listen again keeping all data. Returns the address it listens on now: the same
    /// port when it could be rebound, otherwise a new one (the handle's URLs follow).
    pub async fn restart(&self, downtime: Duration) -> Result<SocketAddr, ServerError> {
        let (done, done_rx) = oneshot::channel();
        self.shared
            .restart_tx
            .send(Restart {
                downtime,
                outage: None,
                done,
            })
            .await
            .map_err(|_| ServerError::Stopped)?;
        done_rx.await.map_err(|_| ServerError::Stopped)?
    }

    /// Stop the whole server as [`restart`](Self::restart) does and stay down (connections
    /// refused) until the returned [`Outage`] ends. Returns once the server is down.
    pub async fn go_down(&self) -> Result<Outage, ServerError> {
        let (done, done_rx) = oneshot::channel();
        let (down_tx, down_rx) = oneshot::channel();
        let (resume_tx, resume_rx) = oneshot::channel();
        self.shared
            .restart_tx
            .send(Restart {
                downtime: Duration::ZERO,
                outage: Some((down_tx, resume_rx)),
                done,
            })
            .await
            .map_err(|_| ServerError::Stopped)?;
        down_rx.await.map_err(|_| ServerError::Stopped)?;
        Ok(Outage { resume_tx, done_rx })
    }
}

/// The server is down ([`ServerHandle::go_down`]) until [`Outage::end`].
#[derive(Debug)]
pub struct Outage {
    resume_tx: oneshot::Sender<()>,
    done_rx: oneshot::Receiver<Result<SocketAddr, ServerError>>,
}

impl Outage {
    /// Listen again (the same port when it can be rebound), keeping all data.
    pub async fn end(self) -> Result<SocketAddr, ServerError> {
        let _ = self.resume_tx.send(());
        self.done_rx.await.map_err(|_| ServerError::Stopped)?
    }
}
