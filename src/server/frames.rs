//! The server's side of the wire, as thin adapters over `protocol::engineio` and
//! `protocol::socketio` (the one codec of the project; none lives in server/).

use std::time::Duration;

use serde_json::Value;

use super::emit::Event;
use crate::protocol::{engineio, socketio};

/// `42["Name",{…}]`.
pub fn event(ev: &Event) -> String {
    socketio::encode_event(ev.name, &ev.payload.to_string())
}

/// The Engine.IO OPEN packet: `0{"sid":…,"upgrades":[],"pingInterval":…,"pingTimeout":…}`.
pub fn open(sid: &str, ping_interval: Duration, ping_timeout: Duration) -> String {
    engineio::Packet::Open(engineio::Handshake {
        sid: sid.to_owned(),
        upgrades: Vec::new(),
        ping_interval,
        ping_timeout,
    })
    .encode()
}

/// Socket.IO CONNECT for the default namespace (`40`).
pub fn connect() -> String {
    socketio::encode_connect(socketio::DEFAULT_NAMESPACE)
}

/// The answer to a ping, echoing its payload (`3`, or `3probe`).
pub fn pong(payload: &str) -> String {
    engineio::Packet::Pong(payload).encode()
}

/// A frame a client sent, as far as the server cares.
#[derive(Debug, PartialEq)]
pub enum Inbound {
    Ping(String),
    /// A Socket.IO event: its name and first argument.
    Event(String, Option<Value>),
    /// Engine.IO close (`1`).
    Close,
    /// Anything valid the server has no use for (pong, noop, connect, ack…).
    Ignored,
}

#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error(transparent)]
    EngineIo(#[from] engineio::DecodeError),
    #[error(transparent)]
    SocketIo(#[from] socketio::DecodeError),
    #[error("event data is not [name, …]: {0}")]
    Event(String),
}

pub fn decode(text: &str) -> Result<Inbound, FrameError> {
    match engineio::decode(text)? {
        engineio::Packet::Ping(payload) => Ok(Inbound::Ping(payload.to_owned())),
        engineio::Packet::Close => Ok(Inbound::Close),
        engineio::Packet::Message(payload) => match socketio::decode(payload)? {
            socketio::Packet::Event { data, .. } => {
                let array: Value =
                    serde_json::from_str(data).map_err(|e| FrameError::Event(e.to_string()))?;
                let name = array
                    .get(0)
                    .and_then(Value::as_str)
                    .ok_or_else(|| FrameError::Event("no event name".into()))?;
                Ok(Inbound::Event(name.to_owned(), array.get(1).cloned()))
            }
            _ => Ok(Inbound::Ignored),
        },
        _ => Ok(Inbound::Ignored),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_through_the_protocol_codec() {
        let open = open("abc", Duration::from_secs(25), Duration::from_secs(5));
        assert_eq!(
            open,
            r#"0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":5000}"#
        );
        assert_eq!(connect(), "40");
        assert_eq!(pong(""), "3");
        assert_eq!(decode("2").unwrap(), Inbound::Ping(String::new()));
        assert_eq!(decode("1").unwrap(), Inbound::Close);
        assert_eq!(
            decode(r#"42["ChatChannelTyping",{"channelId":"c"}]"#).unwrap(),
            Inbound::Event(
                "ChatChannelTyping".into(),
                Some(serde_json::json!({"channelId": "c"}))
            )
        );
        assert_eq!(
            decode(r#"42["logout"]"#).unwrap(),
            Inbound::Event("logout".into(), None)
        );
        for bad in ["", "x", "42[", "42{}", "42[1]", "4\u{1F600}", "9"] {
            assert!(decode(bad).is_err(), "{bad:?}");
        }
        let ev = Event {
            name: "X",
            payload: serde_json::json!({"type": "X"}),
        };
        assert_eq!(event(&ev), r#"42["X",{"type":"X"}]"#);
    }
}
