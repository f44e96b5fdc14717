//! Operating-system commands written to the terminal: notifications (OSC 9, OSC 777), the
//! window title (OSC 2) and hyperlinks (OSC 8); wrapped for tmux where they must pass through.
//!
//! Pure: each function returns bytes, and the terminal is picked from environment values
//! handed in, so everything here is testable; the runtime writes the bytes. Every text field
//! is cleaned of control characters first, so untrusted text cannot end the sequence early or
//! start another one.

use crate::app::Notification;
use crate::config::NotifyMode;

/// The notification sequence a terminal understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OscStyle {
    /// `ESC ] 9 ; text BEL`: iTerm2, kitty, WezTerm, Ghostty, Windows Terminal, ConEmu.
    Osc9,
    /// `ESC ] 777 ; notify ; title ; body BEL`: foot, urxvt, VTE terminals (GNOME Terminal…).
    Osc777,
}

/// How notifications reach the user, decided once at start-up from the config and the
/// environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notifier {
    /// The terminal notification, if any.
    pub osc: Option<OscStyle>,
    /// Ring the bell too.
    pub bell: bool,
    /// Inside tmux: wrap the OSC for passthrough.
    pub tmux: bool,
    /// Show a desktop notification instead (`notify = "desktop"` where it is usable).
    pub desktop: bool,
}

impl Notifier {
    /// Writes nothing.
    pub const SILENT: Notifier = Notifier {
        osc: None,
        bell: false,
        tmux: false,
        desktop: false,
    };

    /// The notifier for `mode`, with the terminal read from `env` (a lookup of environment
    /// variables). `bell_on_mention` keeps its meaning in `auto`.
    pub fn new(
        mode: NotifyMode,
        bell_on_mention: bool,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Notifier {
        let style = detect_style(env);
        let desktop = mode == NotifyMode::Desktop && crate::desktop::usable(env);
        let (osc, bell) = match mode {
            _ if desktop => (None, false),
            NotifyMode::Auto => (Some(style), bell_on_mention),
            // Desktop without a session bus, or over SSH: the terminal's.
            NotifyMode::Osc | NotifyMode::Desktop => (Some(style), false),
            NotifyMode::Bell => (None, true),
            NotifyMode::None => (None, false),
        };
        Notifier {
            osc,
            bell,
            tmux: env("TMUX").is_some_and(|v| !v.is_empty()),
            desktop,
        }
    }

    /// The bytes that announce `note`.
    pub fn bytes(&self, note: &Notification) -> Vec<u8> {
        let mut out = Vec::new();
        if let Some(style) = self.osc {
            let seq = notification(style, &note.title, &note.body);
            if self.tmux {
                out.extend(tmux_passthrough(&seq));
            } else {
                out.extend(seq);
            }
        }
        if self.bell {
            out.push(0x07);
        }
        out
    }
}

/// The notification sequence of the terminal described by `env`. OSC 9 unless the terminal
/// is one known to want OSC 777 (inside tmux, the variables the outer terminal exported are
/// still there when tmux was started from it).
pub fn detect_style(env: &dyn Fn(&str) -> Option<String>) -> OscStyle {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    let term = env("TERM").unwrap_or_default();
    let program = env("TERM_PROGRAM").unwrap_or_default();
    let osc9_program = ["iTerm.app", "WezTerm", "ghostty", "vscode"].contains(&program.as_str());
    if osc9_program || set("KITTY_WINDOW_ID") || set("WT_SESSION") || term == "xterm-kitty" {
        return OscStyle::Osc9;
    }
    if term.starts_with("foot") || term.starts_with("rxvt") || set("VTE_VERSION") {
        return OscStyle::Osc777;
    }
    OscStyle::Osc9
}

/// A notification sequence (fields cleaned; `;` would split OSC 777's fields, so it becomes
/// `,` there).
pub fn notification(style: OscStyle, title: &str, body: &str) -> Vec<u8> {
    match style {
        OscStyle::Osc9 => {
            let text = if body.is_empty() {
                clean(title)
            } else {
                format!("{}: {}", clean(title), clean(body))
            };
            format!("\x1b]9;{text}\x07").into_bytes()
        }
        OscStyle::Osc777 => {
            let field = |s: &str| clean(s).replace(';', ",");
            format!("\x1b]777;notify;{};{}\x07", field(title), field(body)).into_bytes()
        }
    }
}

/// `ESC ] 2 ; title BEL`: set the window title.
pub fn window_title(title: &str) -> Vec<u8> {
    format!("\x1b]2;{}\x07", clean(title)).into_bytes()
}

/// Save the window title on the terminal's title stack (xterm `CSI 22 ; 0 t`).
pub const PUSH_TITLE: &[u8] = b"\x1b[22;0t";
/// Restore the window title saved by [`PUSH_TITLE`] (`CSI 23 ; 0 t`).
pub const POP_TITLE: &[u8] = b"\x1b[23;0t";

/// Wrap a sequence for tmux's passthrough (`ESC P tmux ; … ESC \`, every ESC inside
/// doubled), so it reaches the outer terminal.
pub fn tmux_passthrough(seq: &[u8]) -> Vec<u8> {
    let mut out = b"\x1bPtmux;".to_vec();
    for &b in seq {
        if b == 0x1b {
            out.push(0x1b);
        }
        out.push(b);
    }
    out.extend_from_slice(b"\x1b\\");
    out
}

/// Text safe inside an OSC string: sanitised (no escape, BEL or other control characters —
/// any of them could end the sequence), on one line.
pub fn clean(text: &str) -> String {
    let clean = crate::sanitize::sanitize(text);
    clean
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A URL safe inside OSC 8: only printable ASCII without spaces (URLs are percent-encoded,
/// so anything else is not a URL we should hand to the terminal). `None` when unsafe.
pub fn hyperlink_target(url: &str) -> Option<&str> {
    (!url.is_empty() && url.len() <= 2048 && url.bytes().all(|b| b.is_ascii_graphic()))
        .then_some(url)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn escapes(bytes: &[u8]) -> usize {
        bytes.split(|&b| b == 0x1b).count() - 1
    }

    fn note(title: &str, body: &str) -> Notification {
        Notification {
            title: title.to_owned(),
            body: body.to_owned(),
        }
    }

    #[test]
    fn the_terminal_picks_the_sequence() {
        for (pairs, style) in [
            (vec![("TERM_PROGRAM", "iTerm.app")], OscStyle::Osc9),
            (vec![("TERM", "xterm-kitty")], OscStyle::Osc9),
            (vec![("TERM_PROGRAM", "WezTerm")], OscStyle::Osc9),
            (vec![("WT_SESSION", "x")], OscStyle::Osc9),
            (vec![("TERM", "foot")], OscStyle::Osc777),
            (vec![("TERM", "rxvt-unicode-256color")], OscStyle::Osc777),
            (
                vec![("TERM", "xterm-256color"), ("VTE_VERSION", "7600")],
                OscStyle::Osc777,
            ),
            (vec![("TERM", "xterm-256color")], OscStyle::Osc9),
        ] {
            assert_eq!(detect_style(&env_of(&pairs)), style, "{pairs:?}");
        }
    }

    #[test]
    fn osc_9_and_777_bytes() {
        assert_eq!(
            notification(OscStyle::Osc9, "alice in #general", "hi @me"),
            b"\x1b]9;alice in #general: hi @me\x07"
        );
        assert_eq!(
            notification(OscStyle::Osc777, "alice; bob", "a;b"),
            b"\x1b]777;notify;alice, bob;a,b\x07"
        );
    }

    #[test]
    fn untrusted_text_cannot_end_or_start_a_sequence() {
        let hostile = "x\x07\x1b]52;c;cHduZWQ=\x07\x1b\\\u{9c}\u{90}\ny";
        for style in [OscStyle::Osc9, OscStyle::Osc777] {
            let bytes = notification(style, hostile, hostile);
            let inner = &bytes[..bytes.len() - 1];
            assert_eq!(bytes.last(), Some(&0x07));
            assert_eq!(escapes(inner), 1, "{bytes:?}");
            assert!(!inner.contains(&0x07) && !inner.contains(&b'\n'));
            let text = String::from_utf8(bytes).unwrap();
            assert!(!text.contains('\u{9c}') && !text.contains('\u{90}'));
        }
        let title = window_title(hostile);
        assert_eq!(escapes(&title), 1);
    }

    #[test]
    fn tmux_passthrough_doubles_escapes() {
        assert_eq!(
            tmux_passthrough(b"\x1b]9;hi\x07"),
            b"\x1bPtmux;\x1b\x1b]9;hi\x07\x1b\\"
        );
        let inside = Notifier::new(
            NotifyMode::Osc,
            true,
            &env_of(&[("TMUX", "/tmp/tmux-1000/default,1,0"), ("TERM", "foot")]),
        );
        assert_eq!(
            inside.bytes(&note("a", "b")),
            b"\x1bPtmux;\x1b\x1b]777;notify;a;b\x07\x1b\\"
        );
    }

    #[test]
    fn the_mode_decides_osc_and_bell() {
        let env = env_of(&[("TERM", "xterm-256color")]);
        let n = note("alice", "hi");
        let osc9 = b"\x1b]9;alice: hi\x07".to_vec();
        let with_bell = [osc9.as_slice(), b"\x07"].concat();
        assert_eq!(
            Notifier::new(NotifyMode::Auto, true, &env).bytes(&n),
            with_bell
        );
        assert_eq!(Notifier::new(NotifyMode::Auto, false, &env).bytes(&n), osc9);
        assert_eq!(Notifier::new(NotifyMode::Osc, true, &env).bytes(&n), osc9);
        // Desktop without a session bus: the terminal's notification.
        let no_bus = Notifier::new(NotifyMode::Desktop, true, &env);
        assert_eq!((no_bus.bytes(&n), no_bus.desktop), (osc9.clone(), false));
        // With one (and not over SSH): the desktop's, and nothing written to the terminal.
        let bus = env_of(&[("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus")]);
        let desktop = Notifier::new(NotifyMode::Desktop, true, &bus);
        if cfg!(all(unix, not(target_os = "macos"))) {
            assert!(desktop.desktop && desktop.bytes(&n).is_empty());
        }
        // `auto` stays with the terminal (it works through tmux and SSH).
        assert!(!Notifier::new(NotifyMode::Auto, true, &bus).desktop);
        assert_eq!(
            Notifier::new(NotifyMode::Bell, false, &env).bytes(&n),
            b"\x07"
        );
        assert!(
            Notifier::new(NotifyMode::None, true, &env)
                .bytes(&n)
                .is_empty()
        );
    }

    #[test]
    fn hyperlink_targets_must_be_plain_ascii() {
        assert_eq!(
            hyperlink_target("https://example.com/a?b=c#d"),
            Some("https://example.com/a?b=c#d")
        );
        for bad in [
            "",
            "https://x/\x1b\\",
            "https://x/\x07",
            "https://x/ y",
            "https://é",
        ] {
            assert_eq!(hyperlink_target(bad), None, "{bad:?}");
        }
    }
}
