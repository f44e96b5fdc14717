//! Chat messages and their reactions, as REST returns them and gateway events carry them.
//!
//! Rule: tolerant reading (one bad reaction is dropped, not the message); pure data.

use jiff::Timestamp;
use serde::Deserialize;

use super::{CustomReaction, lenient};
use crate::content::Content;
use crate::{ChannelId, MessageId, UserId};

/// One reactor of a message reaction.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReactionUser {
    #[serde(deserialize_with = "lenient::id")]
    pub id: UserId,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub webhook_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub bot_id: Option<String>,
}

/// A reaction on a message (`reactions[]`): one emoji and who used it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reaction {
    #[serde(deserialize_with = "lenient::i64")]
    pub custom_reaction_id: i64,
    #[serde(default, deserialize_with = "lenient::opt_timestamp")]
    pub created_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "lenient::vec_skip_invalid")]
    pub users: Vec<ReactionUser>,
    #[serde(default, deserialize_with = "lenient::object_skip_invalid")]
    pub custom_reaction: Option<CustomReaction>,
    /// Total reactors when `users` is truncated.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub total_users: Option<u64>,
}

impl Reaction {
    /// How many users reacted.
    pub fn count(&self) -> u64 {
        self.total_users.unwrap_or(self.users.len() as u64)
    }
}

/// A chat message, as REST returns it and as the gateway's message events carry it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Message {
    /// UUID (client-chosen when sent by gilt).
    #[serde(deserialize_with = "lenient::id")]
    pub id: MessageId,
    /// Empty where the payload omits it (send response, DM `lastMessage`, gateway events —
    /// the event envelope carries it).
    #[serde(deserialize_with = "lenient::id")]
    pub channel_id: ChannelId,
    /// The body.
    pub content: Content,
    /// `default` or `system`.
    #[serde(rename = "type", deserialize_with = "lenient::string")]
    pub kind: String,
    /// Author user id.
    #[serde(deserialize_with = "lenient::id")]
    pub created_by: UserId,
    /// The Unix epoch if the payload had no (valid) `createdAt`.
    #[serde(deserialize_with = "lenient::timestamp")]
    pub created_at: Timestamp,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub edited_at: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub deleted_at: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub webhook_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub bot_id: Option<String>,
    /// Replied-to message ids (up to 5).
    #[serde(deserialize_with = "lenient::vec_id")]
    pub replies_to_ids: Vec<MessageId>,
    /// Older single-reply field.
    #[serde(deserialize_with = "lenient::opt_id")]
    pub replies_to: Option<MessageId>,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_silent: bool,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_private: bool,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_pinned: bool,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub pinned_by: Option<UserId>,
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub reactions: Vec<Reaction>,
}

impl Message {
    /// Whether this is a system message (`type: "system"`).
    pub fn is_system(&self) -> bool {
        self.kind == "system"
    }

    /// All replied-to ids: `repliesToIds` plus the older `repliesTo`, without duplicates.
    pub fn reply_ids(&self) -> Vec<&MessageId> {
        let mut ids: Vec<&MessageId> = self.replies_to_ids.iter().collect();
        if let Some(one) = self.replies_to.as_ref()
            && !ids.contains(&one)
        {
            ids.push(one);
        }
        ids
    }
}
