//! The local message store: teams, channels, members, messages (with a full-text index),
//! read markers, drafts and the outbox, in one SQLite file per account and server.
//!
//! It is an IO shell like `api` and `gateway`: one thread owns the connection ([`Store`]);
//! everyone else holds a cheap, cloneable [`StoreHandle`]. Writing never waits
//! ([`StoreHandle::write`] only queues; the thread commits whatever is queued together in
//! one transaction), and a query is a request answered on a oneshot ([`Pending`]: `.await`
//! it from async code, [`Pending::wait`] from a plain thread). The UI thread and the gateway
//! workers therefore never wait on disk.
//!
//! | module | job |
//! |---|---|
//! | `account` | whose file: one per server and user, its directories and modes, `logout --forget` |
//! | `schema` | the tables, migrations, and connection settings (WAL, foreign keys, busy timeout) |
//! | `write` | [`Write`], every change the store accepts, and applying it |
//! | `messages` | the upsert rule (newer edit wins) and reading a channel page by page |
//! | `spans` | which stored stretches of a channel are complete, and pages read inside them |
//! | `sidebar` | teams, categories, channels, members and DMs; the start-up [`Snapshot`] |
//! | `state` | drafts, the last channel, read markers, the `meta` table |
//! | `outbox` | messages waiting to be sent, in order |
//! | `search` | the search prompt ([`SearchQuery`], pure) and the full-text query |
//! | `export` | what `gilt export` reads: a channel by name, its history, its authors' names |
//! | `limits` | `store_limit` per channel and the `store_max_mb` size cap |
//! | `rows` | the app's entities as rows and back |
//! | `worker` | the thread: batching, transactions, when the limits are checked |
//!
//! The layout of the data and the reasons for it are in `schema`; what the runtime does with
//! the store is in `docs/ARCHITECTURE.md`.

pub mod account;
mod export;
mod limits;
mod messages;
mod outbox;
mod rows;
pub mod schema;
pub mod search;
mod sidebar;
mod spans;
mod state;
#[cfg(test)]
mod tests;
mod worker;
mod write;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::mpsc;
use std::task::{Context, Poll};
use std::thread::JoinHandle;

use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::app::PersistedState;

pub use self::account::AccountKey;
pub use self::export::NamedChannel;
pub use self::limits::{Limits, used_bytes};
pub use self::messages::Page;
pub use self::search::{SearchHit, SearchQuery, Snippet};
pub use self::sidebar::Snapshot;
pub use self::spans::{Around, BEGINNING, Span};
use self::worker::Request;
pub use crate::app::persist::{OutboxEntry, OutboxState, ReadMarker, Write};

/// Why the store could not do something.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot prepare {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("store database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("store schema: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// The file's `meta.account` names someone else (a hash collision or a copied file).
    #[error("{} belongs to another account ({found})", path.display())]
    OtherAccount { path: PathBuf, found: String },
    /// The store's thread has stopped (the store was closed).
    #[error("the store is closed")]
    Closed,
}

/// The read side of the store, as a query closure sees it ([`StoreHandle::query`]).
pub struct Queries<'c> {
    conn: &'c Connection,
}

impl<'c> Queries<'c> {
    /// Queries over `conn` (the store's thread passes its own connection).
    fn new(conn: &'c Connection) -> Self {
        Queries { conn }
    }
}

/// The store: its thread and connection. Dropping it (or [`Store::close`]) commits what is
/// queued and stops the thread; handles still held then answer [`StoreError::Closed`].
pub struct Store {
    handle: StoreHandle,
    thread: Option<JoinHandle<()>>,
    path: PathBuf,
}

impl Store {
    /// Open `account`'s store under `root` (normally `paths::stores_dir()`), creating the
    /// directories (0700), the file (0600) and the tables as needed, and start its thread.
    /// Blocks for as long as opening and migrating take (milliseconds; up to the busy timeout
    /// if another process holds the file).
    pub fn open(root: &Path, account: &AccountKey, limits: Limits) -> Result<Store, StoreError> {
        let path = account.prepare(root).map_err(|source| StoreError::Io {
            path: account.store_file(root),
            source,
        })?;
        let conn = schema::open(&path, account)?;
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("gilt-store".to_owned())
            .spawn(move || worker::run(conn, &rx, limits))
            .map_err(|source| StoreError::Io {
                path: path.clone(),
                source,
            })?;
        Ok(Store {
            handle: StoreHandle { tx },
            thread: Some(thread),
            path,
        })
    }

    /// A handle for writing and querying (clone it freely).
    pub fn handle(&self) -> StoreHandle {
        self.handle.clone()
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Commit everything queued and stop the thread, waiting for it.
    pub fn close(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = self.handle.tx.send(Request::Shutdown);
            if thread.join().is_err() {
                tracing::error!("store: the store thread panicked");
            }
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A cheap, cloneable way to the store's thread.
#[derive(Clone)]
pub struct StoreHandle {
    tx: mpsc::Sender<Request>,
}

impl std::fmt::Debug for StoreHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreHandle")
    }
}

impl StoreHandle {
    /// Queue a write; never waits. Committed with whatever else is queued at the time.
    /// After the store closed, the write is dropped (logged).
    pub fn write(&self, write: Write) {
        if self.tx.send(Request::Write(write)).is_err() {
            tracing::debug!("store: closed; a write was dropped");
        }
    }

    /// Ask the store something: `query` runs on the store's thread (after the writes queued
    /// before it are committed) and its answer comes back through the [`Pending`].
    ///
    /// ```ignore
    /// let page = store.query(move |q| q.recent_messages(&channel, 50)).await?;
    /// ```
    pub fn query<T, F>(&self, query: F) -> Pending<T>
    where
        T: Send + 'static,
        F: FnOnce(&Queries<'_>) -> rusqlite::Result<T> + Send + 'static,
    {
        let (reply, rx) = oneshot::channel();
        let run = move |conn: &Connection| {
            let _ = reply.send(query(&Queries::new(conn)).map_err(StoreError::from));
        };
        // If the thread is gone, `reply` is dropped with the request and the Pending says so.
        let _ = self.tx.send(Request::Query(Box::new(run)));
        Pending { rx }
    }

    /// Merge the full-text index into one segment (FTS5 `optimize`): a lookup then reads one
    /// list per word instead of one per segment. Takes a while on a large store (see
    /// BENCHMARKS.md, "Store"); resolves when done.
    pub fn merge_index(&self) -> Pending<()> {
        self.query(|q| {
            q.conn
                .execute(
                    "INSERT INTO messages_fts (messages_fts) VALUES ('optimize')",
                    [],
                )
                .map(|_| ())
        })
    }

    /// The reader's state to restore at start: `file` (what `state.json` holds) merged in
    /// first if it has something the store has not merged before (`state::import`), in one
    /// transaction; then everything as the store has it.
    pub fn restore_state(&self, file: PersistedState) -> Pending<PersistedState> {
        self.query(move |q| {
            let tx = q.conn.unchecked_transaction()?;
            if state::import(&tx, &file)? {
                tracing::info!("store: merged the state file's drafts and read markers");
            }
            tx.commit()?;
            q.persisted_state()
        })
    }

    /// Resolves once everything written before it is committed.
    pub fn flush(&self) -> Pending<()> {
        self.query(|_| Ok(()))
    }
}

/// The answer to a query, on its way: `.await` it, or [`Pending::wait`] outside async code.
#[derive(Debug)]
#[must_use = "a query does nothing useful unless its answer is read"]
pub struct Pending<T> {
    rx: oneshot::Receiver<Result<T, StoreError>>,
}

impl<T> Pending<T> {
    /// Block the current thread until the answer comes. Not from async code (it would block
    /// the executor): `.await` there.
    pub fn wait(self) -> Result<T, StoreError> {
        self.rx.blocking_recv().unwrap_or(Err(StoreError::Closed))
    }
}

impl<T> Future for Pending<T> {
    type Output = Result<T, StoreError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.rx)
            .poll(cx)
            .map(|answer| answer.unwrap_or(Err(StoreError::Closed)))
    }
}
