//! The fast path for the events that carry a message body (`ChatMessageCreated`,
//! `ChatMessageUpdated`; nearly all of a busy gateway's bytes). One pass over the frame reads
//! the event as it is always shaped, straight into its typed form, and keeps the body
//! (`message.content`, a Slate document of ~1–2 KB) as checked JSON text, noting on the way
//! what the mention check needs. serde_json's generic reader took three times as long for
//! the same frame (BENCHMARKS.md, "Ingest").
//!
//! Rule: same result as the general decoder, or no result (the caller then runs the general
//! decoder, which also gives the errors). So this reader knows every field the event types
//! read (a test holds it to serde's own field lists) and only the plain forms of their values
//! — strings without escapes, `null`, the literals, integers — and gives up on anything else:
//! a field twice, an escape, a value of another type. It never guesses what serde would make
//! of those. Keys that are no field are skipped, as serde skips them.

use jiff::Timestamp;

use super::chat::{ChatMessageCreated, ChatMessageUpdated, Envelope};
use super::{Complete, EventKind, GuildedEvent};
use crate::content::{BodyFacts, Content};
use crate::json_scan::{self, Ignore, skip_ws};
use crate::models::Message;
use crate::{ChannelId, MessageId, UserId};

/// Decode a body-carrying event in one pass; None when this is not such an event, or
/// anything about it is unusual (then decode it the general way).
pub(super) fn decode(array_json: &str) -> Option<GuildedEvent> {
    let mut r = Reader {
        text: array_json,
        i: 0,
    };
    r.expect(b'[')?;
    let kind = EventKind::from_wire(r.plain_string()?)?;
    r.expect(b',')?;
    let event = match kind {
        EventKind::ChatMessageCreated => {
            let mut event = created(&mut r)?;
            event
                .complete()
                .then(|| GuildedEvent::ChatMessageCreated(Box::new(event)))?
        }
        EventKind::ChatMessageUpdated => {
            let mut event = updated(&mut r)?;
            event
                .complete()
                .then(|| GuildedEvent::ChatMessageUpdated(Box::new(event)))?
        }
        _ => return None,
    };
    // Nothing after the payload (Socket.IO allows more arguments; the general path skips them).
    r.expect(b']')?;
    (skip_ws(r.bytes(), r.i) == array_json.len()).then_some(event)
}

/// A field of the object being read, set at most once: serde refuses a key given twice, so
/// a second one gives up.
struct Slot<T>(Option<T>);

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot(None)
    }
}

impl<T> Slot<T> {
    fn set(&mut self, value: T) -> Option<()> {
        if self.0.is_some() {
            return None;
        }
        self.0 = Some(value);
        Some(())
    }

    fn value(self) -> Option<T> {
        self.0
    }
}

/// The envelope's fields, as `chat::Envelope` reads them.
#[derive(Default)]
struct EnvelopeFields {
    channel_id: Slot<Option<ChannelId>>,
    channel_category_id: Slot<Option<i64>>,
    channel_type: Slot<Option<String>>,
    team_id: Slot<Option<crate::TeamId>>,
    content_type: Slot<Option<String>>,
    guilded_client_id: Slot<Option<String>>,
}

impl EnvelopeFields {
    /// Reads the value of `key` if it is an envelope field: Some(true) when it was one,
    /// Some(false) when it is not, None to give up.
    fn read(&mut self, r: &mut Reader<'_>, key: &str) -> Option<bool> {
        match key {
            "channelId" => self.channel_id.set(r.opt_id()?)?,
            "channelCategoryId" => self.channel_category_id.set(r.opt_i64()?)?,
            "channelType" => self.channel_type.set(r.opt_string()?)?,
            "teamId" => self.team_id.set(r.opt_id()?)?,
            "contentType" => self.content_type.set(r.opt_string()?)?,
            "guildedClientId" => self.guilded_client_id.set(r.opt_string()?)?,
            _ => return Some(false),
        }
        Some(true)
    }

    fn into_envelope(self) -> Envelope {
        Envelope {
            channel_id: self.channel_id.value().flatten().unwrap_or_default(),
            channel_category_id: self.channel_category_id.value().flatten(),
            channel_type: self.channel_type.value().flatten(),
            team_id: self.team_id.value().flatten(),
            content_type: self.content_type.value().flatten(),
            guilded_client_id: self.guilded_client_id.value().flatten(),
        }
    }
}

/// `{…}` of a `ChatMessageCreated`.
fn created(r: &mut Reader<'_>) -> Option<ChatMessageCreated> {
    let mut envelope = EnvelopeFields::default();
    let mut message = Slot::default();
    let mut content_id = Slot::default();
    let mut created_by = Slot::default();
    let mut created_at = Slot::default();
    let mut replied_to = Slot::default();
    let mut silence = Slot::default();
    let mut mentioned = Slot::default();
    r.members(|r, key| {
        if envelope.read(r, key)? {
            return Some(());
        }
        match key {
            "message" => message.set(self::message(r)?)?,
            "contentId" => content_id.set(r.opt_id()?)?,
            "createdBy" => created_by.set(r.opt_id()?)?,
            "createdAt" => created_at.set(r.opt_timestamp()?)?,
            "repliedToMessages" => replied_to.set(r.empty_list()?)?,
            "silenceNotification" => silence.set(r.boolean()?)?,
            "mentionedUserInfo" => mentioned.set(r.null()?)?,
            // Not a field of the event (`type`, …): serde skips it, however often it comes.
            _ => r.skip()?,
        }
        Some(())
    })?;
    Some(ChatMessageCreated {
        envelope: envelope.into_envelope(),
        message: message.value().unwrap_or_default(),
        content_id: content_id.value().flatten(),
        created_by: created_by.value().flatten(),
        created_at: created_at.value().flatten(),
        replied_to_messages: Vec::new(),
        silence_notification: silence.value().unwrap_or_default(),
        mentioned_user_info: None,
    })
}

/// `{…}` of a `ChatMessageUpdated`.
fn updated(r: &mut Reader<'_>) -> Option<ChatMessageUpdated> {
    let mut envelope = EnvelopeFields::default();
    let mut message = Slot::default();
    let mut updated_by = Slot::default();
    let mut content_id = Slot::default();
    let mut silence = Slot::default();
    r.members(|r, key| {
        if envelope.read(r, key)? {
            return Some(());
        }
        match key {
            "message" => message.set(self::message(r)?)?,
            "updatedBy" => updated_by.set(r.opt_id()?)?,
            "contentId" => content_id.set(r.opt_id()?)?,
            "silenceNotification" => silence.set(r.boolean()?)?,
            _ => r.skip()?,
        }
        Some(())
    })?;
    Some(ChatMessageUpdated {
        envelope: envelope.into_envelope(),
        message: message.value().unwrap_or_default(),
        updated_by: updated_by.value().flatten(),
        content_id: content_id.value().flatten(),
        silence_notification: silence.value().unwrap_or_default(),
    })
}

/// The event's `message` object, as `models::Message` reads it; its body must be there.
fn message(r: &mut Reader<'_>) -> Option<Message> {
    let mut id = Slot::default();
    let mut channel_id = Slot::default();
    let mut content = Slot::default();
    let mut kind = Slot::default();
    let mut created_by = Slot::default();
    let mut created_at = Slot::default();
    let mut edited_at = Slot::default();
    let mut deleted_at = Slot::default();
    let mut webhook_id = Slot::default();
    let mut bot_id = Slot::default();
    let mut replies_to_ids = Slot::default();
    let mut replies_to = Slot::default();
    let mut is_silent = Slot::default();
    let mut is_private = Slot::default();
    let mut is_pinned = Slot::default();
    let mut pinned_by = Slot::default();
    let mut reactions = Slot::default();
    r.members(|r, key| {
        match key {
            "id" => id.set(r.opt_id::<MessageId>()?)?,
            "channelId" => channel_id.set(r.opt_id::<ChannelId>()?)?,
            "content" => content.set(r.body()?)?,
            "type" => kind.set(r.string()?)?,
            "createdBy" => created_by.set(r.opt_id::<UserId>()?)?,
            "createdAt" => created_at.set(r.opt_timestamp()?)?,
            "editedAt" => edited_at.set(r.opt_timestamp()?)?,
            "deletedAt" => deleted_at.set(r.opt_timestamp()?)?,
            "webhookId" => webhook_id.set(r.opt_string()?)?,
            "botId" => bot_id.set(r.opt_string()?)?,
            "repliesToIds" => replies_to_ids.set(r.ids()?)?,
            "repliesTo" => replies_to.set(r.opt_id::<MessageId>()?)?,
            "isSilent" => is_silent.set(r.boolean()?)?,
            "isPrivate" => is_private.set(r.boolean()?)?,
            "isPinned" => is_pinned.set(r.boolean()?)?,
            "pinnedBy" => pinned_by.set(r.opt_id::<UserId>()?)?,
            "reactions" => reactions.set(r.empty_list()?)?,
            _ => r.skip()?,
        }
        Some(())
    })?;
    Some(Message {
        id: id.value().flatten().unwrap_or_default(),
        channel_id: channel_id.value().flatten().unwrap_or_default(),
        // The point of this path: an event without a body goes the general way.
        content: content.value()?,
        kind: kind.value().unwrap_or_default(),
        created_by: created_by.value().flatten().unwrap_or_default(),
        created_at: created_at.value().flatten().unwrap_or_default(),
        edited_at: edited_at.value().flatten(),
        deleted_at: deleted_at.value().flatten(),
        webhook_id: webhook_id.value().flatten(),
        bot_id: bot_id.value().flatten(),
        replies_to_ids: replies_to_ids.value().unwrap_or_default(),
        replies_to: replies_to.value().flatten(),
        is_silent: is_silent.value().unwrap_or_default(),
        is_private: is_private.value().unwrap_or_default(),
        is_pinned: is_pinned.value().unwrap_or_default(),
        pinned_by: pinned_by.value().flatten(),
        reactions: Vec::new(),
    })
}

/// A position in the frame; every read starts at a value (or a structural byte) and skips
/// the whitespace before it.
struct Reader<'a> {
    text: &'a str,
    i: usize,
}

#[allow(
    clippy::option_option,
    reason = "the outer None gives up on the frame, the inner one is the field's own None"
)]
impl<'a> Reader<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// The next byte that is not whitespace (not consumed).
    fn peek(&mut self) -> Option<u8> {
        json_scan::next_byte(self.bytes(), &mut self.i)
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// A string without escapes, as its text (valid UTF-8: cut at ASCII quotes of a `str`).
    fn plain_string(&mut self) -> Option<&'a str> {
        self.expect(b'"')?;
        let start = self.i;
        let end = json_scan::plain_string_end(self.bytes(), start)?;
        self.i = end + 1;
        self.text.get(start..end)
    }

    /// `{ "key": value, … }`, `each` reading the value of every key.
    fn members(&mut self, mut each: impl FnMut(&mut Self, &str) -> Option<()>) -> Option<()> {
        self.expect(b'{')?;
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        loop {
            let key = self.plain_string()?;
            self.expect(b':')?;
            each(self, key)?;
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// `null`, consumed.
    fn null(&mut self) -> Option<()> {
        self.peek()?;
        self.literal(b"null")
    }

    /// `word` right at the position (whitespace already skipped), consumed.
    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.i = json_scan::literal(self.bytes(), self.i, word)?;
        Some(())
    }

    /// Whether the next value is `null` (consumed if so).
    fn is_null(&mut self) -> Option<bool> {
        Some(self.peek()? == b'n' && self.literal(b"null").is_some())
    }

    /// An id (`lenient::opt_id`): a string, None for `""` or `null`.
    fn opt_id<T: for<'b> From<&'b str>>(&mut self) -> Option<Option<T>> {
        if self.is_null()? {
            return Some(None);
        }
        let s = self.plain_string()?;
        Some((!s.is_empty()).then(|| T::from(s)))
    }

    /// `lenient::opt_string`: a string, None for `""` or `null`.
    fn opt_string(&mut self) -> Option<Option<String>> {
        if self.is_null()? {
            return Some(None);
        }
        let s = self.plain_string()?;
        Some((!s.is_empty()).then(|| s.to_owned()))
    }

    /// `lenient::string`: a string, `""` for `null`.
    fn string(&mut self) -> Option<String> {
        if self.is_null()? {
            return Some(String::new());
        }
        self.plain_string().map(str::to_owned)
    }

    /// `lenient::bool`: the literals, `false` for `null`.
    fn boolean(&mut self) -> Option<bool> {
        match self.peek()? {
            b't' => self.literal(b"true").map(|()| true),
            b'f' => self.literal(b"false").map(|()| false),
            b'n' => self.null().map(|()| false),
            _ => None,
        }
    }

    /// `lenient::opt_i64` for plain integers that fit (`null` is None).
    fn opt_i64(&mut self) -> Option<Option<i64>> {
        if self.is_null()? {
            return Some(None);
        }
        let start = self.i;
        let end = json_scan::skip_integer(self.bytes(), start)?;
        self.i = end;
        self.text.get(start..end)?.parse().ok().map(Some)
    }

    /// `lenient::opt_timestamp` for strings and `null`.
    fn opt_timestamp(&mut self) -> Option<Option<Timestamp>> {
        if self.is_null()? {
            return Some(None);
        }
        Some(self.plain_string()?.parse().ok())
    }

    /// `lenient::vec_id` for `null` and lists of strings.
    fn ids(&mut self) -> Option<Vec<MessageId>> {
        if self.is_null()? {
            return Some(Vec::new());
        }
        self.expect(b'[')?;
        let mut ids = Vec::new();
        if self.peek()? == b']' {
            self.i += 1;
            return Some(ids);
        }
        loop {
            let s = self.plain_string()?;
            if !s.is_empty() {
                ids.push(MessageId::from(s));
            }
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Some(ids);
                }
                _ => return None,
            }
        }
    }

    /// `[]` or `null` (a list this path only knows empty).
    fn empty_list(&mut self) -> Option<()> {
        if self.is_null()? {
            return Some(());
        }
        self.expect(b'[')?;
        self.expect(b']')
    }

    /// Any JSON value, checked and passed over.
    fn skip(&mut self) -> Option<()> {
        self.peek()?;
        self.i = json_scan::skip_value(self.bytes(), self.i, &mut Ignore)?;
        Some(())
    }

    /// The message body: any JSON value, checked and kept as its text, with what its scan saw.
    fn body(&mut self) -> Option<Content> {
        self.peek()?;
        let start = self.i;
        let mut facts = BodyFacts::default();
        let end = json_scan::skip_value(self.bytes(), start, &mut facts)?;
        self.i = end;
        Some(Content::scanned(self.text.get(start..end)?.into(), facts))
    }
}
