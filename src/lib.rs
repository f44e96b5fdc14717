//! gilt: a keyboard-driven terminal chat client for Guilded.
