//! The user's configuration: `$XDG_CONFIG_HOME/gilt/config.toml`, every key with a default.
//!
//! Errors name the file, the line and the key (unknown keys with the closest valid name).

use std::collections::BTreeMap;

use serde::Deserialize;

/// Default REST base of the real service.
pub const DEFAULT_API_URL: &str = "https://www.guilded.gg/api";
/// Default gateway base of the real service (the client appends `/socket.io/?…`).
pub const DEFAULT_GATEWAY_URL: &str = "wss://api.guilded.gg";

/// Every setting gilt reads. `Default` is the documented default of each key.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// REST base URL.
    pub api_url: String,
    /// Gateway base URL (`ws://` or `wss://`).
    pub gateway_url: String,
    /// Email to log in with (asked for when empty).
    pub email: String,
    /// A shell command that prints the password (e.g. `pass show guilded`); empty = ask.
    pub password_command: String,
    /// Log level for the log file: error, warn, info, debug, trace.
    pub log_level: String,
    /// Send typing notices while composing.
    pub send_typing: bool,
    /// Loaded messages kept per channel; older ones are re-fetched on scroll.
    pub history_limit: usize,
    /// Channels whose history stays loaded (least recently used are dropped).
    pub loaded_channels: usize,
    /// Clock style for message times: "24h" or "12h".
    pub clock: String,
    /// Ring the terminal bell when someone mentions you.
    pub bell_on_mention: bool,
    /// Key bindings: command name → key chord (`"<C-k>"`). Missing commands keep their default.
    pub keys: BTreeMap<String, String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            api_url: DEFAULT_API_URL.to_owned(),
            gateway_url: DEFAULT_GATEWAY_URL.to_owned(),
            email: String::new(),
            password_command: String::new(),
            log_level: "info".to_owned(),
            send_typing: true,
            history_limit: 5000,
            loaded_channels: 32,
            clock: "24h".to_owned(),
            bell_on_mention: true,
            keys: crate::keymap::default_bindings(),
        }
    }
}
