//! Test support shared by the unit tests, the integration tests (`tests/it/`) and the
//! benches: one world builder and one fixture loader, so every suite builds the same model
//! the same way. Not part of gilt's API (hidden from the docs); it lives in the library
//! because that is the one place all three can reach (integration tests and benches link
//! the library, but not its `#[cfg(test)]` code).
//!
//! Test data are literals: a bad one is a bug in the test, so these helpers panic on it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::protocol::events::{GuildedEvent, decode_event};

pub mod corpus;
pub mod script;
pub mod world;

/// The text of a wire sample under `tests/fixtures/guilded/` (e.g. `"docs-message.json"`,
/// `"synthesized/chat-message-created.json"`); panics naming the path if it cannot be read.
pub fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/guilded/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A synthesized wire sample (`tests/fixtures/guilded/synthesized/{name}`).
pub fn synthesized(name: &str) -> String {
    fixture(&format!("synthesized/{name}"))
}

/// The gateway event `name` with the synthesized sample `file` as its payload, decoded.
pub fn event_fixture(name: &str, file: &str) -> GuildedEvent {
    decode_event(&format!("[\"{name}\",{}]", synthesized(file))).unwrap()
}
