//! Building the store from the world asset: users, teams, channels, and messages placed
//! relative to start-up time with their text turned into documents by protocol::content.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};

use super::{Category, Channel, ChannelScope, Member, Message, Reaction, Store, Team, User};
use crate::protocol::content::{self, MentionKind, ResolvedMention};
use crate::server::rng::Rng;
use crate::server::world::{World, WorldError};

fn minutes_before(now: Timestamp, minutes: u64) -> Timestamp {
    let mins = i64::try_from(minutes).unwrap_or(i64::MAX / 120);
    now.checked_sub(SignedDuration::from_mins(mins))
        .unwrap_or(now)
}

pub(super) fn to_millis(ts: Timestamp) -> Timestamp {
    Timestamp::from_millisecond(ts.as_millisecond()).unwrap_or(ts)
}

/// Resolve `@name` to a person mention by user name (case-insensitive); used when turning
/// markdown-ish text into documents. `@everyone` and `@here` are the markdown parser's own.
pub fn mention_resolver(users: &[User]) -> impl Fn(&str) -> Option<ResolvedMention> + '_ {
    move |name: &str| {
        let bare = name.trim_start_matches('@');
        users
            .iter()
            .find(|u| u.name.eq_ignore_ascii_case(bare))
            .map(|u| {
                ResolvedMention::new(MentionKind::Person, u.id.clone(), format!("@{}", u.name))
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
                presence_chosen: false,
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
                voice: std::collections::BTreeMap::new(),
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
                    thread: None,
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
                thread: None,
            });
        }
        let mut store = Store {
            demo_user: world.demo_user.clone(),
            email: world.email.clone(),
            password: world.password.clone(),
            users,
            teams,
            channels,
            archived: Vec::new(),
            emoji: world.emoji.clone(),
            messages: HashMap::new(),
            sessions: HashMap::new(),
            seen: HashMap::new(),
            seen_baseline: now,
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
    pub(super) fn insert_message(&mut self, mut m: Message) -> Message {
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
}
