//! Guilded's wire format, sans-IO: Engine.IO v3 and Socket.IO v2 packets, the per-socket
//! session state machine, typed gateway events, message documents and REST models.
//!
//! Rule: nothing here does IO, reads a clock or panics on any input; time is an argument.

pub mod content;
pub mod engineio;
pub mod events;
pub mod link;
pub mod models;
pub mod socketio;
