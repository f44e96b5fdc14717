//! Protocol types (gateway events, REST models) → the client's own model types.
//!
//! Pure: no IO. Anything that cannot be converted (missing ids, unknown events) becomes
//! `None` and is ignored by the reducer.

use std::collections::HashMap;

use crate::protocol::content::{Block, Content, Inline, MentionKind};
use crate::protocol::models;
use crate::sanitize::sanitize;

use super::model::{
    Category, Channel, ChannelId, ChannelKind, ContentType, Delivery, Message, Reaction, TeamId,
    Thread, User, UserId,
};
use super::msg::{ChatEvent, TeamData};
use super::presence::{PresenceStatus, RoleColor};
use super::reactions::CustomEmoji;

mod events;
pub use events::chat_event;

/// A copy of an id (or name) the payload really carried: None when it was empty.
fn nonempty<T: AsRef<str> + Clone>(value: &T) -> Option<T> {
    (!value.as_ref().is_empty()).then(|| value.clone())
}

/// A REST/gateway message → a timeline message (`channel` fills a missing `channelId`).
pub fn message(m: &models::Message, channel: &ChannelId) -> Message {
    message_with(m, channel, m.content.clone())
}

/// [`message`], taking the message: its document moves instead of being copied.
pub fn message_owned(mut m: models::Message, channel: &ChannelId) -> Message {
    let content = std::mem::take(&mut m.content);
    message_with(&m, channel, content)
}

fn message_with(m: &models::Message, channel: &ChannelId, content: Content) -> Message {
    Message {
        id: m.id.clone(),
        channel_id: if m.channel_id.is_empty() {
            channel.clone()
        } else {
            m.channel_id.clone()
        },
        // A webhook's message has no user author: its webhook id stands in for one.
        author_id: m
            .webhook_id
            .as_deref()
            .filter(|_| m.created_by.is_empty())
            .map_or_else(|| m.created_by.clone(), UserId::from),
        created_at: m.created_at,
        edited_at: m.edited_at,
        content,
        replies_to: m.reply_ids().into_iter().cloned().collect(),
        // An entry nobody made (no users, no count) is not shown as "👀 0".
        reactions: m
            .reactions
            .iter()
            .filter(|r| r.count() > 0)
            .map(|r| Reaction {
                emoji_id: r.custom_reaction_id,
                name: r
                    .custom_reaction
                    .as_ref()
                    .map(|c| c.name.clone())
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| r.custom_reaction_id.to_string()),
                users: r.users.iter().map(|u| u.id.clone()).collect(),
                count: u32::try_from(r.count()).unwrap_or(u32::MAX),
                mine: false,
            })
            .collect(),
        delivery: Delivery::Confirmed,
        is_system: m.is_system(),
        is_pinned: m.is_pinned,
        mentions_me: false,
    }
}

/// Mark the reactions the session user made (REST pages list reacting users).
pub fn mark_mine(message: &mut Message, me: &UserId) {
    for r in &mut message.reactions {
        r.mine = r.users.iter().any(|u| u == me);
    }
}

/// A team channel (None without a team id).
pub fn team_channel(c: &models::Channel) -> Option<Channel> {
    let team_id = c.team_id.clone().filter(|t| !t.is_empty())?;
    if c.id.is_empty() {
        return None;
    }
    Some(Channel {
        id: c.id.clone(),
        name: c.name.clone(),
        kind: ChannelKind::Team {
            team_id,
            category_id: c.channel_category_id,
            priority: c.priority.unwrap_or(0),
        },
        content_type: ContentType::from_wire(&c.content_type),
        topic: c.description.clone().filter(|d| !d.is_empty()),
        unread: 0,
        mentions: 0,
        last_activity: None,
    })
}

/// A thread (a temporal channel with its parent); None without an id, team or parent.
pub fn thread(c: &models::Channel) -> Option<(Channel, Thread)> {
    let parent = c.parent_channel_id.clone().filter(|p| !p.is_empty())?;
    let mut channel = team_channel(c)?;
    if c.content_type.is_empty() {
        // Threads are chat; a payload that leaves the type out means that.
        channel.content_type = ContentType::Chat;
    }
    Some((
        channel,
        Thread {
            parent,
            message: c.thread_message_id.clone().filter(|m| !m.is_empty()),
        },
    ))
}

/// The threads of a team's channel list (`temporalChannels`), as events to fold.
pub fn team_threads(team: &TeamId, r: &models::TeamChannelsResponse) -> Vec<ChatEvent> {
    r.temporal_channels
        .iter()
        .filter_map(|c| {
            let mut c = c.clone();
            if c.team_id.as_ref().is_none_or(TeamId::is_empty) {
                c.team_id = Some(team.clone());
            }
            let (channel, thread) = thread(&c)?;
            Some(ChatEvent::ThreadCreated { channel, thread })
        })
        .collect()
}

/// The title of an unnamed DM: the other users' names (the only user's, in a DM with
/// oneself), each sanitised before they are joined into one line.
pub fn dm_title(users: &[User], me: &UserId) -> String {
    let mut shown: Vec<&User> = users.iter().filter(|u| &u.id != me).collect();
    if shown.is_empty() {
        shown.extend(users.first());
    }
    shown
        .into_iter()
        .map(|u| sanitize(u.display_name()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A DM channel and its users (names for the sidebar); `me` is left out of the title.
pub fn dm_channel(c: &models::DmChannel, me: &UserId) -> (Channel, Vec<User>) {
    let users: Vec<User> = c
        .users
        .iter()
        .map(|u| User {
            id: u.id.clone(),
            name: u.name.clone(),
            nickname: u.nickname.clone(),
            is_bot: false,
        })
        .collect();
    let channel = Channel {
        id: c.id.clone(),
        name: c.name.clone().unwrap_or_else(|| dm_title(&users, me)),
        kind: ChannelKind::Dm {
            users: users
                .iter()
                .filter(|u| &u.id != me)
                .map(|u| u.id.clone())
                .collect(),
        },
        content_type: if c.content_type.is_empty() {
            ContentType::Chat
        } else {
            ContentType::from_wire(&c.content_type)
        },
        topic: c.description.clone().filter(|d| !d.is_empty()),
        unread: 0,
        mentions: 0,
        last_activity: c
            .last_message
            .as_ref()
            .map(|m| m.created_at)
            .or(c.updated_at)
            .or(c.created_at),
    };
    (channel, users)
}

/// A team member.
pub fn member(m: &models::TeamMember) -> User {
    User {
        id: m.id.clone(),
        name: m.name.clone(),
        nickname: m.nickname.clone().filter(|n| !n.is_empty()),
        is_bot: m.kind.as_deref() == Some("bot"),
    }
}

/// Who is in the voice and stream channels of a team's channel list (`voiceParticipants`).
pub fn team_voice(r: &models::TeamChannelsResponse) -> Vec<ChatEvent> {
    r.channels
        .iter()
        .filter(|c| !c.id.is_empty() && !c.voice_participants.is_empty())
        .map(|c| ChatEvent::VoiceParticipants {
            channel: c.id.clone(),
            users: c
                .voice_participants
                .iter()
                .filter_map(|p| p.user().cloned())
                .collect(),
        })
        .collect()
}

/// What a team's member list says besides names: each member's presence, and the colour of
/// their highest coloured role (from the team's `rolesById`), as events to fold after the
/// team's data.
pub fn member_details(team: &models::Team, members: &[models::TeamMember]) -> Vec<ChatEvent> {
    let presence: Vec<(UserId, PresenceStatus)> = members
        .iter()
        .filter(|m| !m.id.is_empty())
        .filter_map(|m| Some((m.id.clone(), m.user_presence_status?)))
        .collect();
    let colors: HashMap<UserId, RoleColor> = members
        .iter()
        .filter(|m| !m.id.is_empty())
        .filter_map(|m| {
            let color = m
                .role_ids
                .iter()
                .filter_map(|id| team.roles_by_id.get(&id.to_string()))
                .filter_map(|r| {
                    Some((
                        r.priority.unwrap_or(0),
                        RoleColor::parse(r.color.as_deref()?)?,
                    ))
                })
                .max_by_key(|(priority, _)| *priority)?
                .1;
            Some((m.id.clone(), color))
        })
        .collect();
    let mut out = Vec::new();
    if !presence.is_empty() {
        out.push(ChatEvent::Presence(presence));
    }
    // A team without roles (a light team object) says nothing about colours.
    if !team.id.is_empty() && !team.roles_by_id.is_empty() {
        out.push(ChatEvent::RoleColors {
            team_id: team.id.clone(),
            colors,
        });
    }
    out
}

/// A user outside a team.
pub fn user(u: &models::User) -> User {
    User {
        id: u.id.clone(),
        name: u.name.clone(),
        nickname: None,
        is_bot: u.kind.as_deref() == Some("bot"),
    }
}

/// The custom reactions of `/me`; nameless ones (nothing to show or search) are dropped.
pub fn custom_reactions(list: &[models::CustomReaction]) -> Vec<CustomEmoji> {
    list.iter()
        .filter(|r| !r.name.trim().is_empty())
        .map(|r| CustomEmoji {
            id: r.id,
            name: r.name.clone(),
            team: r.team_id.clone(),
        })
        .collect()
}

/// A team with (optionally) its channels/categories and members.
pub fn team_data(
    team: &models::Team,
    channels: Option<&models::TeamChannelsResponse>,
    members: &[models::TeamMember],
) -> TeamData {
    TeamData {
        id: team.id.clone(),
        name: team.name.clone(),
        channels: channels
            .map(|r| {
                r.channels
                    .iter()
                    .filter_map(|c| {
                        let mut c = c.clone();
                        if c.team_id.as_ref().is_none_or(TeamId::is_empty) {
                            c.team_id = Some(team.id.clone());
                        }
                        team_channel(&c)
                    })
                    .collect()
            })
            .unwrap_or_default(),
        categories: channels
            .map(|r| {
                r.categories
                    .iter()
                    .map(|c| Category {
                        id: c.id,
                        name: c.name.clone(),
                        priority: c.priority.unwrap_or(0),
                        channels: Vec::new(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        members: members.iter().map(member).collect(),
        channels_loaded: channels.is_some(),
    }
}

/// Whether rich text mentions this user (person mention, `@everyone` or `@here`).
pub fn mentions_user(content: &Content, user_id: &UserId) -> bool {
    // Most bodies are never drawn: decide from the JSON text when it cannot hold a mention.
    if !content.may_mention(user_id.as_str()) {
        return false;
    }
    let text = content.rich();
    let hit = |inlines: &[Inline]| {
        inlines.iter().any(|i| match i {
            Inline::Mention { kind, id, .. } => match kind {
                MentionKind::Person => id == user_id.as_str(),
                MentionKind::Everyone | MentionKind::Here => true,
                MentionKind::Role => false,
            },
            _ => false,
        })
    };
    text.blocks.iter().any(|b| match b {
        Block::Paragraph(inl) | Block::Heading { inlines: inl, .. } => hit(inl),
        Block::Quote(lines) => lines.iter().any(|l| hit(l)),
        Block::List { items, .. } => items.iter().any(|l| hit(l)),
        _ => false,
    })
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod reducer_with_fixtures;
