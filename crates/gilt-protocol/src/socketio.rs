//! Socket.IO **v2** packets carried inside an Engine.IO `4` message: `0` connect,
//! `1` disconnect, `2` event, `3` ack, `4` error; binary kinds `5`/`6` are refused.
//!
//! Rule: pure and total — no IO, and no panic on any input. Event and ack data stay raw,
//! borrowed JSON text: [`crate::events::decode_event`] parses an event array once,
//! straight into a typed event, so nothing is parsed twice.
//!
//! Wire grammar (socket.io-parser 3.x): `<type>[/<namespace>,][<ack id digits>][<json data>]`.
//! The default namespace `/` is never written out.

use crate::ChannelId;

/// The default Socket.IO namespace; Guilded only uses this one.
pub const DEFAULT_NAMESPACE: &str = "/";

/// The full text frame (Engine.IO message + Socket.IO connect) for the default namespace.
/// Guilded's server sends it after the hello; it means "ready".
pub const CONNECT_FRAME: &str = "40";

/// The full text frame of a Socket.IO disconnect for the default namespace.
pub const DISCONNECT_FRAME: &str = "41";

/// The event guilded.py sends before a clean close (`42["logout"]`).
pub const LOGOUT_EVENT: &str = "logout";

/// One Socket.IO v2 packet; text borrows from the decoded payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packet<'a> {
    /// `0`: the namespace is connected (server → client), or a connect request.
    Connect {
        /// The namespace, `/` by default. May carry a `?query` in v2.
        namespace: &'a str,
    },
    /// `1`: the namespace is disconnected.
    Disconnect {
        /// The namespace, `/` by default.
        namespace: &'a str,
    },
    /// `2`: an event, `["Name", arg…]`.
    Event {
        /// The namespace, `/` by default.
        namespace: &'a str,
        /// The ack id the sender wants answered, if any.
        id: Option<u64>,
        /// The raw JSON array text (`["Name",{…}]`), not parsed here.
        data: &'a str,
    },
    /// `3`: the answer to an event that carried an ack id.
    Ack {
        /// The namespace, `/` by default.
        namespace: &'a str,
        /// The ack id being answered.
        id: u64,
        /// The raw JSON array of answer arguments.
        data: &'a str,
    },
    /// `4`: an error (in v2, usually a refused connect: `44"Not authorized"`).
    Error {
        /// The namespace, `/` by default.
        namespace: &'a str,
        /// The raw JSON data (often a JSON string); may be empty.
        data: &'a str,
    },
}

/// Why an Engine.IO message payload is not a Socket.IO v2 packet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The message payload was empty (a bare `4` frame).
    #[error("empty Socket.IO packet")]
    Empty,
    /// The first character is not one of the packet types `0`–`6`.
    #[error("unknown Socket.IO packet type {0:?} (expected a digit 0-4)")]
    UnknownType(char),
    /// `5` binary event or `6` binary ack: attachments are not used by Guilded.
    #[error("binary Socket.IO packets (type {0}) are not supported")]
    Binary(char),
    /// The ack id does not fit in 64 bits.
    #[error("Socket.IO ack id is too large")]
    AckIdOverflow,
    /// An ack packet without its id.
    #[error("Socket.IO ack packet has no ack id")]
    AckWithoutId,
    /// Error data that is not JSON (v2 sends a JSON string or object).
    #[error("Socket.IO error data is not JSON: {snippet:?}")]
    ErrorNotJson {
        /// The start of the offending data (at most 40 characters).
        snippet: String,
    },
    /// Event or ack data is not a JSON array (`[…]`).
    #[error("Socket.IO {kind} data is not a JSON array: {snippet:?}")]
    NotAnArray {
        /// `"event"` or `"ack"`.
        kind: &'static str,
        /// The start of the offending data (at most 40 characters).
        snippet: String,
    },
}

impl Packet<'_> {
    /// The packet-type character on the wire (`'0'`–`'4'`).
    pub const fn type_char(&self) -> char {
        match self {
            Packet::Connect { .. } => '0',
            Packet::Disconnect { .. } => '1',
            Packet::Event { .. } => '2',
            Packet::Ack { .. } => '3',
            Packet::Error { .. } => '4',
        }
    }

    /// The packet's namespace (`/` by default).
    pub const fn namespace(&self) -> &str {
        match self {
            Packet::Connect { namespace }
            | Packet::Disconnect { namespace }
            | Packet::Event { namespace, .. }
            | Packet::Ack { namespace, .. }
            | Packet::Error { namespace, .. } => namespace,
        }
    }

    /// Encode the Socket.IO packet alone (what goes after the Engine.IO `4`).
    ///
    /// A namespace other than `/` must start with `/` and contain no `,` (the wire format
    /// cannot express one); [`decode`] accepts exactly those.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        self.encode_into(&mut out);
        out
    }

    /// Encode the complete WebSocket text frame (`4` + the Socket.IO packet).
    pub fn encode_frame(&self) -> String {
        let mut out = String::from("4");
        self.encode_into(&mut out);
        out
    }

    /// Append the Socket.IO packet (without the Engine.IO `4`) to `out`.
    pub fn encode_into(&self, out: &mut String) {
        out.push(self.type_char());
        let namespace = self.namespace();
        let (id, data) = match *self {
            Packet::Connect { .. } | Packet::Disconnect { .. } => (None, ""),
            Packet::Event { id, data, .. } => (id, data),
            Packet::Ack { id, data, .. } => (Some(id), data),
            Packet::Error { data, .. } => (None, data),
        };
        if namespace != DEFAULT_NAMESPACE {
            out.push_str(namespace);
            // The comma ends the namespace; it is needed only when something follows.
            if id.is_some() || !data.is_empty() {
                out.push(',');
            }
        }
        if let Some(id) = id {
            out.push_str(&id.to_string());
        }
        out.push_str(data);
    }
}

/// Decode a Socket.IO v2 packet from an Engine.IO message payload (the text after `4`).
///
/// Connect and disconnect packets carry no data in v2; anything after their namespace is
/// ignored. Event and ack data must look like a JSON array (start with `[` and end with `]`),
/// error data like JSON (or be empty); the full JSON check happens when an event is decoded.
/// An ack id on an error packet is ignored, as the reference parser does.
pub fn decode(payload: &str) -> Result<Packet<'_>, DecodeError> {
    let Some(&first) = payload.as_bytes().first() else {
        return Err(DecodeError::Empty);
    };
    if !first.is_ascii() {
        let c = payload
            .chars()
            .next()
            .unwrap_or(char::REPLACEMENT_CHARACTER);
        return Err(DecodeError::UnknownType(c));
    }
    // The first byte is ASCII, so index 1 is a char boundary.
    let rest = payload.get(1..).unwrap_or("");
    match first {
        b'0'..=b'4' => {}
        b'5' | b'6' => return Err(DecodeError::Binary(char::from(first))),
        other => return Err(DecodeError::UnknownType(char::from(other))),
    }
    let (namespace, rest) = split_namespace(rest);
    let (id, data) = split_id(rest)?;
    match first {
        b'0' => Ok(Packet::Connect { namespace }),
        b'1' => Ok(Packet::Disconnect { namespace }),
        b'2' => Ok(Packet::Event {
            namespace,
            id,
            data: require_array("event", data)?,
        }),
        b'3' => Ok(Packet::Ack {
            namespace,
            id: id.ok_or(DecodeError::AckWithoutId)?,
            data: require_array("ack", data)?,
        }),
        _ => Ok(Packet::Error {
            namespace,
            data: require_json_or_empty(data)?,
        }),
    }
}

/// Split `/ns,rest` into (`/ns`, `rest`); without a leading `/` the namespace is the default.
/// A namespace with no comma runs to the end of the packet (`40/chat`).
fn split_namespace(rest: &str) -> (&str, &str) {
    if !rest.starts_with('/') {
        return (DEFAULT_NAMESPACE, rest);
    }
    match rest.split_once(',') {
        Some((namespace, after)) => (namespace, after),
        None => (rest, ""),
    }
}

/// Split leading ack-id digits off the data.
fn split_id(rest: &str) -> Result<(Option<u64>, &str), DecodeError> {
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return Ok((None, rest));
    }
    // Digits are ASCII, so `digits` is a char boundary.
    let (id_text, data) = rest.split_at(digits);
    let id = id_text
        .parse::<u64>()
        .map_err(|_| DecodeError::AckIdOverflow)?;
    Ok((Some(id), data))
}

/// Error data is JSON in v2 (usually a string). Anything else is refused, which also keeps
/// decoding unambiguous: data starting with `/` or a digit would re-read as a namespace or an
/// ack id.
fn require_json_or_empty(data: &str) -> Result<&str, DecodeError> {
    match data.bytes().next() {
        None | Some(b'"' | b'{' | b'[' | b'n' | b't' | b'f' | b'-') => Ok(data),
        Some(_) => Err(DecodeError::ErrorNotJson {
            snippet: data.chars().take(40).collect(),
        }),
    }
}

fn require_array<'a>(kind: &'static str, data: &'a str) -> Result<&'a str, DecodeError> {
    let trimmed = data.trim_matches(|c: char| c.is_ascii_whitespace());
    if trimmed.starts_with('[') && trimmed.ends_with(']') {
        Ok(data)
    } else {
        Err(DecodeError::NotAnArray {
            kind,
            snippet: data.chars().take(40).collect(),
        })
    }
}

/// The full frame of an event with one payload argument: `42["Name",<payload_json>]`.
///
/// `name` is JSON-escaped here; `payload_json` must already be JSON (it is copied verbatim).
pub fn encode_event(name: &str, payload_json: &str) -> String {
    let mut out = String::with_capacity(name.len() + payload_json.len() + 8);
    out.push_str("42[");
    push_json_string(&mut out, name);
    out.push(',');
    out.push_str(payload_json);
    out.push(']');
    out
}

/// The full frame of an event with no arguments: `42["Name"]` (e.g. `42["logout"]`).
pub fn encode_bare_event(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 6);
    out.push_str("42[");
    push_json_string(&mut out, name);
    out.push(']');
    out
}

/// The full typing-notice frame: `42["ChatChannelTyping",{"channelId":"…"}]`, with the channel
/// id JSON-escaped.
pub fn encode_typing(channel_id: &ChannelId) -> String {
    let channel_id = channel_id.as_str();
    let mut payload = String::with_capacity(channel_id.len() + 16);
    payload.push_str("{\"channelId\":");
    push_json_string(&mut payload, channel_id);
    payload.push('}');
    encode_event("ChatChannelTyping", &payload)
}

/// The full connect frame for a namespace: `40` for `/`, `40/chat,` otherwise.
pub fn encode_connect(namespace: &str) -> String {
    if namespace == DEFAULT_NAMESPACE {
        CONNECT_FRAME.to_owned()
    } else {
        format!("40{namespace},")
    }
}

/// Append `s` as a JSON string literal (quoted and escaped exactly as serde_json does).
pub fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let code = u32::from(c) as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX[code >> 4]));
                out.push(char::from(HEX[code & 0xf]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests;
