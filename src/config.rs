//! The user's configuration: `$XDG_CONFIG_HOME/gilt/config.toml`, every key with a default.
//!
//! Errors name the file, the line and the key (unknown keys with the closest valid name), so a
//! typo is fixed in seconds. Loading happens before the terminal is touched.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::keymap::{Keymap, KeymapError};

/// Default REST base of the real service.
pub const DEFAULT_API_URL: &str = "https://www.guilded.gg/api";
/// Default gateway base of the real service (the client appends `/socket.io/?…`).
pub const DEFAULT_GATEWAY_URL: &str = "wss://api.guilded.gg";

/// The log levels `log_level` accepts.
pub const LOG_LEVELS: &[&str] = &["error", "warn", "info", "debug", "trace"];

/// Every setting gilt reads. `Default` is the documented default of each key.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
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
    pub clock: Clock,
    /// Ring the terminal bell when someone mentions you.
    pub bell_on_mention: bool,
    /// How a DM or a mention is announced: auto, osc, bell, desktop or none.
    pub notify: NotifyMode,
    /// Show the unread total in the terminal's window title (restored on exit).
    pub set_title: bool,
    /// Capture the mouse: click a channel or a message, scroll the timeline with the wheel
    /// (the terminal's own text selection then needs Shift).
    pub mouse: bool,
    /// Image previews under messages: auto (half blocks) or off.
    pub images: ImagesMode,
    /// How previews are drawn: auto (what the terminal supports), kitty, sixel, iterm2 or
    /// halfblocks.
    pub image_protocol: ImageProtocol,
    /// Hosts whose images are fetched without asking (others wait for `load_images`); the
    /// server's own host is always one.
    pub image_hosts: Vec<String>,
    /// Keep messages in a local store (instant start, offline reading, search); `false` runs
    /// with memory only.
    pub store: bool,
    /// Messages the store keeps per channel (the oldest are dropped).
    pub store_limit: usize,
    /// The most the store may take on disk, in MiB (the oldest messages are dropped).
    pub store_max_mb: u64,
    /// Colours: `base` (dark, light, mono) and element → style (`link = "blue underline"`).
    pub theme: BTreeMap<String, String>,
    /// Key bindings: command name → key chord (`"<C-k>"`). Missing commands keep their default.
    pub keys: BTreeMap<String, String>,
    /// `keys` resolved and checked (built while parsing, so a bad binding is a config error).
    #[serde(skip)]
    pub keymap: Keymap,
    /// Where the store lives instead of the state directory: the demo's throwaway store. Not
    /// a setting.
    #[serde(skip)]
    pub store_dir: Option<std::path::PathBuf>,
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
            clock: Clock::H24,
            bell_on_mention: true,
            notify: NotifyMode::Auto,
            set_title: true,
            mouse: false,
            images: ImagesMode::Auto,
            image_protocol: ImageProtocol::Auto,
            image_hosts: crate::app::images::GUILDED_IMAGE_HOSTS
                .iter()
                .map(|h| (*h).to_owned())
                .collect(),
            store: true,
            store_limit: 50_000,
            store_max_mb: 512,
            theme: BTreeMap::from([("base".to_owned(), "dark".to_owned())]),
            keys: crate::keymap::default_bindings(),
            keymap: Keymap::default(),
            store_dir: None,
        }
    }
}

/// How message times are shown (`clock`): parsed once here, so a bad value is a config error
/// with its line, and drawing never re-reads the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(try_from = "String")]
pub enum Clock {
    /// `14:05`
    #[default]
    #[serde(rename = "24h")]
    H24,
    /// `2:05 pm`
    #[serde(rename = "12h")]
    H12,
}

impl TryFrom<String> for Clock {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        match value.as_str() {
            "24h" => Ok(Clock::H24),
            "12h" => Ok(Clock::H12),
            _ => Err(format!("`{value}` is not \"24h\" or \"12h\"")),
        }
    }
}

/// How a notification is delivered (`notify`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum NotifyMode {
    /// A terminal notification (OSC 9 or OSC 777, picked from the terminal) plus the bell
    /// (when `bell_on_mention`).
    #[default]
    Auto,
    /// A terminal notification only.
    Osc,
    /// The bell only.
    Bell,
    /// A desktop notification; gilt has no desktop backend yet, so this is `osc` (logged).
    Desktop,
    /// Nothing.
    None,
}

impl NotifyMode {
    /// The config spelling of each mode.
    pub const NAMES: &[&str] = &["auto", "osc", "bell", "desktop", "none"];
}

impl TryFrom<String> for NotifyMode {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        match value.as_str() {
            "auto" => Ok(NotifyMode::Auto),
            "osc" => Ok(NotifyMode::Osc),
            "bell" => Ok(NotifyMode::Bell),
            "desktop" => Ok(NotifyMode::Desktop),
            "none" => Ok(NotifyMode::None),
            _ => Err(format!(
                "`{value}` is not one of {}",
                NotifyMode::NAMES.join(", ")
            )),
        }
    }
}

impl From<NotifyMode> for &'static str {
    fn from(mode: NotifyMode) -> Self {
        match mode {
            NotifyMode::Auto => "auto",
            NotifyMode::Osc => "osc",
            NotifyMode::Bell => "bell",
            NotifyMode::Desktop => "desktop",
            NotifyMode::None => "none",
        }
    }
}

/// Whether images in messages are previewed (`images`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum ImagesMode {
    /// Previews drawn with half blocks (any terminal, also over SSH).
    #[default]
    Auto,
    /// No previews: images stay `[image] url` lines.
    Off,
}

impl TryFrom<String> for ImagesMode {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        match value.as_str() {
            "auto" => Ok(ImagesMode::Auto),
            "off" => Ok(ImagesMode::Off),
            _ => Err(format!("`{value}` is not \"auto\" or \"off\"")),
        }
    }
}

impl From<ImagesMode> for &'static str {
    fn from(mode: ImagesMode) -> Self {
        match mode {
            ImagesMode::Auto => "auto",
            ImagesMode::Off => "off",
        }
    }
}

/// How image previews are drawn (`image_protocol`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum ImageProtocol {
    /// The best the terminal answers to at start-up; half blocks inside tmux or when unsure.
    #[default]
    Auto,
    /// The kitty graphics protocol (kitty, Ghostty, WezTerm, Konsole).
    Kitty,
    /// Sixel graphics (foot, xterm -ti vt340, mlterm, WezTerm, Windows Terminal…).
    Sixel,
    /// iTerm2's inline images (iTerm2, WezTerm, mintty…).
    Iterm2,
    /// Coloured half-block characters: any colour terminal, also over SSH and in tmux.
    HalfBlocks,
}

impl TryFrom<String> for ImageProtocol {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        match value.as_str() {
            "auto" => Ok(ImageProtocol::Auto),
            "kitty" => Ok(ImageProtocol::Kitty),
            "sixel" => Ok(ImageProtocol::Sixel),
            "iterm2" => Ok(ImageProtocol::Iterm2),
            "halfblocks" => Ok(ImageProtocol::HalfBlocks),
            _ => Err(format!(
                "`{value}` is not one of auto, kitty, sixel, iterm2, halfblocks"
            )),
        }
    }
}

impl From<ImageProtocol> for &'static str {
    fn from(p: ImageProtocol) -> Self {
        match p {
            ImageProtocol::Auto => "auto",
            ImageProtocol::Kitty => "kitty",
            ImageProtocol::Sixel => "sixel",
            ImageProtocol::Iterm2 => "iterm2",
            ImageProtocol::HalfBlocks => "halfblocks",
        }
    }
}

/// The top-level keys a config file may contain (kept in step with `Config` by a test).
pub const TOP_LEVEL_KEYS: &[&str] = &[
    "api_url",
    "gateway_url",
    "email",
    "password_command",
    "log_level",
    "send_typing",
    "history_limit",
    "loaded_channels",
    "clock",
    "bell_on_mention",
    "notify",
    "set_title",
    "mouse",
    "images",
    "image_protocol",
    "image_hosts",
    "store",
    "store_limit",
    "store_max_mb",
    "theme",
    "keys",
];

/// A config file that cannot be used, with enough detail to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file that was read.
    pub path: PathBuf,
    /// 1-based line of the problem, when known.
    pub line: Option<usize>,
    /// The offending key (`keys.quit` for a key binding), when known.
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
    /// The closest valid key name, for unknown keys.
    pub suggestion: Option<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        if let Some(key) = &self.key {
            write!(f, "key `{key}`: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean `{s}`?)")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Load the config from `path`. A missing file at the default location means "all
    /// defaults"; a missing file the user named explicitly (`explicit`) is an error.
    pub fn load(path: &Path, explicit: bool) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                Ok(Config::default())
            }
            Err(e) => Err(ConfigError {
                path: path.to_path_buf(),
                line: None,
                key: None,
                message: format!("cannot read the config file: {e}"),
                suggestion: None,
            }),
        }
    }

    /// Parse and validate config text; `path` is only used in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config: Config =
            toml::from_str(text).map_err(|e| from_toml_error(&e, text, path))?;
        config.keymap =
            crate::keymap::validate(&config.keys).map_err(|e| keys_error(&e, text, path))?;
        // A `[keys]` table patches the defaults instead of replacing them.
        let mut keys = crate::keymap::default_bindings();
        keys.append(&mut config.keys);
        config.keys = keys;
        config.validate(text, path)?;
        Ok(config)
    }

    fn validate(&self, text: &str, path: &Path) -> Result<(), ConfigError> {
        let fail = |key: &str, message: String| ConfigError {
            path: path.to_path_buf(),
            line: find_key_line(text, None, key),
            key: Some(key.to_owned()),
            message,
            suggestion: None,
        };
        check_url(&self.api_url, &["http", "https"]).map_err(|m| fail("api_url", m))?;
        check_url(&self.gateway_url, &["ws", "wss"]).map_err(|m| fail("gateway_url", m))?;
        if !LOG_LEVELS.contains(&self.log_level.as_str()) {
            return Err(fail(
                "log_level",
                format!(
                    "`{}` is not one of {}",
                    self.log_level,
                    LOG_LEVELS.join(", ")
                ),
            ));
        }
        if self.history_limit < 100 {
            return Err(fail("history_limit", "must be at least 100".to_owned()));
        }
        if self.loaded_channels == 0 {
            return Err(fail("loaded_channels", "must be at least 1".to_owned()));
        }
        if self.store_limit < 100 {
            return Err(fail("store_limit", "must be at least 100".to_owned()));
        }
        if self.store_max_mb == 0 {
            return Err(fail("store_max_mb", "must be at least 1".to_owned()));
        }
        if let Err((key, message)) = crate::ui::theme::Theme::from_config(
            &self.theme,
            false,
            crate::ui::theme::ColorDepth::Full,
        ) {
            let mut names = crate::ui::theme::ELEMENTS.to_vec();
            names.push("base");
            return Err(ConfigError {
                path: path.to_path_buf(),
                line: find_key_line(text, Some("theme"), &key),
                suggestion: (message == "unknown theme element")
                    .then(|| closest(&key, &names).map(str::to_owned))
                    .flatten(),
                key: Some(format!("theme.{key}")),
                message,
            });
        }
        Ok(())
    }
}

/// A rejected `[keys]` table as a config error on the line of the binding at fault: for a
/// clash, the one the user wrote (the later one if both are).
fn keys_error(e: &KeymapError, text: &str, path: &Path) -> ConfigError {
    let (name, line) = e
        .commands()
        .into_iter()
        .map(|name| (name, find_key_line(text, Some("keys"), name)))
        .max_by_key(|(_, line)| *line)
        .unwrap_or(("", None));
    let (message, suggestion) = match e {
        KeymapError::UnknownCommand { name, .. } => {
            let valid: Vec<&str> = crate::app::Command::ALL.iter().map(|c| c.name()).collect();
            (
                "unknown command in [keys]".to_owned(),
                closest(name, &valid).map(str::to_owned),
            )
        }
        KeymapError::BadChord { reason, .. } => (format!("bad key chord {reason}"), None),
        KeymapError::TextKey { chord, context, .. } => (
            format!(
                "{chord} is a plain character, typed as text {context}; use a chord with Ctrl or Alt"
            ),
            None,
        ),
        KeymapError::Conflict {
            chord,
            first,
            second,
            context,
        } => {
            let other = if name == first { second } else { first };
            (
                format!("`{chord}` is also bound to `{other}`, and both would apply {context}"),
                None,
            )
        }
    };
    ConfigError {
        path: path.to_path_buf(),
        line,
        key: Some(format!("keys.{name}")),
        message,
        suggestion,
    }
}

/// Check that `url` parses and uses one of `schemes`; the error is a human sentence.
pub fn check_url(url: &str, schemes: &[&str]) -> Result<(), String> {
    let parsed =
        reqwest::Url::parse(url).map_err(|e| format!("`{url}` is not a valid URL ({e})"))?;
    if schemes.contains(&parsed.scheme()) {
        Ok(())
    } else {
        Err(format!(
            "`{url}` must start with {}",
            schemes
                .iter()
                .map(|s| format!("{s}://"))
                .collect::<Vec<_>>()
                .join(" or ")
        ))
    }
}

/// Check that `url` is encrypted (`https`, `wss`) or stays on this machine (a loopback
/// address or `localhost`): the password and the session cookie must not cross a network in
/// the clear. `--insecure` skips this check; the error says so.
pub fn check_encrypted(url: &str) -> Result<(), String> {
    let parsed =
        reqwest::Url::parse(url).map_err(|e| format!("`{url}` is not a valid URL ({e})"))?;
    if !matches!(parsed.scheme(), "http" | "ws") {
        return Ok(());
    }
    let host = parsed.host_str().unwrap_or_default();
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback {
        return Ok(());
    }
    Err(format!(
        "`{url}` is not encrypted: the password and session cookie would cross the network \
         to {host} in the clear. Use {}:// instead, or pass --insecure if you really mean it",
        if parsed.scheme() == "http" {
            "https"
        } else {
            "wss"
        }
    ))
}

fn from_toml_error(e: &toml::de::Error, text: &str, path: &Path) -> ConfigError {
    let line = e.span().map(|span| line_of(text, span.start));
    let message = e.message().trim().to_owned();
    // serde names an unknown field as: unknown field `x`, expected one of `a`, `b`
    let unknown = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
        .map(str::to_owned);
    let (key, message, suggestion) = if let Some(name) = unknown {
        let suggestion = closest(&name, TOP_LEVEL_KEYS).map(str::to_owned);
        (Some(name), "unknown key".to_owned(), suggestion)
    } else {
        let key = line.and_then(|l| key_on_line(text, l));
        (key, message, None)
    };
    ConfigError {
        path: path.to_path_buf(),
        line,
        key,
        message,
        suggestion,
    }
}

/// 1-based line number of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()
        .get(..end)
        .map_or(0, |head| head.split(|&b| b == b'\n').count() - 1)
        + 1
}

/// The key assigned on a 1-based line (`name = …`), if the line is an assignment.
fn key_on_line(text: &str, line: usize) -> Option<String> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let (key, _) = l.split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty() && !key.starts_with('#')).then(|| key.to_owned())
}

/// Find the line where `key` is assigned inside `table` (None = top level).
fn find_key_line(text: &str, table: Option<&str>, key: &str) -> Option<usize> {
    let mut current: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if let Some(header) = l.strip_prefix('[').and_then(|h| h.split(']').next()) {
            current = Some(header.trim().to_owned());
            continue;
        }
        if current.as_deref() == table
            && let Some((k, _)) = l.split_once('=')
            && k.trim().trim_matches('"') == key
        {
            return Some(i + 1);
        }
    }
    None
}

/// The valid name closest to `name` by edit distance, if it is close enough to be a typo.
pub fn closest<'a>(name: &str, valid: &[&'a str]) -> Option<&'a str> {
    crate::suggest::closest(name, valid.iter().copied(), |v| {
        (v.len().max(name.len()) / 2).max(2)
    })
}

#[cfg(test)]
mod tests;
