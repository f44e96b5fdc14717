//! Key chords as people read them in hints ("Ctrl-K", "Alt-↑", "F1"), from the user's keymap,
//! so hints follow remapped keys.
//!
//! Rule: display only.

use crate::app::Command;
use crate::keymap::Keymap;

/// The first chord bound to `command`, for a hint; None when unbound.
pub(crate) fn hint(keymap: &Keymap, command: Command) -> Option<String> {
    keymap.chords(command).first().map(|k| k.label())
}

/// The first chords of several commands read as one hint: "↑↓" (single symbols run together),
/// "Ctrl-P/Ctrl-N"; None when one of them is unbound.
pub(crate) fn hint_of_all(keymap: &Keymap, commands: &[Command]) -> Option<String> {
    let labels: Vec<String> = commands
        .iter()
        .map(|c| hint(keymap, *c))
        .collect::<Option<_>>()?;
    let joiner = if labels.iter().all(|l| l.chars().count() == 1) {
        ""
    } else {
        "/"
    };
    Some(labels.join(joiner))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::key::Key;

    #[test]
    fn chords_read_like_key_caps() {
        let p = |s: &str| Key::parse(s).unwrap().label();
        assert_eq!(p("<C-k>"), "Ctrl-K");
        assert_eq!(p("<A-S-Up>"), "Alt-Shift-↑");
        assert_eq!(p("<F1>"), "F1");
        assert_eq!(p("?"), "?");
        assert_eq!(p("<PageUp>"), "PgUp");
    }

    #[test]
    fn hints_for_several_commands_read_as_one() {
        let km = Keymap::default();
        let both = [Command::SwitcherUp, Command::SwitcherDown];
        assert_eq!(hint_of_all(&km, &both).as_deref(), Some("↑↓"));
        let user = [("switcher_up", "<C-p>"), ("switcher_down", "<C-n>")]
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let km = crate::keymap::validate(&user).unwrap();
        assert_eq!(hint_of_all(&km, &both).as_deref(), Some("Ctrl-P/Ctrl-N"));
        let user = [("switcher_up", "")]
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let km = crate::keymap::validate(&user).unwrap();
        assert_eq!(hint_of_all(&km, &both), None);
    }
}
