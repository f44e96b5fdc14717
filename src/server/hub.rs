//! The registry of open gateway sockets and the routing of frames to them: chat events go
//! to the main sockets of a channel's audience, Team* events to that team's sockets.
//! Sending never blocks: a socket whose queue is full is cut off (a slow peer must not
//! stall the server).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{Notify, mpsc};

/// Frames queued per socket before it is considered stuck and dropped.
const SOCKET_QUEUE: usize = 1024;

/// What a socket task is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SocketCmd {
    /// A text frame to write (an encoded packet, or raw text from fault injection).
    Text(String),
    /// Send a close frame with this code and reason, then end.
    Close(u16, String),
    /// End by dropping the TCP connection without a close frame.
    Drop,
}

/// What tests can see about an open socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocketInfo {
    /// The Engine.IO session id sent in the hello.
    pub sid: String,
    pub user_id: String,
    /// The `guildedClientId` the socket authenticated with.
    pub client_id: String,
    /// `Some` for a team socket.
    pub team_id: Option<String>,
    /// The upgrade request's query parameters, in order.
    pub query: Vec<(String, String)>,
}

struct Entry {
    info: SocketInfo,
    tx: mpsc::Sender<SocketCmd>,
    kill: Arc<Notify>,
    mute_pongs: Arc<AtomicBool>,
}

/// The receiving side a socket task owns.
pub struct SocketLink {
    pub rx: mpsc::Receiver<SocketCmd>,
    pub kill: Arc<Notify>,
    pub mute_pongs: Arc<AtomicBool>,
}

#[derive(Default)]
pub struct Hub {
    sockets: Mutex<HashMap<String, Entry>>,
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        // A poisoned lock only means another task panicked mid-update of this map; the
        // map itself is still usable, so keep serving.
        self.sockets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn register(&self, info: SocketInfo) -> SocketLink {
        let (tx, rx) = mpsc::channel(SOCKET_QUEUE);
        let kill = Arc::new(Notify::new());
        let mute_pongs = Arc::new(AtomicBool::new(false));
        self.lock().insert(
            info.sid.clone(),
            Entry {
                info,
                tx,
                kill: kill.clone(),
                mute_pongs: mute_pongs.clone(),
            },
        );
        SocketLink {
            rx,
            kill,
            mute_pongs,
        }
    }

    pub fn unregister(&self, sid: &str) {
        self.lock().remove(sid);
    }

    pub fn infos(&self) -> Vec<SocketInfo> {
        let mut v: Vec<SocketInfo> = self.lock().values().map(|e| e.info.clone()).collect();
        v.sort_by(|a, b| a.sid.cmp(&b.sid));
        v
    }

    fn deliver(entry: &Entry, cmd: SocketCmd) -> bool {
        if entry.tx.try_send(cmd).is_ok() {
            true
        } else {
            tracing::warn!(sid = %entry.info.sid, "socket queue full or closed; dropping it");
            entry.kill.notify_one();
            false
        }
    }

    /// Send to the main (non-team) sockets of these users, skipping `except_user`'s.
    pub fn to_users_main(&self, users: &[String], frame: &str, except_user: Option<&str>) -> usize {
        let map = self.lock();
        map.values()
            .filter(|e| e.info.team_id.is_none())
            .filter(|e| users.contains(&e.info.user_id))
            .filter(|e| except_user != Some(e.info.user_id.as_str()))
            .filter(|e| Self::deliver(e, SocketCmd::Text(frame.to_owned())))
            .count()
    }

    /// Send to every team socket of `team_id`.
    pub fn to_team(&self, team_id: &str, frame: &str) -> usize {
        let map = self.lock();
        map.values()
            .filter(|e| e.info.team_id.as_deref() == Some(team_id))
            .filter(|e| Self::deliver(e, SocketCmd::Text(frame.to_owned())))
            .count()
    }

    /// Send a command to one socket; false if there is no such socket.
    pub fn to_sid(&self, sid: &str, cmd: SocketCmd) -> bool {
        self.lock().get(sid).is_some_and(|e| Self::deliver(e, cmd))
    }

    /// Send a command to every socket; returns how many got it.
    pub fn to_all(&self, cmd: &SocketCmd) -> usize {
        self.lock()
            .values()
            .filter(|e| Self::deliver(e, cmd.clone()))
            .count()
    }

    /// Sockets opened with this client id (closed on logout).
    pub fn close_client(&self, client_id: &str, cmd: &SocketCmd) -> usize {
        self.lock()
            .values()
            .filter(|e| e.info.client_id == client_id)
            .filter(|e| Self::deliver(e, cmd.clone()))
            .count()
    }

    /// Stop (or resume) answering pings on one socket.
    pub fn mute_pongs(&self, sid: &str, mute: bool) -> bool {
        self.lock()
            .get(sid)
            .map(|e| e.mute_pongs.store(mute, Ordering::SeqCst))
            .is_some()
    }

    /// Cut every socket at once (restart/shutdown) without waiting for their queues.
    pub fn kill_all(&self) {
        for e in self.lock().values() {
            let _ = e.tx.try_send(SocketCmd::Drop);
            e.kill.notify_one();
        }
    }
}
