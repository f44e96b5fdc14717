//! Users and their custom status and emoji, and the `/me` body (see docs/PROTOCOL.md).
//!
//! Rule: tolerant reading; pure data.

use jiff::Timestamp;
use serde::{Deserialize, Deserializer};

use super::{Team, lenient};
use crate::content::RichText;
use crate::{TeamId, UserId};

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

    /// From a name some payloads send instead of the number (`online`, `idle`/`away`,
    /// `dnd`/`doNotDisturb`/`busy`, `offline`/`invisible`), any case; unknown names are None.
    pub fn from_name(name: &str) -> Option<PresenceStatus> {
        let name = name
            .trim()
            .to_ascii_lowercase()
            .replace(['_', '-', ' '], "");
        Some(match name.as_str() {
            "online" => PresenceStatus::Online,
            "idle" | "away" => PresenceStatus::Idle,
            "dnd" | "donotdisturb" | "busy" => PresenceStatus::DoNotDisturb,
            "offline" | "invisible" => PresenceStatus::Offline,
            _ => return None,
        })
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

/// A presence sent as a number (`1`), a numeric string (`"1"`) or a name (`"online"`);
/// anything else is None.
pub(crate) fn opt_presence<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<PresenceStatus>, D::Error> {
    Ok(match lenient::Scalar::deserialize(d)? {
        lenient::Scalar::I64(n) => PresenceStatus::from_code(n),
        lenient::Scalar::U64(n) => i64::try_from(n).ok().and_then(PresenceStatus::from_code),
        lenient::Scalar::Str(s) => s
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(PresenceStatus::from_code)
            .or_else(|| PresenceStatus::from_name(&s)),
        _ => None,
    })
}

/// A custom (or stock) emoji: `customReaction` objects and `/me`'s `customReactions`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
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
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub team_id: Option<TeamId>,
}

/// A user's custom status (`userStatus`): a small document plus an emoji.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserStatus {
    /// The status text (a document), None when unset.
    pub content: Option<RichText>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub custom_reaction_id: Option<i64>,
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub custom_reaction: Option<CustomReaction>,
}

/// `aboutInfo` of a user.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AboutInfo {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub bio: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub tag_line: Option<String>,
}

/// A user (`/users/{id}`'s `user`, `/me`'s `user`, DM `users[]` entries add a few fields —
/// see [`DmUser`](super::DmUser)).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct User {
    /// Generic 8-char id (`EdVMVKR4`).
    #[serde(deserialize_with = "lenient::id")]
    pub id: UserId,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    /// `user` or `bot`.
    #[serde(rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub subdomain: Option<String>,
    /// Only present for oneself.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub email: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub profile_picture: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub profile_banner_blur: Option<String>,
    /// Account creation (newer payloads).
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub created_at: Option<Timestamp>,
    /// Account creation (older payloads).
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub join_date: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub last_online: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::object")]
    pub user_status: Option<UserStatus>,
    #[serde(deserialize_with = "opt_presence")]
    pub user_presence_status: Option<PresenceStatus>,
    #[serde(deserialize_with = "lenient::object")]
    pub about_info: Option<AboutInfo>,
}

impl User {
    /// The name to show (users have no nickname outside a team).
    pub fn display_name(&self) -> &str {
        &self.name
    }
}

/// The `/me` body (also what `POST /login` with `getMe: true` returns).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Me {
    pub user: User,
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub teams: Vec<Team>,
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub custom_reactions: Vec<CustomReaction>,
}
