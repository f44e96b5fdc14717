//! Protocol types (gateway events, REST models) → the client's own model types.
//!
//! Pure: no IO. Anything that cannot be converted (missing ids, unknown events) becomes
//! `None` and is ignored by the reducer.

use std::collections::HashMap;

use crate::protocol::content::{Block, Inline, MentionKind, RichText};
use crate::protocol::events::GuildedEvent;
use crate::protocol::models;
use crate::sanitize::sanitize;

use super::activity::{ActivityItem, ActivityKind};
use super::model::{
    Category, Channel, ChannelId, ChannelKind, ContentType, Delivery, Message, Reaction, TeamId,
    Thread, User, UserId,
};
use super::msg::{ChatEvent, TeamData};
use super::presence::{PresenceStatus, RoleColor};
use super::reactions::CustomEmoji;

/// A copy of an id (or name) the payload really carried: None when it was empty.
fn nonempty<T: AsRef<str> + Clone>(value: &T) -> Option<T> {
    (!value.as_ref().is_empty()).then(|| value.clone())
}

/// The client's view of a gateway event; None for events gilt does not fold (or that lack
/// the ids needed to fold them). Takes the event: a new message's document moves into the
/// model rather than being copied (it is most of what an event holds).
pub fn chat_event(event: GuildedEvent) -> Option<ChatEvent> {
    Some(match event {
        GuildedEvent::ChatMessageCreated(e) => {
            let channel = nonempty(&e.envelope.channel_id)?;
            // The decoder already filled the message's ids from the envelope.
            let mut m = message_owned(e.message, &channel);
            if let Some(info) = &e.mentioned_user_info {
                m.mentions_me = info.is_directly_mentioned
                    || info.mentioned_by_name
                    || info.mentioned_by_everyone
                    || info.mentioned_by_here
                    || info.mentioned_by_role;
            }
            ChatEvent::MessageCreated {
                message: m,
                team_id: e.envelope.team_id,
            }
        }
        ref other => return other_event(other),
    })
}

/// Every event but a new message.
fn other_event(event: &GuildedEvent) -> Option<ChatEvent> {
    Some(match event {
        GuildedEvent::ChatMessageUpdated(e) => {
            let message_id = nonempty(&e.message.id)?;
            ChatEvent::MessageUpdated {
                channel: nonempty(&e.envelope.channel_id)?,
                message_id,
                content: e.message.content.clone(),
                edited_at: e.message.edited_at,
            }
        }
        GuildedEvent::ChatMessageDeleted(e) => ChatEvent::MessageDeleted {
            channel: nonempty(&e.envelope.channel_id)?,
            message_id: nonempty(&e.message.id)?,
        },
        GuildedEvent::ChatChannelTyping(e) => ChatEvent::Typing {
            channel: nonempty(&e.envelope.channel_id)?,
            user: nonempty(&e.user_id)?,
        },
        GuildedEvent::ChatMessageReactionAdded(e) => ChatEvent::ReactionAdded {
            channel: nonempty(&e.envelope.channel_id)?,
            message_id: nonempty(&e.message.id)?,
            emoji_id: e.reaction.emoji_id()?,
            emoji_name: e
                .reaction
                .custom_reaction
                .as_ref()
                .and_then(|r| nonempty(&r.name)),
            user: nonempty(&e.reaction.created_by)?,
        },
        GuildedEvent::ChatMessageReactionDeleted(e) => ChatEvent::ReactionRemoved {
            channel: nonempty(&e.envelope.channel_id)?,
            message_id: nonempty(&e.message.id)?,
            emoji_id: e.reaction.emoji_id()?,
            user: nonempty(&e.reaction.created_by)?,
        },
        GuildedEvent::ChatPinnedMessageCreated(e) => ChatEvent::PinChanged {
            channel: nonempty(&e.envelope.channel_id)?,
            message_id: nonempty(&e.message.id)?,
            pinned: true,
        },
        GuildedEvent::ChatPinnedMessageDeleted(e) => ChatEvent::PinChanged {
            channel: nonempty(&e.envelope.channel_id)?,
            message_id: nonempty(&e.message.id)?,
            pinned: false,
        },
        GuildedEvent::DmChatChannelCreated(e) => {
            // The title of an unnamed DM is left empty: the reducer builds it without "me".
            let mut dm = e.channel.clone();
            if dm.id.is_empty() {
                dm.id = nonempty(&e.envelope.channel_id)?;
            }
            let (mut channel, users) = dm_channel(&dm, &UserId::default());
            channel.name = dm.name.clone().unwrap_or_default();
            ChatEvent::DmCreated { channel, users }
        }
        GuildedEvent::TeamChannelCreated(e) | GuildedEvent::TeamChannelUpdated(e) => {
            let mut ch = e.channel.clone();
            if ch.team_id.as_ref().is_none_or(TeamId::is_empty) {
                ch.team_id = nonempty(&e.team_id);
            }
            ChatEvent::ChannelUpserted(team_channel(&ch)?)
        }
        GuildedEvent::TeamChannelDeleted(e) => ChatEvent::ChannelDeleted {
            team_id: nonempty(&e.team_id)?,
            channel: nonempty(&e.channel_id)?,
        },
        GuildedEvent::TeamMemberJoined(e) => ChatEvent::MemberJoined {
            team_id: nonempty(&e.team_id)?,
            user: member(&e.user),
        },
        GuildedEvent::TeamMemberRemoved(e) => ChatEvent::MemberRemoved {
            team_id: nonempty(&e.team_id)?,
            user: nonempty(&e.user_id)?,
        },
        GuildedEvent::TeamMemberUpdated(e) => ChatEvent::MemberUpdated {
            team_id: nonempty(&e.team_id)?,
            user: nonempty(&e.user_id)?,
            name: e.user_info.name.clone(),
            nickname: e
                .user_info
                .nickname
                .as_update()
                .map(|n| n.map(str::to_owned)),
        },
        GuildedEvent::TeamMemberAliasUpdated(e) => ChatEvent::MemberUpdated {
            team_id: nonempty(&e.team_id)?,
            user: nonempty(&e.user_id)?,
            name: None,
            nickname: Some(e.new_nickname()?.map(str::to_owned)),
        },
        GuildedEvent::ChannelSeen(e) => ChatEvent::ChannelSeen {
            channel: nonempty(&e.channel_id)
                .or_else(|| e.channel.as_ref().and_then(|c| nonempty(&c.id)))?,
        },
        GuildedEvent::UserTeamsUpdated(e) => ChatEvent::TeamsChanged {
            team_id: e.team_id.clone().filter(|t| !t.is_empty())?,
            removed: e.is_removed || e.is_user_banned_from_team,
        },
        GuildedEvent::UserPresenceReceived(e) | GuildedEvent::UserPresenceManuallySet(e) => {
            ChatEvent::Presence(vec![(nonempty(&e.user_id)?, e.status?)])
        }
        GuildedEvent::TeamMembersRemoved(e) => ChatEvent::MembersRemoved {
            team_id: nonempty(&e.team_id)?,
            users: e.user_ids.iter().filter_map(nonempty).collect(),
        },
        GuildedEvent::UserUpdated(e) => {
            let user = nonempty(&e.user_id)?;
            match (e.new_name(), e.presence()) {
                (Some(name), _) => ChatEvent::UserRenamed {
                    user,
                    name: name.to_owned(),
                },
                (None, Some(status)) => ChatEvent::Presence(vec![(user, status)]),
                (None, None) => return None,
            }
        }
        GuildedEvent::UserAliasUpdated(e) => {
            let user = nonempty(&e.user_id)?;
            let nickname = e.new_nickname()?.map(str::to_owned);
            match nonempty(&e.team_id) {
                Some(team_id) => ChatEvent::MemberUpdated {
                    team_id,
                    user,
                    name: None,
                    nickname: Some(nickname),
                },
                None => ChatEvent::NicknameEverywhere { user, nickname },
            }
        }
        GuildedEvent::TeamChannelVoiceParticipantAdded(e)
        | GuildedEvent::TeamChannelStreamAdded(e)
        | GuildedEvent::TeamChannelVoiceUserMoved(e) => ChatEvent::VoiceJoined {
            channel: nonempty(&e.channel_id)?,
            user: e.user()?.clone(),
        },
        GuildedEvent::TeamChannelVoiceParticipantRemoved(e)
        | GuildedEvent::TeamChannelStreamRemoved(e) => ChatEvent::VoiceLeft {
            channel: nonempty(&e.channel_id),
            user: e.user()?.clone(),
        },
        GuildedEvent::Other { .. } => return None,
        _ => return structure_event(event).or_else(|| activity_event(event)),
    })
}

/// The non-chat channel events: a line of the channel's activity view.
fn activity_event(event: &GuildedEvent) -> Option<ChatEvent> {
    use ActivityKind as K;
    let (kind, e) = match event {
        GuildedEvent::TeamChannelContentCreated(e)
        | GuildedEvent::TeamChannelContentCreatedSilent(e)
        | GuildedEvent::TeamThreadCreated(e) => (K::Created, e),
        GuildedEvent::TeamChannelContentUpdated(e) => (K::Updated, e),
        GuildedEvent::TeamChannelContentDeleted(e) | GuildedEvent::TeamContentDeleted(e) => {
            (K::Deleted, e)
        }
        GuildedEvent::TeamChannelContentReplyCreated(e)
        | GuildedEvent::TeamContentReplyAdded(e)
        | GuildedEvent::TeamThreadReplyCreated(e) => (K::Replied, e),
        GuildedEvent::TeamChannelContentReplyUpdated(e) => (K::ReplyUpdated, e),
        GuildedEvent::TeamChannelContentReplyDeleted(e)
        | GuildedEvent::TeamContentReplyRemoved(e) => (K::ReplyDeleted, e),
        GuildedEvent::TeamContentReactionsAdded(e) => (K::Reacted, e),
        GuildedEvent::TeamContentReactionsRemoved(e) => (K::Unreacted, e),
        GuildedEvent::TeamEventCreated(e) => (K::EventCreated, e),
        GuildedEvent::TeamEventModified(e) => (K::EventUpdated, e),
        GuildedEvent::TeamEventRemoved(e) => (K::EventRemoved, e),
        _ => return None,
    };
    Some(ChatEvent::Activity {
        channel: nonempty(&e.channel_id)?,
        item: ActivityItem {
            kind,
            title: e.title().map(str::to_owned),
            actor: e.actor().cloned(),
            at: e.at(),
        },
    })
}

/// The bulk-delete and team-structure events (see `docs/PROTOCOL.md`'s decision table):
/// what the payload carries, else "refetch this team".
fn structure_event(event: &GuildedEvent) -> Option<ChatEvent> {
    let stale = |team: &TeamId| nonempty(team).map(|team_id| ChatEvent::TeamStale { team_id });
    match event {
        GuildedEvent::ChatMessagesDeleted(e) => Some(ChatEvent::MessagesDeleted {
            channel: nonempty(&e.channel_id)?,
            message_ids: e.message_ids.clone(),
        }),
        GuildedEvent::TeamMessagesDeleted(e) => Some(ChatEvent::MemberMessagesPurged {
            team_id: nonempty(&e.team_id)?,
            user: nonempty(&e.user_id)?,
        }),
        GuildedEvent::ChatChannelUpdated(e) => {
            // Applied only when the channel came whole enough to replace ours.
            let whole = e
                .channel
                .as_ref()
                .filter(|c| !c.name.is_empty() && !c.content_type.is_empty())
                .and_then(team_channel);
            match whole {
                Some(channel) => Some(ChatEvent::ChannelUpserted(channel)),
                None => stale(e.team_id.as_ref()?),
            }
        }
        GuildedEvent::ChatChannelHidden(e) | GuildedEvent::TeamChannelArchived(e) => {
            Some(ChatEvent::ChannelsRemoved {
                team_id: e.team_id.clone(),
                channels: vec![nonempty(&e.channel_id)?],
            })
        }
        // The restored channel comes back with the team's list.
        GuildedEvent::TeamChannelRestored(e) => stale(e.team_id.as_ref()?),
        GuildedEvent::TeamChannelsDeleted(e) => Some(ChatEvent::ChannelsRemoved {
            team_id: nonempty(&e.team_id),
            channels: e.channel_ids.clone(),
        }),
        GuildedEvent::TeamChannelCategoryCreated(e)
        | GuildedEvent::TeamChannelCategoryUpdated(e) => match &e.category {
            Some(c) if !c.name.is_empty() => Some(ChatEvent::CategoryUpserted {
                team_id: nonempty(&e.team_id)?,
                category: Category {
                    id: c.id,
                    name: c.name.clone(),
                    priority: c.priority.unwrap_or(0),
                    channels: Vec::new(),
                },
            }),
            _ => stale(&e.team_id),
        },
        GuildedEvent::TeamChannelCategoryDeleted(e) => Some(ChatEvent::CategoryDeleted {
            team_id: nonempty(&e.team_id)?,
            category_id: e.category_id,
        }),
        GuildedEvent::TeamUpdated(e) => match e.team.as_ref().and_then(|t| nonempty(&t.name)) {
            Some(name) => Some(ChatEvent::TeamRenamed {
                team_id: nonempty(&e.team_id)?,
                name,
            }),
            None => stale(&e.team_id),
        },
        GuildedEvent::TeamChannelPrioritiesUpdated(e)
        | GuildedEvent::TeamChannelCategoriesDeleted(e)
        | GuildedEvent::TeamChannelCategoryPrioritiesUpdated(e)
        | GuildedEvent::TeamChannelCategoryGroupMoved(e)
        | GuildedEvent::TeamRolesUpdated(e)
        | GuildedEvent::TeamGroupCreated(e)
        | GuildedEvent::TeamGroupUpdated(e)
        | GuildedEvent::TeamGroupDeleted(e)
        | GuildedEvent::TeamGroupArchived(e)
        | GuildedEvent::TeamGroupRestored(e)
        | GuildedEvent::TeamGroupPrioritiesUpdated(e) => stale(&e.team_id),
        GuildedEvent::TemporalChannelCreated(e) => {
            let (channel, thread) = thread(&e.channel)?;
            Some(ChatEvent::ThreadCreated { channel, thread })
        }
        _ => None,
    }
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

fn message_with(m: &models::Message, channel: &ChannelId, content: RichText) -> Message {
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
pub fn mentions_user(text: &RichText, user_id: &UserId) -> bool {
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
