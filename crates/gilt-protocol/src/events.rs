//! Typed Guilded gateway events (`42["Name",{…}]`), decoded from the Socket.IO event array
//! (see docs/PROTOCOL.md for the event table).
//!
//! Pure: no IO, no panics. Unknown events, and known ones whose key fields are missing,
//! become `GuildedEvent::Other` with the payload kept as raw JSON text.

mod body;
mod chat;
mod content;
mod kind;
mod presence;
mod structure;
mod team;

pub use chat::{
    ChatChannelTyping, ChatMessageCreated, ChatMessageDeleted, ChatMessageReaction,
    ChatMessageUpdated, ChatPinnedMessage, DeletedMessage, DmChatChannelCreated, Envelope,
    MentionedUserInfo, MessageRef, ReactionEvent,
};
pub use content::{ContentActivity, ContentItem};
pub use kind::EventKind;
pub use presence::{TeamMembersRemoved, UserPresence, UserUpdated, VoiceParticipantEvent};
pub use structure::{
    ChatMessagesDeleted, TeamCategoryDeleted, TeamCategoryEvent, TeamChanged, TeamChannelRef,
    TeamChannelsDeleted, TeamMessagesDeleted, TeamUpdated, TemporalChannelCreated,
};
pub use team::{
    ChannelRef, ChannelSeen, FieldChange, MemberUserInfo, TeamChannelDeleted, TeamChannelEvent,
    TeamMemberAliasUpdated, TeamMemberJoined, TeamMemberRemoved, TeamMemberUpdated,
    UserTeamsUpdated,
};

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::models::lenient;

/// Declares the typed events once, in one table: the [`GuildedEvent`] variants (each named
/// like its [`EventKind`]), [`GuildedEvent::kind`], and the decoder's dispatch from a kind to
/// its payload type. A payload type implements [`Complete`] for its key-field rule.
macro_rules! typed_events {
    ($( $(#[$doc:meta])* $kind:ident($payload:ty), )*) => {
        /// A decoded gateway event. Variants for the events gilt uses (payloads boxed to keep
        /// the enum small); everything else is `Other`.
        #[derive(Debug, Clone, PartialEq)]
        pub enum GuildedEvent {
            $( $(#[$doc])* $kind(Box<$payload>), )*
            /// An event gilt has no typed payload for (or whose key fields were missing).
            Other {
                /// The wire name, as received.
                name: String,
                /// The payload object, as raw JSON text (empty when the array had no payload).
                raw: String,
            },
        }

        impl GuildedEvent {
            /// The event's kind; None for an `Other` with an unknown name.
            pub fn kind(&self) -> Option<EventKind> {
                match self {
                    $( GuildedEvent::$kind(_) => Some(EventKind::$kind), )*
                    GuildedEvent::Other { name, .. } => EventKind::from_wire(name),
                }
            }
        }

        /// Whether [`decode_payload`] has a typed payload for this kind.
        fn is_typed(kind: EventKind) -> bool {
            matches!(kind, $( EventKind::$kind )|*)
        }

        /// Decode a payload object of a known kind; None when it is not typed here, does not
        /// parse, or lacks its key fields.
        fn decode_payload<'de, D: de::Deserializer<'de>>(
            kind: EventKind,
            d: D,
        ) -> Result<Option<GuildedEvent>, D::Error> {
            Ok(match kind {
                $(
                    EventKind::$kind => {
                        let mut payload = <$payload>::deserialize(d)?;
                        payload
                            .complete()
                            .then(|| GuildedEvent::$kind(Box::new(payload)))
                    }
                )*
                _ => {
                    IgnoredAny::deserialize(d)?;
                    None
                }
            })
        }
    };
}

typed_events! {
    /// A new message.
    ChatMessageCreated(ChatMessageCreated),
    /// A message was edited.
    ChatMessageUpdated(ChatMessageUpdated),
    /// A message was deleted.
    ChatMessageDeleted(ChatMessageDeleted),
    /// Someone is typing.
    ChatChannelTyping(ChatChannelTyping),
    /// A reaction was added to a message.
    ChatMessageReactionAdded(ChatMessageReaction),
    /// A reaction was removed from a message.
    ChatMessageReactionDeleted(ChatMessageReaction),
    /// A message was pinned.
    ChatPinnedMessageCreated(ChatPinnedMessage),
    /// A message was unpinned.
    ChatPinnedMessageDeleted(ChatPinnedMessage),
    /// A DM channel was opened.
    DmChatChannelCreated(DmChatChannelCreated),
    /// A team channel was created.
    TeamChannelCreated(TeamChannelEvent),
    /// A team channel was changed.
    TeamChannelUpdated(TeamChannelEvent),
    /// A team channel was deleted.
    TeamChannelDeleted(TeamChannelDeleted),
    /// A member joined a team.
    TeamMemberJoined(TeamMemberJoined),
    /// A member left or was removed from a team.
    TeamMemberRemoved(TeamMemberRemoved),
    /// A member's profile in a team changed.
    TeamMemberUpdated(TeamMemberUpdated),
    /// A member's nickname was set or reset.
    TeamMemberAliasUpdated(TeamMemberAliasUpdated),
    /// A channel was marked read (`CHANNEL_SEEN`).
    ChannelSeen(ChannelSeen),
    /// This account joined or left a team (`USER_TEAMS_UPDATED`).
    UserTeamsUpdated(UserTeamsUpdated),
    /// Several messages of a channel were deleted at once.
    ChatMessagesDeleted(ChatMessagesDeleted),
    /// A member's messages were purged from a team.
    TeamMessagesDeleted(TeamMessagesDeleted),
    /// A channel's settings changed (the channel may be nested).
    ChatChannelUpdated(TeamChannelRef),
    /// A channel was hidden from this account.
    ChatChannelHidden(TeamChannelRef),
    /// A channel was archived.
    TeamChannelArchived(TeamChannelRef),
    /// An archived channel was restored.
    TeamChannelRestored(TeamChannelRef),
    /// Several channels were deleted.
    TeamChannelsDeleted(TeamChannelsDeleted),
    /// Channel order changed.
    TeamChannelPrioritiesUpdated(TeamChanged),
    /// A category was created.
    TeamChannelCategoryCreated(TeamCategoryEvent),
    /// A category was renamed or moved.
    TeamChannelCategoryUpdated(TeamCategoryEvent),
    /// A category was deleted.
    TeamChannelCategoryDeleted(TeamCategoryDeleted),
    /// Several categories were deleted.
    TeamChannelCategoriesDeleted(TeamChanged),
    /// Category order changed.
    TeamChannelCategoryPrioritiesUpdated(TeamChanged),
    /// A category moved to another group.
    TeamChannelCategoryGroupMoved(TeamChanged),
    /// The team itself changed (name, …).
    TeamUpdated(TeamUpdated),
    /// Roles were created, removed or edited.
    TeamRolesUpdated(TeamChanged),
    /// A group was created.
    TeamGroupCreated(TeamChanged),
    /// A group was changed.
    TeamGroupUpdated(TeamChanged),
    /// A group was deleted.
    TeamGroupDeleted(TeamChanged),
    /// A group was archived.
    TeamGroupArchived(TeamChanged),
    /// A group was restored.
    TeamGroupRestored(TeamChanged),
    /// Group order changed.
    TeamGroupPrioritiesUpdated(TeamChanged),
    /// A thread was started.
    TemporalChannelCreated(TemporalChannelCreated),
    /// Someone's presence changed (online, idle, do not disturb, offline).
    UserPresenceReceived(UserPresence),
    /// Someone set their own presence (`USER_PRESENCE_MANUALLY_SET`).
    UserPresenceManuallySet(UserPresence),
    /// Several members left a team at once.
    TeamMembersRemoved(TeamMembersRemoved),
    /// A user's account changed (`USER_UPDATED`).
    UserUpdated(UserUpdated),
    /// A user's alias (nickname) changed; the same fields as `TeamMemberAliasUpdated`, the
    /// team optional.
    UserAliasUpdated(TeamMemberAliasUpdated),
    /// A forum thread, doc, list item, announcement, media or calendar entry was created.
    TeamChannelContentCreated(ContentActivity),
    /// The same, without a notification.
    TeamChannelContentCreatedSilent(ContentActivity),
    /// Such an item was edited.
    TeamChannelContentUpdated(ContentActivity),
    /// Such an item was deleted.
    TeamChannelContentDeleted(ContentActivity),
    /// A reply to such an item.
    TeamChannelContentReplyCreated(ContentActivity),
    /// A reply was edited.
    TeamChannelContentReplyUpdated(ContentActivity),
    /// A reply was deleted.
    TeamChannelContentReplyDeleted(ContentActivity),
    /// A reply to team content (older name).
    TeamContentReplyAdded(ContentActivity),
    /// A reply to team content was removed (older name).
    TeamContentReplyRemoved(ContentActivity),
    /// Someone reacted to team content.
    TeamContentReactionsAdded(ContentActivity),
    /// A reaction on team content was taken back.
    TeamContentReactionsRemoved(ContentActivity),
    /// Team content was deleted (older name).
    TeamContentDeleted(ContentActivity),
    /// A forum thread was started (older name).
    TeamThreadCreated(ContentActivity),
    /// A forum reply (older name).
    TeamThreadReplyCreated(ContentActivity),
    /// A calendar event was created.
    TeamEventCreated(ContentActivity),
    /// A calendar event was changed.
    TeamEventModified(ContentActivity),
    /// A calendar event was removed.
    TeamEventRemoved(ContentActivity),
    /// Someone joined a voice channel.
    TeamChannelVoiceParticipantAdded(VoiceParticipantEvent),
    /// Someone left a voice channel.
    TeamChannelVoiceParticipantRemoved(VoiceParticipantEvent),
    /// Someone moved to another voice channel.
    TeamChannelVoiceUserMoved(VoiceParticipantEvent),
    /// Someone joined a stream channel.
    TeamChannelStreamAdded(VoiceParticipantEvent),
    /// Someone left a stream channel.
    TeamChannelStreamRemoved(VoiceParticipantEvent),
}

/// The decoder's last step for a typed payload, after reading it tolerantly.
trait Complete {
    /// Fill the fields Guilded sends in more than one place (so consumers read one), and
    /// say whether the key fields are present; without them the event stays `Other`.
    fn complete(&mut self) -> bool;
}

/// Why an event array could not be decoded.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EventError {
    #[error("event is not a JSON array with a name: {0}")]
    Shape(String),
    /// A known event with an id of the wrong type (`"teamId": 7`): dropped, not applied.
    #[error("event {name} dropped: {detail}")]
    WrongIdType {
        /// The wire name.
        name: String,
        /// Where (serde's position in the array text).
        detail: String,
    },
}

/// Decode the JSON array of a Socket.IO EVENT packet (`["Name",{…}]`, the text after `42`).
///
/// Errors when the text is not a JSON array starting with a string, and when a known event
/// carries an id of the wrong type anywhere in its payload (Guilded's ids are strings; a
/// number there is not some other id to act on). A known event whose payload lacks its key
/// fields (e.g. `channelId` and `message.id`) comes back as `Other`.
pub fn decode_event(array_json: &str) -> Result<GuildedEvent, EventError> {
    // A message event in its plain shape: read in one pass, its body kept as text.
    match body::decode(array_json) {
        Some(event) => Ok(event),
        None => decode_general(array_json),
    }
}

/// [`decode_event`] without its fast path for message bodies (which must give the same
/// result, as the tests and the `frame` fuzz target check).
#[doc(hidden)]
pub fn decode_general(array_json: &str) -> Result<GuildedEvent, EventError> {
    // One pass in the common case: the payload is read straight into its typed form.
    read_array(array_json, EventArray { typed: true }).or_else(|typed_error| {
        // A typed payload without its key fields (or not parsing at all), or malformed JSON:
        // read again keeping the raw payload, so the event survives as `Other`.
        let other = read_array(array_json, EventArray { typed: false })
            .map_err(|e| EventError::Shape(e.to_string()))?;
        if typed_error.to_string().starts_with(lenient::WRONG_ID_TYPE) {
            let name = match other {
                GuildedEvent::Other { name, .. } => name,
                _ => String::new(),
            };
            return Err(EventError::WrongIdType {
                name,
                detail: typed_error.to_string(),
            });
        }
        Ok(other)
    })
}

fn read_array(array_json: &str, array: EventArray) -> Result<GuildedEvent, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(array_json);
    let event = de::Deserializer::deserialize_seq(&mut de, array)?;
    de.end()?;
    Ok(event)
}

/// Reads `["Name", payload, …]` in one pass: when `typed`, a typed kind straight into its
/// payload type (an error when its key fields are missing); any other kind, or every kind
/// when not `typed`, as `Other` with the payload's raw text.
struct EventArray {
    typed: bool,
}

impl<'de> Visitor<'de> for EventArray {
    type Value = GuildedEvent;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array [name, payload]")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        #[derive(Deserialize)]
        struct Name<'a>(#[serde(borrow)] Cow<'a, str>);
        let Name(name) = seq
            .next_element::<Name<'de>>()?
            .ok_or_else(|| de::Error::custom("missing event name"))?;
        let typed = EventKind::from_wire(&name).filter(|k| self.typed && is_typed(*k));
        let event = if let Some(kind) = typed {
            let event = match seq.next_element_seed(PayloadSeed(kind))? {
                Some(event) => event,
                // A missing payload reads as `{}`: only kinds without key fields
                // (`USER_TEAMS_UPDATED`, which just means "refetch your teams") survive that.
                None => decode_payload(kind, &mut serde_json::Deserializer::from_str("{}"))
                    .ok()
                    .flatten(),
            };
            event.ok_or_else(|| de::Error::custom("missing key fields"))?
        } else {
            let raw = seq.next_element::<&'de RawValue>()?;
            GuildedEvent::Other {
                name: name.into_owned(),
                raw: raw.map_or("", RawValue::get).to_owned(),
            }
        };
        // Socket.IO allows more arguments; Guilded sends none, so skip them.
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(event)
    }
}

/// Reads a payload of a typed kind (None when its key fields are missing).
struct PayloadSeed(EventKind);

impl<'de> DeserializeSeed<'de> for PayloadSeed {
    type Value = Option<GuildedEvent>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        decode_payload(self.0, d)
    }
}

#[cfg(test)]
mod body_tests;
#[cfg(test)]
mod presence_tests;
#[cfg(test)]
mod tests;
