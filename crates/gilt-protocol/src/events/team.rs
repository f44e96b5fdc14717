//! Typed payloads of team and account events (team channels, members, read markers, team
//! membership; see docs/PROTOCOL.md), read from the wire, and each payload's key-field rule.
//!
//! Rule: reading is tolerant (every field defaults; odd types degrade); [`Complete`] fills
//! duplicated fields and checks the key ones. Pure data, no IO.

use serde::{Deserialize, Deserializer};

use super::Complete;
use crate::models::lenient;
use crate::models::{Channel, TeamMember};
use crate::{ChannelId, TeamId, UserId};

/// `TeamChannelCreated` / `TeamChannelUpdated` (team socket).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamChannelEvent {
    #[serde(deserialize_with = "lenient::id")]
    pub team_id: TeamId,
    /// The channel (possibly partial on update).
    pub channel: Channel,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub guilded_client_id: Option<String>,
}

/// `TeamChannelDeleted` (team socket).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamChannelDeleted {
    #[serde(deserialize_with = "lenient::id")]
    pub team_id: TeamId,
    #[serde(deserialize_with = "lenient::id")]
    pub channel_id: ChannelId,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub guilded_client_id: Option<String>,
}

/// `TeamMemberJoined` (team socket): `user` is a full team member object.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamMemberJoined {
    #[serde(deserialize_with = "lenient::id")]
    pub team_id: TeamId,
    pub user: TeamMember,
}

/// `TeamMemberRemoved` (team socket): left, kicked or banned.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamMemberRemoved {
    #[serde(deserialize_with = "lenient::id")]
    pub team_id: TeamId,
    #[serde(deserialize_with = "lenient::id")]
    pub user_id: UserId,
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
    /// The new value: None when unchanged, `Some(None)` when cleared.
    pub fn as_update(&self) -> Option<Option<&str>> {
        match self {
            FieldChange::Unchanged => None,
            FieldChange::Cleared => Some(None),
            FieldChange::Set(v) => Some(Some(v)),
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
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MemberUserInfo {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    pub nickname: FieldChange,
    pub profile_picture: FieldChange,
}

/// `TeamMemberUpdated` (team socket).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamMemberUpdated {
    #[serde(deserialize_with = "lenient::id")]
    pub team_id: TeamId,
    #[serde(deserialize_with = "lenient::id")]
    pub user_id: UserId,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub updated_by: Option<UserId>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub guilded_client_id: Option<String>,
    /// What changed.
    pub user_info: MemberUserInfo,
}

/// `TeamMemberAliasUpdated`: a member's nickname was set or reset. No payload is documented,
/// so the likely fields are all read tolerantly; see [`TeamMemberAliasUpdated::new_nickname`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamMemberAliasUpdated {
    #[serde(deserialize_with = "lenient::id")]
    pub team_id: TeamId,
    #[serde(deserialize_with = "lenient::id")]
    pub user_id: UserId,
    pub alias: FieldChange,
    pub nickname: FieldChange,
    /// Some payloads nest the changes like `TeamMemberUpdated`.
    #[serde(deserialize_with = "lenient::object")]
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
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChannelSeen {
    #[serde(deserialize_with = "lenient::id")]
    pub channel_id: ChannelId,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub team_id: Option<TeamId>,
    #[serde(deserialize_with = "lenient::bool")]
    pub clear_all_badges: bool,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub content_type: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub guilded_client_id: Option<String>,
    /// GDENO's nested form.
    #[serde(deserialize_with = "lenient::object")]
    pub channel: Option<ChannelRef>,
}

/// A reference to a channel (`{"id": …}`), as GDENO's `CHANNEL_SEEN` nests it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChannelRef {
    #[serde(deserialize_with = "lenient::id")]
    pub id: ChannelId,
}

/// `USER_TEAMS_UPDATED`: this account joined or left a team (refetch `/me`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserTeamsUpdated {
    #[serde(deserialize_with = "lenient::opt_id")]
    pub team_id: Option<TeamId>,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_removed: bool,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_user_banned_from_team: bool,
}

/// Key fields and the fields filled in after decoding, per payload.
impl Complete for TeamChannelEvent {
    /// `teamId` at the top level and inside `channel` complete each other.
    fn complete(&mut self) -> bool {
        if self.channel.team_id.is_none() && !self.team_id.is_empty() {
            self.channel.team_id = Some(self.team_id.clone());
        }
        if self.team_id.is_empty()
            && let Some(team) = &self.channel.team_id
        {
            self.team_id.clone_from(team);
        }
        !self.team_id.is_empty() && !self.channel.id.is_empty()
    }
}

impl Complete for TeamChannelDeleted {
    fn complete(&mut self) -> bool {
        !self.team_id.is_empty() && !self.channel_id.is_empty()
    }
}

impl Complete for TeamMemberJoined {
    fn complete(&mut self) -> bool {
        !self.team_id.is_empty() && !self.user.id.is_empty()
    }
}

impl Complete for TeamMemberRemoved {
    fn complete(&mut self) -> bool {
        !self.team_id.is_empty() && !self.user_id.is_empty()
    }
}

impl Complete for TeamMemberUpdated {
    fn complete(&mut self) -> bool {
        !self.team_id.is_empty() && !self.user_id.is_empty()
    }
}

impl Complete for TeamMemberAliasUpdated {
    fn complete(&mut self) -> bool {
        !self.user_id.is_empty()
    }
}

impl Complete for ChannelSeen {
    /// GDENO's `channel.id` stands in for a missing `channelId`.
    fn complete(&mut self) -> bool {
        if self.channel_id.is_empty()
            && let Some(channel) = &self.channel
        {
            self.channel_id.clone_from(&channel.id);
        }
        !self.channel_id.is_empty()
    }
}

impl Complete for UserTeamsUpdated {
    /// No key fields: the event itself means "refetch your teams".
    fn complete(&mut self) -> bool {
        true
    }
}
