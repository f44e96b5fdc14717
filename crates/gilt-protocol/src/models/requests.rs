//! Request bodies gilt sends (readable too, so tests check them against the documented
//! examples), plus the error body gilt reads.
//!
//! Rule: field names exactly as Guilded expects them (see docs/PROTOCOL.md); no IO.

use serde::{Deserialize, Serialize};

use super::lenient;
use crate::content::RichText;
use crate::{MessageId, UserId};

/// `POST /login`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LoginRequest {
    #[serde(deserialize_with = "lenient::string")]
    pub email: String,
    #[serde(deserialize_with = "lenient::string")]
    pub password: String,
    /// Ask for the full `/me` body in the response.
    #[serde(deserialize_with = "lenient::bool")]
    pub get_me: bool,
}

/// `POST /channels/{channelId}/messages`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SendMessageRequest {
    /// Client-generated UUID v4; the message keeps it.
    #[serde(deserialize_with = "lenient::id")]
    pub message_id: MessageId,
    pub content: RichText,
    /// Replied-to message ids (up to 5). Omitted when empty, as guilded.py does.
    #[serde(
        deserialize_with = "lenient::vec_string",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub replies_to_ids: Vec<MessageId>,
    /// Reply without pinging the authors.
    #[serde(deserialize_with = "lenient::bool")]
    pub is_silent: bool,
    /// Private reply.
    #[serde(deserialize_with = "lenient::bool")]
    pub is_private: bool,
}

/// `PUT /channels/{channelId}/messages/{messageId}`: replaces the whole document.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EditMessageRequest {
    pub content: RichText,
}

/// `PUT /channels/{channelId}/seen`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SeenRequest {
    #[serde(deserialize_with = "lenient::bool")]
    pub clear_all_badges: bool,
}

/// `POST /users/me/presence`: `status` 1 online, 2 idle, 3 dnd, 4 invisible.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PresenceRequest {
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub status: Option<i64>,
}

/// One entry of [`OpenDmRequest::users`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OpenDmUser {
    #[serde(deserialize_with = "lenient::id")]
    pub id: UserId,
}

/// `POST /users/{myUserId}/channels`: open (or find) a DM with these users.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OpenDmRequest {
    #[serde(deserialize_with = "lenient::vec_or_null")]
    pub users: Vec<OpenDmUser>,
}

/// `POST /teams/{teamId}/members/detail`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MembersDetailRequest {
    #[serde(deserialize_with = "lenient::vec_id")]
    pub user_ids: Vec<UserId>,
    #[serde(deserialize_with = "lenient::vec_id")]
    pub ids_for_basic_info: Vec<UserId>,
}

/// The body of every non-2xx response: `{"code": "PascalCaseName", "message": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ApiErrorBody {
    #[serde(deserialize_with = "lenient::string")]
    pub code: String,
    #[serde(deserialize_with = "lenient::string")]
    pub message: String,
}

/// `POST /channels/{channelId}/threads`: start a thread in a channel, from one of its
/// messages when `threadMessageId` is given (field names inferred from the channel object's
/// own `threadMessageId`; see docs/PROTOCOL.md).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CreateThreadRequest {
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    /// Always `chat`.
    #[serde(deserialize_with = "lenient::string")]
    pub content_type: String,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub thread_message_id: Option<MessageId>,
}
