//! The integration tests, compiled into one test binary (one link instead of one per file).
//!
//! Each module is one area, tested from the outside: `cli_*` and `e2e_pty`/`terminal_lifecycle`
//! run the real binary (on a pseudo-terminal where a screen matters), `net_*` the api client and
//! the gateway worker against a server, `server_*` the built-in server from a client's side,
//! `ui_render` the screen as snapshots. Helpers live in [`support`]; the layout is described in
//! docs/ARCHITECTURE.md ("Tests").
//!
//! Run one area with a filter, e.g. `cargo test --test it net_gateway::`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod cli_demo_server;
mod cli_login;
mod e2e_pty;
mod e2e_store;
mod e2e_window;
mod net_api;
mod net_event_loop;
mod net_gateway;
mod net_peer;
mod net_presence;
mod net_recovery;
mod net_soak;
mod net_storm;
mod net_structure;
mod net_virtual_time;
mod server_demo;
mod server_faults;
mod server_gateway;
mod server_peer;
mod server_presence;
mod server_rest_account;
mod server_rest_messages;
mod server_sim;
mod server_structure;
mod terminal_desktop;
mod terminal_features;
mod terminal_images;
mod terminal_lifecycle;
mod terminal_reactions;
mod terminal_wire;
mod terminal_xterm;
mod ui_images;
mod ui_members;
mod ui_render;
