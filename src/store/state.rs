//! The reader's own state: drafts, the last channel open, read markers, and the `meta` table
//! they share with the account key.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::Queries;
use super::rows;
use crate::app::PersistedState;
use crate::app::model::{ChannelId, MessageId};
use crate::app::persist::ReadMarker;

/// A value of the `meta` table.
pub fn meta(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()
}

/// Set (or with `None` remove) a value of the `meta` table.
pub fn set_meta(conn: &Connection, key: &str, value: Option<&str>) -> rusqlite::Result<()> {
    match value {
        Some(value) => conn
            .prepare_cached(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute([key, value])?,
        None => conn
            .prepare_cached("DELETE FROM meta WHERE key = ?1")?
            .execute([key])?,
    };
    Ok(())
}

/// Keep `text` as the channel's draft; an empty text clears it.
pub fn set_draft(conn: &Connection, channel: &str, text: &str) -> rusqlite::Result<()> {
    if text.is_empty() {
        conn.prepare_cached("DELETE FROM drafts WHERE channel_id = ?1")?
            .execute([channel])?;
    } else {
        conn.prepare_cached(
            "INSERT INTO drafts (channel_id, text) VALUES (?1, ?2)
             ON CONFLICT (channel_id) DO UPDATE SET text = excluded.text",
        )?
        .execute([channel, text])?;
    }
    Ok(())
}

/// What `Effect::SaveState` asks to keep: exactly these drafts (others are cleared) and the
/// last channel.
pub fn save(conn: &Connection, state: &PersistedState) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM drafts", [])?;
    for (channel, text) in &state.drafts {
        set_draft(conn, channel.as_str(), text)?;
    }
    set_meta(
        conn,
        "last_channel",
        state.last_channel.as_ref().map(ChannelId::as_str),
    )
}

/// Move a channel's read marker forward (an older marker never replaces a newer one).
pub fn set_read_marker(conn: &Connection, marker: &ReadMarker) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO read_markers (channel_id, message_id, seen_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (channel_id) DO UPDATE SET
             message_id = excluded.message_id, seen_at = excluded.seen_at
         WHERE excluded.seen_at >= read_markers.seen_at",
    )?
    .execute(params![
        marker.channel.as_str(),
        marker.message.as_ref().map(MessageId::as_str),
        rows::micros(marker.at)
    ])?;
    Ok(())
}

impl Queries<'_> {
    /// Every draft, by channel.
    pub fn drafts(&self) -> rusqlite::Result<BTreeMap<ChannelId, String>> {
        self.conn
            .prepare_cached("SELECT channel_id, text FROM drafts")?
            .query_map([], |r| {
                Ok((ChannelId::from(r.get::<_, String>(0)?), r.get(1)?))
            })?
            .collect()
    }

    /// The drafts and the last channel open, as `Msg::RestoreState` takes them.
    pub fn persisted_state(&self) -> rusqlite::Result<PersistedState> {
        Ok(PersistedState {
            last_channel: meta(self.conn, "last_channel")?.map(ChannelId::from),
            drafts: self.drafts()?,
            // Read markers still live in the state file (see `runtime::state_file`).
            ..PersistedState::default()
        })
    }

    /// Every channel's read marker.
    pub fn read_markers(&self) -> rusqlite::Result<Vec<ReadMarker>> {
        self.conn
            .prepare_cached(
                "SELECT channel_id, message_id, seen_at FROM read_markers ORDER BY channel_id",
            )?
            .query_map([], |r| {
                Ok(ReadMarker {
                    channel: ChannelId::from(r.get::<_, String>(0)?),
                    message: r.get::<_, Option<String>>(1)?.map(MessageId::from),
                    at: rows::timestamp(r.get(2)?),
                })
            })?
            .collect()
    }
}
