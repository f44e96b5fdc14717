//! What `gilt export` reads: a channel found by name, its messages oldest first, and the
//! names of their authors.

use std::collections::HashMap;

use rusqlite::params;

use super::Queries;
use super::rows::{self, MESSAGE_COLUMNS};
use crate::app::model::{ChannelId, Message, UserId};

/// A stored channel that a name may mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedChannel {
    pub id: ChannelId,
    pub name: String,
    /// The team's name (`None` for a DM).
    pub team: Option<String>,
}

impl Queries<'_> {
    /// The stored channels called `name` (any case, a leading `#` ignored), or whose id is
    /// `name`.
    pub fn channels_named(&self, name: &str) -> rusqlite::Result<Vec<NamedChannel>> {
        let name = name.strip_prefix('#').unwrap_or(name);
        self.conn
            .prepare_cached(
                "SELECT c.id, c.name, t.name FROM channels c LEFT JOIN teams t ON t.id = c.team_id
                 WHERE c.name = ?1 COLLATE NOCASE OR c.id = ?1 ORDER BY t.position, c.name",
            )?
            .query_map([name], |r| {
                Ok(NamedChannel {
                    id: ChannelId::from(r.get::<_, String>(0)?),
                    name: r.get(1)?,
                    team: r.get(2)?,
                })
            })?
            .collect()
    }

    /// Every stored message of `channel` created at or after `since` (µs), oldest first.
    pub fn channel_history(
        &self,
        channel: &ChannelId,
        since: Option<jiff::Timestamp>,
    ) -> rusqlite::Result<Vec<Message>> {
        let since = since.map_or(i64::MIN, rows::micros);
        self.conn
            .prepare_cached(&format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages m
                 WHERE m.channel_id = ?1 AND m.seq >= ?2 AND m.created_at >= ?2 AND m.deleted = 0
                 ORDER BY m.seq"
            ))?
            .query_map(params![channel.as_str(), since], rows::message)?
            .collect()
    }

    /// The names to show for the authors of `channel`'s messages: the team nickname, else
    /// the name (authors the store has no name for are left out).
    pub fn author_names(&self, channel: &ChannelId) -> rusqlite::Result<HashMap<UserId, String>> {
        self.conn
            .prepare_cached(
                "SELECT u.id, coalesce(nullif(mb.nickname, ''), u.name)
                 FROM users u
                 LEFT JOIN members mb ON mb.user_id = u.id
                     AND mb.team_id = (SELECT team_id FROM channels WHERE id = ?1)
                 WHERE u.id IN (SELECT DISTINCT author_id FROM messages WHERE channel_id = ?1)",
            )?
            .query_map([channel.as_str()], |r| {
                Ok((UserId::from(r.get::<_, String>(0)?), r.get(1)?))
            })?
            .collect()
    }
}
