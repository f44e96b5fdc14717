//! Commands from the keymap (`run_command`) for the panes: navigation, scrolling, selection
//! actions, sending. Text editing and popup commands are routed by `keys` before this.

use std::time::Instant;

use super::channels::{
    current_timeline_mut, open_channel, select_team, selected_message, set_focus,
};
use super::compose::{cancel, edit_composer, edit_last, retry_failed, send, start_edit, type_char};
use super::history::{maybe_load_older, maybe_reload_latest};
use crate::app::command::Command;
use crate::app::model::{Delivery, LinkStatus};
use crate::app::msg::Effect;
use crate::app::navigation::{SidebarEntry, Switcher};
use crate::app::{App, Focus, Popup};

/// Run one keymap command of the panes (scopes `Always`, `Global`, `Sidebar`, `Timeline`,
/// `Composer`).
pub(super) fn run_command(app: &mut App, command: Command, now: Instant, fx: &mut Vec<Effect>) {
    let rows = app.timeline_rows();
    match command {
        Command::Quit => {
            if let Some(ch) = app.current.clone() {
                app.typing.stop(&ch);
            }
            fx.push(Effect::SaveState(app.persisted_state()));
            fx.push(Effect::Quit);
        }
        Command::Help => {
            app.popup = match app.popup {
                Some(Popup::Help { .. }) => None,
                _ => Some(Popup::Help { scroll: 0 }),
            };
        }
        Command::Search => super::search::open(app),
        Command::Switcher => {
            let mut sw = Switcher::default();
            app.refresh_switcher(&mut sw);
            app.popup = Some(Popup::Switcher(sw));
        }
        Command::PrevChannel | Command::NextChannel => {
            let delta = if command == Command::NextChannel {
                1
            } else {
                -1
            };
            let order = app.visible_channel_order();
            if let Some(id) = app.step_channel(&order, delta, |_| true) {
                open_channel(app, &id, fx);
            }
        }
        Command::PrevUnread | Command::NextUnread => {
            let delta = if command == Command::NextUnread {
                1
            } else {
                -1
            };
            let order = app.all_channel_order();
            match app.step_channel(&order, delta, |c| c.unread > 0 || c.mentions > 0) {
                Some(id) => open_channel(app, &id, fx),
                None => app.notify("No unread channels", false, now),
            }
        }
        Command::Team1
        | Command::Team2
        | Command::Team3
        | Command::Team4
        | Command::Team5
        | Command::Team6
        | Command::Team7
        | Command::Team8
        | Command::Team9 => {
            if let Some(team) = command
                .team_index()
                .and_then(|i| app.teams.get(i))
                .map(|t| t.id.clone())
            {
                select_team(app, &team, fx);
            }
        }
        Command::FocusNext | Command::FocusPrev => {
            let order = [Focus::Sidebar, Focus::Timeline, Focus::Composer];
            let i = order.iter().position(|f| *f == app.focus).unwrap_or(2);
            let next = if command == Command::FocusNext {
                (i + 1) % 3
            } else {
                (i + 2) % 3
            };
            set_focus(app, order[next]);
        }
        Command::SelectMode => set_focus(app, Focus::Timeline),
        Command::ScrollUp => {
            if let Some(tl) = current_timeline_mut(app) {
                tl.scroll_up((rows / 2).max(1));
                tl.keep_selection_in_view(rows);
            }
            maybe_load_older(app, fx);
        }
        Command::ScrollDown => {
            if let Some(tl) = current_timeline_mut(app) {
                tl.scroll_down((rows / 2).max(1));
                tl.keep_selection_in_view(rows);
            }
            maybe_reload_latest(app, fx);
        }
        Command::ScrollTop => {
            if let Some(tl) = current_timeline_mut(app) {
                tl.scroll_to_top();
            }
            maybe_load_older(app, fx);
        }
        Command::ScrollBottom => {
            if let Some(tl) = current_timeline_mut(app) {
                tl.scroll_to_bottom();
                if tl.selected.is_some() {
                    let last = tl.len().saturating_sub(1);
                    tl.selected = tl.get_index(last).map(|m| m.id.clone());
                }
            }
            maybe_reload_latest(app, fx);
        }
        Command::RetryFailed => retry_failed(app, fx),
        Command::Reconnect => reconnect_now(app, now, fx),
        Command::Send => {
            send(app, now, fx);
            maybe_reload_latest(app, fx);
        }
        Command::Newline => type_char(app, '\n', now, fx),
        Command::LineUp if app.composer.is_empty() => edit_last(app),
        Command::LineUp | Command::LineDown => edit_composer(app, command, now, fx),
        Command::Cancel => {
            cancel(app);
            maybe_reload_latest(app, fx);
        }
        Command::SidebarUp | Command::SidebarDown => {
            let entries = app.sidebar_entries();
            let up = command == Command::SidebarUp;
            let mut i = app.sidebar_cursor.min(entries.len().saturating_sub(1));
            loop {
                let next = if up { i.checked_sub(1) } else { Some(i + 1) };
                match next.filter(|n| *n < entries.len()) {
                    Some(n) => {
                        i = n;
                        if entries.get(n).is_some_and(SidebarEntry::selectable) {
                            app.sidebar_cursor = n;
                            break;
                        }
                    }
                    None => break,
                }
            }
        }
        Command::SidebarOpen => {
            let entries = app.sidebar_entries();
            match entries.get(app.sidebar_cursor) {
                Some(SidebarEntry::Team(i)) => {
                    if let Some(team) = app.teams.get(*i).map(|t| t.id.clone()) {
                        select_team(app, &team, fx);
                        app.sidebar_cursor = app.sidebar_row_of_current();
                    }
                }
                Some(SidebarEntry::Channel(id) | SidebarEntry::Dm(id)) => {
                    let id = id.clone();
                    open_channel(app, &id, fx);
                    set_focus(app, Focus::Composer);
                }
                _ => {}
            }
        }
        Command::SelectUp | Command::SelectDown => {
            let delta = if command == Command::SelectUp { -1 } else { 1 };
            if let Some(tl) = current_timeline_mut(app) {
                tl.move_selection(delta, rows);
            }
            if delta < 0 {
                maybe_load_older(app, fx);
            }
        }
        Command::Reply => {
            if let Some(m) = selected_message(app)
                && m.delivery == Delivery::Confirmed
            {
                app.composer.reply_to = Some(m.id);
                set_focus(app, Focus::Composer);
            }
        }
        Command::Edit => {
            if let Some(m) = selected_message(app) {
                start_edit(app, &m);
            }
        }
        Command::Delete => {
            if let Some(m) = selected_message(app)
                && m.author_id == app.me.id
            {
                app.popup = Some(Popup::ConfirmDelete {
                    channel: m.channel_id,
                    message_id: m.id,
                });
            }
        }
        Command::React => super::reactions::open_picker(app),
        Command::Reactions => super::reactions::open_reactions(app, now),
        Command::Mute => super::reactions::toggle_mute(app, now, fx),
        Command::Thread => super::structure::start_thread(app, now, fx),
        Command::Pin => super::pins::toggle_pin(app, now, fx),
        Command::Pins => super::pins::open_pins(app, fx),
        Command::Members => super::members::toggle_pane(app, now),
        Command::MembersUp => super::members::scroll_pane(app, false),
        Command::MembersDown => super::members::scroll_pane(app, true),
        Command::Status => super::members::open_status(app),
        Command::Copy => {
            if let Some(m) = selected_message(app) {
                let text = app
                    .sent_text
                    .get(&m.id)
                    .cloned()
                    .unwrap_or_else(|| crate::sanitize::plain_text(&m.content, true));
                fx.push(Effect::Copy(text));
                app.notify("Copied to the clipboard", false, now);
            }
        }
        Command::ExternalEditor => {
            if let Some(channel) = app.current.clone() {
                fx.push(Effect::EditExternally {
                    channel,
                    text: app.composer.text().to_owned(),
                });
            }
        }
        Command::OpenLink => {
            if let Some(m) = selected_message(app) {
                let mut links = crate::app::links::links(&m.content);
                match links.len() {
                    0 => app.notify("No link in this message", false, now),
                    1 => {
                        let url = links.remove(0);
                        super::popups::open_link(app, &url, now, fx);
                    }
                    _ => app.popup = Some(Popup::LinkPicker { links, selected: 0 }),
                }
            }
        }
        Command::LoadImages => {
            if let Some(m) = selected_message(app) {
                super::images::load_asked(app, &m, now, fx);
            }
        }
        Command::RevealSpoilers => {
            if let Some(tl) = current_timeline_mut(app)
                && let Some(id) = tl.selected.clone()
                && !tl.revealed.remove(&id)
            {
                tl.revealed.insert(id);
            }
        }
        // Routed by `keys::run_in` to the text being edited or to the open popup.
        _ => {}
    }
}

/// "Reconnect now": the gateway skips its waits and checks the links that look up; the notice
/// says which of the two the user will see happen.
fn reconnect_now(app: &mut App, now: Instant, fx: &mut Vec<Effect>) {
    let waiting = app.links.values().any(|state| {
        matches!(
            state,
            LinkStatus::Reconnecting { .. } | LinkStatus::Connecting
        )
    });
    let text = if waiting {
        "Reconnecting now…"
    } else {
        "Checking the connection…"
    };
    app.notify(text, false, now);
    fx.push(Effect::ReconnectNow);
}
