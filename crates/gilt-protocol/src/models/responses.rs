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
    /// Unread counts and mention marks by channel id; None when the answer had no such map
    /// (then the client counts from its own read markers).
    #[serde(deserialize_with = "unread_map")]
    pub badged_channel_content_by_channel_id: Option<BTreeMap<String, UnreadBadge>>,
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
    /// Unread counts and mention marks by channel id; None when absent (see
    /// [`TeamChannelsResponse::badged_channel_content_by_channel_id`]).
    #[serde(deserialize_with = "unread_map")]
    pub unread_info_by_channel_id: Option<BTreeMap<String, UnreadBadge>>,
}

/// One channel's unread state from the server. The shape was never documented, so it is
/// read tolerantly: an object with a count (`unreadCount`, `unreadMessageCount`, `count`,
/// `numUnread`, `unread`) and/or mentions (a count in `mentionCount`, `mentions`,
/// `numMentions`, or a flag in `hasMention`, `isMentioned`, `mentioned`, `hasMentions`); a bare
/// number is a count and a bare `true` one unread message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UnreadBadge {
    /// Unread messages (at least 1 when there are mentions).
    pub count: u32,
    /// Unread mentions of the user.
    pub mentions: u32,
}

impl<'de> Deserialize<'de> for UnreadBadge {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde_json::Value;
        fn number(v: &Value) -> Option<u32> {
            match v {
                Value::Number(n) => n.as_u64().map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            }
        }
        fn flag(v: &Value) -> Option<bool> {
            match v {
                Value::Bool(b) => Some(*b),
                Value::Number(n) => n.as_u64().map(|n| n > 0),
                _ => None,
            }
        }
        let value = Value::deserialize(d)?;
        let mut badge = UnreadBadge::default();
        match &value {
            Value::Object(map) => {
                let first = |keys: &[&str]| keys.iter().find_map(|k| map.get(*k));
                badge.count = first(&[
                    "unreadCount",
                    "unreadMessageCount",
                    "count",
                    "numUnread",
                    "unread",
                ])
                .and_then(number)
                .unwrap_or(0);
                badge.mentions = first(&["mentionCount", "mentions", "numMentions"])
                    .and_then(number)
                    .or_else(|| {
                        first(&["hasMention", "isMentioned", "mentioned", "hasMentions"])
                            .and_then(flag)
                            .map(u32::from)
                    })
                    .unwrap_or(0);
            }
            Value::Bool(true) => badge.count = 1,
            other => badge.count = number(other).unwrap_or(0),
        }
        badge.count = badge.count.max(badge.mentions.min(1));
        Ok(badge)
    }
}

/// A map of channel id → [`UnreadBadge`]: None when absent, `null` or not an object.
fn unread_map<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<BTreeMap<String, UnreadBadge>>, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    Ok(match value {
        serde_json::Value::Object(entries) => Some(
            entries
                .into_iter()
                .filter_map(|(k, v)| UnreadBadge::deserialize(v).ok().map(|b| (k, b)))
                .collect(),
        ),
        _ => None,
    })
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
