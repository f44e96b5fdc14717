//! The server's view of the wire: Engine.IO v3 / Socket.IO v2 text frames it writes and
//! reads. TEMPORARY stand-in until `protocol::engineio`/`socketio` land; then this file
//! only adapts the protocol codec (no second codec may live in server/).

use serde_json::Value;

use super::emit::Event;

/// `42["Name",{…}]`.
pub fn event(ev: &Event) -> String {
    format!(
        "42{}",
        Value::Array(vec![Value::String(ev.name.to_owned()), ev.payload.clone()])
    )
}

/// The Engine.IO OPEN packet.
pub fn open(sid: &str, ping_interval_ms: u64, ping_timeout_ms: u64) -> String {
    format!(
        "0{}",
        serde_json::json!({"sid": sid, "upgrades": [], "pingInterval": ping_interval_ms, "pingTimeout": ping_timeout_ms})
    )
}

/// Socket.IO CONNECT for the default namespace.
pub fn connect() -> String {
    "40".to_owned()
}

pub fn pong(payload: &str) -> String {
    format!("3{payload}")
}

/// A frame a client sent, as far as the server cares.
#[derive(Debug, PartialEq)]
pub enum Inbound {
    Ping(String),
    /// A Socket.IO event: name and (optional) first argument.
    Event(String, Option<Value>),
    /// Engine.IO close (`1`).
    Close,
    /// Anything valid the server ignores (pong, noop, socket.io connect…).
    Ignored,
}

#[derive(Debug, thiserror::Error)]
#[error("malformed frame: {0}")]
pub struct FrameError(String);

pub fn decode(text: &str) -> Result<Inbound, FrameError> {
    let mut chars = text.chars();
    match chars.next() {
        Some('2') => Ok(Inbound::Ping(chars.as_str().to_owned())),
        Some('1') => Ok(Inbound::Close),
        Some('3' | '5' | '6') => Ok(Inbound::Ignored),
        Some('4') => {
            let rest = chars.as_str();
            match rest.chars().next() {
                Some('2') => {
                    let arr: Value =
                        serde_json::from_str(&rest[1..]).map_err(|e| FrameError(e.to_string()))?;
                    let name = arr
                        .get(0)
                        .and_then(Value::as_str)
                        .ok_or_else(|| FrameError("event without a name".into()))?;
                    Ok(Inbound::Event(name.to_owned(), arr.get(1).cloned()))
                }
                Some('0' | '1') => Ok(Inbound::Ignored),
                _ => Err(FrameError(format!(
                    "unsupported socket.io packet {rest:.20}"
                ))),
            }
        }
        _ => Err(FrameError(format!("unknown engine.io packet {text:.20}"))),
    }
}
