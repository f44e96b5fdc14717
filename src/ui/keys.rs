//! Key chords as people read them in hints ("Ctrl-K", "Alt-↑", "F1"), from the user's keymap,
//! so hints follow remapped keys.
//!
//! Rule: display only.

use crossterm::event::{KeyCode, KeyModifiers};

use crate::app::Command;
use crate::keymap::{Chord, Keymap};

/// The first chord bound to `command`, for a hint; None when unbound.
pub(crate) fn hint(keymap: &Keymap, command: Command) -> Option<String> {
    keymap.chords(command).first().map(pretty)
}

/// "Ctrl-Alt-K", "Shift-Enter", "?", "PgUp".
pub(crate) fn pretty(chord: &Chord) -> String {
    let key = match chord.code {
        KeyCode::Char(' ') => "Space".to_owned(),
        KeyCode::Char(c)
            if chord
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            c.to_uppercase().to_string()
        }
        KeyCode::Char(c) => c.to_string(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::Enter => "Enter".to_owned(),
        KeyCode::Tab => "Tab".to_owned(),
        KeyCode::BackTab => "Shift-Tab".to_owned(),
        KeyCode::Esc => "Esc".to_owned(),
        KeyCode::Backspace => "Backspace".to_owned(),
        KeyCode::Delete => "Del".to_owned(),
        KeyCode::Insert => "Ins".to_owned(),
        KeyCode::Home => "Home".to_owned(),
        KeyCode::End => "End".to_owned(),
        KeyCode::PageUp => "PgUp".to_owned(),
        KeyCode::PageDown => "PgDn".to_owned(),
        KeyCode::Up => "↑".to_owned(),
        KeyCode::Down => "↓".to_owned(),
        KeyCode::Left => "←".to_owned(),
        KeyCode::Right => "→".to_owned(),
        other => format!("{other:?}"),
    };
    let mut out = String::new();
    for (m, name) in [
        (KeyModifiers::CONTROL, "Ctrl-"),
        (KeyModifiers::ALT, "Alt-"),
        (KeyModifiers::SHIFT, "Shift-"),
    ] {
        if chord.modifiers.contains(m) {
            out.push_str(name);
        }
    }
    out.push_str(&key);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chords_read_like_key_caps() {
        let p = |s: &str| pretty(&Chord::parse(s).unwrap());
        assert_eq!(p("<C-k>"), "Ctrl-K");
        assert_eq!(p("<A-S-Up>"), "Alt-Shift-↑");
        assert_eq!(p("<F1>"), "F1");
        assert_eq!(p("?"), "?");
        assert_eq!(p("<PageUp>"), "PgUp");
    }
}
