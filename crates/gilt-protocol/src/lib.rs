//! Guilded's wire format, sans-IO: Engine.IO v3 and Socket.IO v2 packets, the per-socket
//! gateway link state machine ([`link::GatewayLink`]), typed gateway events, message
//! documents and REST models, and the typed ids they carry ([`UserId`], [`TeamId`],
//! [`ChannelId`], [`MessageId`]). What the wire looks like is described in docs/PROTOCOL.md.
//!
//! Rule: nothing here does IO, reads a clock or panics on any input; time is an argument.
//! Hence the dependencies: serde, serde_json, jiff, linkify, thiserror, foldhash, and nothing async,
//! networked or terminal.

pub mod content;
pub mod engineio;
pub mod events;
mod ids;
mod json_scan;
pub mod link;
pub mod models;
pub mod socketio;
#[cfg(test)]
mod test_support;

pub use ids::{ChannelId, IdMap, IdSet, MessageId, TeamId, UserId};
