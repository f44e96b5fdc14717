//! Commands while a popup is open: help, switcher, delete confirmation, reaction picker. The
//! keymap resolves keys to these only while their popup is open (see `keys::key_context`).

use std::time::Instant;

use super::channels::{open_channel, set_focus};
use super::compose::delete_message;
use super::search;
use crate::app::command::Command;
use crate::app::composer::Edit;
use crate::app::msg::Effect;
use crate::app::navigation::Switcher;
use crate::app::{App, Focus, Popup};

/// Help scrolls this many lines per page key.
const HELP_PAGE: u16 = 10;

/// A command for the open popup; a command for another popup leaves it as it is.
pub(super) fn popup_command(app: &mut App, command: Command, now: Instant, fx: &mut Vec<Effect>) {
    let Some(popup) = app.popup.take() else {
        return;
    };
    app.popup = match popup {
        Popup::Help { scroll } => help_command(scroll, command),
        Popup::Switcher(sw) => switcher_command(app, sw, command, now, fx),
        Popup::Search(sp) => search::search_command(app, sp, command, now, fx),
        Popup::ConfirmDelete {
            channel,
            message_id,
        } => match command {
            Command::ConfirmYes => {
                delete_message(app, &channel, &message_id, fx);
                None
            }
            Command::ConfirmNo => None,
            _ => Some(Popup::ConfirmDelete {
                channel,
                message_id,
            }),
        },
        Popup::ReactionPicker(picker) => {
            super::reactions::picker_command(app, picker, command, now, fx)
        }
        reactions @ Popup::Reactions { .. } => {
            super::reactions::reactions_command(reactions, command)
        }
        Popup::LinkPicker { links, selected } => {
            link_command(app, links, selected, command, now, fx)
        }
        pins @ Popup::Pins { .. } => super::pins::pins_command(app, pins, command, now),
        Popup::Status { selected } => {
            super::members::status_command(app, selected, command, now, fx)
        }
        Popup::Activity { channel, scroll } => {
            super::activity::activity_command(app, channel, scroll, command)
        }
    };
}

/// The link picker: move, open the selected link, or close.
fn link_command(
    app: &mut App,
    links: Vec<String>,
    selected: usize,
    command: Command,
    now: Instant,
    fx: &mut Vec<Effect>,
) -> Option<Popup> {
    let selected = match command {
        Command::LinkClose => return None,
        Command::LinkPrev => selected.saturating_sub(1),
        Command::LinkNext => (selected + 1).min(links.len().saturating_sub(1)),
        Command::LinkOpen => {
            if let Some(url) = links.get(selected) {
                open_link(app, url, now, fx);
            }
            return None;
        }
        _ => selected,
    };
    Some(Popup::LinkPicker { links, selected })
}

/// Open a link: with the system opener here, or copied (OSC 52) when the user is on the
/// other end of SSH; the status bar says which.
pub(super) fn open_link(app: &mut App, url: &str, now: Instant, fx: &mut Vec<Effect>) {
    let shown = crate::sanitize::sanitize(url).into_owned();
    if app.settings.remote {
        fx.push(Effect::Copy(url.to_owned()));
        app.notify(format!("Link copied (over SSH): {shown}"), false, now);
    } else {
        fx.push(Effect::OpenUrl(url.to_owned()));
        app.notify(format!("Opening {shown}"), false, now);
    }
}

fn help_command(scroll: u16, command: Command) -> Option<Popup> {
    let scroll = match command {
        Command::HelpClose => return None,
        Command::HelpUp => scroll.saturating_sub(1),
        Command::HelpDown => scroll.saturating_add(1),
        Command::HelpPageUp => scroll.saturating_sub(HELP_PAGE),
        Command::HelpPageDown => scroll.saturating_add(HELP_PAGE),
        _ => scroll,
    };
    Some(Popup::Help { scroll })
}

fn switcher_command(
    app: &mut App,
    mut sw: Switcher,
    command: Command,
    now: Instant,
    fx: &mut Vec<Effect>,
) -> Option<Popup> {
    match command {
        Command::SwitcherClose => None,
        Command::SwitcherOpen => {
            if let Some(id) = sw.results.get(sw.selected).cloned() {
                open_channel(app, &id, fx);
                set_focus(app, Focus::Composer);
                // A forum or doc opens its activity view in place of the switcher.
                return app.popup.take();
            } else if let Some(user) = sw
                .selected
                .checked_sub(sw.results.len())
                .and_then(|i| sw.people.get(i))
            {
                super::dms::open_dm_with(app, user, now, fx);
            }
            None
        }
        Command::SwitcherUp => {
            sw.selected = sw.selected.saturating_sub(1);
            Some(Popup::Switcher(sw))
        }
        Command::SwitcherDown => {
            sw.selected = (sw.selected + 1).min(sw.len().saturating_sub(1));
            Some(Popup::Switcher(sw))
        }
        _ => Some(Popup::Switcher(sw)),
    }
}

/// An editing command on the switcher's or the search's query (one line: Enter opens, so no
/// newline gets in).
pub(super) fn switcher_edit(app: &mut App, command: Command, fx: &mut Vec<Effect>) {
    edit_query(app, |query| query.apply(command), fx);
}

/// A character typed into the switcher's or the search's query.
pub(super) fn switcher_type(app: &mut App, c: char, fx: &mut Vec<Effect>) {
    edit_query(app, |query| query.insert_char(c), fx);
}

/// Text pasted into the switcher's or the search's query (on one line).
pub(super) fn switcher_paste(app: &mut App, text: &str, fx: &mut Vec<Effect>) {
    edit_query(app, |query| query.insert_str(&text.replace('\n', " ")), fx);
}

fn edit_query(
    app: &mut App,
    edit: impl FnOnce(&mut crate::app::Composer) -> Edit,
    fx: &mut Vec<Effect>,
) {
    if let Some(Popup::Search(_)) = app.popup {
        search::edit(app, edit, fx);
        return;
    }
    let Some(Popup::Switcher(sw)) = &mut app.popup else {
        return;
    };
    let mut sw = std::mem::take(sw);
    if edit(&mut sw.query) == Edit::Changed {
        sw.selected = 0;
        app.refresh_switcher(&mut sw);
    }
    app.popup = Some(Popup::Switcher(sw));
}
