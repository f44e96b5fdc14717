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

/// The field names a type's serde `Deserialize` asks for: the list its derive passes to
/// `deserialize_struct`, caught by a deserializer that only records it.
fn serde_fields<T: for<'de> serde::Deserialize<'de>>() -> &'static [&'static str] {
    struct Fields(Option<&'static [&'static str]>);
    impl<'de> serde::Deserializer<'de> for &mut Fields {
        type Error = serde::de::value::Error;
        fn deserialize_any<V: serde::de::Visitor<'de>>(
            self,
            _: V,
        ) -> Result<V::Value, Self::Error> {
            Err(serde::de::Error::custom("only structs are recorded"))
        }
        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = Some(fields);
            Err(serde::de::Error::custom("recorded"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
    let mut fields = Fields(None);
    let _ = T::deserialize(&mut fields);
    fields.0.expect("a struct")
}

#[test]
fn every_field_serde_reads_is_one_the_fast_path_knows() {
    // The fast path skips keys that are no field, as serde does. Were a field unknown to it
    // (one added to the model later), a frame giving that field twice would decode there
    // but fail serde's duplicate check, and the two decoders would differ.
    let body = r#"{"object":"value","document":{"object":"document","nodes":[]}}"#;
    let cases = [
        (
            "ChatMessageCreated",
            serde_fields::<ChatMessageCreated>(),
            false,
        ),
        (
            "ChatMessageUpdated",
            serde_fields::<ChatMessageUpdated>(),
            false,
        ),
        (
            "ChatMessageCreated",
            serde_fields::<crate::models::Message>(),
            true,
        ),
        (
            "ChatMessageUpdated",
            serde_fields::<crate::models::Message>(),
            true,
        ),
    ];
    for (name, fields, in_message) in cases {
        assert!(fields.len() >= 6, "{fields:?}");
        for field in fields {
            let twice = format!(r#""{field}":null,"{field}":null,"#);
            let array = if in_message {
                frame(name, body).replace(r#""message":{"#, &format!(r#""message":{{{twice}"#))
            } else {
                frame(name, body).replace(
                    r#""guildedClientId""#,
                    &format!(r#"{twice}"guildedClientId""#),
                )
            };
            assert!(
                body::decode(&array).is_none(),
                "{name}: {field} twice taken"
            );
            both_ways(&array).ok();
        }
    }
}

/// A value as the envelope and message fields may carry it: the plain forms the fast path
/// reads and the odd ones it leaves to serde.
fn field_value() -> impl Strategy<Value = String> {
    let plain = prop_oneof![
        Just("null".to_owned()),
        Just(r#""""#.to_owned()),
        "\"[a-z0-9-]{1,12}\"",
        Just(r#""2021-10-15T23:58:44.537Z""#.to_owned()),
        Just(r#""2021-10-15T23:58:44+00:00""#.to_owned()),
        Just(r#""not a time""#.to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        (-3i64..3).prop_map(|n| n.to_string()),
        Just("1234567".to_owned()),
        Just("[]".to_owned()),
        Just(r#"["m1","","m2"]"#.to_owned()),
    ];
    let odd = prop_oneof![
        Just(r#""a\"b""#.to_owned()),
        Just(r#""\u0041""#.to_owned()),
        Just(r#""true""#.to_owned()),
        Just("-0".to_owned()),
        Just("1.5".to_owned()),
        Just("1e3".to_owned()),
        Just("99999999999999999999".to_owned()),
        Just("9223372036854775808".to_owned()),
        Just(r#"["m1",7]"#.to_owned()),
        Just("{}".to_owned()),
        Just(r#"{"isDirectlyMentioned":true}"#.to_owned()),
    ];
    prop_oneof![6 => plain, 1 => odd]
}

/// Members `"key":value,` over the given keys (some left out, some twice, some unknown).
fn members(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    let key = prop_oneof![
        4 => prop::sample::select(keys),
        1 => Just("type"),
        1 => Just("somethingElse"),
    ];
    prop::collection::vec((key, field_value()), 0..4).prop_map(|pairs| {
        let mut out = String::new();
        for (k, v) in pairs {
            out.extend(["\"", k, "\":", &v, ","]);
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn envelopes_of_any_field_values_decode_the_same(
        updated in any::<bool>(),
        top in members(serde_fields::<ChatMessageCreated>()),
        top_updated in members(serde_fields::<ChatMessageUpdated>()),
        inner in members(serde_fields::<crate::models::Message>()),
    ) {
        let body = r#"{"object":"value","document":{"object":"document","nodes":[]}}"#;
        let name = if updated { "ChatMessageUpdated" } else { "ChatMessageCreated" };
        let top = if updated { top_updated } else { top };
        // The generated members go before the frame's own, so a repeated field is a
        // duplicate for serde, and the rest still makes an event that can decode.
        let array = frame(name, body)
            .replace(r#""message":{"#, &format!(r#""message":{{{inner}"#))
            .replacen(r#"{"guildedClientId""#, &format!(r#"{{{top}"guildedClientId""#), 1);
        both_ways(&array).ok();
    }
}

#[test]
fn plain_envelopes_take_the_fast_path() {
    // The generated cases above mostly fall back; these plain ones must not.
    let body = r#"{"object":"value","document":{"object":"document","nodes":[]}}"#;
    for (name, extra) in [
        (
            "ChatMessageCreated",
            r#""channelCategoryId":-12,"repliedToMessages":null,"mentionedUserInfo":null,"silenceNotification":true,"type":{"any":[1,2]},"#,
        ),
        (
            "ChatMessageUpdated",
            r#""updatedBy":"u2","silenceNotification":null,"channelCategoryId":0,"#,
        ),
    ] {
        let array = frame(name, body).replacen(r#"{"guildedClientId""#, &format!(r#"{{{extra}"guildedClientId""#), 1)
            .replace(r#""message":{"#, r#""message":{"repliesToIds":["m0","","m9"],"isPinned":true,"pinnedBy":"","editedAt":"2021-10-16T00:01:02.003Z","reactions":[],"webhookId":"","botId":"b","#);
        assert!(body::decode(&array).is_some(), "{array}");
        both_ways(&array).unwrap();
    }
}
