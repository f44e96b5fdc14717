//! Typed payloads of the bulk-delete and team-structure events (purges, hidden/archived/
//! deleted channels, categories, team renames, and the "something about the team changed"
//! events that carry only the team; see docs/PROTOCOL.md), and each payload's key-field rule.
//!
//! Most of these shapes are undocumented: every field is read tolerantly and the common
//! variants (`messageIds` or `messages: [{id}]`, `userId` or `memberId`, …) are all accepted.
//! Pure data, no IO.

use serde::Deserialize;

use super::Complete;
use super::chat::MessageRef;
use super::team::ChannelRef;
use crate::models::lenient;
use crate::models::{Category, Channel, Team};
use crate::{ChannelId, MessageId, TeamId, UserId};

/// `ChatMessagesDeleted`: several messages of one channel deleted at once. After decoding,
/// `message_ids` holds every id (the `messages: [{id}]` form merged in).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChatMessagesDeleted {
    #[serde(deserialize_with = "lenient::id")]
    pub channel_id: ChannelId,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub team_id: Option<TeamId>,
    #[serde(deserialize_with = "lenient::vec_id")]
    pub message_ids: Vec<MessageId>,
    /// The other form: message objects (only their ids are used).
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub messages: Vec<MessageRef>,
}

impl Complete for ChatMessagesDeleted {
    fn complete(&mut self) -> bool {
        for m in std::mem::take(&mut self.messages) {
            if !m.id.is_empty() && !self.message_ids.contains(&m.id) {
                self.message_ids.push(m.id);
            }
        }
        self.message_ids.retain(|id| !id.is_empty());
        !self.channel_id.is_empty() && !self.message_ids.is_empty()
    }
}

/// `TeamMessagesDeleted`: a member's messages were purged from a team. `user_id` is filled
/// from `memberId` when only that was sent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamMessagesDeleted {
    #[serde(deserialize_with = "lenient::id")]
    pub team_id: TeamId,
    #[serde(deserialize_with = "lenient::id")]
    pub user_id: UserId,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub member_id: Option<UserId>,
}

impl Complete for TeamMessagesDeleted {
    fn complete(&mut self) -> bool {
        if self.user_id.is_empty()
            && let Some(member) = self.member_id.take()
        {
            self.user_id = member;
        }
        !self.team_id.is_empty() && !self.user_id.is_empty()
    }
}

/// One team channel named by an event (`ChatChannelHidden`, `TeamChannelArchived`,
/// `TeamChannelRestored`, `ChatChannelUpdated`): `{teamId?, channelId}`, or the channel
/// nested as `channel: {id, …}` (then kept whole in `channel`, for an update to apply).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamChannelRef {
    #[serde(deserialize_with = "lenient::opt_id")]
    pub team_id: Option<TeamId>,
    #[serde(deserialize_with = "lenient::id")]
    pub channel_id: ChannelId,
    /// The channel, when the payload carries it (possibly partial).
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub channel: Option<Channel>,
}

impl Complete for TeamChannelRef {
    /// `channelId`/`teamId` and the nested channel's `id`/`teamId` complete each other.
    fn complete(&mut self) -> bool {
        if let Some(ch) = &mut self.channel {
            if self.channel_id.is_empty() {
                self.channel_id.clone_from(&ch.id);
            }
            if ch.id.is_empty() {
                ch.id.clone_from(&self.channel_id);
            }
            if self.team_id.as_ref().is_none_or(TeamId::is_empty) {
                self.team_id.clone_from(&ch.team_id);
            }
            if ch.team_id.as_ref().is_none_or(TeamId::is_empty) {
                ch.team_id.clone_from(&self.team_id);
            }
        }
        self.team_id = self.team_id.take().filter(|t| !t.is_empty());
        !self.channel_id.is_empty()
    }
}

/// `TeamChannelsDeleted`: `{teamId, channelIds: [id…]}` (also `channels: [{id}]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamChannelsDeleted {
    #[serde(deserialize_with = "lenient::id")]
    pub team_id: TeamId,
    #[serde(deserialize_with = "lenient::vec_id")]
    pub channel_ids: Vec<ChannelId>,
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub channels: Vec<ChannelRef>,
}

impl Complete for TeamChannelsDeleted {
    fn complete(&mut self) -> bool {
        for c in std::mem::take(&mut self.channels) {
            if !c.id.is_empty() && !self.channel_ids.contains(&c.id) {
                self.channel_ids.push(c.id);
            }
        }
        self.channel_ids.retain(|id| !id.is_empty());
        !self.team_id.is_empty()
    }
}

/// `TeamChannelCategoryCreated` / `TeamChannelCategoryUpdated`: `{teamId, category}`.
/// A category without a readable id is None (the team is then refetched).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamCategoryEvent {
    #[serde(deserialize_with = "lenient::id")]
    pub team_id: TeamId,
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub category: Option<Category>,
}

impl Complete for TeamCategoryEvent {
    fn complete(&mut self) -> bool {
        if self.team_id.is_empty()
            && let Some(team) = self.category.as_ref().and_then(|c| c.team_id.clone())
        {
            self.team_id = team;
        }
        !self.team_id.is_empty()
    }
}

/// `TeamChannelCategoryDeleted`: `{teamId, categoryId}` (also `category: {id}`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamCategoryDeleted {
    #[serde(deserialize_with = "lenient::id")]
    pub team_id: TeamId,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub category_id: Option<i64>,
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub category: Option<Category>,
}

impl Complete for TeamCategoryDeleted {
    fn complete(&mut self) -> bool {
        if self.category_id.is_none() {
            self.category_id = self.category.as_ref().map(|c| c.id);
        }
        !self.team_id.is_empty()
    }
}

/// `TeamUpdated`: `{teamId, team: {id, name?, …}}`, the team possibly partial.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamUpdated {
    #[serde(deserialize_with = "lenient::id")]
    pub team_id: TeamId,
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub team: Option<Team>,
}

impl Complete for TeamUpdated {
    fn complete(&mut self) -> bool {
        if self.team_id.is_empty()
            && let Some(team) = &self.team
        {
            self.team_id.clone_from(&team.id);
        }
        !self.team_id.is_empty()
    }
}

/// An event that says only "this team's structure changed" as far as gilt reads it
/// (priorities, roles, groups, bulk category changes): `{teamId, …}`; the rest is ignored
/// and the team's authoritative lists are refetched.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamChanged {
    #[serde(deserialize_with = "lenient::id")]
    pub team_id: TeamId,
}

impl Complete for TeamChanged {
    fn complete(&mut self) -> bool {
        !self.team_id.is_empty()
    }
}

/// `TemporalChannelCreated`: a thread was started, `{teamId?, channel: {id, name,
/// parentChannelId, threadMessageId?, contentType, …}, silenceNotification}`. After decoding,
/// `channel.team_id` is filled from the top level.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TemporalChannelCreated {
    #[serde(deserialize_with = "lenient::opt_id")]
    pub team_id: Option<TeamId>,
    pub channel: Channel,
    #[serde(deserialize_with = "lenient::bool")]
    pub silence_notification: bool,
}

impl Complete for TemporalChannelCreated {
    /// A thread needs its id, its parent and its team.
    fn complete(&mut self) -> bool {
        if self.channel.team_id.as_ref().is_none_or(TeamId::is_empty) {
            self.channel.team_id.clone_from(&self.team_id);
        }
        !self.channel.id.is_empty()
            && self
                .channel
                .parent_channel_id
                .as_ref()
                .is_some_and(|p| !p.is_empty())
            && self.channel.team_id.as_ref().is_some_and(|t| !t.is_empty())
    }
}
