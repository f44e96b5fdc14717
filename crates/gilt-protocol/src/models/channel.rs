//! Team channels, categories and DM channels (see docs/PROTOCOL.md).
//!
//! Rule: tolerant reading; pure data.

use jiff::Timestamp;
use serde::Deserialize;

use super::user::opt_presence;
use super::{Message, PresenceStatus, UserStatus, lenient};
use crate::{ChannelId, MessageId, TeamId, UserId};

/// A team channel (`/teams/{id}/channels`'s `channels[]` and `temporalChannels[]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Channel {
    /// UUID.
    #[serde(deserialize_with = "lenient::id")]
    pub id: ChannelId,
    /// Same UUID as `id` (Guilded sends both).
    #[serde(deserialize_with = "lenient::opt_id")]
    pub channel_id: Option<ChannelId>,
    /// `Team` (team channels) — DMs are [`DmChannel`].
    #[serde(rename = "type", deserialize_with = "lenient::string")]
    pub kind: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    /// `chat`, `voice`, `stream`, `forum`, `doc`, … — see [`is_messageable`](Self::is_messageable).
    #[serde(deserialize_with = "lenient::string")]
    pub content_type: String,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub team_id: Option<TeamId>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub group_id: Option<String>,
    /// The category (an integer id), None at the top level.
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub channel_category_id: Option<i64>,
    /// Order within the group.
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub priority: Option<i64>,
    /// Set for threads.
    #[serde(deserialize_with = "lenient::opt_id")]
    pub parent_channel_id: Option<ChannelId>,
    /// For a thread started from a message: that message (in the parent channel).
    #[serde(deserialize_with = "lenient::opt_id")]
    pub thread_message_id: Option<MessageId>,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_public: bool,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub created_at: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub created_by: Option<UserId>,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub updated_at: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub archived_at: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub deleted_at: Option<Timestamp>,
    /// Who is in a voice or stream channel now (entries without a readable user dropped).
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub voice_participants: Vec<Participant>,
}

/// A person in a voice or stream channel: `{id}`, `{userId}` or `{user: {id}}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Participant {
    #[serde(deserialize_with = "lenient::opt_id")]
    pub id: Option<UserId>,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub user_id: Option<UserId>,
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub user: Option<UserRef>,
}

/// `{id}` of a user.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserRef {
    #[serde(deserialize_with = "lenient::opt_id")]
    pub id: Option<UserId>,
}

impl Participant {
    /// The participant's user id, wherever it was given.
    pub fn user(&self) -> Option<&UserId> {
        [
            self.user_id.as_ref(),
            self.id.as_ref(),
            self.user.as_ref().and_then(|u| u.id.as_ref()),
        ]
        .into_iter()
        .flatten()
        .find(|u| !u.is_empty())
    }
}

/// Whether a channel content type has a text chat (`chat`, `voice`, `stream`/`streaming`).
pub fn is_messageable_content_type(content_type: &str) -> bool {
    matches!(content_type, "chat" | "voice" | "stream" | "streaming")
}

impl Channel {
    /// Whether gilt can show and send messages in this channel.
    pub fn is_messageable(&self) -> bool {
        is_messageable_content_type(&self.content_type)
    }
}

/// A channel category (integer id).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Category {
    #[serde(deserialize_with = "lenient::i64")]
    pub id: i64,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub priority: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub team_id: Option<TeamId>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub group_id: Option<String>,
    /// The parent category, if nested.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub channel_category_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_timestamp")]
    pub created_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "lenient::opt_timestamp")]
    pub updated_at: Option<Timestamp>,
}

/// One participant of a DM channel (`users[]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DmUser {
    #[serde(deserialize_with = "lenient::id")]
    pub id: UserId,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub nickname: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub profile_picture: Option<String>,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_owner: bool,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub added_at: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub removed_at: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::object")]
    pub user_status: Option<UserStatus>,
    #[serde(deserialize_with = "opt_presence")]
    pub user_presence_status: Option<PresenceStatus>,
}

impl DmUser {
    /// `nickname` if set, else `name` (see [`display_name`](super::display_name)).
    pub fn display_name(&self) -> &str {
        super::display_name(&self.name, self.nickname.as_deref())
    }
}

/// A DM channel (`/users/{me}/channels`'s `channels[]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DmChannel {
    /// UUID.
    #[serde(deserialize_with = "lenient::id")]
    pub id: ChannelId,
    /// `DM`.
    #[serde(rename = "type", deserialize_with = "lenient::string")]
    pub kind: String,
    /// None for 1:1 DMs: build a name from `users` ([`DmChannel::title`]).
    #[serde(deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub users: Vec<DmUser>,
    /// `chat`.
    #[serde(deserialize_with = "lenient::string")]
    pub content_type: String,
    /// `Default` (1:1) or `Group`. Guilded sends it as both `dmType` and `DMType`.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub dm_type: Option<String>,
    /// The `DMType` spelling of [`dm_type`](Self::dm_type).
    #[serde(rename = "DMType", deserialize_with = "lenient::opt_string")]
    pub dm_type_upper: Option<String>,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub owner_id: Option<UserId>,
    /// The newest message (partial: no `channelId`).
    #[serde(deserialize_with = "lenient::object")]
    pub last_message: Option<Message>,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub created_at: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub created_by: Option<UserId>,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub updated_at: Option<Timestamp>,
}

impl DmChannel {
    /// The channel's name, or the other participants' display names joined by ", ".
    pub fn title(&self, my_user_id: &UserId) -> String {
        if let Some(name) = &self.name {
            return name.clone();
        }
        let others: Vec<&str> = self
            .users
            .iter()
            .filter(|u| &u.id != my_user_id)
            .map(DmUser::display_name)
            .collect();
        if others.is_empty() {
            self.users
                .first()
                .map(|u| u.display_name().to_owned())
                .unwrap_or_default()
        } else {
            others.join(", ")
        }
    }
}
