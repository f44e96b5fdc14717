//! Key chords as people read them in hints ("Ctrl-K", "Alt-↑", "F1"), from the user's keymap,
//! so hints follow remapped keys.
//!
//! Rule: display only.

use crate::app::Command;
use crate::keymap::{Chord, Keymap};

/// The first chord bound to `command`, for a hint; None when unbound.
pub(crate) fn hint(keymap: &Keymap, command: Command) -> Option<String> {
    keymap.chords(command).first().map(pretty)
}

/// "Ctrl-Alt-K", "Shift-Enter", "?", "PgUp".
pub(crate) fn pretty(chord: &Chord) -> String {
    chord.label()
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
