//! Typed Guilded gateway events (`42["Name",{…}]`), decoded from the Socket.IO event array
//! (see docs/PROTOCOL.md for the event table).
//!
//! Pure: no IO, no panics. Unknown events, and known ones whose key fields are missing,
//! become `GuildedEvent::Other` with the payload kept as raw JSON text.

mod chat;
mod kind;
mod team;

pub use chat::{
    ChatChannelTyping, ChatMessageCreated, ChatMessageDeleted, ChatMessageReaction,
    ChatMessageUpdated, ChatPinnedMessage, DeletedMessage, DmChatChannelCreated, Envelope,
    MentionedUserInfo, MessageRef, ReactionEvent,
};
pub use kind::EventKind;
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
}

/// The event array, read without building a tree: the name (borrowed when unescaped) and
/// the payload's raw text.
struct EventArray<'a> {
    name: Cow<'a, str>,
    payload: Option<&'a RawValue>,
}

impl<'de: 'a, 'a> Deserialize<'de> for EventArray<'a> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = EventArray<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array [name, payload]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                #[derive(Deserialize)]
                struct Name<'a>(#[serde(borrow)] Cow<'a, str>);
                let Name(name) = seq
                    .next_element::<Name<'a>>()?
                    .ok_or_else(|| de::Error::custom("missing event name"))?;
                let payload = seq.next_element::<&'a RawValue>()?;
                // Socket.IO allows more arguments; Guilded sends none, so skip them.
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(EventArray { name, payload })
            }
        }
        d.deserialize_seq(V(std::marker::PhantomData))
    }
}

/// Decode the JSON array of a Socket.IO EVENT packet (`["Name",{…}]`, the text after `42`).
///
/// Errors only when the text is not a JSON array starting with a string. A known event whose
/// payload lacks its key fields (e.g. `channelId` and `message.id`) comes back as `Other`.
pub fn decode_event(array_json: &str) -> Result<GuildedEvent, EventError> {
    // One pass in the common case: the payload is read straight into its typed form.
    let mut de = serde_json::Deserializer::from_str(array_json);
    if let Ok(Fast::Done(event)) = FastArray.deserialize(&mut de)
        && de.end().is_ok()
    {
        return Ok(event);
    }
    // A typed payload without its key fields (or not parsing at all), or malformed JSON:
    // read again keeping the raw payload, so the event survives as `Other`.
    let array: EventArray =
        serde_json::from_str(array_json).map_err(|e| EventError::Shape(e.to_string()))?;
    let raw = array.payload.map_or("", RawValue::get);
    // A missing payload reads as `{}`: only kinds without key fields (`USER_TEAMS_UPDATED`,
    // which just means "refetch your teams") survive that.
    let payload = if raw.is_empty() { "{}" } else { raw };
    let typed = EventKind::from_wire(&array.name).and_then(|kind| {
        decode_payload(kind, &mut serde_json::Deserializer::from_str(payload))
            .ok()
            .flatten()
    });
    Ok(typed.unwrap_or_else(|| GuildedEvent::Other {
        name: array.name.into_owned(),
        raw: raw.to_owned(),
    }))
}

/// The outcome of the one-pass read.
enum Fast {
    /// Decoded (typed, or `Other` for kinds without a typed payload).
    Done(GuildedEvent),
    /// A typed kind whose payload lacked its key fields: take the slow path.
    Retry,
}

/// Reads `["Name", payload, …]` in one pass: typed kinds straight into their payload type,
/// other kinds keep the payload's raw text.
struct FastArray;

impl<'de> DeserializeSeed<'de> for FastArray {
    type Value = Fast;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Fast, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for FastArray {
    type Value = Fast;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array [name, payload]")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Fast, A::Error> {
        #[derive(Deserialize)]
        struct Name<'a>(#[serde(borrow)] Cow<'a, str>);
        let Name(name) = seq
            .next_element::<Name<'de>>()?
            .ok_or_else(|| de::Error::custom("missing event name"))?;
        let outcome = if let Some(kind) = EventKind::from_wire(&name).filter(|k| is_typed(*k)) {
            match seq.next_element_seed(PayloadSeed(kind))? {
                Some(Some(event)) => Fast::Done(event),
                _ => Fast::Retry,
            }
        } else {
            let raw = seq.next_element::<&'de RawValue>()?;
            Fast::Done(GuildedEvent::Other {
                name: name.into_owned(),
                raw: raw.map_or("", RawValue::get).to_owned(),
            })
        };
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(outcome)
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
mod tests;
