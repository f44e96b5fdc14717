//! The one place a terminal key or mouse event becomes the app's [`Key`] ([`key`]) or
//! [`Mouse`] ([`mouse`]).

use crossterm::event::{
    KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use crate::app::key::{Key, KeyCode, Mods};
use crate::app::mouse::{Mouse, MouseAction};

/// A terminal key event as the app's key: presses and repeats only (a release is not a
/// keystroke), and only keys something can be bound to (media keys, lone modifiers, Caps Lock
/// and the like are dropped).
pub fn key(event: &KeyEvent) -> Option<Key> {
    use crossterm::event::KeyCode as Term;
    if event.kind == KeyEventKind::Release {
        return None;
    }
    let code = match event.code {
        Term::Char(c) => KeyCode::Char(c),
        Term::F(n) => KeyCode::F(n),
        Term::Enter => KeyCode::Enter,
        Term::Tab => KeyCode::Tab,
        Term::BackTab => KeyCode::BackTab,
        Term::Esc => KeyCode::Esc,
        Term::Backspace => KeyCode::Backspace,
        Term::Delete => KeyCode::Delete,
        Term::Insert => KeyCode::Insert,
        Term::Home => KeyCode::Home,
        Term::End => KeyCode::End,
        Term::PageUp => KeyCode::PageUp,
        Term::PageDown => KeyCode::PageDown,
        Term::Up => KeyCode::Up,
        Term::Down => KeyCode::Down,
        Term::Left => KeyCode::Left,
        Term::Right => KeyCode::Right,
        _ => return None,
    };
    let mut mods = Mods::NONE;
    for (term, app) in [
        (KeyModifiers::CONTROL, Mods::CTRL),
        (KeyModifiers::ALT, Mods::ALT),
        (KeyModifiers::SHIFT, Mods::SHIFT),
    ] {
        if event.modifiers.contains(term) {
            mods |= app;
        }
    }
    Some(Key::new(code, mods))
}

/// A terminal mouse event as the app's mouse input: left-button presses and wheel notches
/// (moves, drags, releases and other buttons do nothing in gilt).
pub fn mouse(event: &MouseEvent) -> Option<Mouse> {
    let action = match event.kind {
        MouseEventKind::Down(MouseButton::Left) => MouseAction::Click,
        MouseEventKind::ScrollUp => MouseAction::WheelUp,
        MouseEventKind::ScrollDown => MouseAction::WheelDown,
        _ => return None,
    };
    Some(Mouse {
        action,
        column: event.column,
        row: event.row,
    })
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode as Term, KeyEventKind, KeyEventState};

    use super::*;

    fn event(code: Term, modifiers: KeyModifiers, kind: KeyEventKind) -> KeyEvent {
        KeyEvent {
            code,
            modifiers,
            kind,
            state: KeyEventState::NONE,
        }
    }

    #[test]
    fn presses_and_repeats_become_keys_releases_do_not() {
        let press = event(Term::Char('k'), KeyModifiers::CONTROL, KeyEventKind::Press);
        assert_eq!(key(&press), Some(Key::new(KeyCode::Char('k'), Mods::CTRL)));
        let repeat = event(Term::Down, KeyModifiers::NONE, KeyEventKind::Repeat);
        assert_eq!(key(&repeat), Some(Key::plain(KeyCode::Down)));
        let release = event(Term::Char('x'), KeyModifiers::NONE, KeyEventKind::Release);
        assert_eq!(key(&release), None);
    }

    #[test]
    fn left_clicks_and_wheel_notches_become_mouse_input_the_rest_not() {
        let at = |kind| MouseEvent {
            kind,
            column: 7,
            row: 3,
            modifiers: KeyModifiers::NONE,
        };
        let click = at(MouseEventKind::Down(MouseButton::Left));
        assert_eq!(
            mouse(&click),
            Some(Mouse {
                action: MouseAction::Click,
                column: 7,
                row: 3
            })
        );
        assert_eq!(
            mouse(&at(MouseEventKind::ScrollUp)).map(|m| m.action),
            Some(MouseAction::WheelUp)
        );
        assert_eq!(
            mouse(&at(MouseEventKind::ScrollDown)).map(|m| m.action),
            Some(MouseAction::WheelDown)
        );
        for kind in [
            MouseEventKind::Up(MouseButton::Left),
            MouseEventKind::Down(MouseButton::Right),
            MouseEventKind::Drag(MouseButton::Left),
            MouseEventKind::Moved,
        ] {
            assert_eq!(mouse(&at(kind)), None);
        }
    }

    #[test]
    fn keys_are_normalised_and_unbindable_ones_dropped() {
        let shift_g = event(Term::Char('G'), KeyModifiers::SHIFT, KeyEventKind::Press);
        assert_eq!(key(&shift_g), Key::parse("G").ok());
        // Super/Hyper/Meta are not modifiers gilt binds: the key is read without them.
        let alt_super = event(
            Term::Up,
            KeyModifiers::ALT | KeyModifiers::SUPER,
            KeyEventKind::Press,
        );
        assert_eq!(key(&alt_super), Key::parse("<A-Up>").ok());
        let shift_tab = event(Term::Tab, KeyModifiers::SHIFT, KeyEventKind::Press);
        assert_eq!(key(&shift_tab), Some(Key::plain(KeyCode::BackTab)));
        for code in [Term::CapsLock, Term::Null, Term::Menu, Term::KeypadBegin] {
            assert_eq!(
                key(&event(code, KeyModifiers::NONE, KeyEventKind::Press)),
                None
            );
        }
    }
}
