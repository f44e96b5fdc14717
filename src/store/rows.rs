//! The app's entities as table rows and back: times, message bodies, the searchable text.

use jiff::Timestamp;
use rusqlite::Row;
use serde::{Deserialize, Serialize};

use crate::app::model::{
    Channel, ChannelId, ChannelKind, ContentType, Delivery, EmojiId, Message, MessageId, Reaction,
    TeamId, User, UserId,
};
use crate::protocol::content::{self, RichText};

/// A time as stored: microseconds since the Unix epoch.
pub fn micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

/// A stored time (an impossible one, only from a hand-edited file, reads as the epoch).
pub fn timestamp(micros: i64) -> Timestamp {
    Timestamp::from_microsecond(micros).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The text the full-text index and the snippets see: the message's plain text with every
/// control character (C0, DEL, C1, newlines included) made a space. So no escape sequence is
/// ever returned in a snippet, and the snippet markers (`\x02`, `\x03`) are unambiguous.
pub fn searchable_text(plain: &str) -> String {
    plain
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A reaction as stored in `messages.reactions` (JSON), the app's `Reaction` field by field.
#[derive(Serialize, Deserialize)]
struct StoredReaction {
    emoji_id: EmojiId,
    name: String,
    users: Vec<UserId>,
    count: u32,
    mine: bool,
}

/// One message's columns, ready to bind.
pub struct MessageRow {
    pub id: String,
    pub channel_id: String,
    pub author_id: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub document: String,
    pub text: String,
    pub replies_to: String,
    pub reactions: String,
    pub is_system: bool,
    pub is_pinned: bool,
    pub mentions_me: bool,
}

impl MessageRow {
    pub fn new(m: &Message) -> serde_json::Result<MessageRow> {
        let reactions: Vec<StoredReaction> = m
            .reactions
            .iter()
            .map(|r| StoredReaction {
                emoji_id: r.emoji_id,
                name: r.name.clone(),
                users: r.users.clone(),
                count: r.count,
                mine: r.mine,
            })
            .collect();
        Ok(MessageRow {
            id: m.id.as_str().to_owned(),
            channel_id: m.channel_id.as_str().to_owned(),
            author_id: m.author_id.as_str().to_owned(),
            created_at: micros(m.created_at),
            edited_at: m.edited_at.map(micros),
            document: serde_json::to_string(&m.content)?,
            text: searchable_text(&m.content.plain_text()),
            replies_to: serde_json::to_string(&m.replies_to)?,
            reactions: serde_json::to_string(&reactions)?,
            is_system: m.is_system,
            is_pinned: m.is_pinned,
            mentions_me: m.mentions_me,
        })
    }
}

/// The columns [`message`] reads, in order, for a `messages` table aliased `m`.
pub const MESSAGE_COLUMNS: &str = "m.id, m.channel_id, m.author_id, m.created_at, m.edited_at, \
     m.document, m.replies_to, m.reactions, m.is_system, m.is_pinned, m.mentions_me";

/// A message from a row selected with [`MESSAGE_COLUMNS`]. A body that no longer parses
/// (written by a future gilt, or damaged) reads as empty text rather than failing the page.
pub fn message(row: &Row<'_>) -> rusqlite::Result<Message> {
    let id: String = row.get(0)?;
    let document: String = row.get(5)?;
    let content = content::parse_document(&document).unwrap_or_else(|e| {
        tracing::warn!("store: message {id}: unreadable body: {e}");
        RichText::default()
    });
    let replies_to: String = row.get(6)?;
    let reactions: String = row.get(7)?;
    let reactions: Vec<StoredReaction> = serde_json::from_str(&reactions).unwrap_or_default();
    Ok(Message {
        id: MessageId::from(id),
        channel_id: ChannelId::from(row.get::<_, String>(1)?),
        author_id: UserId::from(row.get::<_, String>(2)?),
        created_at: timestamp(row.get(3)?),
        edited_at: row.get::<_, Option<i64>>(4)?.map(timestamp),
        content: content.into(),
        replies_to: serde_json::from_str(&replies_to).unwrap_or_default(),
        reactions: reactions
            .into_iter()
            .map(|r| Reaction {
                emoji_id: r.emoji_id,
                name: r.name,
                users: r.users,
                count: r.count,
                mine: r.mine,
            })
            .collect(),
        delivery: Delivery::Confirmed,
        is_system: row.get(8)?,
        is_pinned: row.get(9)?,
        mentions_me: row.get(10)?,
    })
}

/// The columns [`channel`] reads, for a `channels` table aliased `c`; the DM participants
/// are filled in by the caller.
pub const CHANNEL_COLUMNS: &str =
    "c.id, c.team_id, c.content_type, c.name, c.topic, c.category_id, c.position, c.last_activity";

/// A channel from a row selected with [`CHANNEL_COLUMNS`] (a DM's users still empty).
pub fn channel(row: &Row<'_>) -> rusqlite::Result<Channel> {
    let team_id: Option<String> = row.get(1)?;
    let kind = match team_id {
        Some(team_id) => ChannelKind::Team {
            team_id: TeamId::from(team_id),
            category_id: row.get(5)?,
            priority: row.get(6)?,
        },
        None => ChannelKind::Dm { users: Vec::new() },
    };
    Ok(Channel {
        id: ChannelId::from(row.get::<_, String>(0)?),
        name: row.get(3)?,
        kind,
        content_type: ContentType::from_wire(&row.get::<_, String>(2)?),
        topic: row.get(4)?,
        unread: 0,
        mentions: 0,
        last_activity: row.get::<_, Option<i64>>(7)?.map(timestamp),
    })
}

/// A user from `id, name, is_bot` and an optional nickname.
pub fn user(row: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: UserId::from(row.get::<_, String>(0)?),
        name: row.get(1)?,
        is_bot: row.get(2)?,
        nickname: row.get(3)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searchable_text_has_no_control_characters() {
        assert_eq!(
            searchable_text("a\x1b[31mred\x07\nline\u{9b}2"),
            "a [31mred  line 2"
        );
    }

    #[test]
    fn times_round_trip_to_the_microsecond() {
        let t: Timestamp = "2024-05-01T12:34:56.789123Z".parse().unwrap();
        assert_eq!(timestamp(micros(t)), t);
    }
}
