//! The server's in-memory data: users, teams, channels, messages and login sessions.
//! Every rule about who may see or change what lives here, so REST, the gateway and the
//! simulator agree. Callers hold the lock briefly and never across an await.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use super::rng::Rng;
use super::world::{EmojiDef, World, WorldError};
use crate::protocol::content;

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
}

impl Channel {
    pub fn team_id(&self) -> Option<&str> {
        match &self.scope {
            ChannelScope::Team { team_id, .. } => Some(team_id),
            ChannelScope::Dm { .. } => None,
        }
    }

    /// Chat, voice and stream channels carry text chat (GUILDED.md §2.3).
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

/// A logged-in REST session: the `hmac_signed_session` cookie and its `guilded_mid`.
#[derive(Debug, Clone)]
pub struct Session {
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
    pub emoji: Vec<EmojiDef>,
    /// Per channel, oldest first; timestamps strictly increase so paging never skips a tie.
    messages: HashMap<String, Vec<Message>>,
    sessions: HashMap<String, Session>,
}

fn minutes_before(now: Timestamp, minutes: u64) -> Timestamp {
    let mins = i64::try_from(minutes).unwrap_or(i64::MAX / 120);
    now.checked_sub(SignedDuration::from_mins(mins))
        .unwrap_or(now)
}

fn to_millis(ts: Timestamp) -> Timestamp {
    Timestamp::from_millisecond(ts.as_millisecond()).unwrap_or(ts)
}

/// Resolve `@name` to a person mention by user name (case-insensitive), and the two
/// special mentions; used when turning markdown-ish text into documents.
pub fn mention_resolver(
    users: &[User],
) -> impl Fn(&str) -> Option<(content::MentionKind, String, String)> + '_ {
    move |name: &str| {
        let bare = name.trim_start_matches('@');
        match bare {
            "everyone" => {
                return Some((
                    content::MentionKind::Everyone,
                    "everyone".into(),
                    "@everyone".into(),
                ));
            }
            "here" => return Some((content::MentionKind::Here, "here".into(), "@here".into())),
            _ => {}
        }
        users
            .iter()
            .find(|u| u.name.eq_ignore_ascii_case(bare))
            .map(|u| {
                (
                    content::MentionKind::Person,
                    u.id.clone(),
                    format!("@{}", u.name),
                )
            })
    }
}

impl Store {
    /// Build the store from the world, placing messages relative to `now`.
    pub fn from_world(world: &World, now: Timestamp) -> Result<Store, WorldError> {
        let long_ago = minutes_before(now, 60 * 24 * 400);
        let users: Vec<User> = world
            .users
            .iter()
            .map(|u| User {
                id: u.id.clone(),
                name: u.name.clone(),
                presence: u.presence,
                tag_line: u.tag_line.clone(),
                bot: u.bot,
                email: if u.id == world.demo_user {
                    Some(world.email.clone())
                } else {
                    u.email.clone()
                },
                created_at: long_ago,
            })
            .collect();
        let mut teams = Vec::new();
        let mut channels = Vec::new();
        for t in &world.teams {
            teams.push(Team {
                id: t.id.clone(),
                name: t.name.clone(),
                subdomain: t.subdomain.clone(),
                owner_id: t.owner_id.clone(),
                description: t.description.clone(),
                base_group_id: t.base_group_id.clone(),
                created_at: long_ago,
                members: t
                    .members
                    .iter()
                    .map(|m| Member {
                        user_id: m.user.clone(),
                        nickname: m.nickname.clone(),
                        role: m.role.clone(),
                        joined_at: long_ago,
                    })
                    .collect(),
                categories: t
                    .categories
                    .iter()
                    .map(|c| Category {
                        id: c.id,
                        name: c.name.clone(),
                        priority: c.priority,
                    })
                    .collect(),
            });
            for c in &t.channels {
                channels.push(Channel {
                    id: c.id.clone(),
                    name: Some(c.name.clone()),
                    content_type: c.content_type.clone(),
                    description: c.description.clone(),
                    created_at: long_ago,
                    created_by: t.owner_id.clone(),
                    scope: ChannelScope::Team {
                        team_id: t.id.clone(),
                        category: c.category,
                        priority: c.priority,
                    },
                });
            }
        }
        for d in &world.dms {
            channels.push(Channel {
                id: d.id.clone(),
                name: d.name.clone(),
                content_type: "chat".into(),
                description: None,
                created_at: long_ago,
                created_by: d.owner.clone(),
                scope: ChannelScope::Dm {
                    users: d.users.clone(),
                    owner: d.owner.clone(),
                },
            });
        }
        let mut store = Store {
            demo_user: world.demo_user.clone(),
            email: world.email.clone(),
            password: world.password.clone(),
            users,
            teams,
            channels,
            emoji: world.emoji.clone(),
            messages: HashMap::new(),
            sessions: HashMap::new(),
        };
        store.load_messages(world, now)?;
        Ok(store)
    }

    fn load_messages(&mut self, world: &World, now: Timestamp) -> Result<(), WorldError> {
        // Ids of messages without a fixed id come from a fixed seed so they are stable.
        let mut rng = Rng::new(0x9117_D3E0);
        let mut all: Vec<Message> = Vec::with_capacity(world.messages.len());
        for def in &world.messages {
            let content = match (&def.text, &def.document) {
                (Some(text), _) => {
                    let resolve = mention_resolver(&self.users);
                    content::to_document(&content::from_markdown(text, &resolve))
                }
                (None, Some(doc)) => doc.clone(),
                (None, None) => return Err(WorldError::Invalid("message without content".into())),
            };
            let created_at = minutes_before(now, def.minutes_ago);
            all.push(Message {
                id: def.id.clone().unwrap_or_else(|| rng.uuid().to_string()),
                channel_id: def.channel.clone(),
                author: def.author.clone(),
                created_at,
                edited_at: def
                    .edited_minutes_ago
                    .map(|m| minutes_before(now, m).max(created_at)),
                content,
                replies_to: def.reply_to.iter().cloned().collect(),
                is_silent: false,
                is_private: false,
                reactions: def
                    .reactions
                    .iter()
                    .map(|r| Reaction {
                        emoji_id: r.emoji,
                        created_at,
                        users: r.users.clone(),
                    })
                    .collect(),
                pinned_by: def.pinned_by.clone(),
            });
        }
        all.sort_by_key(|m| m.created_at);
        for m in all {
            self.insert_message(m);
        }
        Ok(())
    }

    /// Append keeping per-channel timestamps strictly increasing (bumped by 1 ms on a tie).
    fn insert_message(&mut self, mut m: Message) -> Message {
        // The wire carries milliseconds; keep no more, so a date read back compares equal.
        m.created_at = to_millis(m.created_at);
        m.edited_at = m.edited_at.map(to_millis);
        let list = self.messages.entry(m.channel_id.clone()).or_default();
        if let Some(last) = list.last()
            && m.created_at <= last.created_at
        {
            m.created_at = last
                .created_at
                .checked_add(SignedDuration::from_millis(1))
                .unwrap_or(last.created_at);
        }
        list.push(m.clone());
        m
    }

    // ---- lookups ----

    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
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

    pub fn add_session(&mut self, token: String, session: Session) {
        self.sessions.insert(token, session);
    }

    pub fn session(&self, token: &str) -> Option<&Session> {
        self.sessions.get(token)
    }

    pub fn remove_session(&mut self, token: &str) -> Option<Session> {
        self.sessions.remove(token)
    }

    /// The session that was issued this `guilded_mid`, if still logged in.
    pub fn session_by_client_id(&self, client_id: &str) -> Option<&Session> {
        self.sessions.values().find(|s| s.client_id == client_id)
    }

    // ---- mutations (rules only; events are the caller's job) ----

    /// Post a message. A repeated id from the same author in the same channel returns the
    /// stored message and `false` (the client retried), so nothing is posted twice.
    pub fn post(&mut self, mut m: Message) -> Result<(Message, bool), StoreError> {
        let channel = self.visible_channel(&m.author, &m.channel_id)?;
        if !channel.is_messageable() {
            return Err(StoreError::BadRequest(format!(
                "channel {} is a {} channel and has no chat",
                channel.id, channel.content_type
            )));
        }
        if let Some(existing) = self.find_message_anywhere(&m.id) {
            if existing.author == m.author && existing.channel_id == m.channel_id {
                return Ok((existing.clone(), false));
            }
            return Err(StoreError::BadRequest(format!(
                "messageId {} is already used",
                m.id
            )));
        }
        if m.replies_to.len() > 5 {
            return Err(StoreError::BadRequest(
                "repliesToIds takes at most 5 ids".into(),
            ));
        }
        if let Some(r) = m
            .replies_to
            .iter()
            .find(|r| self.message(&m.channel_id, r).is_none())
        {
            return Err(StoreError::BadRequest(format!(
                "repliesToIds: message {r} not found in this channel"
            )));
        }
        m.reactions.clear();
        Ok((self.insert_message(m), true))
    }

    fn find_message_anywhere(&self, id: &str) -> Option<&Message> {
        self.messages
            .values()
            .flat_map(|l| l.iter())
            .find(|m| m.id == id)
    }

    pub fn edit(
        &mut self,
        user: &str,
        channel_id: &str,
        message_id: &str,
        content: Value,
        now: Timestamp,
    ) -> Result<Message, StoreError> {
        self.visible_channel(user, channel_id)?;
        let m = self.message_mut(channel_id, message_id)?;
        if m.author != user {
            return Err(StoreError::Forbidden(
                "you can only edit your own messages".into(),
            ));
        }
        m.content = content;
        m.edited_at = Some(to_millis(now).max(m.created_at));
        Ok(m.clone())
    }

    pub fn delete(
        &mut self,
        user: &str,
        channel_id: &str,
        message_id: &str,
    ) -> Result<Message, StoreError> {
        self.visible_channel(user, channel_id)?;
        let m = self.message_mut(channel_id, message_id)?;
        if m.author != user {
            return Err(StoreError::Forbidden(
                "you can only delete your own messages".into(),
            ));
        }
        let list = self
            .messages
            .get_mut(channel_id)
            .ok_or_else(|| StoreError::NotFound("channel".into()))?;
        let pos = list
            .iter()
            .position(|m| m.id == message_id)
            .ok_or_else(|| StoreError::NotFound(format!("message {message_id} not found")))?;
        Ok(list.remove(pos))
    }

    /// Add a reaction; `Ok(false)` when the user had already reacted with that emoji.
    pub fn react(
        &mut self,
        user: &str,
        channel_id: &str,
        message_id: &str,
        emoji_id: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        self.visible_channel(user, channel_id)?;
        let m = self.message_mut(channel_id, message_id)?;
        if let Some(r) = m.reactions.iter_mut().find(|r| r.emoji_id == emoji_id) {
            if r.users.iter().any(|u| u == user) {
                return Ok(false);
            }
            r.users.push(user.to_owned());
        } else {
            m.reactions.push(Reaction {
                emoji_id,
                created_at: now,
                users: vec![user.to_owned()],
            });
        }
        Ok(true)
    }

    /// Remove the user's own reaction; `Ok(false)` when there was none.
    pub fn unreact(
        &mut self,
        user: &str,
        channel_id: &str,
        message_id: &str,
        emoji_id: i64,
    ) -> Result<bool, StoreError> {
        self.visible_channel(user, channel_id)?;
        let m = self.message_mut(channel_id, message_id)?;
        let Some(r) = m.reactions.iter_mut().find(|r| r.emoji_id == emoji_id) else {
            return Ok(false);
        };
        let before = r.users.len();
        r.users.retain(|u| u != user);
        let removed = r.users.len() != before;
        m.reactions.retain(|r| !r.users.is_empty());
        Ok(removed)
    }

    /// Pin (`Some(user)`) or unpin (`None`); `Ok(false)` when nothing changed.
    pub fn set_pin(
        &mut self,
        user: &str,
        channel_id: &str,
        message_id: &str,
        pin: bool,
    ) -> Result<bool, StoreError> {
        self.visible_channel(user, channel_id)?;
        let m = self.message_mut(channel_id, message_id)?;
        let changed = m.pinned_by.is_some() != pin;
        m.pinned_by = pin.then(|| user.to_owned());
        Ok(changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::content::{
        Block, Inline, Marks, MentionKind, RichText, parse_document_value,
    };

    fn all_text(r: &RichText) -> String {
        format!("{r:?}")
    }

    #[test]
    fn the_demo_world_has_every_kind_of_content_and_it_all_parses() {
        let world = World::demo().unwrap();
        let store = Store::from_world(&world, Timestamp::now()).unwrap();
        let messages: Vec<&Message> = store.messages.values().flatten().collect();
        assert!(messages.len() >= 250, "{}", messages.len());
        let parsed: Vec<RichText> = messages
            .iter()
            .map(|m| parse_document_value(&m.content).unwrap_or_else(|e| panic!("{}: {e}", m.id)))
            .collect();
        assert!(parsed.iter().all(|r| !r.plain_text().trim().is_empty()
            || r.blocks.iter().any(|b| matches!(b, Block::Embeds(_)))));
        let inlines: Vec<&Inline> = parsed
            .iter()
            .flat_map(|r| &r.blocks)
            .filter_map(|b| match b {
                Block::Paragraph(i) => Some(i),
                _ => None,
            })
            .flatten()
            .collect();
        let has_block = |f: &dyn Fn(&Block) -> bool| parsed.iter().flat_map(|r| &r.blocks).any(f);
        assert!(
            has_block(&|b| matches!(b, Block::Code { .. })),
            "code block"
        );
        assert!(has_block(&|b| matches!(b, Block::Quote(_))), "quote");
        assert!(
            has_block(&|b| matches!(b, Block::List { ordered: true, .. })),
            "ordered list"
        );
        assert!(
            has_block(&|b| matches!(b, Block::List { ordered: false, .. })),
            "list"
        );
        assert!(
            has_block(&|b| matches!(b, Block::Embeds(e) if !e.is_empty())),
            "embed"
        );
        let demo_mentions = inlines
            .iter()
            .filter(|i| matches!(i, Inline::Mention { kind: MentionKind::Person, id, .. } if *id == store.demo_user))
            .count();
        assert!(
            demo_mentions >= 5,
            "mentions of the demo user: {demo_mentions}"
        );
        assert!(inlines.iter().any(|i| matches!(
            i,
            Inline::Mention {
                kind: MentionKind::Everyone,
                ..
            }
        )));
        assert!(
            inlines.iter().any(|i| matches!(i, Inline::Link { .. })),
            "link"
        );
        assert!(
            inlines.iter().any(|i| matches!(i, Inline::Emoji { .. })),
            "emoji inline"
        );
        assert!(
            inlines.iter().any(|i| matches!(i, Inline::Channel { .. })),
            "channel mention"
        );
        for mark in [
            Marks::BOLD,
            Marks::ITALIC,
            Marks::UNDERLINE,
            Marks::STRIKETHROUGH,
            Marks::SPOILER,
            Marks::CODE,
        ] {
            assert!(
                inlines
                    .iter()
                    .any(|i| matches!(i, Inline::Text { marks, .. } if marks.contains(mark))),
                "mark {mark:?}"
            );
        }
        let text: String = parsed.iter().map(all_text).collect();
        assert!(text.contains("漢字") && text.contains("こんにちは"), "CJK");
        assert!(text.contains("مرحبا"), "right-to-left");
        assert!(text.contains('🎉'), "emoji characters");
        assert!(messages.iter().any(|m| !m.replies_to.is_empty()), "replies");
        assert!(messages.iter().any(|m| m.edited_at.is_some()), "edits");
        assert!(
            messages.iter().any(|m| !m.reactions.is_empty()),
            "reactions"
        );
        assert!(messages.iter().any(|m| m.pinned_by.is_some()), "pins");
    }

    #[test]
    fn timestamps_strictly_increase_per_channel() {
        let world = World::demo().unwrap();
        let store = Store::from_world(&world, Timestamp::now()).unwrap();
        for list in store.messages.values() {
            assert!(list.windows(2).all(|w| w[0].created_at < w[1].created_at));
        }
    }
}
