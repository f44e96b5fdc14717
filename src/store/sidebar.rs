//! What the sidebar needs: who we are, teams in order with their categories, channels and
//! members, DMs and their users; written from the app's start-up and team loads, read back
//! as the same `InitialData` the network would give (for the first frame before it answers).

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::Queries;
use super::rows::{self, CHANNEL_COLUMNS};
use super::state;
use crate::app::model::{Category, Channel, ChannelKind, User, UserId};
use crate::app::{InitialData, PersistedState, TeamData};

/// The start-up load: `me`, the teams in `/me` order (teams no longer listed are forgotten,
/// with their channels), each team's data, the DMs and their users.
pub fn loaded(conn: &Connection, data: &InitialData) -> rusqlite::Result<()> {
    upsert_user(conn, &data.me)?;
    state::set_meta(conn, "me", Some(data.me.id.as_str()))?;
    let ids: Vec<&str> = data.teams.iter().map(|t| t.id.as_str()).collect();
    let ids = serde_json::to_string(&ids)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    conn.execute(
        "DELETE FROM teams WHERE id NOT IN (SELECT value FROM json_each(?1))",
        [ids],
    )?;
    for (position, team) in data.teams.iter().enumerate() {
        upsert_team(conn, team, Some(position))?;
    }
    for user in &data.users {
        upsert_user(conn, user)?;
    }
    for dm in &data.dms {
        upsert_channel(conn, dm)?;
    }
    Ok(())
}

/// One team's name, and when its channel list was loaded, its categories and channels
/// (replacing the stored ones); its members are added or updated. A new team goes last
/// unless `position` says where.
pub fn upsert_team(
    conn: &Connection,
    team: &TeamData,
    position: Option<usize>,
) -> rusqlite::Result<()> {
    let position = position.map(|p| i64::try_from(p).unwrap_or(i64::MAX));
    conn.prepare_cached(
        "INSERT INTO teams (id, name, position, channels_loaded)
         VALUES (?1, ?2, coalesce(?3, (SELECT coalesce(max(position) + 1, 0) FROM teams)), ?4)
         ON CONFLICT (id) DO UPDATE SET
             name = excluded.name,
             position = coalesce(?3, teams.position),
             channels_loaded = max(teams.channels_loaded, excluded.channels_loaded)",
    )?
    .execute(params![
        team.id.as_str(),
        team.name,
        position,
        team.channels_loaded
    ])?;
    if team.channels_loaded {
        conn.execute(
            "DELETE FROM categories WHERE team_id = ?1",
            [team.id.as_str()],
        )?;
        for category in &team.categories {
            conn.prepare_cached(
                "INSERT INTO categories (team_id, id, name, priority) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                team.id.as_str(),
                category.id,
                category.name,
                category.priority
            ])?;
        }
        let ids: Vec<&str> = team.channels.iter().map(|c| c.id.as_str()).collect();
        let ids = serde_json::to_string(&ids)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
        conn.execute(
            "DELETE FROM channels
             WHERE team_id = ?1 AND id NOT IN (SELECT value FROM json_each(?2))",
            params![team.id.as_str(), ids],
        )?;
        for channel in &team.channels {
            upsert_channel(conn, channel)?;
        }
    }
    for member in &team.members {
        upsert_member(conn, team.id.as_str(), member)?;
    }
    Ok(())
}

/// A team we left: it goes with its categories, channels and members (not its messages,
/// which stay searchable until pruned).
pub fn remove_team(conn: &Connection, team: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM teams WHERE id = ?1", [team])?;
    Ok(())
}

/// A team channel or a DM. A team channel of a team the store does not know is skipped (the
/// team's load will bring it). The last activity only moves forward.
pub fn upsert_channel(conn: &Connection, channel: &Channel) -> rusqlite::Result<()> {
    let (team_id, kind, category_id, position) = match &channel.kind {
        ChannelKind::Team {
            team_id,
            category_id,
            priority,
        } => (Some(team_id.as_str()), "team", *category_id, *priority),
        ChannelKind::Dm { .. } => (None, "dm", None, 0),
    };
    if let Some(team) = team_id {
        let known = conn
            .prepare_cached("SELECT 1 FROM teams WHERE id = ?1")?
            .exists([team])?;
        if !known {
            return Ok(());
        }
    }
    conn.prepare_cached(
        "INSERT INTO channels (id, team_id, kind, content_type, name, topic, category_id,
             position, last_activity)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET
             team_id = excluded.team_id, kind = excluded.kind,
             content_type = excluded.content_type, name = excluded.name,
             topic = excluded.topic, category_id = excluded.category_id,
             position = excluded.position,
             last_activity = max(coalesce(channels.last_activity, excluded.last_activity),
                                 coalesce(excluded.last_activity, channels.last_activity))",
    )?
    .execute(params![
        channel.id.as_str(),
        team_id,
        kind,
        channel.content_type.as_str(),
        channel.name,
        channel.topic,
        category_id,
        position,
        channel.last_activity.map(rows::micros),
    ])?;
    if let ChannelKind::Dm { users } = &channel.kind {
        conn.execute(
            "DELETE FROM dm_participants WHERE channel_id = ?1",
            [channel.id.as_str()],
        )?;
        for (position, user) in users.iter().enumerate() {
            conn.prepare_cached(
                "INSERT OR IGNORE INTO dm_participants (channel_id, user_id, position)
                 VALUES (?1, ?2, ?3)",
            )?
            .execute(params![
                channel.id.as_str(),
                user.as_str(),
                i64::try_from(position).unwrap_or(i64::MAX)
            ])?;
        }
    }
    Ok(())
}

/// A deleted channel (its messages stay searchable until pruned).
pub fn remove_channel(conn: &Connection, channel: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM channels WHERE id = ?1", [channel])?;
    Ok(())
}

/// A person's name and bot flag (a nickname is per team: see [`upsert_member`]).
pub fn upsert_user(conn: &Connection, user: &User) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO users (id, name, is_bot) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, is_bot = excluded.is_bot",
    )?
    .execute(params![user.id.as_str(), user.name, user.is_bot])?;
    Ok(())
}

/// A member of a stored team (with the team's nickname); unknown teams are skipped.
pub fn upsert_member(conn: &Connection, team: &str, user: &User) -> rusqlite::Result<()> {
    let known = conn
        .prepare_cached("SELECT 1 FROM teams WHERE id = ?1")?
        .exists([team])?;
    if !known {
        return Ok(());
    }
    upsert_user(conn, user)?;
    conn.prepare_cached(
        "INSERT INTO members (team_id, user_id, nickname) VALUES (?1, ?2, ?3)
         ON CONFLICT (team_id, user_id) DO UPDATE SET nickname = excluded.nickname",
    )?
    .execute(params![team, user.id.as_str(), user.nickname])?;
    Ok(())
}

/// Everything the first frame needs: the sidebar as the start-up load would give it, and the
/// drafts and last channel.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// For `Msg::Loaded`.
    pub data: InitialData,
    /// For `Msg::RestoreState`.
    pub state: PersistedState,
}

impl Queries<'_> {
    /// The stored sidebar, drafts and last channel; `None` before the first start-up load
    /// was stored (nothing to show yet).
    pub fn snapshot(&self) -> rusqlite::Result<Option<Snapshot>> {
        let Some(me_id) = state::meta(self.conn, "me")? else {
            return Ok(None);
        };
        let me = self
            .conn
            .query_row(
                "SELECT id, name, is_bot, NULL FROM users WHERE id = ?1",
                [&me_id],
                rows::user,
            )
            .optional()?
            .unwrap_or_else(|| User {
                id: UserId::from(me_id.clone()),
                ..User::default()
            });
        let mut teams = self.teams()?;
        let mut dms = Vec::new();
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {CHANNEL_COLUMNS} FROM channels c ORDER BY c.position, c.name"
        ))?;
        for channel in stmt.query_map([], rows::channel)? {
            let channel = channel?;
            match channel.team_id() {
                Some(team) => {
                    if let Some(t) = teams.iter_mut().find(|t| t.id == *team) {
                        t.channels.push(channel);
                    }
                }
                None => dms.push(channel),
            }
        }
        let participants = self.dm_participants()?;
        for dm in &mut dms {
            if let ChannelKind::Dm { users } = &mut dm.kind {
                *users = participants
                    .get(dm.id.as_str())
                    .cloned()
                    .unwrap_or_default();
            }
        }
        let users = self
            .conn
            .prepare(
                "SELECT id, name, is_bot, NULL FROM users
                 WHERE id IN (SELECT user_id FROM dm_participants) AND id != ?1 ORDER BY id",
            )?
            .query_map([&me_id], rows::user)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(Snapshot {
            data: InitialData {
                me,
                teams,
                dms,
                users,
                // Not stored: the server's answer brings them.
                custom_reactions: Vec::new(),
                unread: None,
            },
            state: self.persisted_state()?,
        }))
    }

    /// Teams in order with their categories and members (channels are added by the caller).
    fn teams(&self) -> rusqlite::Result<Vec<TeamData>> {
        let mut teams = self
            .conn
            .prepare("SELECT id, name, channels_loaded FROM teams ORDER BY position, id")?
            .query_map([], |r| {
                Ok(TeamData {
                    id: r.get::<_, String>(0)?.into(),
                    name: r.get(1)?,
                    channels_loaded: r.get(2)?,
                    ..TeamData::default()
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let index: HashMap<String, usize> = teams
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str().to_owned(), i))
            .collect();
        let mut stmt = self.conn.prepare(
            "SELECT team_id, id, name, priority FROM categories ORDER BY team_id, priority, id",
        )?;
        let categories = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Category {
                    id: r.get(1)?,
                    name: r.get(2)?,
                    priority: r.get(3)?,
                    channels: Vec::new(),
                },
            ))
        })?;
        for row in categories {
            let (team, category) = row?;
            if let Some(&i) = index.get(&team) {
                teams[i].categories.push(category);
            }
        }
        let mut stmt = self.conn.prepare(
            "SELECT m.team_id, u.id, u.name, u.is_bot, m.nickname
             FROM members m JOIN users u ON u.id = m.user_id ORDER BY m.team_id, u.id",
        )?;
        let members = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                User {
                    id: r.get::<_, String>(1)?.into(),
                    name: r.get(2)?,
                    is_bot: r.get(3)?,
                    nickname: r.get(4)?,
                },
            ))
        })?;
        for row in members {
            let (team, user) = row?;
            if let Some(&i) = index.get(&team) {
                teams[i].members.push(user);
            }
        }
        Ok(teams)
    }

    fn dm_participants(&self) -> rusqlite::Result<HashMap<String, Vec<UserId>>> {
        let mut out: HashMap<String, Vec<UserId>> = HashMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT channel_id, user_id FROM dm_participants ORDER BY channel_id, position",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (channel, user) = row?;
            out.entry(channel).or_default().push(UserId::from(user));
        }
        Ok(out)
    }
}
