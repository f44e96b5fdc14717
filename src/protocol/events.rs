//! Typed Guilded gateway events (`42["Name",{…}]`), decoded from the Socket.IO event array.
//!
//! Pure: no IO, no panics. Unknown events become `GuildedEvent::Other`.

/// A decoded gateway event. Variants for the events gilt uses; everything else is `Other`.
#[derive(Debug, Clone, PartialEq)]
pub enum GuildedEvent {
    /// An event gilt has no typed payload for.
    Other {
        /// The wire name, as received.
        name: String,
        /// The payload object, as raw JSON text.
        raw: String,
    },
}

/// Why an event array could not be decoded.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EventError {
    #[error("event is not a JSON array with a name: {0}")]
    Shape(String),
}

/// Decode the JSON array of a Socket.IO EVENT packet (`["Name",{…}]`, the text after `42`).
pub fn decode_event(array_json: &str) -> Result<GuildedEvent, EventError> {
    let value: serde_json::Value =
        serde_json::from_str(array_json).map_err(|e| EventError::Shape(e.to_string()))?;
    let name = value
        .get(0)
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| EventError::Shape("missing event name".into()))?;
    let raw = value.get(1).map(ToString::to_string).unwrap_or_default();
    Ok(GuildedEvent::Other {
        name: name.to_owned(),
        raw,
    })
}
