//! Typed payloads of team and account events (team channels, members, read markers, team
//! membership; GUILDED.md §4.3), readable from the wire and writable by the local server.
//!
//! Rule: reading is tolerant (every field defaults; odd types degrade); the decoder in
//! `events.rs` checks each payload's key fields. Pure data, no IO.

use serde::{Deserialize, Deserializer, Serialize};

use super::chat::MessageRef;
use crate::models::lenient;
use crate::models::{Channel, TeamMember};

/// `TeamChannelCreated` / `TeamChannelUpdated` (team socket).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamChannelEvent {
    #[serde(deserialize_with = "lenient::string")]
    pub team_id: String,
    /// The channel (possibly partial on update).
    pub channel: Channel,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub guilded_client_id: Option<String>,
}

/// `TeamChannelDeleted` (team socket).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamChannelDeleted {
    #[serde(deserialize_with = "lenient::string")]
    pub team_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub channel_id: String,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub guilded_client_id: Option<String>,
}

/// `TeamMemberJoined` (team socket): `user` is a full team member object.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamMemberJoined {
    #[serde(deserialize_with = "lenient::string")]
    pub team_id: String,
    pub user: TeamMember,
}

/// `TeamMemberRemoved` (team socket): left, kicked or banned.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamMemberRemoved {
    #[serde(deserialize_with = "lenient::string")]
    pub team_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub user_id: String,
}

/// A field of an update event whose presence matters: absent (unchanged), `null` (cleared,
/// e.g. a nickname reset) or a new value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FieldChange {
    /// The payload did not mention the field.
    #[default]
    Unchanged,
    /// The payload set it to `null`.
    Cleared,
    /// The new value.
    Set(String),
}

impl FieldChange {
    /// Whether the payload did not mention the field.
    pub fn is_unchanged(&self) -> bool {
        matches!(self, FieldChange::Unchanged)
    }

    /// The new value: None when unchanged, `Some(None)` when cleared.
    pub fn as_update(&self) -> Option<Option<&str>> {
        match self {
            FieldChange::Unchanged => None,
            FieldChange::Cleared => Some(None),
            FieldChange::Set(v) => Some(Some(v)),
        }
    }
}

impl Serialize for FieldChange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FieldChange::Set(v) => s.serialize_str(v),
            FieldChange::Unchanged | FieldChange::Cleared => s.serialize_none(),
        }
    }
}

impl<'de> Deserialize<'de> for FieldChange {
    /// `null` → Cleared, a string → Set, other types → Unchanged (absent fields need
    /// `#[serde(default)]`).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match lenient::Scalar::deserialize(d)? {
            lenient::Scalar::Null => FieldChange::Cleared,
            lenient::Scalar::Str(s) => FieldChange::Set(s.into_owned()),
            _ => FieldChange::Unchanged,
        })
    }
}

/// Changed member fields of `TeamMemberUpdated`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MemberUserInfo {
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "FieldChange::is_unchanged")]
    pub nickname: FieldChange,
    #[serde(skip_serializing_if = "FieldChange::is_unchanged")]
    pub profile_picture: FieldChange,
}

/// `TeamMemberUpdated` (team socket).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamMemberUpdated {
    #[serde(deserialize_with = "lenient::string")]
    pub team_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub user_id: String,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_by: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub guilded_client_id: Option<String>,
    /// What changed.
    pub user_info: MemberUserInfo,
}

/// `TeamMemberAliasUpdated`: a member's nickname was set or reset. No payload is documented,
/// so the likely fields are all read tolerantly; see [`TeamMemberAliasUpdated::new_nickname`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamMemberAliasUpdated {
    #[serde(deserialize_with = "lenient::string")]
    pub team_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub user_id: String,
    #[serde(skip_serializing_if = "FieldChange::is_unchanged")]
    pub alias: FieldChange,
    #[serde(skip_serializing_if = "FieldChange::is_unchanged")]
    pub nickname: FieldChange,
    /// Some payloads nest the changes like `TeamMemberUpdated`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_info: Option<MemberUserInfo>,
}

impl TeamMemberAliasUpdated {
    /// The new nickname: `Some(None)` when it was reset, None when the payload said nothing.
    #[allow(clippy::option_option)] // None: not mentioned; Some(None): reset
    pub fn new_nickname(&self) -> Option<Option<&str>> {
        self.alias
            .as_update()
            .or_else(|| self.nickname.as_update())
            .or_else(|| self.user_info.as_ref().and_then(|i| i.nickname.as_update()))
    }
}

/// `CHANNEL_SEEN`: a channel was marked read (by this account, maybe on another device).
/// GDENO's `{channel: {id, contentType}}` form is accepted too: after decoding,
/// `channel_id` is filled from it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChannelSeen {
    #[serde(deserialize_with = "lenient::string")]
    pub channel_id: String,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub team_id: Option<String>,
    #[serde(deserialize_with = "lenient::bool")]
    pub clear_all_badges: bool,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub content_type: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub guilded_client_id: Option<String>,
    /// GDENO's nested form (read only).
    #[serde(skip_serializing)]
    pub channel: Option<MessageRef>,
}

/// `USER_TEAMS_UPDATED`: this account joined or left a team (refetch `/me`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserTeamsUpdated {
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub team_id: Option<String>,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_removed: bool,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_user_banned_from_team: bool,
}
