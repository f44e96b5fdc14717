//! Typed payloads of the presence and user events (`UserPresenceReceived`,
//! `USER_PRESENCE_MANUALLY_SET`, `TeamMembersRemoved`, `USER_UPDATED`; see docs/PROTOCOL.md),
//! and each payload's key-field rule.
//!
//! The shapes are undocumented: every field is read tolerantly and the common variants
//! (`status` or `userPresenceStatus`, a number or a name; `userIds` or `memberIds`) are all
//! accepted. Pure data, no IO.

use serde::Deserialize;

use super::Complete;
use crate::models::{Participant, PresenceStatus, User, lenient, opt_presence};
use crate::{ChannelId, TeamId, UserId};

/// `UserPresenceReceived` / `USER_PRESENCE_MANUALLY_SET`: `{userId, status}` (1 online,
/// 2 idle, 3 do not disturb, 4 offline). After decoding, `status` holds the presence
/// whichever field carried it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserPresence {
    #[serde(deserialize_with = "lenient::id")]
    pub user_id: UserId,
    #[serde(deserialize_with = "opt_presence")]
    pub status: Option<PresenceStatus>,
    /// The other spelling of `status`.
    #[serde(deserialize_with = "opt_presence")]
    pub user_presence_status: Option<PresenceStatus>,
}

impl Complete for UserPresence {
    /// A presence needs its user and a readable status.
    fn complete(&mut self) -> bool {
        if self.status.is_none() {
            self.status = self.user_presence_status;
        }
        !self.user_id.is_empty() && self.status.is_some()
    }
}

/// `TeamMembersRemoved`: several members left a team at once (a prune), `{teamId, userIds}`
/// (also `memberIds`). After decoding, `user_ids` holds every id.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamMembersRemoved {
    #[serde(deserialize_with = "lenient::id")]
    pub team_id: TeamId,
    #[serde(deserialize_with = "lenient::vec_id")]
    pub user_ids: Vec<UserId>,
    /// The other spelling of `userIds`.
    #[serde(deserialize_with = "lenient::vec_id")]
    pub member_ids: Vec<UserId>,
}

impl Complete for TeamMembersRemoved {
    fn complete(&mut self) -> bool {
        for id in std::mem::take(&mut self.member_ids) {
            if !self.user_ids.contains(&id) {
                self.user_ids.push(id);
            }
        }
        self.user_ids.retain(|id| !id.is_empty());
        !self.team_id.is_empty() && !self.user_ids.is_empty()
    }
}

/// `USER_UPDATED`: a user's account changed, `{userId, user: {id, name?, profilePicture?, …}}`
/// (the user possibly partial). After decoding, `user_id` is filled from `user.id`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserUpdated {
    #[serde(deserialize_with = "lenient::id")]
    pub user_id: UserId,
    #[serde(deserialize_with = "lenient::object")]
    pub user: Option<User>,
}

impl UserUpdated {
    /// The new account name, when the payload carries one.
    pub fn new_name(&self) -> Option<&str> {
        self.user
            .as_ref()
            .map(|u| u.name.as_str())
            .filter(|n| !n.is_empty())
    }

    /// The presence, when the payload carries one.
    pub fn presence(&self) -> Option<PresenceStatus> {
        self.user.as_ref().and_then(|u| u.user_presence_status)
    }
}

impl Complete for UserUpdated {
    fn complete(&mut self) -> bool {
        if self.user_id.is_empty()
            && let Some(user) = &self.user
        {
            self.user_id.clone_from(&user.id);
        }
        !self.user_id.is_empty()
    }
}

/// `TeamChannelVoiceParticipantAdded` / `…Removed`, `TeamChannelStreamAdded` / `…Removed`,
/// `TeamChannelVoiceUserMoved`: someone joined, left or moved between voice (or stream)
/// channels, `{teamId, channelId, userId}` (also `user: {id}` or `participant: {…}`; a move
/// may name the channel left as `oldChannelId` or `previousChannelId`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct VoiceParticipantEvent {
    #[serde(deserialize_with = "lenient::opt_id")]
    pub team_id: Option<TeamId>,
    #[serde(deserialize_with = "lenient::id")]
    pub channel_id: ChannelId,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub old_channel_id: Option<ChannelId>,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub previous_channel_id: Option<ChannelId>,
    /// The participant, however it was given (read with [`VoiceParticipantEvent::user`]).
    #[serde(flatten)]
    pub who: Participant,
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub participant: Option<Participant>,
}

impl VoiceParticipantEvent {
    /// Who joined, left or moved.
    pub fn user(&self) -> Option<&UserId> {
        self.who
            .user()
            .or_else(|| self.participant.as_ref().and_then(Participant::user))
    }

    /// The channel a move left, when the payload names it.
    pub fn left_channel(&self) -> Option<&ChannelId> {
        self.old_channel_id
            .as_ref()
            .or(self.previous_channel_id.as_ref())
            .filter(|c| !c.is_empty())
    }
}

impl Complete for VoiceParticipantEvent {
    fn complete(&mut self) -> bool {
        !self.channel_id.is_empty() && self.user().is_some()
    }
}
