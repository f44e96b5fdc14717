//! The store's thread: it owns the connection, drains the request queue, applies the writes
//! it finds queued together in one transaction, answers queries, and keeps the limits.
//!
//! A query first commits the writes queued before it, so it sees them and so does any
//! process that reads the file after it answered. A failing write is logged and skipped
//! (each write has its own savepoint: the rest of its batch still commits).

use std::sync::mpsc::Receiver;

use rusqlite::{Connection, TransactionBehavior};

use super::Write;
use super::limits::{self, Limits, PRUNE_EVERY};
use super::write::{self, Tally};

/// Writes committed together at most (a long burst is split so queries are not starved).
const MAX_BATCH: usize = 512;

/// A request to the store's thread.
pub enum Request {
    Write(Write),
    /// Run against the connection (writes queued before it are committed first).
    Query(Box<dyn FnOnce(&Connection) + Send>),
    /// Commit what is queued and stop.
    Shutdown,
}

/// The thread's body: runs until [`Request::Shutdown`] or until every handle is gone.
pub fn run(mut conn: Connection, requests: &Receiver<Request>, limits: Limits) {
    let mut tally = Tally::default();
    prune(&mut conn, limits, &mut tally, true);
    let mut batch: Vec<Write> = Vec::new();
    'serve: while let Ok(first) = requests.recv() {
        let mut next = Some(first);
        while let Some(request) = next.take() {
            match request {
                Request::Write(w) => {
                    batch.push(w);
                    if batch.len() >= MAX_BATCH {
                        commit(&mut conn, &mut batch, &mut tally, limits);
                    }
                }
                Request::Query(query) => {
                    commit(&mut conn, &mut batch, &mut tally, limits);
                    query(&conn);
                }
                Request::Shutdown => break 'serve,
            }
            next = requests.try_recv().ok();
        }
        commit(&mut conn, &mut batch, &mut tally, limits);
    }
    commit(&mut conn, &mut batch, &mut tally, limits);
    // Cheap upkeep SQLite recommends before closing a long-lived connection.
    if let Err(e) = conn.execute_batch("PRAGMA optimize") {
        tracing::debug!("store: optimize: {e}");
    }
}

/// Apply `batch` in one transaction, then check the limits if enough messages came in.
fn commit(conn: &mut Connection, batch: &mut Vec<Write>, tally: &mut Tally, limits: Limits) {
    if batch.is_empty() {
        return;
    }
    let count = batch.len();
    let result = (|| {
        // IMMEDIATE: take the write lock up front (waiting up to the busy timeout), so a
        // second process on the file cannot make this transaction fail half-way.
        let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for w in batch.drain(..) {
            let sp = tx.savepoint()?;
            match write::apply(&sp, &w, tally) {
                Ok(()) => sp.commit()?,
                // Dropping the savepoint rolls this one write back.
                Err(e) => tracing::warn!("store: write skipped: {e}"),
            }
        }
        tx.commit()
    })();
    if let Err(e) = result {
        batch.clear();
        tracing::warn!("store: {count} writes lost: {e}");
    }
    if tally.new_messages >= PRUNE_EVERY {
        prune(conn, limits, tally, false);
    }
}

/// Keep the limits: for the channels that received messages, or all (`everywhere`).
fn prune(conn: &mut Connection, limits: Limits, tally: &mut Tally, everywhere: bool) {
    let channels = (!everywhere).then_some(&tally.channels);
    match limits::prune(conn, limits, channels) {
        Ok(pruned) if pruned != limits::Pruned::default() => {
            tracing::info!(
                per_channel = pruned.per_channel,
                for_size = pruned.for_size,
                "store: dropped the oldest messages"
            );
        }
        Ok(_) => {}
        Err(e) => tracing::warn!("store: keeping the limits: {e}"),
    }
    *tally = Tally::default();
}
