//! Test support for the protocol's unit tests: the one loader of the wire samples kept in the
//! workspace's `tests/fixtures/guilded/` (shared with the app's tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// The text of a wire sample under `tests/fixtures/guilded/` (e.g. `"docs-message.json"`,
/// `"synthesized/chat-message-created.json"`); panics naming the path if it cannot be read.
pub(crate) fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../tests/fixtures/guilded/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}
