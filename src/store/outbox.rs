//! The outbox: messages written while they could not be sent, kept until the server has them,
//! and sent in the order they were written.
//!
//! Life of an entry: `put` (queued) → `attempt` before each try (counts tries) → `mark_sent`
//! when the server answered → `remove` once the message is confirmed (it is then in the
//! messages table like any other). A send that failed for good is `mark_failed` with the
//! reason, and stays until the user retries or discards it.

use rusqlite::{Connection, params};

use super::Queries;
use super::rows;
use crate::app::model::{ChannelId, MessageId};
use crate::app::persist::{OutboxEntry, OutboxState};
use crate::protocol::content;

/// Add an entry (or replace one with the same message id, keeping its place in the order).
pub fn put(conn: &Connection, entry: &OutboxEntry) -> rusqlite::Result<()> {
    let document = serde_json::to_string(&entry.content)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    let replies_to = serde_json::to_string(&entry.replies_to)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    let (state, error) = match &entry.state {
        OutboxState::Queued => ("queued", None),
        OutboxState::Sent => ("sent", None),
        OutboxState::Failed(error) => ("failed", Some(error.as_str())),
    };
    conn.prepare_cached(
        "INSERT INTO outbox (message_id, channel_id, document, replies_to, created_at,
             attempts, state, error)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (message_id) DO UPDATE SET
             channel_id = excluded.channel_id, document = excluded.document,
             replies_to = excluded.replies_to, created_at = excluded.created_at,
             attempts = excluded.attempts, state = excluded.state, error = excluded.error",
    )?
    .execute(params![
        entry.message_id.as_str(),
        entry.channel.as_str(),
        document,
        replies_to,
        rows::micros(entry.created_at),
        entry.attempts,
        state,
        error,
    ])?;
    Ok(())
}

/// A send of this entry is being tried: count it, and queue it again if it had failed.
pub fn attempt(conn: &Connection, message_id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET attempts = attempts + 1, state = 'queued', error = NULL
         WHERE message_id = ?1",
    )?
    .execute([message_id])?;
    Ok(())
}

/// The server accepted this entry.
pub fn mark_sent(conn: &Connection, message_id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE outbox SET state = 'sent', error = NULL WHERE message_id = ?1")?
        .execute([message_id])?;
    Ok(())
}

/// Sending this entry failed for good.
pub fn mark_failed(conn: &Connection, message_id: &str, error: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE outbox SET state = 'failed', error = ?2 WHERE message_id = ?1")?
        .execute([message_id, error])?;
    Ok(())
}

/// The entry is done with (confirmed, or discarded by the user).
pub fn remove(conn: &Connection, message_id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM outbox WHERE message_id = ?1")?
        .execute([message_id])?;
    Ok(())
}

impl Queries<'_> {
    /// Every outbox entry, in the order they were written (the order to send them in).
    pub fn outbox(&self) -> rusqlite::Result<Vec<OutboxEntry>> {
        self.conn
            .prepare_cached(
                "SELECT message_id, channel_id, document, replies_to, created_at, attempts,
                     state, error
                 FROM outbox ORDER BY seq",
            )?
            .query_map([], |r| {
                let document: String = r.get(2)?;
                let replies_to: String = r.get(3)?;
                let state: String = r.get(6)?;
                Ok(OutboxEntry {
                    message_id: MessageId::from(r.get::<_, String>(0)?),
                    channel: ChannelId::from(r.get::<_, String>(1)?),
                    content: content::parse_document(&document).unwrap_or_default(),
                    replies_to: serde_json::from_str(&replies_to).unwrap_or_default(),
                    created_at: rows::timestamp(r.get(4)?),
                    attempts: r.get(5)?,
                    state: match state.as_str() {
                        "sent" => OutboxState::Sent,
                        "failed" => {
                            OutboxState::Failed(r.get::<_, Option<String>>(7)?.unwrap_or_default())
                        }
                        _ => OutboxState::Queued,
                    },
                })
            })?
            .collect()
    }
}
