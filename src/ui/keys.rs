//! Key chords as people read them in hints ("Ctrl-K", "Alt-↑", "F1"), from the user's keymap,
//! so hints follow remapped keys.
//!
//! Rule: display only.

use crate::app::Command;
use crate::app::key::Key;
use crate::keymap::Keymap;

/// The first chord bound to `command`, for a hint; None when unbound.
pub(crate) fn hint(keymap: &Keymap, command: Command) -> Option<String> {
    keymap.chords(command).first().copied().map(pretty)
}

/// "Ctrl-Alt-K", "Shift-Enter", "?", "PgUp".
pub(crate) fn pretty(key: Key) -> String {
    key.label()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chords_read_like_key_caps() {
        let p = |s: &str| pretty(Key::parse(s).unwrap());
        assert_eq!(p("<C-k>"), "Ctrl-K");
        assert_eq!(p("<A-S-Up>"), "Alt-Shift-↑");
        assert_eq!(p("<F1>"), "F1");
        assert_eq!(p("?"), "?");
        assert_eq!(p("<PageUp>"), "PgUp");
    }
}
