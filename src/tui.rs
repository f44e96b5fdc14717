//! Terminal lifecycle: raw mode and alternate screen, restored on exit, error, panic and signals.
