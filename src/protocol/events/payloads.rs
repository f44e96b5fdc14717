//! Typed payloads of the gateway events gilt uses (GUILDED.md §4.3), readable from the wire
//! and writable by the local server with Guilded's field names.
//!
//! Rule: reading is tolerant (every field defaults; odd types degrade); the decoder in
//! `events.rs` checks each payload's key fields. Pure data, no IO.

use jiff::Timestamp;
use serde::{Deserialize, Deserializer, Serialize};

use crate::protocol::models::lenient;
use crate::protocol::models::{Channel, CustomReaction, DmChannel, Message, TeamMember};

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
