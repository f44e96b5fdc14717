//! Gateway events → the client's own model types (the events gilt folds; the rest is None).

use crate::protocol::events::GuildedEvent;

use super::{dm_channel, member, message_owned, nonempty, team_channel, thread};
use crate::app::activity::{ActivityItem, ActivityKind};
use crate::app::model::{Category, TeamId, UserId};
use crate::app::msg::ChatEvent;

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
                content: e.message.content.rich().clone(),
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
