//! gilt: a fast, keyboard-driven terminal chat client for Guilded.
//!
//! Layers (arrows only point down; see `docs/ARCHITECTURE.md`):
//!
//! ```text
//! main.rs    cli, config, logging, login before raw mode, then runtime::run
//! export     `gilt export`: a channel's stored history as text (store → stdout)
//! runtime    the one event loop: terminal, gateway, api results, next deadline
//!   ├── ui/        render(frame, &App): reads the model, never changes it
//!   ├── sanitize   untrusted text made safe for the terminal (ui and clipboard)
//!   ├── osc        notification, title and hyperlink sequences (pure bytes)
//!   ├── app/       pure model + reducer: no IO, no clock reads, no terminal
//!   ├── gateway/   IO shell: sockets, timers, reconnect; drives protocol::link::GatewayLink
//!   ├── api/       IO shell: REST, cookies, the session file
//!   ├── store/     IO shell: the SQLite message store (one thread owns the connection)
//!   └── protocol   the gilt-protocol crate (crates/gilt-protocol): pure codecs and state
//!                  machines, no IO, no clock, no panics
//! server/    the local Guilded-compatible server (demo mode and tests);
//!            it may use protocol/ but nothing above it
//! ```

pub mod api;
pub mod app;
pub mod cli;
pub mod config;
pub mod desktop;
pub mod export;
pub mod gateway;
pub mod graphics;
pub mod keymap;
pub mod logging;
pub mod osc;
pub mod paths;
pub mod private_fs;
/// The wire format lives in its own crate; re-exported so `crate::protocol::…` paths keep working.
pub use gilt_protocol as protocol;
pub mod runtime;
pub mod sanitize;
pub mod server;
pub mod store;
pub mod suggest;
pub mod termcaps;
#[doc(hidden)]
pub mod testkit;
pub mod tui;
pub mod ui;
