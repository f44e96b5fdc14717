//! The gateway worker: main + per-team sockets, heartbeats, reconnect, backfill (IO shell).
