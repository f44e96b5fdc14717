//! Helpers shared by every integration test module, one place for each thing:
//!
//! - [`world`]: the fixed model world (teams, channels, a conversation), built through the
//!   model's public API. It lives in the library (`gilt::testkit`) so unit tests and benches
//!   build the very same world;
//! - [`fixture`]: a captured or documented wire sample under `tests/fixtures/guilded/`;
//! - [`tools`]: external programs (the peer tests need node and npm);
//! - [`temp_dir`]: a fresh private directory;
//! - [`net`]: the built-in server with short timings, a logged-in `ApiClient`, waiting for
//!   gateway events;
//! - [`raw_client`]: REST and Engine.IO driven by hand, to test the built-in server itself;
//! - [`pty`]: the real binary on a pseudo-terminal, its screen read back with vt100.

pub mod net;
pub mod pty;
pub mod raw_client;
pub mod tools;

use std::path::PathBuf;

pub use gilt::testkit::{fixture, world};

/// A fresh directory under the system temp dir, named `gilt-<label>-<uuid>`: tests run in
/// parallel in one process, so names never repeat.
pub fn temp_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gilt-{label}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
