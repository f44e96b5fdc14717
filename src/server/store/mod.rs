//! The server's in-memory data: users, teams, channels, messages and login sessions.
//! Every rule about who may see or change what lives here (`ops.rs` for changes,
//! `load.rs` for building it from the world), so REST, the gateway and the simulator
//! agree. Callers hold the lock briefly and never across an await.

mod load;
mod ops;
mod structure;
#[cfg(test)]
mod tests;

pub use load::mention_resolver;

use std::collections::HashMap;

use jiff::Timestamp;
use serde_json::Value;

use super::world::EmojiDef;

/// A failed store operation, mapped to an HTTP status by the REST layer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub name: String,
    pub presence: u8,
    /// The status was chosen by the user (pings leave it alone).
    pub presence_chosen: bool,
    pub tag_line: Option<String>,
    pub bot: bool,
    pub email: Option<String>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub user_id: String,
    pub nickname: Option<String>,
    pub role: String,
    pub joined_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct Category {
    pub id: i64,
    pub name: String,
    pub priority: i64,
}

#[derive(Debug, Clone)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub subdomain: String,
    pub owner_id: String,
    pub description: Option<String>,
    pub base_group_id: String,
    pub created_at: Timestamp,
    pub members: Vec<Member>,
    pub categories: Vec<Category>,
    /// Who is in each voice or stream channel of the team (channel id → users).
    pub voice: std::collections::BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone)]
pub enum ChannelScope {
    Team {
        team_id: String,
        category: Option<i64>,
        priority: i64,
    },
    Dm {
        users: Vec<String>,
        owner: String,
    },
}

#[derive(Debug, Clone)]
pub struct Channel {
    pub id: String,
    pub name: Option<String>,
    pub content_type: String,
    pub description: Option<String>,
    pub created_at: Timestamp,
    pub created_by: String,
    pub scope: ChannelScope,
    /// Set for a thread: the channel (and message) it was started from.
    pub thread: Option<ThreadOf>,
}

/// Where a thread was started.
#[derive(Debug, Clone)]
pub struct ThreadOf {
    pub parent: String,
    pub message: Option<String>,
}

impl Channel {
    pub fn team_id(&self) -> Option<&str> {
        match &self.scope {
            ChannelScope::Team { team_id, .. } => Some(team_id),
            ChannelScope::Dm { .. } => None,
        }
    }

    /// Chat, voice and stream channels carry text chat; the other content types (docs, forums,
    /// events, media) are listed but refuse messages.
    pub fn is_messageable(&self) -> bool {
        matches!(self.content_type.as_str(), "chat" | "voice" | "stream")
    }
}

#[derive(Debug, Clone)]
pub struct Reaction {
    pub emoji_id: i64,
    pub created_at: Timestamp,
    pub users: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Message {
    pub id: String,
    pub channel_id: String,
    pub author: String,
    pub created_at: Timestamp,
    pub edited_at: Option<Timestamp>,
    pub content: Value,
    pub replies_to: Vec<String>,
    pub is_silent: bool,
    pub is_private: bool,
    pub reactions: Vec<Reaction>,
    pub pinned_by: Option<String>,
}

/// One login the server remembers (keyed by its `hmac_signed_session` token): who logged in,
/// and the `guilded_mid` their gateway sockets identify with.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    pub user_id: String,
    pub client_id: String,
}

/// One page of history, newest first.
pub struct Page {
    pub messages: Vec<Message>,
    pub has_past_messages: bool,
}

#[derive(Debug)]
pub struct Store {
    pub demo_user: String,
    pub email: String,
    pub password: String,
    pub users: Vec<User>,
    pub teams: Vec<Team>,
    pub channels: Vec<Channel>,
    /// Archived team channels: out of every list and read-only until restored.
    pub archived: Vec<Channel>,
    pub emoji: Vec<EmojiDef>,
    /// Per channel, oldest first; timestamps strictly increase so paging never skips a tie.
    messages: HashMap<String, Vec<Message>>,
    sessions: HashMap<String, LoginRecord>,
    /// (user, channel) → read up to this instant (`PUT /channels/{id}/seen`); without an
    /// entry, up to `seen_baseline` (the world's load).
    seen: HashMap<(String, String), Timestamp>,
    seen_baseline: Timestamp,
}

impl Store {
    // ---- lookups ----

    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn user_mut(&mut self, id: &str) -> Option<&mut User> {
        self.users.iter_mut().find(|u| u.id == id)
    }

    /// The user who may log in with this email (case-insensitive).
    pub fn user_by_email(&self, email: &str) -> Option<&User> {
        self.users.iter().find(|u| {
            u.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(email.trim()))
        })
    }

    pub fn team(&self, id: &str) -> Option<&Team> {
        self.teams.iter().find(|t| t.id == id)
    }

    pub fn team_mut(&mut self, id: &str) -> Option<&mut Team> {
        self.teams.iter_mut().find(|t| t.id == id)
    }

    pub fn channel(&self, id: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.id == id)
    }

    pub fn is_member(&self, team_id: &str, user_id: &str) -> bool {
        self.team(team_id)
            .is_some_and(|t| t.members.iter().any(|m| m.user_id == user_id))
    }

    pub fn teams_of(&self, user_id: &str) -> Vec<&Team> {
        self.teams
            .iter()
            .filter(|t| t.members.iter().any(|m| m.user_id == user_id))
            .collect()
    }

    pub fn dms_of(&self, user_id: &str) -> Vec<&Channel> {
        self.channels
            .iter()
            .filter(|c| matches!(&c.scope, ChannelScope::Dm { users, .. } if users.iter().any(|u| u == user_id)))
            .collect()
    }

    /// Every user who can read the channel: the team's members, or the DM's participants.
    pub fn audience(&self, channel: &Channel) -> Vec<String> {
        match &channel.scope {
            ChannelScope::Team { team_id, .. } => self
                .team(team_id)
                .map(|t| t.members.iter().map(|m| m.user_id.clone()).collect())
                .unwrap_or_default(),
            ChannelScope::Dm { users, .. } => users.clone(),
        }
    }

    pub fn can_see(&self, user_id: &str, channel: &Channel) -> bool {
        self.audience(channel).iter().any(|u| u == user_id)
    }

    /// The channel, if it exists (404) and the user can read it (403).
    pub fn visible_channel(&self, user_id: &str, channel_id: &str) -> Result<&Channel, StoreError> {
        let channel = self
            .channel(channel_id)
            .ok_or_else(|| StoreError::NotFound(format!("channel {channel_id} not found")))?;
        if self.can_see(user_id, channel) {
            Ok(channel)
        } else {
            Err(StoreError::Forbidden("you cannot see this channel".into()))
        }
    }

    pub fn emoji_name(&self, id: i64) -> String {
        self.emoji
            .iter()
            .find(|e| e.id == id)
            .map_or_else(|| format!("emoji{id}"), |e| e.name.clone())
    }

    /// `user` has read `channel_id` up to `at`.
    pub fn mark_seen(&mut self, user: &str, channel_id: &str, at: Timestamp) {
        self.seen
            .insert((user.to_owned(), channel_id.to_owned()), at);
    }

    /// What `user` has not read in `channel_id`: messages of others after their read mark,
    /// and how many of those mention them (by id, `@everyone` or `@here`). None when nothing.
    pub fn unread(&self, user: &str, channel_id: &str) -> Option<(usize, usize)> {
        let since = self
            .seen
            .get(&(user.to_owned(), channel_id.to_owned()))
            .copied()
            .unwrap_or(self.seen_baseline);
        let unread: Vec<&Message> = self
            .channel_messages(channel_id)
            .iter()
            .rev()
            .take_while(|m| m.created_at > since)
            .filter(|m| m.author != user)
            .collect();
        if unread.is_empty() {
            return None;
        }
        let mentions = unread.iter().filter(|m| mentions(&m.content, user)).count();
        Some((unread.len(), mentions))
    }

    pub fn channel_messages(&self, channel_id: &str) -> &[Message] {
        self.messages.get(channel_id).map_or(&[], Vec::as_slice)
    }

    pub fn message(&self, channel_id: &str, message_id: &str) -> Option<&Message> {
        self.channel_messages(channel_id)
            .iter()
            .find(|m| m.id == message_id)
    }

    fn message_mut(
        &mut self,
        channel_id: &str,
        message_id: &str,
    ) -> Result<&mut Message, StoreError> {
        self.messages
            .get_mut(channel_id)
            .and_then(|l| l.iter_mut().find(|m| m.id == message_id))
            .ok_or_else(|| StoreError::NotFound(format!("message {message_id} not found")))
    }

    /// Newest first; `before`/`after` are exclusive bounds.
    pub fn page(
        &self,
        channel_id: &str,
        limit: usize,
        before: Option<Timestamp>,
        after: Option<Timestamp>,
    ) -> Page {
        let all = self.channel_messages(channel_id);
        let in_range: Vec<&Message> = all
            .iter()
            .filter(|m| {
                before.is_none_or(|b| m.created_at < b) && after.is_none_or(|a| m.created_at > a)
            })
            .collect();
        let messages: Vec<Message> = in_range
            .iter()
            .rev()
            .take(limit)
            .map(|m| (*m).clone())
            .collect();
        let oldest = messages.last().map(|m| m.created_at).or(before);
        let has_past_messages = match oldest {
            Some(t) => all.iter().any(|m| m.created_at < t),
            None => !all.is_empty(),
        };
        Page {
            messages,
            has_past_messages,
        }
    }

    // ---- sessions ----

    pub fn add_session(&mut self, token: String, session: LoginRecord) {
        self.sessions.insert(token, session);
    }

    pub fn session(&self, token: &str) -> Option<&LoginRecord> {
        self.sessions.get(token)
    }

    pub fn remove_session(&mut self, token: &str) -> Option<LoginRecord> {
        self.sessions.remove(token)
    }

    /// The session that was issued this `guilded_mid`, if still logged in.
    pub fn session_by_client_id(&self, client_id: &str) -> Option<&LoginRecord> {
        self.sessions.values().find(|s| s.client_id == client_id)
    }
}

/// Whether a document mentions `user` (a person mention with their id, `@everyone` or
/// `@here`). Walks the JSON (documents nest at most a few levels).
fn mentions(content: &Value, user: &str) -> bool {
    match content {
        Value::Object(map) => {
            if let Some(Value::Object(mention)) = map.get("mention") {
                let id = mention.get("id").and_then(Value::as_str);
                let kind = mention.get("type").and_then(Value::as_str);
                if id == Some(user) || matches!(kind, Some("everyone" | "here")) {
                    return true;
                }
            }
            map.values().any(|v| mentions(v, user))
        }
        Value::Array(items) => items.iter().any(|v| mentions(v, user)),
        _ => false,
    }
}
