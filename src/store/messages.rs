//! Messages: the upsert rule (a newer edit wins, an older copy never overwrites a newer one, a
//! deleted message stays deleted), and reading a channel's messages page by page.

use rusqlite::{Connection, OptionalExtension, params};

use super::Queries;
use super::rows::{self, MESSAGE_COLUMNS, MessageRow};
use crate::app::model::{ChannelId, Delivery, Message, MessageId, Reaction};
use crate::protocol::content::RichText;

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    /// A message the store did not have.
    Inserted,
    /// A newer (or equally new) copy replaced what was stored.
    Updated,
    /// Nothing: the stored copy is newer, the message was deleted, it is not the server's
    /// yet (a pending or failed echo belongs in the outbox), or its instant has no free rowid
    /// left (see `free_seq`).
    Kept,
}

/// How far a rowid may be bumped past its creation time to stay unique (see `schema`): every
/// `seq` is in `created_at .. created_at + SEQ_SLOTS`, which time-bounded queries rely on.
pub(super) const SEQ_SLOTS: i64 = 1000;

/// Store one message by id. Versions compare by `edited_at` (never edited is oldest): a newer
/// copy replaces the body; an equally new one refreshes only what changes without an edit
/// (reactions, pin); an older one is ignored.
pub fn upsert(conn: &Connection, m: &Message) -> rusqlite::Result<Upserted> {
    if m.delivery != Delivery::Confirmed {
        return Ok(Upserted::Kept);
    }
    let row = MessageRow::new(m).map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    let stored: Option<(Option<i64>, bool)> = conn
        .prepare_cached("SELECT edited_at, deleted FROM messages WHERE id = ?1")?
        .query_row([&row.id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match stored {
        None => {
            let Some(seq) = free_seq(conn, row.created_at)? else {
                tracing::warn!(
                    "store: message {}: no free rowid within {SEQ_SLOTS} µs of its time; not stored",
                    row.id
                );
                return Ok(Upserted::Kept);
            };
            conn.prepare_cached(
                "INSERT INTO messages (seq, id, channel_id, author_id, created_at, edited_at,
                     document, text, replies_to, reactions, is_system, is_pinned, mentions_me)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?
            .execute(params![
                seq,
                row.id,
                row.channel_id,
                row.author_id,
                row.created_at,
                row.edited_at,
                row.document,
                row.text,
                row.replies_to,
                row.reactions,
                row.is_system,
                row.is_pinned,
                row.mentions_me,
            ])?;
            conn.prepare_cached(
                "UPDATE channels SET last_activity = max(coalesce(last_activity, ?2), ?2)
                 WHERE id = ?1",
            )?
            .execute(params![row.channel_id, row.created_at])?;
            Ok(Upserted::Inserted)
        }
        Some((stored_edit, false)) if row.edited_at > stored_edit => {
            conn.prepare_cached(
                "UPDATE messages SET edited_at = ?2, document = ?3, text = ?4, replies_to = ?5,
                     reactions = ?6, is_system = ?7, is_pinned = ?8, mentions_me = ?9
                 WHERE id = ?1",
            )?
            .execute(params![
                row.id,
                row.edited_at,
                row.document,
                row.text,
                row.replies_to,
                row.reactions,
                row.is_system,
                row.is_pinned,
                row.mentions_me,
            ])?;
            Ok(Upserted::Updated)
        }
        Some((stored_edit, false)) if row.edited_at == stored_edit => {
            // Same body; leave `text` alone so the full-text index is not rewritten.
            conn.prepare_cached(
                "UPDATE messages SET reactions = ?2, is_pinned = ?3 WHERE id = ?1",
            )?
            .execute(params![row.id, row.reactions, row.is_pinned])?;
            Ok(Upserted::Updated)
        }
        // Deleted, or the stored copy is newer.
        Some(_) => Ok(Upserted::Kept),
    }
}

/// Apply an edit to the stored copy of message `id` when it is newer (never edited is
/// oldest; an edit without a time counts as newer); unknown or deleted messages are ignored.
pub fn edit(
    conn: &Connection,
    id: &str,
    content: &RichText,
    edited_at: Option<jiff::Timestamp>,
) -> rusqlite::Result<()> {
    let document = serde_json::to_string(content)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    let text = rows::searchable_text(&content.plain_text());
    // The time of an edit that came without one: just after the stored one.
    conn.prepare_cached(
        "UPDATE messages SET document = ?2, text = ?3,
             edited_at = coalesce(?4, coalesce(edited_at, created_at) + 1)
         WHERE id = ?1 AND deleted = 0 AND (?4 IS NULL OR edited_at IS NULL OR edited_at < ?4)",
    )?
    .execute(params![id, document, text, edited_at.map(rows::micros)])?;
    Ok(())
}

/// Change the stored reactions of message `id` with `change` (unknown or deleted messages
/// are ignored).
pub fn react(
    conn: &Connection,
    id: &str,
    change: impl FnOnce(&mut Vec<Reaction>) -> bool,
) -> rusqlite::Result<()> {
    let stored = conn
        .prepare_cached(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages m WHERE m.id = ?1 AND m.deleted = 0"
        ))?
        .query_row([id], rows::message)
        .optional()?;
    let Some(mut m) = stored else {
        return Ok(());
    };
    if !change(&mut m.reactions) {
        return Ok(());
    }
    let row = MessageRow::new(&m).map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    conn.prepare_cached("UPDATE messages SET reactions = ?2 WHERE id = ?1")?
        .execute(params![id, row.reactions])?;
    Ok(())
}

/// Set the pinned flag of stored message `id`.
pub fn pin(conn: &Connection, id: &str, pinned: bool) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE messages SET is_pinned = ?2 WHERE id = ?1")?
        .execute(params![id, pinned])?;
    Ok(())
}

/// Mark a message deleted: its body and searchable text are dropped at once, the row stays
/// as a tombstone so that a stale copy cannot bring it back. Unknown ids are ignored.
pub fn delete(conn: &Connection, id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE messages SET deleted = 1, document = '', text = '', reactions = '[]'
         WHERE id = ?1 AND deleted = 0",
    )?
    .execute([id])?;
    Ok(())
}

/// The rowid for a message created at `created_at` (µs): that time, or the one after the
/// last taken within [`SEQ_SLOTS`] of it; `None` when that would leave the range (only a
/// server sending a thousand messages of one millisecond gets there). One index seek, so a
/// flood of messages of one instant costs no more per message than any other.
fn free_seq(conn: &Connection, created_at: i64) -> rusqlite::Result<Option<i64>> {
    let taken: Option<i64> = conn
        .prepare_cached("SELECT max(seq) FROM messages WHERE seq BETWEEN ?1 AND ?1 + ?2")?
        .query_row(params![created_at, SEQ_SLOTS - 1], |r| r.get(0))?;
    Ok(match taken {
        None => Some(created_at),
        Some(taken) => Some(taken + 1).filter(|&seq| seq < created_at + SEQ_SLOTS),
    })
}

/// Messages of one channel, oldest first, and whether more are stored beyond them (older
/// ones for a page going back, newer ones for a page going forward).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    pub messages: Vec<Message>,
    pub more: bool,
}

impl Queries<'_> {
    /// The newest `limit` messages of `channel`; `more` says whether older ones are stored.
    pub fn recent_messages(&self, channel: &ChannelId, limit: usize) -> rusqlite::Result<Page> {
        self.page_back(channel.as_str(), i64::MAX, limit)
    }

    /// Up to `limit` messages of `channel` just before message `id` (empty if `id` is not
    /// stored); `more` says whether still older ones are stored.
    pub fn messages_before(
        &self,
        channel: &ChannelId,
        id: &MessageId,
        limit: usize,
    ) -> rusqlite::Result<Page> {
        match self.seq_of(id.as_str())? {
            Some(seq) => self.page_back(channel.as_str(), seq, limit),
            None => Ok(Page::default()),
        }
    }

    /// Up to `limit` messages of `channel` just after message `id` (empty if `id` is not
    /// stored); `more` says whether still newer ones are stored.
    pub fn messages_after(
        &self,
        channel: &ChannelId,
        id: &MessageId,
        limit: usize,
    ) -> rusqlite::Result<Page> {
        let Some(seq) = self.seq_of(id.as_str())? else {
            return Ok(Page::default());
        };
        let mut messages = self
            .conn
            .prepare_cached(&format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages m
                 WHERE m.channel_id = ?1 AND m.seq > ?2 AND m.deleted = 0
                 ORDER BY m.seq LIMIT ?3"
            ))?
            .query_map(
                params![channel.as_str(), seq, page_limit(limit)],
                rows::message,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let more = messages.len() > limit;
        messages.truncate(limit);
        Ok(Page { messages, more })
    }

    /// Message `id` with up to `context` messages of its channel on each side, oldest first
    /// (what opening a search result shows); empty if it is not stored.
    pub fn messages_around(
        &self,
        id: &MessageId,
        context: usize,
    ) -> rusqlite::Result<Vec<Message>> {
        let anchor = self
            .conn
            .prepare_cached(&format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages m WHERE m.id = ?1 AND m.deleted = 0"
            ))?
            .query_row([id.as_str()], rows::message)
            .optional()?;
        let Some(anchor) = anchor else {
            return Ok(Vec::new());
        };
        let channel = anchor.channel_id.clone();
        let mut out = self.messages_before(&channel, id, context)?.messages;
        out.push(anchor);
        out.extend(self.messages_after(&channel, id, context)?.messages);
        Ok(out)
    }

    /// Up to `limit` messages of `channel` created before `before`, newest of them last (the
    /// store's answer to a history page asked for with `beforeDate`).
    pub fn messages_before_time(
        &self,
        channel: &ChannelId,
        before: jiff::Timestamp,
        limit: usize,
    ) -> rusqlite::Result<Page> {
        // seq ≥ created_at, bumped by less than SEQ_SLOTS: the seq bound narrows the scan, the
        // created_at bound is the exact one.
        let before = rows::micros(before);
        let mut messages = self
            .conn
            .prepare_cached(&format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages m
                 WHERE m.channel_id = ?1 AND m.seq < ?2 + ?4 AND m.created_at < ?2
                     AND m.deleted = 0
                 ORDER BY m.seq DESC LIMIT ?3"
            ))?
            .query_map(
                params![channel.as_str(), before, page_limit(limit), SEQ_SLOTS],
                rows::message,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let more = messages.len() > limit;
        messages.truncate(limit);
        messages.reverse();
        Ok(Page { messages, more })
    }

    /// How many messages (tombstones included) the store holds in all.
    pub fn message_count(&self) -> rusqlite::Result<u64> {
        self.conn
            .query_row("SELECT count(*) FROM messages", [], |r| r.get(0))
    }

    fn page_back(&self, channel: &str, below: i64, limit: usize) -> rusqlite::Result<Page> {
        let mut messages = self
            .conn
            .prepare_cached(&format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages m
                 WHERE m.channel_id = ?1 AND m.seq < ?2 AND m.deleted = 0
                 ORDER BY m.seq DESC LIMIT ?3"
            ))?
            .query_map(params![channel, below, page_limit(limit)], rows::message)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let more = messages.len() > limit;
        messages.truncate(limit);
        messages.reverse();
        Ok(Page { messages, more })
    }

    fn seq_of(&self, id: &str) -> rusqlite::Result<Option<i64>> {
        self.conn
            .prepare_cached("SELECT seq FROM messages WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()
    }
}

/// One more than asked, to learn whether more exist.
fn page_limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX - 1) + 1
}
