//! Terminal input: each key is resolved by the keymap in the current context (the open popup,
//! else the focused pane) and the command goes where it belongs; plain characters that are not
//! bindings are text. Resizes.

use std::time::Instant;

use super::View;
use super::channels::set_focus;
use super::commands::run_command;
use super::compose::{edit_composer, type_char};
use super::popups::{popup_command, switcher_edit, switcher_type};
use super::reactions::picker_edit;
use crate::app::command::{Command, KeyContext, Scope};
use crate::app::key::Key;
use crate::app::msg::Effect;
use crate::app::{App, Focus, Popup};

/// A key press or repeat (the runtime never forwards releases).
pub(super) fn on_key(app: &mut App, key: Key, now: Instant, fx: &mut Vec<Effect>) -> View {
    route_key(app, key, now, fx);
    View::Changed
}

/// The terminal size changed: page sizes follow it.
pub(super) fn on_resize(app: &mut App, width: u16, height: u16) -> View {
    app.size = (width, height);
    View::Changed
}

/// Where keys go now: the open popup takes them, else the focused pane.
fn key_context(app: &App) -> KeyContext {
    match (&app.popup, app.focus) {
        (Some(Popup::Help { .. }), _) => KeyContext::HelpPopup,
        (Some(Popup::Switcher(_)), _) => KeyContext::Switcher,
        (Some(Popup::Search(_)), _) => KeyContext::Search,
        (Some(Popup::ConfirmDelete { .. }), _) => KeyContext::ConfirmDelete,
        (Some(Popup::ReactionPicker(_)), _) => KeyContext::ReactionPicker,
        (Some(Popup::Reactions { .. }), _) => KeyContext::ReactionsPopup,
        (Some(Popup::LinkPicker { .. }), _) => KeyContext::LinkPicker,
        (Some(Popup::Pins { .. }), _) => KeyContext::PinsPopup,
        (Some(Popup::Status { .. }), _) => KeyContext::StatusPopup,
        (Some(Popup::Activity { .. }), _) => KeyContext::ActivityPopup,
        (None, Focus::Sidebar) => KeyContext::Sidebar,
        (None, Focus::Timeline) => KeyContext::Timeline,
        (None, Focus::Composer) if app.completion.is_some() => KeyContext::Completion,
        (None, Focus::Composer) => KeyContext::Composer,
    }
}

fn route_key(app: &mut App, key: Key, now: Instant, fx: &mut Vec<Effect>) {
    let context = key_context(app);
    if let Some(command) = app.keymap.resolve(key, context) {
        run_in(app, context, command, now, fx);
        return;
    }
    let Some(c) = key.text() else {
        return;
    };
    match context {
        KeyContext::Composer | KeyContext::Completion => type_char(app, c, now, fx),
        // The search's prompt is edited like the switcher's query.
        KeyContext::Switcher | KeyContext::Search => switcher_type(app, c, fx),
        KeyContext::ReactionPicker => picker_edit(app, |q| q.insert_char(c)),
        KeyContext::Sidebar | KeyContext::Timeline => {
            // Typing anywhere goes to the composer.
            set_focus(app, Focus::Composer);
            type_char(app, c, now, fx);
        }
        KeyContext::ReactionsPopup
        | KeyContext::LinkPicker
        | KeyContext::ConfirmDelete
        | KeyContext::HelpPopup
        | KeyContext::PinsPopup
        | KeyContext::StatusPopup
        | KeyContext::ActivityPopup => {}
    }
}

/// Run `command`, resolved in `context`: text editing applies to the text being edited,
/// popup commands to the open popup, everything else to the panes.
fn run_in(
    app: &mut App,
    context: KeyContext,
    command: Command,
    now: Instant,
    fx: &mut Vec<Effect>,
) {
    match command.scope() {
        Scope::Editor if matches!(context, KeyContext::Switcher | KeyContext::Search) => {
            switcher_edit(app, command, fx);
        }
        Scope::Editor if context == KeyContext::ReactionPicker => {
            picker_edit(app, |q| q.apply(command));
        }
        Scope::Editor => edit_composer(app, command, now, fx),
        Scope::Switcher
        | Scope::Search
        | Scope::ReactionPicker
        | Scope::ReactionsPopup
        | Scope::LinkPicker
        | Scope::ConfirmDelete
        | Scope::HelpPopup
        | Scope::PinsPopup
        | Scope::StatusPopup
        | Scope::ActivityPopup => {
            popup_command(app, command, now, fx);
        }
        Scope::Completion => completion_command(app, command),
        Scope::Always | Scope::Global | Scope::Sidebar | Scope::Timeline | Scope::Composer => {
            run_command(app, command, now, fx);
        }
    }
}

/// A key of the completion popup: move, take the selection, or close it for this word.
fn completion_command(app: &mut App, command: Command) {
    let Some(c) = app.completion.as_mut() else {
        return;
    };
    match command {
        Command::CompletionAccept => crate::app::completion::accept(app),
        Command::CompletionPrev => c.selected = c.selected.saturating_sub(1),
        Command::CompletionNext => {
            c.selected = (c.selected + 1).min(c.items.len().saturating_sub(1));
        }
        Command::CompletionClose => {
            app.completion_dismissed = Some(c.start);
            app.completion = None;
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::time::Instant;

    use crate::app::key::{Key, KeyCode, Mods};
    use crate::app::tests::{GENERAL, created, loaded, message};
    use crate::app::{App, Effect, Focus, Msg, Popup, update};
    use crate::keymap;

    fn press(app: &mut App, chord: &str, now: Instant) -> Vec<Effect> {
        update(app, Msg::Key(Key::parse(chord).unwrap()), now)
    }

    fn type_text(app: &mut App, text: &str, now: Instant) {
        for c in text.chars() {
            update(app, Msg::Key(Key::plain(KeyCode::Char(c))), now);
        }
    }

    #[test]
    fn emacs_keys_edit_the_composer_through_the_keymap() {
        let t0 = Instant::now();
        let mut app = loaded(t0);
        type_text(&mut app, "hello world", t0);
        press(&mut app, "<C-w>", t0);
        assert_eq!(app.composer.text(), "hello ");
        press(&mut app, "<C-a>", t0);
        assert_eq!(app.composer.cursor(), 0);
        press(&mut app, "<A-f>", t0);
        assert_eq!(app.composer.cursor(), 5);
        press(&mut app, "<A-k>", t0);
        assert_eq!(app.composer.text(), "hello");
        press(&mut app, "<C-u>", t0);
        assert_eq!(app.composer.text(), "");
        type_text(&mut app, "ab", t0);
        press(&mut app, "<Left>", t0);
        press(&mut app, "<Backspace>", t0);
        assert_eq!(app.composer.text(), "b");
    }

    /// The two conflicts the command table resolved: Ctrl-K and Tab do what help says.
    #[test]
    fn ctrl_k_opens_the_switcher_and_tab_moves_focus_from_the_composer() {
        let t0 = Instant::now();
        let mut app = loaded(t0);
        type_text(&mut app, "draft", t0);
        press(&mut app, "<C-a>", t0);
        press(&mut app, "<C-k>", t0);
        assert!(matches!(app.popup, Some(Popup::Switcher(_))));
        assert_eq!(app.composer.text(), "draft");
        press(&mut app, "<Esc>", t0);
        press(&mut app, "<Tab>", t0);
        assert_eq!(app.focus, Focus::Sidebar);
        assert_eq!(app.composer.text(), "draft");
    }

    #[test]
    fn the_switcher_query_takes_text_and_editing_keys() {
        let t0 = Instant::now();
        let mut app = loaded(t0);
        press(&mut app, "<C-k>", t0);
        // Plain characters are text here, even those bound elsewhere.
        type_text(&mut app, "ran dom?", t0);
        press(&mut app, "<C-w>", t0);
        press(&mut app, "<C-h>", t0);
        let Some(Popup::Switcher(sw)) = &app.popup else {
            panic!("switcher closed")
        };
        assert_eq!(sw.query.text(), "ran");
        press(&mut app, "<C-n>", t0);
        press(&mut app, "<C-p>", t0);
        press(&mut app, "<Enter>", t0);
        assert!(app.popup.is_none());
        assert_eq!(app.focus, Focus::Composer);
    }

    #[test]
    fn popups_take_every_key_but_quit() {
        let t0 = Instant::now();
        let mut app = loaded(t0);
        press(&mut app, "<F1>", t0);
        press(&mut app, "<Tab>", t0);
        press(&mut app, "x", t0);
        assert_eq!(app.focus, Focus::Composer);
        assert!(app.composer.is_empty());
        press(&mut app, "j", t0);
        assert_eq!(app.popup, Some(Popup::Help { scroll: 1 }));
        let fx = press(&mut app, "<C-c>", t0);
        assert_eq!(fx.last(), Some(&Effect::Quit));
        press(&mut app, "q", t0);
        assert!(app.popup.is_none());
    }

    #[test]
    fn popup_and_editing_keys_follow_the_users_bindings() {
        let t0 = Instant::now();
        let bindings: BTreeMap<String, String> = [
            ("help_close", "x"),
            ("delete_to_start", "<C-g>"),
            ("confirm_yes", "<F5>"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let mut app = loaded(t0);
        app.keymap = keymap::validate(&bindings).unwrap();
        press(&mut app, "<F1>", t0);
        press(&mut app, "q", t0);
        assert!(app.popup.is_some(), "q no longer closes the help");
        press(&mut app, "x", t0);
        assert!(app.popup.is_none());
        type_text(&mut app, "some text", t0);
        press(&mut app, "<C-u>", t0);
        assert_eq!(app.composer.text(), "some text");
        press(&mut app, "<C-g>", t0);
        assert_eq!(app.composer.text(), "");
        // Delete our own message: y no longer confirms, F5 does.
        let mut mine = message("m1", GENERAL, crate::app::tests::ME, 1, "bye");
        mine.delivery = crate::app::Delivery::Confirmed;
        update(&mut app, created(mine), t0);
        press(&mut app, "<A-s>", t0);
        press(&mut app, "d", t0);
        assert!(matches!(app.popup, Some(Popup::ConfirmDelete { .. })));
        press(&mut app, "y", t0);
        assert!(matches!(app.popup, Some(Popup::ConfirmDelete { .. })));
        let fx = press(&mut app, "<F5>", t0);
        assert!(app.popup.is_none());
        assert!(
            fx.iter().any(|e| matches!(e, Effect::DeleteMessage { .. })),
            "{fx:?}"
        );
    }

    #[test]
    fn up_in_an_empty_composer_edits_the_last_message_else_moves_a_line() {
        let t0 = Instant::now();
        let mut app = loaded(t0);
        update(
            &mut app,
            created(message("m1", GENERAL, crate::app::tests::ME, 1, "mine")),
            t0,
        );
        type_text(&mut app, "a", t0);
        update(&mut app, Msg::Key(Key::new(KeyCode::Enter, Mods::ALT)), t0);
        type_text(&mut app, "b", t0);
        press(&mut app, "<Up>", t0);
        assert_eq!(app.composer.cursor_line_col(), (0, 1));
        assert!(app.composer.editing.is_none());
        press(&mut app, "<C-e>", t0);
        press(&mut app, "<C-u>", t0);
        press(&mut app, "<Down>", t0);
        press(&mut app, "<C-e>", t0);
        press(&mut app, "<C-u>", t0);
        press(&mut app, "<Backspace>", t0);
        assert!(app.composer.is_empty());
        press(&mut app, "<Up>", t0);
        assert_eq!(app.composer.editing, Some("m1".into()));
        assert_eq!(app.composer.text(), "mine");
    }
}
