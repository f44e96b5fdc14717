//! The reader's own state: drafts, the last channel open, read markers, the recent reactions
//! and muted channels, and the `meta` table they share with the account key.
//!
//! With a store this is where that state lives (`state.json` is for `store = false`); a
//! `state.json` with something new in it (an install from before the store, a run with
//! `--no-store`, the drafts saved by the panic hook) is merged in once ([`import`]).

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

/// What `Effect::SaveState` asks to keep: exactly these drafts (others are cleared), the last
/// channel, the recent reactions and muted channels; the read markers move forward.
pub fn save(conn: &Connection, state: &PersistedState) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM drafts", [])?;
    for (channel, text) in &state.drafts {
        set_draft(conn, channel.as_str(), text)?;
    }
    save_markers(conn, state)?;
    set_meta(conn, RECENT_REACTIONS, Some(&json(&state.recent_reactions)))?;
    set_meta(conn, MUTED, Some(&json(&state.muted)))?;
    set_meta(
        conn,
        LAST_CHANNEL,
        state.last_channel.as_ref().map(ChannelId::as_str),
    )
}

/// Merge a `state.json` into the store unless it is the one merged last time (or empty):
/// its drafts are kept (over the stored draft of the same channel: the file is newer), read
/// markers move forward, its last channel, recent reactions and muted channels replace the
/// stored ones. Returns whether anything was merged.
pub fn import(conn: &Connection, file: &PersistedState) -> rusqlite::Result<bool> {
    if *file == PersistedState::default() {
        return Ok(false);
    }
    let text = json(file);
    if meta(conn, IMPORTED)?.as_deref() == Some(text.as_str()) {
        return Ok(false);
    }
    for (channel, text) in &file.drafts {
        set_draft(conn, channel.as_str(), text)?;
    }
    save_markers(conn, file)?;
    if let Some(last) = &file.last_channel {
        set_meta(conn, LAST_CHANNEL, Some(last.as_str()))?;
    }
    if !file.recent_reactions.is_empty() {
        set_meta(conn, RECENT_REACTIONS, Some(&json(&file.recent_reactions)))?;
    }
    set_meta(conn, MUTED, Some(&json(&file.muted)))?;
    set_meta(conn, IMPORTED, Some(&text))?;
    Ok(true)
}

fn save_markers(conn: &Connection, state: &PersistedState) -> rusqlite::Result<()> {
    for (channel, at) in &state.read_markers {
        set_read_marker(
            conn,
            &ReadMarker {
                channel: channel.clone(),
                message: None,
                at: *at,
            },
        )?;
    }
    Ok(())
}

/// Keys of the `meta` table.
const LAST_CHANNEL: &str = "last_channel";
const RECENT_REACTIONS: &str = "recent_reactions";
const MUTED: &str = "muted";
/// The `state.json` merged last ([`import`]), as JSON.
const IMPORTED: &str = "imported_state_file";

/// A value as JSON for the `meta` table (these types always serialise).
fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A `meta` value read back as JSON; missing or unreadable (a hand-edited file) is the default.
fn from_json<T: serde::de::DeserializeOwned + Default>(text: Option<String>) -> T {
    text.and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
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

    /// Drafts, the last channel open, read markers, recent reactions and muted channels, as
    /// `Msg::RestoreState` takes them.
    pub fn persisted_state(&self) -> rusqlite::Result<PersistedState> {
        Ok(PersistedState {
            last_channel: meta(self.conn, LAST_CHANNEL)?.map(ChannelId::from),
            drafts: self.drafts()?,
            read_markers: self
                .read_markers()?
                .into_iter()
                .map(|m| (m.channel, m.at))
                .collect(),
            recent_reactions: from_json(meta(self.conn, RECENT_REACTIONS)?),
            muted: from_json(meta(self.conn, MUTED)?),
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
