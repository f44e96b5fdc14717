//! Terminal input: key routing (popup, focused pane, global bindings) and resizes.

use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::View;
use super::channels::set_focus;
use super::commands::run_command;
use super::compose::{composer_edit, edit_last};
use super::popups::popup_key;
use crate::app::command::{Command, Scope};
use crate::app::msg::Effect;
use crate::app::{App, Focus};

/// A key press or repeat; releases are ignored.
pub(super) fn on_key(app: &mut App, key: KeyEvent, now: Instant, fx: &mut Vec<Effect>) -> View {
    if key.kind == KeyEventKind::Release {
        return View::Unchanged;
    }
    route_key(app, key, now, fx);
    View::Changed
}

/// The terminal size changed: page sizes follow it.
pub(super) fn on_resize(app: &mut App, width: u16, height: u16) -> View {
    app.size = (width, height);
    View::Changed
}

fn route_key(app: &mut App, key: KeyEvent, now: Instant, fx: &mut Vec<Effect>) {
    if app.keymap.lookup(&key, Scope::Global) == Some(Command::Quit) {
        run_command(app, Command::Quit, now, fx);
        return;
    }
    if app.popup.is_some() {
        popup_key(app, key, now, fx);
        return;
    }
    let scope = match app.focus {
        Focus::Sidebar => Scope::Sidebar,
        Focus::Timeline => Scope::Timeline,
        Focus::Composer => Scope::Composer,
    };
    let plain_char = matches!(key.code, KeyCode::Char(_))
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    if app.focus == Focus::Composer && plain_char {
        composer_edit(app, key, now, fx);
        return;
    }
    let command = app
        .keymap
        .lookup(&key, scope)
        .or_else(|| app.keymap.lookup(&key, Scope::Global));
    if let Some(command) = command {
        run_command(app, command, now, fx);
        return;
    }
    match app.focus {
        Focus::Composer => {
            if key.code == KeyCode::Up && key.modifiers.is_empty() && app.composer.is_empty() {
                edit_last(app);
            } else {
                composer_edit(app, key, now, fx);
            }
        }
        Focus::Timeline | Focus::Sidebar => {
            if plain_char {
                // Typing anywhere goes to the composer.
                set_focus(app, Focus::Composer);
                composer_edit(app, key, now, fx);
            }
        }
    }
}
