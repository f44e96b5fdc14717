//! Complete ranges ("spans") of a channel's stored history, and the pages read from them.
//!
//! A message can be stored without its neighbours: a live event in a channel whose history
//! nobody loaded, a page fetched around a search result. A page read from the store must not
//! skip what the store never had, so the client says which stretches it knows to be complete
//! (`Write::Span`: what a history page from the server covered, extended by the live stream),
//! and pages are read only inside one of them. Past a span's start the server is asked.
//!
//! A span is `start ..= end` in creation time (µs); [`BEGINNING`] as the start means "since the
//! channel began". Spans of one channel never overlap: writing one merges it with every span
//! it touches. Pruning the oldest messages moves a span's start past them ([`after_prune`]),
//! and a span written later never reaches below what was pruned.

use rusqlite::{Connection, OptionalExtension, params};

use super::Queries;
use super::messages::{Page, SEQ_SLOTS};
use super::rows::{self, MESSAGE_COLUMNS};
use crate::app::model::{ChannelId, Message, MessageId};

/// The start of a span that reaches back to the channel's first message.
pub const BEGINNING: i64 = i64::MIN;

/// One complete range of a channel's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: i64,
    pub end: i64,
}

impl Span {
    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Span> {
        Ok(Span {
            start: r.get(0)?,
            end: r.get(1)?,
        })
    }

    /// Whether the channel has nothing older than this span.
    fn reaches_beginning(self) -> bool {
        self.start == BEGINNING
    }
}

/// Note that every message of `channel` created in `start ..= end` is stored; merged with the
/// spans it overlaps or touches.
pub fn extend(conn: &Connection, channel: &str, start: i64, end: i64) -> rusqlite::Result<()> {
    // The page this span came from may have been stored just before the limits pruned it.
    let kept_from: Option<i64> = conn
        .prepare_cached("SELECT kept_from FROM pruned WHERE channel_id = ?1")?
        .query_row([channel], |r| r.get(0))
        .optional()?;
    let start = kept_from.map_or(start, |k| k.max(start));
    if end < start {
        return Ok(());
    }
    let (lo, hi): (Option<i64>, Option<i64>) = conn
        .prepare_cached(
            "SELECT min(start_at), max(end_at) FROM spans
             WHERE channel_id = ?1 AND start_at <= ?3 AND end_at >= ?2",
        )?
        .query_row(params![channel, start, end], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let (start, end) = (
        lo.map_or(start, |l| l.min(start)),
        hi.map_or(end, |h| h.max(end)),
    );
    conn.prepare_cached(
        "DELETE FROM spans WHERE channel_id = ?1 AND start_at <= ?3 AND end_at >= ?2",
    )?
    .execute(params![channel, start, end])?;
    conn.prepare_cached("INSERT INTO spans (channel_id, start_at, end_at) VALUES (?1, ?2, ?3)")?
        .execute(params![channel, start, end])?;
    Ok(())
}

/// After messages were pruned: no span reaches below what its channel still keeps
/// (`pruned.kept_from`, noted by the limits).
pub fn after_prune(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "DELETE FROM spans WHERE end_at <
             (SELECT kept_from FROM pruned p WHERE p.channel_id = spans.channel_id);
         UPDATE spans SET start_at =
             (SELECT kept_from FROM pruned p WHERE p.channel_id = spans.channel_id)
         WHERE start_at <
             (SELECT kept_from FROM pruned p WHERE p.channel_id = spans.channel_id);",
    )
}

/// A stored message with its neighbours from the same span (opening a search result).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Around {
    /// Oldest first, the message among them.
    pub messages: Vec<Message>,
    /// Whether older messages may exist (stored or only on the server).
    pub has_past: bool,
}

impl Queries<'_> {
    /// The spans of `channel`, oldest first.
    pub fn spans(&self, channel: &ChannelId) -> rusqlite::Result<Vec<Span>> {
        self.conn
            .prepare_cached(
                "SELECT start_at, end_at FROM spans WHERE channel_id = ?1 ORDER BY start_at",
            )?
            .query_map([channel.as_str()], Span::from_row)?
            .collect()
    }

    /// The newest `limit` messages of the newest complete span of `channel` (the page shown
    /// before the server answers); empty when no span is known. `more`: older messages may
    /// exist.
    pub fn latest_page(&self, channel: &ChannelId, limit: usize) -> rusqlite::Result<Page> {
        let span = self
            .conn
            .prepare_cached(
                "SELECT start_at, end_at FROM spans WHERE channel_id = ?1
                 ORDER BY end_at DESC LIMIT 1",
            )?
            .query_row([channel.as_str()], Span::from_row)
            .optional()?;
        let Some(span) = span else {
            return Ok(Page::default());
        };
        let (messages, more) =
            self.span_before(channel, span, span.end.saturating_add(1), limit)?;
        Ok(Page {
            messages,
            more: more || !span.reaches_beginning(),
        })
    }

    /// Up to `limit` messages of `channel` created before `before`, from the span that holds
    /// `before` (the store's answer to "the page before the oldest message loaded"). `None`
    /// when the store cannot tell: no span holds `before`, or nothing of the span is older.
    /// The page may be short when the span starts sooner; `more` then says whether the
    /// channel goes back further (the next page comes from the server).
    pub fn page_before(
        &self,
        channel: &ChannelId,
        before: jiff::Timestamp,
        limit: usize,
    ) -> rusqlite::Result<Option<Page>> {
        let before = rows::micros(before);
        let Some(span) = self.span_holding(channel, before)? else {
            return Ok(None);
        };
        let (messages, more) = self.span_before(channel, span, before, limit)?;
        if messages.is_empty() && !span.reaches_beginning() {
            return Ok(None);
        }
        Ok(Some(Page {
            messages,
            more: more || !span.reaches_beginning(),
        }))
    }

    /// Message `id` with up to `context` messages on each side, all from the span that holds
    /// it (only itself when none does); `None` when it is not stored.
    pub fn around(&self, id: &MessageId, context: usize) -> rusqlite::Result<Option<Around>> {
        let anchor = self
            .conn
            .prepare_cached(&format!(
                "SELECT {MESSAGE_COLUMNS}, m.seq FROM messages m WHERE m.id = ?1 AND m.deleted = 0"
            ))?
            .query_row([id.as_str()], |r| {
                Ok((rows::message(r)?, r.get::<_, i64>(11)?))
            })
            .optional()?;
        let Some((anchor, seq)) = anchor else {
            return Ok(None);
        };
        let channel = anchor.channel_id.clone();
        let at = rows::micros(anchor.created_at);
        let Some(span) = self.span_holding(&channel, at)? else {
            return Ok(Some(Around {
                messages: vec![anchor],
                has_past: true,
            }));
        };
        let mut older = self
            .conn
            .prepare_cached(&format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages m
                 WHERE m.channel_id = ?1 AND m.seq < ?2 AND m.created_at >= ?3
                     AND m.deleted = 0
                 ORDER BY m.seq DESC LIMIT ?4"
            ))?
            .query_map(
                params![channel.as_str(), seq, span.start, page_limit(context)],
                rows::message,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let has_past = older.len() > context || !span.reaches_beginning();
        older.truncate(context);
        older.reverse();
        let newer = self
            .conn
            .prepare_cached(&format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages m
                 WHERE m.channel_id = ?1 AND m.seq > ?2 AND m.created_at <= ?3
                     AND m.seq <= ?3 + ?5 AND m.deleted = 0
                 ORDER BY m.seq LIMIT ?4"
            ))?
            .query_map(
                params![
                    channel.as_str(),
                    seq,
                    span.end,
                    i64::try_from(context).unwrap_or(i64::MAX),
                    SEQ_SLOTS
                ],
                rows::message,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut messages = older;
        messages.push(anchor);
        messages.extend(newer);
        Ok(Some(Around { messages, has_past }))
    }

    fn span_holding(&self, channel: &ChannelId, at: i64) -> rusqlite::Result<Option<Span>> {
        self.conn
            .prepare_cached(
                "SELECT start_at, end_at FROM spans
                 WHERE channel_id = ?1 AND start_at <= ?2 AND end_at >= ?2
                 ORDER BY start_at DESC LIMIT 1",
            )?
            .query_row(params![channel.as_str(), at], Span::from_row)
            .optional()
    }

    /// Up to `limit` messages of `span` created before `before`, oldest first, and whether
    /// the span holds more.
    fn span_before(
        &self,
        channel: &ChannelId,
        span: Span,
        before: i64,
        limit: usize,
    ) -> rusqlite::Result<(Vec<Message>, bool)> {
        // seq ≥ created_at, bumped by less than SEQ_SLOTS: the seq bounds narrow the scan,
        // the created_at bounds are the exact ones.
        let mut messages = self
            .conn
            .prepare_cached(&format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages m
                 WHERE m.channel_id = ?1 AND m.seq < ?2 + ?5 AND m.seq >= ?3
                     AND m.created_at < ?2 AND m.created_at >= ?3 AND m.deleted = 0
                 ORDER BY m.seq DESC LIMIT ?4"
            ))?
            .query_map(
                params![
                    channel.as_str(),
                    before,
                    span.start,
                    page_limit(limit),
                    SEQ_SLOTS
                ],
                rows::message,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let more = messages.len() > limit;
        messages.truncate(limit);
        messages.reverse();
        Ok((messages, more))
    }
}

/// One more than asked, to learn whether more exist.
fn page_limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX - 1) + 1
}
