//! Socket.IO codec vectors, error cases and round-trip properties.

use super::*;
use proptest::prelude::*;

#[test]
fn vectors_both_directions() {
    let cases: Vec<(&str, Packet<'_>)> = vec![
        ("0", Packet::Connect { namespace: "/" }),
        ("0/chat", Packet::Connect { namespace: "/chat" }),
        ("1", Packet::Disconnect { namespace: "/" }),
        ("1/chat", Packet::Disconnect { namespace: "/chat" }),
        (
            r#"2["Name",{"a":1}]"#,
            Packet::Event {
                namespace: "/",
                id: None,
                data: r#"["Name",{"a":1}]"#,
            },
        ),
        (
            r#"212["x"]"#,
            Packet::Event {
                namespace: "/",
                id: Some(12),
                data: r#"["x"]"#,
            },
        ),
        (
            r#"2/chat,3["x"]"#,
            Packet::Event {
                namespace: "/chat",
                id: Some(3),
                data: r#"["x"]"#,
            },
        ),
        (
            "37[true]",
            Packet::Ack {
                namespace: "/",
                id: 7,
                data: "[true]",
            },
        ),
        (
            "3/chat,0[]",
            Packet::Ack {
                namespace: "/chat",
                id: 0,
                data: "[]",
            },
        ),
        (
            r#"4"Not authorized""#,
            Packet::Error {
                namespace: "/",
                data: r#""Not authorized""#,
            },
        ),
        (
            "4",
            Packet::Error {
                namespace: "/",
                data: "",
            },
        ),
    ];
    for (text, packet) in cases {
        assert_eq!(decode(text).unwrap(), packet, "decode {text}");
        assert_eq!(packet.encode(), text, "encode {packet:?}");
        assert_eq!(packet.encode_frame(), format!("4{text}"));
    }
}

#[test]
fn accepts_namespace_with_trailing_comma_and_ignores_connect_data() {
    assert_eq!(
        decode("0/chat,").unwrap(),
        Packet::Connect { namespace: "/chat" }
    );
    assert_eq!(
        decode(r#"0/admin,{"token":"x"}"#).unwrap(),
        Packet::Connect {
            namespace: "/admin"
        }
    );
}

#[test]
fn errors_are_clear() {
    assert_eq!(decode(""), Err(DecodeError::Empty));
    assert_eq!(decode("5"), Err(DecodeError::Binary('5')));
    assert_eq!(
        decode(r#"51-["x",{"_placeholder":true,"num":0}]"#),
        Err(DecodeError::Binary('5'))
    );
    assert_eq!(decode("6"), Err(DecodeError::Binary('6')));
    assert_eq!(decode("9"), Err(DecodeError::UnknownType('9')));
    assert_eq!(decode("ü"), Err(DecodeError::UnknownType('ü')));
    assert_eq!(decode("3[]"), Err(DecodeError::AckWithoutId));
    assert_eq!(
        decode(r#"2123456789012345678901234["x"]"#),
        Err(DecodeError::AckIdOverflow)
    );
    assert!(matches!(
        decode(r#"2{"not":"array"}"#),
        Err(DecodeError::NotAnArray { kind: "event", .. })
    ));
    assert!(matches!(
        decode("2"),
        Err(DecodeError::NotAnArray { kind: "event", .. })
    ));
    assert!(matches!(
        decode("31"),
        Err(DecodeError::NotAnArray { kind: "ack", .. })
    ));
    // Found by the `frame` fuzz target: non-JSON error data re-encoded as a namespace.
    assert!(matches!(
        decode("4444/4"),
        Err(DecodeError::ErrorNotJson { .. })
    ));
    assert!(matches!(
        decode("4/,/x"),
        Err(DecodeError::ErrorNotJson { .. })
    ));
    assert!(matches!(
        decode("4oops"),
        Err(DecodeError::ErrorNotJson { .. })
    ));
    assert_eq!(
        decode(r#"412"late""#),
        Ok(Packet::Error {
            namespace: "/",
            data: r#""late""#
        })
    );
    assert_eq!(
        DecodeError::Binary('5').to_string(),
        "binary Socket.IO packets (type 5) are not supported"
    );
}

#[test]
fn encoders_produce_full_frames() {
    assert_eq!(
        encode_event("ChatChannelTyping", r#"{"channelId":"c"}"#),
        r#"42["ChatChannelTyping",{"channelId":"c"}]"#
    );
    assert_eq!(encode_bare_event(LOGOUT_EVENT), r#"42["logout"]"#);
    assert_eq!(
        encode_typing(&"d2242862-401c-42f8-9ce2-0c75977475a6".into()),
        r#"42["ChatChannelTyping",{"channelId":"d2242862-401c-42f8-9ce2-0c75977475a6"}]"#
    );
    assert_eq!(
        encode_typing(&"a\"b\\c\n".into()),
        r#"42["ChatChannelTyping",{"channelId":"a\"b\\c\n"}]"#
    );
    assert_eq!(encode_connect("/"), "40");
    assert_eq!(encode_connect("/chat"), "40/chat,");
    assert_eq!(encode_event("we\"ird", "{}"), r#"42["we\"ird",{}]"#);
}

#[test]
fn typing_frame_matches_the_documented_fixture() {
    let fixture = &crate::test_support::fixture("docs-typing-frame.txt");
    let frame = fixture
        .lines()
        .find(|l| l.starts_with("42"))
        .expect("fixture has a 42 line");
    let crate::engineio::Packet::Message(payload) = crate::engineio::decode(frame).unwrap() else {
        panic!("not a message");
    };
    let Packet::Event { data, .. } = decode(payload).unwrap() else {
        panic!("not an event");
    };
    let value: serde_json::Value = serde_json::from_str(data).unwrap();
    assert_eq!(value[0], "ChatChannelTyping");
    let id = value[1]["channelId"].as_str().unwrap();
    let ours: serde_json::Value = serde_json::from_str(&encode_typing(&id.into())[2..]).unwrap();
    assert_eq!(ours, value);
}

fn arb_namespace() -> impl Strategy<Value = String> {
    prop_oneof![Just("/".to_owned()), "/[^,]{1,12}"]
}

/// Event/ack data: a JSON array built from an arbitrary name and JSON values.
fn arb_array() -> impl Strategy<Value = String> {
    (any::<String>(), proptest::collection::vec(arb_json(), 0..3)).prop_map(|(name, args)| {
        let mut all = vec![serde_json::Value::String(name)];
        all.extend(args);
        serde_json::Value::Array(all).to_string()
    })
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            proptest::collection::btree_map(any::<String>(), inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

#[derive(Debug, Clone)]
enum Owned {
    Connect(String),
    Disconnect(String),
    Event(String, Option<u64>, String),
    Ack(String, u64, String),
    Error(String, String),
}

impl Owned {
    fn packet(&self) -> Packet<'_> {
        match self {
            Owned::Connect(namespace) => Packet::Connect { namespace },
            Owned::Disconnect(namespace) => Packet::Disconnect { namespace },
            Owned::Event(namespace, id, data) => Packet::Event {
                namespace,
                id: *id,
                data,
            },
            Owned::Ack(namespace, id, data) => Packet::Ack {
                namespace,
                id: *id,
                data,
            },
            Owned::Error(namespace, data) => Packet::Error { namespace, data },
        }
    }
}

fn arb_packet() -> impl Strategy<Value = Owned> {
    prop_oneof![
        arb_namespace().prop_map(Owned::Connect),
        arb_namespace().prop_map(Owned::Disconnect),
        (arb_namespace(), any::<Option<u64>>(), arb_array())
            .prop_map(|(n, id, d)| Owned::Event(n, id, d)),
        (arb_namespace(), any::<u64>(), arb_array()).prop_map(|(n, id, d)| Owned::Ack(n, id, d)),
        // Error data must not start with a digit (it would read as an ack id): use JSON.
        (arb_namespace(), arb_json()).prop_map(|(n, v)| {
            let data = match v {
                serde_json::Value::Number(_) => String::new(),
                other => other.to_string(),
            };
            Owned::Error(n, data)
        }),
    ]
}

proptest! {
    #[test]
    fn decode_inverts_encode(owned in arb_packet()) {
        let packet = owned.packet();
        let text = packet.encode();
        prop_assert_eq!(decode(&text), Ok(packet));
    }

    #[test]
    fn json_escaping_matches_serde(s in any::<String>()) {
        let mut ours = String::new();
        push_json_string(&mut ours, &s);
        prop_assert_eq!(&ours, &serde_json::to_string(&s).unwrap());
    }

    #[test]
    fn encoded_events_parse_back(name in any::<String>(), payload in arb_json()) {
        let frame = encode_event(&name, &payload.to_string());
        let data = frame.strip_prefix("42").unwrap();
        prop_assert_eq!(decode(&frame[1..]), Ok(Packet::Event { namespace: "/", id: None, data }));
        let value: serde_json::Value = serde_json::from_str(data).unwrap();
        prop_assert_eq!(value, serde_json::json!([name, payload]));
    }

    #[test]
    fn decoding_any_string_never_panics(s in any::<String>()) {
        let _ = decode(&s);
    }

    #[test]
    fn decoding_packet_like_strings_never_panics(s in "[0-6](/[a-z,]{0,4})?[0-9]{0,25}[\\[\\]{}\"a-z0-9]{0,12}") {
        let _ = decode(&s);
    }
}
