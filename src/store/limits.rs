//! Keeping the store bounded: at most `store_limit` messages per channel and at most
//! `store_max_mb` in all, the oldest dropped first.
//!
//! Checked in batches, not per insert (the store task calls [`prune`] after every
//! [`PRUNE_EVERY`] new messages, and once when the store opens): a channel may briefly hold a
//! few more than its limit, never many.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::config::Config;

/// New messages between two checks of the limits.
pub const PRUNE_EVERY: usize = 1000;

/// How much the store keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Messages kept per channel (`store_limit`).
    pub per_channel: usize,
    /// Bytes the database may use (`store_max_mb`); over it, the oldest messages of all
    /// channels go until it uses a tenth less (so it is not pruned again at once).
    pub max_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits::from_config(&Config::default())
    }
}

impl Limits {
    /// The limits the user configured.
    pub fn from_config(config: &Config) -> Limits {
        Limits {
            per_channel: config.store_limit,
            max_bytes: config.store_max_mb.saturating_mul(1024 * 1024),
        }
    }
}

/// What a prune dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pruned {
    /// Over a channel's limit.
    pub per_channel: u64,
    /// Over the size cap.
    pub for_size: u64,
}

/// Apply both limits: the per-channel one to `channels` (all channels when `None`), then the
/// size cap. Each step is its own transaction; freed pages go back to the file system.
pub fn prune(
    conn: &mut Connection,
    limits: Limits,
    channels: Option<&BTreeSet<String>>,
) -> rusqlite::Result<Pruned> {
    let mut pruned = Pruned::default();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let over: Vec<String> = match channels {
        Some(channels) => channels.iter().cloned().collect(),
        None => tx
            .prepare("SELECT channel_id FROM messages GROUP BY channel_id HAVING count(*) > ?1")?
            .query_map([limit_param(limits.per_channel)], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?,
    };
    for channel in &over {
        pruned.per_channel += prune_channel(&tx, channel, limits.per_channel)?;
    }
    tx.commit()?;
    // The size of a message is an estimate (the indexes share pages), so measure again after
    // each round; a few rounds always suffice.
    for _ in 0..SIZE_ROUNDS {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let dropped = prune_size(&tx, limits.max_bytes)?;
        tx.commit()?;
        if dropped == 0 {
            break;
        }
        pruned.for_size += dropped;
        // Deleted rows leave dead entries in the full-text index until its segments merge;
        // merge them now so that the space is really free.
        conn.execute(
            "INSERT INTO messages_fts (messages_fts) VALUES ('optimize')",
            [],
        )?;
    }
    if pruned.per_channel + pruned.for_size > 0 {
        super::spans::after_prune(conn)?;
        conn.execute_batch("PRAGMA incremental_vacuum")?;
    }
    Ok(pruned)
}

/// Rounds of dropping for size in one prune at most.
const SIZE_ROUNDS: usize = 4;

/// Drop the oldest messages of `channel` beyond `limit`.
fn prune_channel(conn: &Connection, channel: &str, limit: usize) -> rusqlite::Result<u64> {
    let last: Option<i64> = conn
        .prepare_cached(
            "SELECT seq FROM messages WHERE channel_id = ?1 ORDER BY seq DESC LIMIT 1 OFFSET ?2",
        )?
        .query_row(params![channel, limit_param(limit)], |r| r.get(0))
        .optional()?;
    let Some(last) = last else {
        return Ok(0);
    };
    note_pruned(conn, last, Some(channel))?;
    let deleted = conn
        .prepare_cached("DELETE FROM messages WHERE channel_id = ?1 AND seq <= ?2")?
        .execute(params![channel, last])?;
    Ok(deleted as u64)
}

/// Messages up to rowid `last` (of `channel`, or of every channel) are about to go: every
/// message created after `last` stays (a rowid is never below its creation time), so the
/// channels they belong to are complete from `last + 1` on at best (see `spans`).
fn note_pruned(conn: &Connection, last: i64, channel: Option<&str>) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO pruned (channel_id, kept_from)
             SELECT DISTINCT channel_id, ?1 + 1 FROM messages
             WHERE seq <= ?1 AND (?2 IS NULL OR channel_id = ?2)
         ON CONFLICT (channel_id) DO UPDATE SET kept_from = max(kept_from, excluded.kept_from)",
    )?
    .execute(params![last, channel])?;
    Ok(())
}

/// Drop the oldest messages of all channels while the database is over `max_bytes`.
fn prune_size(conn: &Connection, max_bytes: u64) -> rusqlite::Result<u64> {
    let used = used_bytes(conn)?;
    if used <= max_bytes {
        return Ok(0);
    }
    let count: u64 = conn.query_row("SELECT count(*) FROM messages", [], |r| r.get(0))?;
    if count == 0 {
        return Ok(0);
    }
    // Aim a tenth under the cap, at the average size of a message (index included).
    let target = max_bytes - max_bytes / 10;
    let per_message = (used / count).max(1);
    let drop = (used - target).div_ceil(per_message).clamp(1, count);
    let last: Option<i64> = conn
        .prepare_cached("SELECT seq FROM messages ORDER BY seq LIMIT 1 OFFSET ?1")?
        .query_row([i64::try_from(drop - 1).unwrap_or(i64::MAX)], |r| r.get(0))
        .optional()?;
    let Some(last) = last else {
        return Ok(0);
    };
    note_pruned(conn, last, None)?;
    let deleted = conn
        .prepare_cached("DELETE FROM messages WHERE seq <= ?1")?
        .execute([last])?;
    Ok(deleted as u64)
}

/// Bytes of the database in use (its pages, less those on the free list).
pub fn used_bytes(conn: &Connection) -> rusqlite::Result<u64> {
    let pragma = |name: &str| -> rusqlite::Result<u64> {
        conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
    };
    let pages = pragma("page_count")?.saturating_sub(pragma("freelist_count")?);
    Ok(pages * pragma("page_size")?)
}

fn limit_param(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}
