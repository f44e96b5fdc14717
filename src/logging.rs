//! Logging to a file under the XDG state dir; nothing is printed while the TUI is up.
