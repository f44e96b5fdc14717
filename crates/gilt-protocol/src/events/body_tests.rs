//! The message-body fast path (`body.rs`) must never change what an event decodes to:
//! compared with the general decoder on real-shaped frames, generated documents and
//! damaged frames; and its mention facts must never rule out a real mention.

use proptest::prelude::*;

use super::*;
use crate::content::{Block, Inline, MentionKind, RichText, proptests::rich_text_strategy};
use crate::test_support::fixture;

/// A `ChatMessageCreated` (or `…Updated`) frame's array carrying `content` as its body.
fn frame(name: &str, content: &str) -> String {
    format!(
        r#"["{name}",{{"guildedClientId":"g","channelId":"c1","channelType":"Team","teamId":"t1","message":{{"id":"m1","content":{content},"type":"default","createdBy":"u2","createdAt":"2021-10-15T23:58:44.537Z"}},"createdAt":"2021-10-15T23:58:44.537Z","contentId":"m1","createdBy":"u2"}}]"#
    )
}

/// The event, decoded both ways, checked equal; the fast path's result.
fn both_ways(array: &str) -> Result<GuildedEvent, EventError> {
    let fast = decode_event(array);
    assert_eq!(fast, decode_general(array), "on {array}");
    fast
}

fn body_of(event: &GuildedEvent) -> &crate::content::Content {
    match event {
        GuildedEvent::ChatMessageCreated(e) => &e.message.content,
        GuildedEvent::ChatMessageUpdated(e) => &e.message.content,
        other => panic!("not a message event: {other:?}"),
    }
}

/// Whether rich text mentions `user` as the reducer decides it.
fn mentions(text: &RichText, user: &str) -> bool {
    let hit = |inlines: &[Inline]| {
        inlines.iter().any(|i| match i {
            Inline::Mention { kind, id, .. } => match kind {
                MentionKind::Person => id == user,
                MentionKind::Everyone | MentionKind::Here => true,
                MentionKind::Role => false,
            },
            _ => false,
        })
    };
    text.blocks.iter().any(|b| match b {
        Block::Paragraph(l) | Block::Heading { inlines: l, .. } => hit(l),
        Block::Quote(lines) => lines.iter().any(|l| hit(l)),
        Block::List { items, .. } => items.iter().any(|l| hit(l)),
        _ => false,
    })
}

#[test]
fn real_shaped_bodies_take_the_fast_path_and_decode_the_same() {
    let mut bodies: Vec<String> = [
        "gjs-content-channel-mention.json",
        "gjs-content-embed.json",
        "gjs-content-multi-paragraph.json",
        "gjs-content-plain-markdown.json",
        "gjs-content-role-mention.json",
        "gjs-content-text-plus-embed.json",
        "gjs-content-user-mention.json",
        "synthesized/content-formatting.json",
    ]
    .into_iter()
    .map(|name| fixture(name).trim().to_owned())
    .collect();
    bodies.extend(
        [
            "null",
            "{}",
            "[]",
            "\"text\"",
            "7",
            r#"{"document":{"nodes":[]}}"#,
        ]
        .map(String::from),
    );
    for body in &bodies {
        for name in ["ChatMessageCreated", "ChatMessageUpdated"] {
            let array = frame(name, body);
            let fast = body::decode(&array).expect("the fast path is taken");
            // Kept as the text it came as, unread (comparing below reads it).
            assert!(body_of(&fast).is_unread());
            assert_eq!(body_of(&fast).raw_text(), Some(body.as_str()));
            both_ways(&array).unwrap();
        }
    }
}

#[test]
fn the_synthesized_events_decode_the_same() {
    for name in ["chat-message-created.json", "chat-message-updated.json"] {
        let payload = fixture(&format!("synthesized/{name}"));
        let kind = if name.contains("created") {
            "ChatMessageCreated"
        } else {
            "ChatMessageUpdated"
        };
        let array = format!(r#"["{kind}",{}]"#, payload.trim());
        assert!(
            body::decode(&array).is_some(),
            "fast path not taken for {name}"
        );
        both_ways(&array).unwrap();
    }
}

#[test]
fn unusual_frames_fall_back_to_the_general_decoder() {
    let body = r#"{"object":"value","document":{"object":"document","nodes":[]}}"#;
    for array in [
        // Keys spelt with escapes: not cut, read by serde_json as before.
        frame("ChatMessageCreated", body).replace(r#""message""#, r#""mess\u0061ge""#),
        frame("ChatMessageCreated", body).replace(r#""content""#, r#""cont\u0065nt""#),
        // A second body, or a second message: serde_json refuses the duplicate either way.
        frame("ChatMessageCreated", body)
            .replace(r#""type":"default""#, &format!(r#""content":{body}"#)),
        frame("ChatMessageCreated", body)
            .replace(r#","contentId""#, r#","message":{"id":"m2"},"contentId""#),
        // A body that is not JSON, cut short, or a message that is not an object.
        frame("ChatMessageCreated", r#"{"nodes":[}"#),
        frame("ChatMessageCreated", r#"{"a":"#),
        frame("ChatMessageCreated", r#"{"a":"\x"}"#),
        frame("ChatMessageCreated", body)
            .replace(r#""message":{"id":"m1","#, r#""message":"m1","x":{"#),
        // No body at all; key fields missing; other events.
        frame("ChatMessageCreated", body).replace(&format!(r#""content":{body},"#), ""),
        frame("ChatMessageCreated", body).replace(r#""channelId":"c1","#, ""),
        frame("ChatChannelTyping", body),
        r#"["ChatMessageCreated"]"#.to_owned(),
        r#"["ChatMessageCreated",{}]"#.to_owned(),
        " [ \"ChatMessageCreated\" , { \"message\" : { \"content\" : { } } } ] ".to_owned(),
    ] {
        both_ways(&array).ok();
    }
}

#[test]
fn whitespace_anywhere_is_read_alike() {
    let body = r#"{ "object" : "value" , "document" : { "nodes" : [ ] } }"#;
    // Around every comma and every key's colon (the times have colons of their own).
    let array = frame("ChatMessageCreated", body)
        .replace(",\"", " ,\n \"")
        .replace("\":", "\"\t:\r ");
    assert!(body::decode(&array).is_some());
    both_ways(&array).unwrap();
}

fn user() -> impl Strategy<Value = String> {
    prop_oneof![Just("nico".to_owned()), "[A-Za-z0-9]{1,8}"]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn generated_documents_decode_the_same_and_never_hide_a_mention(
        text in rich_text_strategy(),
        user in user(),
        updated in any::<bool>(),
    ) {
        let body = crate::content::to_document(&text).to_string();
        let name = if updated { "ChatMessageUpdated" } else { "ChatMessageCreated" };
        let array = frame(name, &body);
        let fast = body::decode(&array).expect("the fast path is taken");
        // Asked before anything reads the body (once read, the tree decides).
        let may = body_of(&fast).may_mention(&user);
        let event = both_ways(&array).unwrap();
        prop_assert!(may || !mentions(body_of(&event), &user), "a mention of {user} ruled out in {body}");
    }

    #[test]
    fn damaged_frames_decode_the_same(
        text in rich_text_strategy(),
        at in any::<prop::sample::Index>(),
        byte in prop::sample::select(b"{}[],:\"\\ 0-1.eEtfnu\x01a".to_vec()),
        how in 0..3u8,
    ) {
        let mut bytes = frame("ChatMessageCreated", &crate::content::to_document(&text).to_string()).into_bytes();
        let i = at.index(bytes.len() + 1);
        match how {
            0 => bytes.insert(i, byte),
            1 if i < bytes.len() => { bytes.remove(i); }
            _ => bytes.truncate(i),
        }
        if let Ok(array) = String::from_utf8(bytes) {
            both_ways(&array).ok();
        }
    }
}
