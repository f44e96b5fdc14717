//! REST objects of Guilded's user API (GUILDED.md §2, §5) as serde DTOs, shared by the API
//! client (reading) and the local server (writing).
//!
//! Rule: pure data, no IO. Reading is tolerant — unknown fields are ignored, missing optional
//! fields default, fields of an unexpected type degrade to their default (see `lenient`) —
//! while writing emits Guilded's field names (camelCase) and timestamp format.

pub(crate) mod lenient;
mod requests;
mod responses;

pub use requests::{
    ApiErrorBody, EditMessageRequest, LoginRequest, MembersDetailRequest, OpenDmRequest,
    OpenDmUser, PresenceRequest, SeenRequest, SendMessageRequest,
};
pub use responses::{
    ChannelMessagesResponse, DmChannelsResponse, MembersDetailResponse, MessageResponse,
    OpenDmResponse, PinsResponse, SendMessageResponse, Slowmode, TeamChannelsResponse,
    TeamMembersResponse, TeamResponse, UserResponse,
};

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::protocol::content::RichText;

/// Format a timestamp as Guilded expects it everywhere (and requires in `beforeDate` /
/// `afterDate`): UTC, exactly 3 fractional digits, `Z` — `2021-10-15T23:58:44.537Z`.
pub fn format_timestamp(ts: Timestamp) -> String {
    // Truncate to whole milliseconds first so the printer never rounds up a second.
    let ms = ts.as_millisecond();
    let ts = Timestamp::from_millisecond(ms).unwrap_or(ts);
    jiff::fmt::temporal::DateTimePrinter::new()
        .precision(Some(3))
        .timestamp_to_string(&ts)
}

/// Parse a Guilded timestamp (`…Z` or `…+00:00`, any number of fractional digits).
pub fn parse_timestamp(text: &str) -> Option<Timestamp> {
    text.parse().ok()
}

/// A user's presence (`userPresenceStatus`, sent as an int or a numeric string).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PresenceStatus {
    /// 1
    Online,
    /// 2
    Idle,
    /// 3
    DoNotDisturb,
    /// 4 (also "invisible" when set by oneself)
    Offline,
}

impl PresenceStatus {
    /// The wire number.
    pub const fn code(self) -> i64 {
        match self {
            PresenceStatus::Online => 1,
            PresenceStatus::Idle => 2,
            PresenceStatus::DoNotDisturb => 3,
            PresenceStatus::Offline => 4,
        }
    }

    /// From the wire number; unknown numbers are None.
    pub const fn from_code(code: i64) -> Option<PresenceStatus> {
        match code {
            1 => Some(PresenceStatus::Online),
            2 => Some(PresenceStatus::Idle),
            3 => Some(PresenceStatus::DoNotDisturb),
            4 => Some(PresenceStatus::Offline),
            _ => None,
        }
    }
}

impl Serialize for PresenceStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.code())
    }
}

fn opt_presence<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PresenceStatus>, D::Error> {
    Ok(lenient::opt_i64(d)?.and_then(PresenceStatus::from_code))
}

/// A custom (or stock) emoji: `customReaction` objects and `/me`'s `customReactions`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomReaction {
    /// Integer id (stock emoji have ids too: `tada` is 90001815).
    #[serde(deserialize_with = "lenient::i64")]
    pub id: i64,
    /// Name without colons (`tada`).
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub png: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub webp: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub apng: Option<String>,
    /// The owning team, for team emoji.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub team_id: Option<String>,
}

/// A user's custom status (`userStatus`): a small document plus an emoji.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserStatus {
    /// The status text (a document), None when unset.
    pub content: Option<RichText>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub custom_reaction_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_reaction: Option<CustomReaction>,
}

/// `aboutInfo` of a user.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AboutInfo {
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub bio: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub tag_line: Option<String>,
}

/// A user (`/users/{id}`'s `user`, `/me`'s `user`, DM `users[]` entries add a few fields —
/// see [`DmUser`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct User {
    /// Generic 8-char id (`EdVMVKR4`).
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    /// `user` or `bot`.
    #[serde(
        rename = "type",
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub subdomain: Option<String>,
    /// Only present for oneself.
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub email: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub profile_picture: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub profile_banner_blur: Option<String>,
    /// Account creation (newer payloads).
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<Timestamp>,
    /// Account creation (older payloads).
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub join_date: Option<Timestamp>,
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_online: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_status: Option<UserStatus>,
    #[serde(
        deserialize_with = "opt_presence",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_presence_status: Option<PresenceStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about_info: Option<AboutInfo>,
}

impl User {
    /// The name to show (users have no nickname outside a team).
    pub fn display_name(&self) -> &str {
        &self.name
    }
}

/// The `/me` body (also what `POST /login` with `getMe: true` returns).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Me {
    pub user: User,
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub teams: Vec<Team>,
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub custom_reactions: Vec<CustomReaction>,
}

/// A team role (`rolesById` values).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    #[serde(deserialize_with = "lenient::i64")]
    pub id: i64,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
    /// `#rrggbb`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub color: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub priority: Option<i64>,
    #[serde(default, deserialize_with = "lenient::bool")]
    pub is_base: bool,
    #[serde(default, deserialize_with = "lenient::bool")]
    pub is_mentionable: bool,
}

/// A team (`/me`'s `teams[]`, `/teams/{id}`'s `team`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Team {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub subdomain: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub profile_picture: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub owner_id: Option<String>,
    /// `community`, …
    #[serde(
        rename = "type",
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub timezone: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<Timestamp>,
    /// Sent as a string by Guilded; written back as a string.
    #[serde(
        deserialize_with = "lenient::opt_u64",
        serialize_with = "lenient::ser_opt_u64_as_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub member_count: Option<u64>,
    /// The viewer's role in the team: `member`, `admin`, `formerMember`.
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub membership_role: Option<String>,
    /// The viewer's role ids.
    #[serde(deserialize_with = "lenient::vec_i64")]
    pub role_ids: Vec<i64>,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_admin: bool,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_public: bool,
    /// Roles by id (`"baseRole"` is one key); used to label role mentions.
    #[serde(
        deserialize_with = "lenient::map_skip_invalid",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub roles_by_id: BTreeMap<String, Role>,
    /// Full member objects (only in `/teams/{id}`).
    #[serde(
        deserialize_with = "lenient::vec_skip_invalid",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub members: Vec<TeamMember>,
}

/// A team channel (`/teams/{id}/channels`'s `channels[]` and `temporalChannels[]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Channel {
    /// UUID.
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    /// Same UUID as `id` (Guilded sends both).
    #[serde(deserialize_with = "lenient::opt_string")]
    pub channel_id: Option<String>,
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
    #[serde(deserialize_with = "lenient::opt_string")]
    pub team_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub group_id: Option<String>,
    /// The category (an integer id), None at the top level.
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub channel_category_id: Option<i64>,
    /// Order within the group.
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub priority: Option<i64>,
    /// Set for threads.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub parent_channel_id: Option<String>,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_public: bool,
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp"
    )]
    pub created_at: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub created_by: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp"
    )]
    pub updated_at: Option<Timestamp>,
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp"
    )]
    pub archived_at: Option<Timestamp>,
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp"
    )]
    pub deleted_at: Option<Timestamp>,
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
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Category {
    #[serde(deserialize_with = "lenient::i64")]
    pub id: i64,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub priority: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub team_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub group_id: Option<String>,
    /// The parent category, if nested.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub channel_category_id: Option<i64>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp"
    )]
    pub created_at: Option<Timestamp>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp"
    )]
    pub updated_at: Option<Timestamp>,
}

/// One participant of a DM channel (`users[]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DmUser {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub nickname: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub profile_picture: Option<String>,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_owner: bool,
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp"
    )]
    pub added_at: Option<Timestamp>,
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp"
    )]
    pub removed_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_status: Option<UserStatus>,
    #[serde(
        deserialize_with = "opt_presence",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_presence_status: Option<PresenceStatus>,
}

impl DmUser {
    /// `nickname` if set, else `name`.
    pub fn display_name(&self) -> &str {
        self.nickname.as_deref().unwrap_or(&self.name)
    }
}

/// A DM channel (`/users/{me}/channels`'s `channels[]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DmChannel {
    /// UUID.
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
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
    #[serde(
        rename = "DMType",
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub dm_type_upper: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub owner_id: Option<String>,
    /// The newest message (partial: no `channelId`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_message: Option<Message>,
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp"
    )]
    pub created_at: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub created_by: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp"
    )]
    pub updated_at: Option<Timestamp>,
}

impl DmChannel {
    /// The channel's name, or the other participants' display names joined by ", ".
    pub fn title(&self, my_user_id: &str) -> String {
        if let Some(name) = &self.name {
            return name.clone();
        }
        let others: Vec<&str> = self
            .users
            .iter()
            .filter(|u| u.id != my_user_id)
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

/// One reactor of a message reaction.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReactionUser {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub webhook_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub bot_id: Option<String>,
}

/// A reaction on a message (`reactions[]`): one emoji and who used it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reaction {
    #[serde(deserialize_with = "lenient::i64")]
    pub custom_reaction_id: i64,
    #[serde(
        default,
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "lenient::vec_skip_invalid")]
    pub users: Vec<ReactionUser>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_reaction: Option<CustomReaction>,
    /// Total reactors when `users` is truncated.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_users: Option<u64>,
}

impl Reaction {
    /// How many users reacted.
    pub fn count(&self) -> u64 {
        self.total_users.unwrap_or(self.users.len() as u64)
    }
}

/// A chat message, as REST returns it and as the gateway's message events carry it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Message {
    /// UUID (client-chosen when sent by gilt).
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    /// Empty where the payload omits it (send response, DM `lastMessage`, gateway events —
    /// the event envelope carries it).
    #[serde(deserialize_with = "lenient::string")]
    pub channel_id: String,
    /// The body.
    pub content: RichText,
    /// `default` or `system`.
    #[serde(rename = "type", deserialize_with = "lenient::string")]
    pub kind: String,
    /// Author user id.
    #[serde(deserialize_with = "lenient::string")]
    pub created_by: String,
    /// The Unix epoch if the payload had no (valid) `createdAt`.
    #[serde(
        deserialize_with = "lenient::timestamp",
        serialize_with = "lenient::ser_timestamp"
    )]
    pub created_at: Timestamp,
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp"
    )]
    pub edited_at: Option<Timestamp>,
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub deleted_at: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub webhook_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub bot_id: Option<String>,
    /// Replied-to message ids (up to 5).
    #[serde(deserialize_with = "lenient::vec_string")]
    pub replies_to_ids: Vec<String>,
    /// Older single-reply field.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub replies_to: Option<String>,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_silent: bool,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_private: bool,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_pinned: bool,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub pinned_by: Option<String>,
    #[serde(
        deserialize_with = "lenient::vec_skip_invalid",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub reactions: Vec<Reaction>,
}

impl Message {
    /// Whether this is a system message (`type: "system"`).
    pub fn is_system(&self) -> bool {
        self.kind == "system"
    }

    /// All replied-to ids: `repliesToIds` plus the older `repliesTo`, without duplicates.
    pub fn reply_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.replies_to_ids.iter().map(String::as_str).collect();
        if let Some(one) = self.replies_to.as_deref()
            && !ids.contains(&one)
        {
            ids.push(one);
        }
        ids
    }
}

/// A team member: the full object (`/teams/{id}` `members[]`, `docs-team-member.json`,
/// `TeamMemberJoined.user`) and the light one (`/teams/{id}/members`) share this type;
/// the light form simply leaves more fields empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamMember {
    /// User id.
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    /// Team-specific nickname.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub nickname: Option<String>,
    /// `user` or `bot` (light form).
    #[serde(
        rename = "type",
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub profile_picture: Option<String>,
    /// `member`, `admin`, …
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub membership_role: Option<String>,
    #[serde(deserialize_with = "lenient::vec_i64")]
    pub role_ids: Vec<i64>,
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub join_date: Option<Timestamp>,
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_online: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_status: Option<UserStatus>,
    #[serde(
        deserialize_with = "opt_presence",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_presence_status: Option<PresenceStatus>,
    #[serde(
        deserialize_with = "lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub team_xp: Option<i64>,
}

impl TeamMember {
    /// `nickname` if set, else `name` (GUILDED.md §5).
    pub fn display_name(&self) -> &str {
        self.nickname.as_deref().unwrap_or(&self.name)
    }
}

/// Display name rule for any member-like object: the nickname if set and non-empty, else the
/// name.
pub fn display_name<'a>(name: &'a str, nickname: Option<&'a str>) -> &'a str {
    match nickname {
        Some(n) if !n.is_empty() => n,
        _ => name,
    }
}

#[cfg(test)]
mod tests;
