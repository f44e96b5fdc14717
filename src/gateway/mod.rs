//! The gateway worker: main + per-team sockets, heartbeats, reconnect, backfill (IO shell).

pub mod backoff;
pub mod url;
pub mod wake;
