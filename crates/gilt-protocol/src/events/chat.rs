//! Typed payloads of the chat events (messages, typing, reactions, pins, DMs; see
//! docs/PROTOCOL.md), read from the wire, and each payload's key-field rule.
//!
//! Rule: reading is tolerant (every field defaults; odd types degrade); [`Complete`] fills
//! duplicated fields and checks the key ones. Pure data, no IO.

use jiff::Timestamp;
use serde::{Deserialize, Deserializer};

use super::Complete;
use crate::models::lenient;
use crate::models::{CustomReaction, DmChannel, Message};
use crate::{ChannelId, MessageId, TeamId, UserId};

/// Fields common to channel events: where the event happened and which client caused it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Envelope {
    /// The channel (UUID).
    pub channel_id: ChannelId,
    /// The channel's category (integer), absent for DMs.
    pub channel_category_id: Option<i64>,
    /// `Team` or `DM`.
    pub channel_type: Option<String>,
    /// The team, absent for DMs.
    pub team_id: Option<TeamId>,
    /// `chat`, `voice`, …
    pub content_type: Option<String>,
    /// The `guilded_mid` of the client session that caused the event (spot own echoes);
    /// absent for system and webhook events.
    pub guilded_client_id: Option<String>,
}

impl Envelope {
    /// Whether the event happened in a DM channel.
    pub fn is_dm(&self) -> bool {
        self.channel_type.as_deref() == Some("DM")
    }
}

/// Declares a payload struct carrying an [`Envelope`] plus its own fields, and a flat private
/// twin that serde reads (the envelope's fields sit at the payload's top level), so reading
/// never buffers. Field docs go on the public struct, `#[serde]` attributes on the twin.
macro_rules! enveloped {
    (
        $(#[$meta:meta])*
        pub struct $name:ident / $wire:ident {
            $(
                $(#[doc = $doc:literal])*
                $(#[serde($($serde:tt)*)])?
                pub $field:ident : $ty:ty,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct $name {
            /// Where the event happened.
            pub envelope: Envelope,
            $( $(#[doc = $doc])* pub $field: $ty, )*
        }

        #[derive(Deserialize, Default)]
        #[serde(rename_all = "camelCase", default)]
        struct $wire {
            #[serde(deserialize_with = "lenient::id")]
            channel_id: ChannelId,
            #[serde(deserialize_with = "lenient::opt_i64")]
            channel_category_id: Option<i64>,
            #[serde(deserialize_with = "lenient::opt_string")]
            channel_type: Option<String>,
            #[serde(deserialize_with = "lenient::opt_id")]
            team_id: Option<TeamId>,
            #[serde(deserialize_with = "lenient::opt_string")]
            content_type: Option<String>,
            #[serde(deserialize_with = "lenient::opt_string")]
            guilded_client_id: Option<String>,
            $( $(#[serde($($serde)*)])? $field: $ty, )*
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
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
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
    /// `ChatMessageCreated`: a new message. A decoded one always has `message.id` and
    /// `message.channel_id`; those two, `message.created_by` and `message.created_at` are
    /// filled from the envelope and the top-level `channelId`/`contentId`/`createdBy`/
    /// `createdAt` when the message lacks them, so consumers read only `message`.
    pub struct ChatMessageCreated / ChatMessageCreatedWire {
        /// The message.
        pub message: Message,
        /// Same as `message.id`.
        #[serde(deserialize_with = "lenient::opt_id")]
        pub content_id: Option<MessageId>,
        /// Author (same as `message.createdBy`).
        #[serde(deserialize_with = "lenient::opt_id")]
        pub created_by: Option<UserId>,
        /// Same as `message.createdAt`.
        #[serde(deserialize_with = "lenient::opt_timestamp")]
        pub created_at: Option<Timestamp>,
        /// Partial copies of the replied-to messages.
        #[serde(deserialize_with = "lenient::vec_skip_invalid")]
        pub replied_to_messages: Vec<Message>,
        /// Do not notify for this message.
        #[serde(deserialize_with = "lenient::bool")]
        pub silence_notification: bool,
        /// Present when the receiver is mentioned.
        #[serde(deserialize_with = "lenient::object")]
        pub mentioned_user_info: Option<MentionedUserInfo>,
    }
}

enveloped! {
    /// `ChatMessageUpdated`: a message was edited (`message.content` is the new document).
    pub struct ChatMessageUpdated / ChatMessageUpdatedWire {
        /// The edited message.
        pub message: Message,
        /// Who edited it.
        #[serde(deserialize_with = "lenient::opt_id")]
        pub updated_by: Option<UserId>,
        /// Same as `message.id`.
        #[serde(deserialize_with = "lenient::opt_id")]
        pub content_id: Option<MessageId>,
        #[serde(deserialize_with = "lenient::bool")]
        pub silence_notification: bool,
    }
}

/// The `message` of a `ChatMessageDeleted` event.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeletedMessage {
    #[serde(deserialize_with = "lenient::id")]
    pub id: MessageId,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub deleted_at: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub created_at: Option<Timestamp>,
}

/// A reference to a message (`{"id": …}`, plus the channel where given).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MessageRef {
    #[serde(deserialize_with = "lenient::id")]
    pub id: MessageId,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub channel_id: Option<ChannelId>,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub created_at: Option<Timestamp>,
}

enveloped! {
    /// `ChatMessageDeleted`.
    pub struct ChatMessageDeleted / ChatMessageDeletedWire {
        /// The deleted message.
        pub message: DeletedMessage,
        /// The channel's newest message after the deletion, if any.
        #[serde(deserialize_with = "lenient::object")]
        pub new_last_message: Option<MessageRef>,
    }
}

enveloped! {
    /// `ChatChannelTyping` (incoming): `userId` is typing in `channelId`. No timestamp: stamp
    /// it on receipt.
    pub struct ChatChannelTyping / ChatChannelTypingWire {
        /// Who is typing.
        #[serde(deserialize_with = "lenient::id")]
        pub user_id: UserId,
    }
}

/// The `reaction` of a reaction event.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReactionEvent {
    /// The emoji id.
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub custom_reaction_id: Option<i64>,
    /// The emoji (only on `…Added`).
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub custom_reaction: Option<CustomReaction>,
    /// Who reacted (or removed their reaction).
    #[serde(deserialize_with = "lenient::id")]
    pub created_by: UserId,
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
        #[serde(deserialize_with = "lenient::opt_id")]
        pub updated_by: Option<UserId>,
        /// Set on pin (DECK's model).
        #[serde(deserialize_with = "lenient::opt_id")]
        pub user_id: Option<UserId>,
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

/// Whether a channel event names its channel and message.
fn names_message(envelope: &Envelope, message_id: &MessageId) -> bool {
    !envelope.channel_id.is_empty() && !message_id.is_empty()
}

/// Complete a message from its event: the channel comes from the envelope, the id from
/// `contentId` when the message object lacks them.
fn fill_message(message: &mut Message, envelope: &Envelope, content_id: Option<&MessageId>) {
    if message.channel_id.is_empty() {
        message.channel_id.clone_from(&envelope.channel_id);
    }
    if message.id.is_empty()
        && let Some(id) = content_id
    {
        message.id.clone_from(id);
    }
}

impl Complete for ChatMessageCreated {
    /// The one place a new message's ids are normalised: consumers read `message.id`,
    /// `message.channel_id`, `message.created_by` and `message.created_at` only.
    fn complete(&mut self) -> bool {
        fill_message(&mut self.message, &self.envelope, self.content_id.as_ref());
        if self.message.created_by.is_empty()
            && let Some(by) = &self.created_by
        {
            self.message.created_by.clone_from(by);
        }
        if self.message.created_at == Timestamp::UNIX_EPOCH
            && let Some(at) = self.created_at
        {
            self.message.created_at = at;
        }
        names_message(&self.envelope, &self.message.id)
    }
}

impl Complete for ChatMessageUpdated {
    fn complete(&mut self) -> bool {
        fill_message(&mut self.message, &self.envelope, self.content_id.as_ref());
        names_message(&self.envelope, &self.message.id)
    }
}

impl Complete for ChatMessageDeleted {
    fn complete(&mut self) -> bool {
        names_message(&self.envelope, &self.message.id)
    }
}

impl Complete for ChatChannelTyping {
    fn complete(&mut self) -> bool {
        !self.envelope.channel_id.is_empty() && !self.user_id.is_empty()
    }
}

impl Complete for ChatMessageReaction {
    fn complete(&mut self) -> bool {
        names_message(&self.envelope, &self.message.id)
            && !self.reaction.created_by.is_empty()
            && self.reaction.emoji_id().is_some()
    }
}

impl Complete for ChatPinnedMessage {
    fn complete(&mut self) -> bool {
        names_message(&self.envelope, &self.message.id)
    }
}

impl Complete for DmChatChannelCreated {
    /// The top-level `channelId` and `channel.id` complete each other.
    fn complete(&mut self) -> bool {
        if self.envelope.channel_id.is_empty() {
            self.envelope.channel_id.clone_from(&self.channel.id);
        }
        if self.channel.id.is_empty() {
            self.channel.id.clone_from(&self.envelope.channel_id);
        }
        !self.channel.id.is_empty()
    }
}
