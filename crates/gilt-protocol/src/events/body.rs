//! The fast path for the events that carry a message body (`ChatMessageCreated`,
//! `ChatMessageUpdated`; most of a busy gateway's bytes). The body (`message.content`, a
//! Slate document of ~1–2 KB) is kept as JSON text anyway, so reading it token by token with
//! serde_json only to find where it ends was most of the cost of decoding such an event
//! (BENCHMARKS.md, "Ingest"). Here one scan finds and checks the body, serde_json reads the
//! rest of the event with the body cut out, and the body goes into the message as text.
//!
//! Rule: same result as the general decoder, or no result (the caller then runs the general
//! decoder, which also gives the errors). The scan recognises `message` and `content` only
//! when spelt without escapes; spelt otherwise they are simply not cut, and serde_json reads
//! them as before.

use super::{EventArray, EventKind, GuildedEvent, read_array};
use crate::content::{BodyFacts, Content};
use crate::json_scan::{self, Ignore, skip_ws};

/// Decode a body-carrying event with its body cut out; None when this is not such an event,
/// or anything about it is unusual (then decode it the general way).
pub(super) fn decode(array_json: &str) -> Option<GuildedEvent> {
    let cut = find_body(array_json.as_bytes())?;
    let (head, rest) = array_json.split_at_checked(cut.start)?;
    let (body, tail) = rest.split_at_checked(cut.end - cut.start)?;
    let mut without = String::with_capacity(head.len() + 4 + tail.len());
    without.push_str(head);
    without.push_str("null");
    without.push_str(tail);
    let mut event = read_array(&without, EventArray { typed: true }).ok()?;
    let content = Content::scanned(body.into(), cut.facts);
    match &mut event {
        GuildedEvent::ChatMessageCreated(created) => created.message.content = content,
        GuildedEvent::ChatMessageUpdated(updated) => updated.message.content = content,
        _ => return None,
    }
    Some(event)
}

/// Where the body is in the event array, and what its scan saw.
struct Cut {
    start: usize,
    end: usize,
    facts: BodyFacts,
}

/// `["ChatMessageCreated"|"ChatMessageUpdated", {…, "message": {…, "content": BODY`: the
/// body's span, checked to be valid JSON. Stops right after it: what follows is serde_json's
/// to read (a second `content` or `message` makes that read fail, so the general decoder
/// runs).
fn find_body(b: &[u8]) -> Option<Cut> {
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'[') {
        return None;
    }
    i = skip_ws(b, i + 1);
    let name = string_at(b, i)?;
    let kind = EventKind::from_wire(std::str::from_utf8(name.text).ok()?)?;
    if !matches!(
        kind,
        EventKind::ChatMessageCreated | EventKind::ChatMessageUpdated
    ) {
        return None;
    }
    i = skip_ws(b, name.end);
    if b.get(i) != Some(&b',') {
        return None;
    }
    i = enter_object(b, skip_ws(b, i + 1))?;
    i = find_member(b, i, b"message")?;
    i = enter_object(b, i)?;
    let start = find_member(b, i, b"content")?;
    let mut facts = BodyFacts::default();
    let end = json_scan::skip_value(b, start, &mut facts)?;
    Some(Cut { start, end, facts })
}

/// A string token at `i` (the opening quote): its raw text and the index after it.
struct Token<'a> {
    text: &'a [u8],
    end: usize,
}

fn string_at(b: &[u8], i: usize) -> Option<Token<'_>> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let end = json_scan::skip_string(b, i + 1, &mut Ignore)?;
    Some(Token {
        text: b.get(i + 1..end - 1)?,
        end,
    })
}

/// `{` at `i`: the index of its first member's key (None for `{}` or no object).
fn enter_object(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'{') {
        return None;
    }
    let i = skip_ws(b, i + 1);
    (b.get(i) == Some(&b'"')).then_some(i)
}

/// From the key at `i` on, the start of the value of the member named `key` (skipping the
/// members before it); None when the object ends first or is malformed.
fn find_member(b: &[u8], mut i: usize, key: &[u8]) -> Option<usize> {
    loop {
        let name = string_at(b, i)?;
        i = skip_ws(b, name.end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(b, i + 1);
        if name.text == key {
            return Some(i);
        }
        i = skip_ws(b, json_scan::skip_value(b, i, &mut Ignore)?);
        if b.get(i) != Some(&b',') {
            return None;
        }
        i = skip_ws(b, i + 1);
    }
}
