//! Typed payloads of the chat events (messages, typing, reactions, pins, DMs; GUILDED.md
//! §4.3), readable from the wire and writable by the local server with Guilded's names.
//!
//! Rule: reading is tolerant (every field defaults; odd types degrade); the decoder in
//! `events.rs` checks each payload's key fields. Pure data, no IO.

use jiff::Timestamp;
use serde::{Deserialize, Deserializer, Serialize};

use crate::models::lenient;
use crate::models::{CustomReaction, DmChannel, Message};

/// Fields common to channel events: where the event happened and which client caused it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope {
    /// The channel (UUID).
    pub channel_id: String,
    /// The channel's category (integer), absent for DMs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_category_id: Option<i64>,
    /// `Team` or `DM`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_type: Option<String>,
    /// The team, absent for DMs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// `chat`, `voice`, …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The `guilded_mid` of the client session that caused the event (spot own echoes);
    /// absent for system and webhook events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guilded_client_id: Option<String>,
}

impl Envelope {
    /// Whether the event happened in a DM channel.
    pub fn is_dm(&self) -> bool {
        self.channel_type.as_deref() == Some("DM")
    }
}

/// Declares a payload struct carrying an [`Envelope`] (flattened on the wire) plus its own
/// fields, and a flat private twin that serde reads, so reading never buffers.
macro_rules! enveloped {
    (
        $(#[$meta:meta])*
        pub struct $name:ident / $wire:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            /// Where the event happened.
            #[serde(flatten)]
            pub envelope: Envelope,
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        #[derive(Deserialize, Default)]
        #[serde(rename_all = "camelCase", default)]
        struct $wire {
            #[serde(deserialize_with = "lenient::string")]
            channel_id: String,
            #[serde(deserialize_with = "lenient::opt_i64")]
            channel_category_id: Option<i64>,
            #[serde(deserialize_with = "lenient::opt_string")]
            channel_type: Option<String>,
            #[serde(deserialize_with = "lenient::opt_string")]
            team_id: Option<String>,
            #[serde(deserialize_with = "lenient::opt_string")]
            content_type: Option<String>,
            #[serde(deserialize_with = "lenient::opt_string")]
            guilded_client_id: Option<String>,
            $( $(#[$fmeta])* $field: $ty, )*
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let w = $wire::deserialize(d)?;
                Ok($name {
                    envelope: Envelope {
                        channel_id: w.channel_id,
                        channel_category_id: w.channel_category_id,
                        channel_type: w.channel_type,
                        team_id: w.team_id,
                        content_type: w.content_type,
                        guilded_client_id: w.guilded_client_id,
                    },
                    $( $field: w.$field, )*
                })
            }
        }
    };
}

/// Who a new message mentions, from the receiver's point of view.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MentionedUserInfo {
    #[serde(deserialize_with = "lenient::bool")]
    pub is_directly_mentioned: bool,
    #[serde(deserialize_with = "lenient::bool")]
    pub mentioned_by_name: bool,
    #[serde(deserialize_with = "lenient::bool")]
    pub mentioned_by_role: bool,
    #[serde(deserialize_with = "lenient::bool")]
    pub mentioned_by_everyone: bool,
    #[serde(deserialize_with = "lenient::bool")]
    pub mentioned_by_here: bool,
}

enveloped! {
    /// `ChatMessageCreated`: a new message. After decoding, `message.channel_id`, `message.id`,
    /// `message.created_by` and `message.created_at` are filled from the envelope and the
    /// top-level `channelId`/`contentId`/`createdBy`/`createdAt` when the message lacks them.
    pub struct ChatMessageCreated / ChatMessageCreatedWire {
        /// The message.
        pub message: Message,
        /// Same as `message.id`.
        #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
        pub content_id: Option<String>,
        /// Author (same as `message.createdBy`).
        #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
        pub created_by: Option<String>,
        /// Same as `message.createdAt`.
        #[serde(
            deserialize_with = "lenient::opt_timestamp",
            serialize_with = "lenient::ser_opt_timestamp",
            skip_serializing_if = "Option::is_none"
        )]
        pub created_at: Option<Timestamp>,
        /// Partial copies of the replied-to messages.
        #[serde(deserialize_with = "lenient::vec_skip_invalid")]
        pub replied_to_messages: Vec<Message>,
        /// Do not notify for this message.
        #[serde(deserialize_with = "lenient::bool")]
        pub silence_notification: bool,
        /// Present when the receiver is mentioned.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub mentioned_user_info: Option<MentionedUserInfo>,
    }
}

enveloped! {
    /// `ChatMessageUpdated`: a message was edited (`message.content` is the new document).
    pub struct ChatMessageUpdated / ChatMessageUpdatedWire {
        /// The edited message.
        pub message: Message,
        /// Who edited it.
        #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
        pub updated_by: Option<String>,
        /// Same as `message.id`.
        #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
        pub content_id: Option<String>,
        #[serde(deserialize_with = "lenient::bool")]
        pub silence_notification: bool,
    }
}

/// The `message` of a `ChatMessageDeleted` event.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeletedMessage {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp"
    )]
    pub deleted_at: Option<Timestamp>,
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp"
    )]
    pub created_at: Option<Timestamp>,
}

/// A reference to a message (`{"id": …}`, plus the channel where given).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MessageRef {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub channel_id: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        serialize_with = "lenient::ser_opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<Timestamp>,
}

enveloped! {
    /// `ChatMessageDeleted`.
    pub struct ChatMessageDeleted / ChatMessageDeletedWire {
        /// The deleted message.
        pub message: DeletedMessage,
        /// The channel's newest message after the deletion, if any.
        pub new_last_message: Option<MessageRef>,
    }
}

enveloped! {
    /// `ChatChannelTyping` (incoming): `userId` is typing in `channelId`. No timestamp: stamp
    /// it on receipt.
    pub struct ChatChannelTyping / ChatChannelTypingWire {
        /// Who is typing.
        #[serde(deserialize_with = "lenient::string")]
        pub user_id: String,
    }
}

/// The `reaction` of a reaction event.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReactionEvent {
    /// The emoji id.
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub custom_reaction_id: Option<i64>,
    /// The emoji (only on `…Added`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_reaction: Option<CustomReaction>,
    /// Who reacted (or removed their reaction).
    #[serde(deserialize_with = "lenient::string")]
    pub created_by: String,
}

impl ReactionEvent {
    /// The emoji id, from `customReactionId` or the embedded `customReaction.id`.
    pub fn emoji_id(&self) -> Option<i64> {
        self.custom_reaction_id
            .or_else(|| self.custom_reaction.as_ref().map(|r| r.id))
    }
}

enveloped! {
    /// `ChatMessageReactionAdded` / `ChatMessageReactionDeleted`.
    pub struct ChatMessageReaction / ChatMessageReactionWire {
        /// The emoji and who used it.
        pub reaction: ReactionEvent,
        /// The message reacted to.
        pub message: MessageRef,
        #[serde(deserialize_with = "lenient::bool")]
        pub silence_notification: bool,
    }
}

enveloped! {
    /// `ChatPinnedMessageCreated` / `ChatPinnedMessageDeleted`.
    pub struct ChatPinnedMessage / ChatPinnedMessageWire {
        /// The pinned or unpinned message.
        pub message: MessageRef,
        /// Who pinned or unpinned it.
        #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
        pub updated_by: Option<String>,
        /// Set on pin (DECK's model).
        #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
        pub user_id: Option<String>,
    }
}

enveloped! {
    /// `DMChatChannelCreated`: a DM channel was opened (by you or with you). After decoding,
    /// `envelope.channel_id` is `channel.id` when the top level lacked it.
    pub struct DmChatChannelCreated / DmChatChannelCreatedWire {
        /// The new channel.
        pub channel: DmChannel,
    }
}
