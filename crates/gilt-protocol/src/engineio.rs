//! Engine.IO **v3** text packets (`0` open … `6` noop): decode borrowing the frame, encode to a
//! `String`.
//!
//! Rule: pure and total — no IO, no clock, and every input (empty, unknown type, bad JSON,
//! non-ASCII) yields a [`DecodeError`], never a panic. In v3 the **client** sends `2` (ping) and
//! the server answers `3` (pong); this module only frames packets, the [`super::link`]
//! state machine decides who sends what and when.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The Engine.IO open handshake (the "hello"), sent by the server as `0{…}` right after the
/// WebSocket upgrade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handshake {
    /// The Engine.IO session id.
    pub sid: String,
    /// Transports the server offers to upgrade to (always empty over a raw WebSocket).
    pub upgrades: Vec<String>,
    /// How often the client must send a ping (`2`). Never zero.
    pub ping_interval: Duration,
    /// How long the server waits for a ping beyond `ping_interval` before dropping the client.
    pub ping_timeout: Duration,
}

/// The JSON shape of [`Handshake`] on the wire (milliseconds as integers).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HandshakeWire<'a> {
    #[serde(borrow)]
    sid: std::borrow::Cow<'a, str>,
    #[serde(default)]
    upgrades: Vec<String>,
    ping_interval: u64,
    ping_timeout: u64,
}

impl Handshake {
    /// Parse the JSON text of an open packet (the part after `0`).
    pub fn from_json(json: &str) -> Result<Self, DecodeError> {
        let wire: HandshakeWire<'_> =
            serde_json::from_str(json).map_err(|e| DecodeError::BadHandshake(e.to_string()))?;
        if wire.ping_interval == 0 {
            // A zero interval would make the link ping in a busy loop.
            return Err(DecodeError::BadHandshake(
                "pingInterval must be at least 1 ms".into(),
            ));
        }
        Ok(Self {
            sid: wire.sid.into_owned(),
            upgrades: wire.upgrades,
            ping_interval: Duration::from_millis(wire.ping_interval),
            ping_timeout: Duration::from_millis(wire.ping_timeout),
        })
    }

    /// The JSON text of this handshake, e.g.
    /// `{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":5000}`.
    pub fn to_json(&self) -> String {
        let wire = HandshakeWire {
            sid: std::borrow::Cow::Borrowed(&self.sid),
            upgrades: self.upgrades.clone(),
            ping_interval: millis(self.ping_interval),
            ping_timeout: millis(self.ping_timeout),
        };
        // Serialising strings, string lists and integers cannot fail; fall back to an empty
        // object rather than panic if serde_json ever says otherwise.
        serde_json::to_string(&wire).unwrap_or_else(|_| String::from("{}"))
    }
}

/// Whole milliseconds, saturating at `u64::MAX`.
fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// One Engine.IO v3 packet. Payloads borrow from the decoded frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Packet<'a> {
    /// `0{…}`: the server's handshake.
    Open(Handshake),
    /// `1`: the peer closes the Engine.IO session.
    Close,
    /// `2` with an optional payload (`2probe` during transport upgrades); `""` when absent.
    Ping(&'a str),
    /// `3` with an optional payload (`3probe`); `""` when absent.
    Pong(&'a str),
    /// `4…`: a message; for Guilded its payload is a Socket.IO packet (see [`super::socketio`]).
    Message(&'a str),
    /// `5`: transport upgrade (unused over a raw WebSocket, decoded for completeness).
    Upgrade,
    /// `6`: no-op.
    Noop,
}

/// Why a text frame is not an Engine.IO v3 packet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The frame was the empty string.
    #[error("empty Engine.IO frame")]
    Empty,
    /// The first character is not one of the packet types `0`–`6`.
    #[error("unknown Engine.IO packet type {0:?} (expected a digit 0-6)")]
    UnknownType(char),
    /// `b…`: base64-encoded binary packets are not used by Guilded and not supported.
    #[error("binary (base64) Engine.IO packets are not supported")]
    Binary,
    /// The open packet's JSON is not a valid handshake.
    #[error("bad Engine.IO handshake: {0}")]
    BadHandshake(String),
}

/// The packet-type digit of each packet kind.
impl Packet<'_> {
    /// The packet-type character on the wire (`'0'`–`'6'`).
    pub const fn type_char(&self) -> char {
        match self {
            Packet::Open(_) => '0',
            Packet::Close => '1',
            Packet::Ping(_) => '2',
            Packet::Pong(_) => '3',
            Packet::Message(_) => '4',
            Packet::Upgrade => '5',
            Packet::Noop => '6',
        }
    }

    /// Encode into a fresh `String` (the WebSocket text frame).
    pub fn encode(&self) -> String {
        let mut out = String::new();
        self.encode_into(&mut out);
        out
    }

    /// Append the encoded frame to `out` (lets callers reuse a buffer).
    pub fn encode_into(&self, out: &mut String) {
        out.push(self.type_char());
        match self {
            Packet::Open(handshake) => out.push_str(&handshake.to_json()),
            Packet::Ping(payload) | Packet::Pong(payload) | Packet::Message(payload) => {
                out.push_str(payload);
            }
            Packet::Close | Packet::Upgrade | Packet::Noop => {}
        }
    }
}

/// Decode one Engine.IO v3 text frame. The message/ping/pong payloads borrow from `frame`.
///
/// Trailing text after `1`, `5` and `6` is ignored, as the reference parser does, so a
/// slightly odd close is still a close.
pub fn decode(frame: &str) -> Result<Packet<'_>, DecodeError> {
    let Some(&first) = frame.as_bytes().first() else {
        return Err(DecodeError::Empty);
    };
    if !first.is_ascii() {
        let c = frame.chars().next().unwrap_or(char::REPLACEMENT_CHARACTER);
        return Err(DecodeError::UnknownType(c));
    }
    // The first byte is ASCII, so index 1 is a char boundary.
    let rest = frame.get(1..).unwrap_or("");
    match first {
        b'0' => Handshake::from_json(rest).map(Packet::Open),
        b'1' => Ok(Packet::Close),
        b'2' => Ok(Packet::Ping(rest)),
        b'3' => Ok(Packet::Pong(rest)),
        b'4' => Ok(Packet::Message(rest)),
        b'5' => Ok(Packet::Upgrade),
        b'6' => Ok(Packet::Noop),
        b'b' => Err(DecodeError::Binary),
        other => Err(DecodeError::UnknownType(char::from(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hello() -> Handshake {
        Handshake {
            sid: "AbCdEfGhIjKlMnOpAAAB".into(),
            upgrades: vec![],
            ping_interval: Duration::from_secs(25),
            ping_timeout: Duration::from_secs(5),
        }
    }

    #[test]
    fn decodes_the_documented_hello() {
        let fixture = &crate::test_support::fixture("docs-gateway-hello.json");
        let frame = format!("0{}", fixture.trim());
        let Packet::Open(h) = decode(&frame).unwrap() else {
            panic!("not an open packet");
        };
        assert_eq!(h.ping_interval, Duration::from_secs(25));
        assert_eq!(h.ping_timeout, Duration::from_secs(5));
        assert!(h.upgrades.is_empty());
        assert_eq!(h.sid, "your_session_id");
    }

    #[test]
    fn vectors_both_directions() {
        let open = r#"0{"sid":"AbCdEfGhIjKlMnOpAAAB","upgrades":[],"pingInterval":25000,"pingTimeout":5000}"#;
        let cases: Vec<(&str, Packet<'_>)> = vec![
            (open, Packet::Open(hello())),
            ("1", Packet::Close),
            ("2", Packet::Ping("")),
            ("2probe", Packet::Ping("probe")),
            ("3", Packet::Pong("")),
            ("3probe", Packet::Pong("probe")),
            ("4", Packet::Message("")),
            (r#"42["x",{}]"#, Packet::Message(r#"2["x",{}]"#)),
            ("40", Packet::Message("0")),
            ("5", Packet::Upgrade),
            ("6", Packet::Noop),
        ];
        for (text, packet) in cases {
            assert_eq!(decode(text).unwrap(), packet, "decode {text}");
            assert_eq!(packet.encode(), text, "encode {packet:?}");
        }
    }

    #[test]
    fn message_payload_borrows_the_frame() {
        let frame = String::from("4hello");
        let Packet::Message(payload) = decode(&frame).unwrap() else {
            panic!("not a message");
        };
        assert_eq!(payload.as_ptr(), frame[1..].as_ptr());
    }

    #[test]
    fn handshake_keys_in_any_order_and_unknown_keys() {
        let frame = r#"0{"pingTimeout":60000,"maxPayload":1000,"pingInterval":1,"sid":"s","upgrades":["websocket"]}"#;
        let Packet::Open(h) = decode(frame).unwrap() else {
            panic!("not open");
        };
        assert_eq!(h.upgrades, vec!["websocket".to_owned()]);
        assert_eq!(h.ping_interval, Duration::from_millis(1));
        assert_eq!(h.ping_timeout, Duration::from_secs(60));
    }

    #[test]
    fn trailing_text_after_bodiless_packets_is_ignored() {
        assert_eq!(decode("1 bye").unwrap(), Packet::Close);
        assert_eq!(decode("6x").unwrap(), Packet::Noop);
    }

    #[test]
    fn errors_are_clear() {
        assert_eq!(decode(""), Err(DecodeError::Empty));
        assert_eq!(decode("7"), Err(DecodeError::UnknownType('7')));
        assert_eq!(decode("x42"), Err(DecodeError::UnknownType('x')));
        assert_eq!(decode("é4"), Err(DecodeError::UnknownType('é')));
        assert_eq!(
            decode("\u{1F600}"),
            Err(DecodeError::UnknownType('\u{1F600}'))
        );
        assert_eq!(decode("b4AAEC"), Err(DecodeError::Binary));
        assert!(matches!(decode("0"), Err(DecodeError::BadHandshake(_))));
        assert!(matches!(decode("0{}"), Err(DecodeError::BadHandshake(_))));
        assert!(matches!(
            decode(r#"0{"sid":"s","pingInterval":"25000","pingTimeout":5000}"#),
            Err(DecodeError::BadHandshake(_))
        ));
        assert!(matches!(
            decode(r#"0{"sid":"s","pingInterval":-1,"pingTimeout":5000}"#),
            Err(DecodeError::BadHandshake(_))
        ));
        let zero = decode(r#"0{"sid":"s","pingInterval":0,"pingTimeout":5000}"#);
        assert_eq!(
            zero.unwrap_err().to_string(),
            "bad Engine.IO handshake: pingInterval must be at least 1 ms"
        );
        assert_eq!(
            DecodeError::UnknownType('x').to_string(),
            "unknown Engine.IO packet type 'x' (expected a digit 0-6)"
        );
    }

    fn arb_handshake() -> impl Strategy<Value = Handshake> {
        (
            any::<String>(),
            proptest::collection::vec(any::<String>(), 0..3),
            1u64..=u64::MAX,
            any::<u64>(),
        )
            .prop_map(|(sid, upgrades, interval, timeout)| Handshake {
                sid,
                upgrades,
                ping_interval: Duration::from_millis(interval),
                ping_timeout: Duration::from_millis(timeout),
            })
    }

    /// An owned mirror of [`Packet`] so proptest can generate it.
    #[derive(Debug, Clone)]
    enum Owned {
        Open(Handshake),
        Close,
        Ping(String),
        Pong(String),
        Message(String),
        Upgrade,
        Noop,
    }

    impl Owned {
        fn packet(&self) -> Packet<'_> {
            match self {
                Owned::Open(h) => Packet::Open(h.clone()),
                Owned::Close => Packet::Close,
                Owned::Ping(p) => Packet::Ping(p),
                Owned::Pong(p) => Packet::Pong(p),
                Owned::Message(p) => Packet::Message(p),
                Owned::Upgrade => Packet::Upgrade,
                Owned::Noop => Packet::Noop,
            }
        }
    }

    fn arb_packet() -> impl Strategy<Value = Owned> {
        prop_oneof![
            arb_handshake().prop_map(Owned::Open),
            Just(Owned::Close),
            any::<String>().prop_map(Owned::Ping),
            any::<String>().prop_map(Owned::Pong),
            any::<String>().prop_map(Owned::Message),
            Just(Owned::Upgrade),
            Just(Owned::Noop),
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
        fn decoding_any_string_never_panics(s in any::<String>()) {
            let _ = decode(&s);
        }

        #[test]
        fn decoding_digit_prefixed_strings_never_panics(s in "[0-6b][^\u{0}]{0,40}") {
            let _ = decode(&s);
        }
    }
}
