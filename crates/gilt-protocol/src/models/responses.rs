//! Response wrappers of the REST endpoints (see docs/PROTOCOL.md): the objects inside live in
//! `models`.
//!
//! Rule: tolerant reading (missing lists are empty); no IO.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Category, Channel, DmChannel, Message, Team, TeamMember, User, lenient};
use crate::UserId;

/// `GET /channels/{id}/messages`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChannelMessagesResponse {
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub messages: Vec<Message>,
    /// Whether older messages exist.
    #[serde(deserialize_with = "lenient::bool")]
    pub has_past_messages: bool,
}

/// `GET /channels/{id}/pins`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PinsResponse {
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub messages: Vec<Message>,
}

/// `GET /teams/{id}/channels`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamChannelsResponse {
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub channels: Vec<Channel>,
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub categories: Vec<Category>,
    /// Threads.
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub temporal_channels: Vec<Channel>,
}

/// `GET /teams/{id}/members` (light member objects).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamMembersResponse {
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub members: Vec<TeamMember>,
}

/// `POST /teams/{id}/members/detail`: user id → member.
pub type MembersDetailResponse = BTreeMap<UserId, TeamMember>;

/// `GET /users/{me}/channels`: DM channels and the users in them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DmChannelsResponse {
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub channels: Vec<DmChannel>,
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub users: Vec<User>,
}

/// `POST /users/{me}/channels`: GAPI says `channel`, DECK reads `channels`; accept either
/// (see [`OpenDmResponse::into_channel`]) and the server may send both.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OpenDmResponse {
    #[serde(deserialize_with = "lenient::object")]
    pub channel: Option<DmChannel>,
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub channels: Vec<DmChannel>,
}

impl OpenDmResponse {
    /// The opened channel, whichever key carried it.
    pub fn into_channel(self) -> Option<DmChannel> {
        self.channel.or_else(|| self.channels.into_iter().next())
    }
}

/// `GET /teams/{id}` (and `/teams/{id}/info`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamResponse {
    pub team: Team,
}

/// `GET /users/{id}` (and the minimal `/login` body).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserResponse {
    pub user: User,
}

/// A body that is just `{"message": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MessageResponse {
    pub message: Message,
}

/// Slow-mode info on a send response (all optional).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Slowmode {
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub channel_cooldown: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub cooldown_remaining: Option<i64>,
}

/// `POST /channels/{id}/messages`: the stored message (partial: `id`, `createdAt`, `content`,
/// `type`, `createdBy`, `isPrivate`, `repliesToIds`) and slow-mode info.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SendMessageResponse {
    pub message: Message,
    #[serde(deserialize_with = "lenient::object")]
    pub slowmode: Option<Slowmode>,
}

/// The answer to `POST /channels/{id}/threads`: the new thread, as `thread` or `channel`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CreateThreadResponse {
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub thread: Option<Channel>,
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub channel: Option<Channel>,
}

impl CreateThreadResponse {
    /// The thread, whichever key carried it.
    pub fn into_thread(self) -> Option<Channel> {
        self.thread.or(self.channel)
    }
}
