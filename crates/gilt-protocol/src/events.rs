//! Typed Guilded gateway events (`42["Name",{…}]`), decoded from the Socket.IO event array,
//! and encoded back for the local server.
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
    ChannelSeen, FieldChange, MemberUserInfo, TeamChannelDeleted, TeamChannelEvent,
    TeamMemberAliasUpdated, TeamMemberJoined, TeamMemberRemoved, TeamMemberUpdated,
    UserTeamsUpdated,
};

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// A decoded gateway event. Variants for the events gilt uses (payloads boxed to keep the
/// enum small); everything else is `Other`.
#[derive(Debug, Clone, PartialEq)]
pub enum GuildedEvent {
    /// A new message.
    ChatMessageCreated(Box<ChatMessageCreated>),
    /// A message was edited.
    ChatMessageUpdated(Box<ChatMessageUpdated>),
    /// A message was deleted.
    ChatMessageDeleted(Box<ChatMessageDeleted>),
    /// Someone is typing.
    ChatChannelTyping(Box<ChatChannelTyping>),
    /// A reaction was added to a message.
    ChatMessageReactionAdded(Box<ChatMessageReaction>),
    /// A reaction was removed from a message.
    ChatMessageReactionDeleted(Box<ChatMessageReaction>),
    /// A message was pinned.
    ChatPinnedMessageCreated(Box<ChatPinnedMessage>),
    /// A message was unpinned.
    ChatPinnedMessageDeleted(Box<ChatPinnedMessage>),
    /// A DM channel was opened.
    DmChatChannelCreated(Box<DmChatChannelCreated>),
    /// A team channel was created.
    TeamChannelCreated(Box<TeamChannelEvent>),
    /// A team channel was changed.
    TeamChannelUpdated(Box<TeamChannelEvent>),
    /// A team channel was deleted.
    TeamChannelDeleted(Box<TeamChannelDeleted>),
    /// A member joined a team.
    TeamMemberJoined(Box<TeamMemberJoined>),
    /// A member left or was removed from a team.
    TeamMemberRemoved(Box<TeamMemberRemoved>),
    /// A member's profile in a team changed.
    TeamMemberUpdated(Box<TeamMemberUpdated>),
    /// A member's nickname was set or reset.
    TeamMemberAliasUpdated(Box<TeamMemberAliasUpdated>),
    /// A channel was marked read (`CHANNEL_SEEN`).
    ChannelSeen(Box<ChannelSeen>),
    /// This account joined or left a team (`USER_TEAMS_UPDATED`).
    UserTeamsUpdated(Box<UserTeamsUpdated>),
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
        Some(match self {
            GuildedEvent::ChatMessageCreated(_) => EventKind::ChatMessageCreated,
            GuildedEvent::ChatMessageUpdated(_) => EventKind::ChatMessageUpdated,
            GuildedEvent::ChatMessageDeleted(_) => EventKind::ChatMessageDeleted,
            GuildedEvent::ChatChannelTyping(_) => EventKind::ChatChannelTyping,
            GuildedEvent::ChatMessageReactionAdded(_) => EventKind::ChatMessageReactionAdded,
            GuildedEvent::ChatMessageReactionDeleted(_) => EventKind::ChatMessageReactionDeleted,
            GuildedEvent::ChatPinnedMessageCreated(_) => EventKind::ChatPinnedMessageCreated,
            GuildedEvent::ChatPinnedMessageDeleted(_) => EventKind::ChatPinnedMessageDeleted,
            GuildedEvent::DmChatChannelCreated(_) => EventKind::DmChatChannelCreated,
            GuildedEvent::TeamChannelCreated(_) => EventKind::TeamChannelCreated,
            GuildedEvent::TeamChannelUpdated(_) => EventKind::TeamChannelUpdated,
            GuildedEvent::TeamChannelDeleted(_) => EventKind::TeamChannelDeleted,
            GuildedEvent::TeamMemberJoined(_) => EventKind::TeamMemberJoined,
            GuildedEvent::TeamMemberRemoved(_) => EventKind::TeamMemberRemoved,
            GuildedEvent::TeamMemberUpdated(_) => EventKind::TeamMemberUpdated,
            GuildedEvent::TeamMemberAliasUpdated(_) => EventKind::TeamMemberAliasUpdated,
            GuildedEvent::ChannelSeen(_) => EventKind::ChannelSeen,
            GuildedEvent::UserTeamsUpdated(_) => EventKind::UserTeamsUpdated,
            GuildedEvent::Other { name, .. } => return EventKind::from_wire(name),
        })
    }

    /// The name to put on the wire: the real spelling for typed events, the received name
    /// for `Other`.
    pub fn wire_name(&self) -> &str {
        match self {
            GuildedEvent::Other { name, .. } => name,
            typed => typed.kind().map_or("", EventKind::wire_name),
        }
    }
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
    let typed = EventKind::from_wire(&array.name).and_then(|kind| {
        if raw.is_empty() {
            (kind == EventKind::UserTeamsUpdated)
                .then(|| GuildedEvent::UserTeamsUpdated(Box::default()))
        } else {
            decode_payload(kind, &mut serde_json::Deserializer::from_str(raw))
                .ok()
                .flatten()
        }
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

/// Decode a payload object of a known kind; None when it is not typed here, does not parse,
/// or lacks its key fields.
fn decode_payload<'de, D: de::Deserializer<'de>>(
    kind: EventKind,
    d: D,
) -> Result<Option<GuildedEvent>, D::Error> {
    let nonempty = |s: &str| !s.is_empty();
    Ok(match kind {
        EventKind::ChatMessageCreated => {
            let mut p = ChatMessageCreated::deserialize(d)?;
            fill_message(&mut p.message, &p.envelope, p.content_id.as_deref());
            if p.message.created_by.is_empty()
                && let Some(by) = &p.created_by
            {
                p.message.created_by.clone_from(by);
            }
            if p.message.created_at == jiff::Timestamp::UNIX_EPOCH
                && let Some(at) = p.created_at
            {
                p.message.created_at = at;
            }
            (nonempty(&p.envelope.channel_id) && nonempty(&p.message.id))
                .then_some(GuildedEvent::ChatMessageCreated(Box::new(p)))
        }
        EventKind::ChatMessageUpdated => {
            let mut p = ChatMessageUpdated::deserialize(d)?;
            fill_message(&mut p.message, &p.envelope, p.content_id.as_deref());
            (nonempty(&p.envelope.channel_id) && nonempty(&p.message.id))
                .then_some(GuildedEvent::ChatMessageUpdated(Box::new(p)))
        }
        EventKind::ChatMessageDeleted => {
            let p = ChatMessageDeleted::deserialize(d)?;
            (nonempty(&p.envelope.channel_id) && nonempty(&p.message.id))
                .then_some(GuildedEvent::ChatMessageDeleted(Box::new(p)))
        }
        EventKind::ChatChannelTyping => {
            let p = ChatChannelTyping::deserialize(d)?;
            (nonempty(&p.envelope.channel_id) && nonempty(&p.user_id))
                .then_some(GuildedEvent::ChatChannelTyping(Box::new(p)))
        }
        EventKind::ChatMessageReactionAdded | EventKind::ChatMessageReactionDeleted => {
            let p = ChatMessageReaction::deserialize(d)?;
            let ok = nonempty(&p.envelope.channel_id)
                && nonempty(&p.message.id)
                && nonempty(&p.reaction.created_by)
                && p.reaction.emoji_id().is_some();
            ok.then(|| {
                if kind == EventKind::ChatMessageReactionAdded {
                    GuildedEvent::ChatMessageReactionAdded(Box::new(p))
                } else {
                    GuildedEvent::ChatMessageReactionDeleted(Box::new(p))
                }
            })
        }
        EventKind::ChatPinnedMessageCreated | EventKind::ChatPinnedMessageDeleted => {
            let p = ChatPinnedMessage::deserialize(d)?;
            (nonempty(&p.envelope.channel_id) && nonempty(&p.message.id)).then(|| {
                if kind == EventKind::ChatPinnedMessageCreated {
                    GuildedEvent::ChatPinnedMessageCreated(Box::new(p))
                } else {
                    GuildedEvent::ChatPinnedMessageDeleted(Box::new(p))
                }
            })
        }
        EventKind::DmChatChannelCreated => {
            let mut p = DmChatChannelCreated::deserialize(d)?;
            if p.envelope.channel_id.is_empty() {
                p.envelope.channel_id.clone_from(&p.channel.id);
            }
            if p.channel.id.is_empty() {
                p.channel.id.clone_from(&p.envelope.channel_id);
            }
            nonempty(&p.channel.id).then_some(GuildedEvent::DmChatChannelCreated(Box::new(p)))
        }
        EventKind::TeamChannelCreated | EventKind::TeamChannelUpdated => {
            let mut p = TeamChannelEvent::deserialize(d)?;
            if p.channel.team_id.is_none() && !p.team_id.is_empty() {
                p.channel.team_id = Some(p.team_id.clone());
            }
            if p.team_id.is_empty()
                && let Some(team) = &p.channel.team_id
            {
                p.team_id.clone_from(team);
            }
            (nonempty(&p.team_id) && nonempty(&p.channel.id)).then(|| {
                if kind == EventKind::TeamChannelCreated {
                    GuildedEvent::TeamChannelCreated(Box::new(p))
                } else {
                    GuildedEvent::TeamChannelUpdated(Box::new(p))
                }
            })
        }
        EventKind::TeamChannelDeleted => {
            let p = TeamChannelDeleted::deserialize(d)?;
            (nonempty(&p.team_id) && nonempty(&p.channel_id))
                .then_some(GuildedEvent::TeamChannelDeleted(Box::new(p)))
        }
        EventKind::TeamMemberJoined => {
            let p = TeamMemberJoined::deserialize(d)?;
            (nonempty(&p.team_id) && nonempty(&p.user.id))
                .then_some(GuildedEvent::TeamMemberJoined(Box::new(p)))
        }
        EventKind::TeamMemberRemoved => {
            let p = TeamMemberRemoved::deserialize(d)?;
            (nonempty(&p.team_id) && nonempty(&p.user_id))
                .then_some(GuildedEvent::TeamMemberRemoved(Box::new(p)))
        }
        EventKind::TeamMemberUpdated => {
            let p = TeamMemberUpdated::deserialize(d)?;
            (nonempty(&p.team_id) && nonempty(&p.user_id))
                .then_some(GuildedEvent::TeamMemberUpdated(Box::new(p)))
        }
        EventKind::TeamMemberAliasUpdated => {
            let p = TeamMemberAliasUpdated::deserialize(d)?;
            nonempty(&p.user_id).then_some(GuildedEvent::TeamMemberAliasUpdated(Box::new(p)))
        }
        EventKind::ChannelSeen => {
            let mut p = ChannelSeen::deserialize(d)?;
            if p.channel_id.is_empty()
                && let Some(channel) = &p.channel
            {
                p.channel_id.clone_from(&channel.id);
            }
            nonempty(&p.channel_id).then_some(GuildedEvent::ChannelSeen(Box::new(p)))
        }
        EventKind::UserTeamsUpdated => {
            // No key fields: the event itself means "refetch your teams".
            let p = UserTeamsUpdated::deserialize(d)?;
            Some(GuildedEvent::UserTeamsUpdated(Box::new(p)))
        }
        _ => {
            IgnoredAny::deserialize(d)?;
            None
        }
    })
}

/// Whether [`decode_payload`] has a typed payload for this kind.
fn is_typed(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::ChatMessageCreated
            | EventKind::ChatMessageUpdated
            | EventKind::ChatMessageDeleted
            | EventKind::ChatChannelTyping
            | EventKind::ChatMessageReactionAdded
            | EventKind::ChatMessageReactionDeleted
            | EventKind::ChatPinnedMessageCreated
            | EventKind::ChatPinnedMessageDeleted
            | EventKind::DmChatChannelCreated
            | EventKind::TeamChannelCreated
            | EventKind::TeamChannelUpdated
            | EventKind::TeamChannelDeleted
            | EventKind::TeamMemberJoined
            | EventKind::TeamMemberRemoved
            | EventKind::TeamMemberUpdated
            | EventKind::TeamMemberAliasUpdated
            | EventKind::ChannelSeen
            | EventKind::UserTeamsUpdated
    )
}

/// Complete a message from its event: the channel comes from the envelope, the id from
/// `contentId` when the message object lacks them.
fn fill_message(
    message: &mut crate::models::Message,
    envelope: &Envelope,
    content_id: Option<&str>,
) {
    if message.channel_id.is_empty() {
        message.channel_id.clone_from(&envelope.channel_id);
    }
    if message.id.is_empty()
        && let Some(id) = content_id
    {
        id.clone_into(&mut message.id);
    }
}

/// The payload object with the event name repeated in its `type` field, as Guilded sends it.
#[derive(Serialize)]
struct Tagged<'a, T: Serialize> {
    #[serde(rename = "type")]
    kind: &'a str,
    #[serde(flatten)]
    payload: &'a T,
}

/// Encode an event as the JSON array of a Socket.IO EVENT packet (`["Name",{"type":"Name",…}]`,
/// without the `42` prefix), using Guilded's wire name and field names. For `Other`, `raw`
/// is inserted as is when it is valid JSON (an empty or invalid `raw` gives `["name"]`).
pub fn encode_event(event: &GuildedEvent) -> String {
    fn tagged<T: Serialize>(name: &str, payload: &T) -> String {
        serde_json::to_string(&(
            name,
            Tagged {
                kind: name,
                payload,
            },
        ))
        .unwrap_or_default()
    }
    let name = event.wire_name();
    match event {
        GuildedEvent::ChatMessageCreated(p) => tagged(name, p),
        GuildedEvent::ChatMessageUpdated(p) => tagged(name, p),
        GuildedEvent::ChatMessageDeleted(p) => tagged(name, p),
        GuildedEvent::ChatChannelTyping(p) => tagged(name, p),
        GuildedEvent::ChatMessageReactionAdded(p) | GuildedEvent::ChatMessageReactionDeleted(p) => {
            tagged(name, p)
        }
        GuildedEvent::ChatPinnedMessageCreated(p) | GuildedEvent::ChatPinnedMessageDeleted(p) => {
            tagged(name, p)
        }
        GuildedEvent::DmChatChannelCreated(p) => tagged(name, p),
        GuildedEvent::TeamChannelCreated(p) | GuildedEvent::TeamChannelUpdated(p) => {
            tagged(name, p)
        }
        GuildedEvent::TeamChannelDeleted(p) => tagged(name, p),
        GuildedEvent::TeamMemberJoined(p) => tagged(name, p),
        GuildedEvent::TeamMemberRemoved(p) => tagged(name, p),
        GuildedEvent::TeamMemberUpdated(p) => tagged(name, p),
        GuildedEvent::TeamMemberAliasUpdated(p) => tagged(name, p),
        GuildedEvent::ChannelSeen(p) => tagged(name, p),
        GuildedEvent::UserTeamsUpdated(p) => tagged(name, p),
        GuildedEvent::Other { name, raw } => {
            let name_json = serde_json::to_string(name).unwrap_or_default();
            match serde_json::from_str::<&RawValue>(raw) {
                Ok(raw) => format!("[{name_json},{}]", raw.get()),
                Err(_) => format!("[{name_json}]"),
            }
        }
    }
}

#[cfg(test)]
mod tests;
