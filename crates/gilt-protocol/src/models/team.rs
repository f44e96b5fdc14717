//! Teams, their roles and members (see docs/PROTOCOL.md).
//!
//! Rule: tolerant reading; pure data.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Deserialize;

use super::user::opt_presence;
use super::{PresenceStatus, UserStatus, lenient};
use crate::{TeamId, UserId};

/// A team role (`rolesById` values).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Team {
    #[serde(deserialize_with = "lenient::id")]
    pub id: TeamId,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub subdomain: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub profile_picture: Option<String>,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub owner_id: Option<UserId>,
    /// `community`, …
    #[serde(rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub timezone: Option<String>,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub created_at: Option<Timestamp>,
    /// Sent as a string by Guilded; written back as a string.
    #[serde(deserialize_with = "lenient::opt_u64")]
    pub member_count: Option<u64>,
    /// The viewer's role in the team: `member`, `admin`, `formerMember`.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub membership_role: Option<String>,
    /// The viewer's role ids.
    #[serde(deserialize_with = "lenient::vec_i64")]
    pub role_ids: Vec<i64>,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_admin: bool,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_public: bool,
    /// Roles by id (`"baseRole"` is one key); used to label role mentions.
    #[serde(deserialize_with = "lenient::map_skip_invalid")]
    pub roles_by_id: BTreeMap<String, Role>,
    /// Full member objects (only in `/teams/{id}`).
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub members: Vec<TeamMember>,
}

/// A team member: the full object (`/teams/{id}` `members[]`, `docs-team-member.json`,
/// `TeamMemberJoined.user`) and the light one (`/teams/{id}/members`) share this type;
/// the light form simply leaves more fields empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamMember {
    /// User id.
    #[serde(deserialize_with = "lenient::id")]
    pub id: UserId,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    /// Team-specific nickname.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub nickname: Option<String>,
    /// `user` or `bot` (light form).
    #[serde(rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub profile_picture: Option<String>,
    /// `member`, `admin`, …
    #[serde(deserialize_with = "lenient::opt_string")]
    pub membership_role: Option<String>,
    #[serde(deserialize_with = "lenient::vec_i64")]
    pub role_ids: Vec<i64>,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub join_date: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub last_online: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::object")]
    pub user_status: Option<UserStatus>,
    #[serde(deserialize_with = "opt_presence")]
    pub user_presence_status: Option<PresenceStatus>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub team_xp: Option<i64>,
}

impl TeamMember {
    /// `nickname` if set, else `name` (see [`display_name`](super::display_name)).
    pub fn display_name(&self) -> &str {
        super::display_name(&self.name, self.nickname.as_deref())
    }
}
