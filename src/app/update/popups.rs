//! Keys while a popup is open: help, switcher, delete confirmation, reaction picker.

use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::channels::{open_channel, set_focus};
use super::compose::{delete_message, toggle_reaction};
use crate::app::composer::Edit;
use crate::app::msg::Effect;
use crate::app::{App, Focus, Popup};

/// A key while a popup is open: the popup takes it (only the global Quit gets past).
pub(super) fn popup_key(app: &mut App, key: KeyEvent, now: Instant, fx: &mut Vec<Effect>) {
    let Some(popup) = app.popup.take() else {
        return;
    };
    let code = key.code;
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    app.popup = match popup {
        Popup::Help { scroll } => match code {
            KeyCode::Esc | KeyCode::F(1) | KeyCode::Char('?' | 'q') | KeyCode::Enter => None,
            KeyCode::Up | KeyCode::Char('k') => Some(Popup::Help {
                scroll: scroll.saturating_sub(1),
            }),
            KeyCode::Down | KeyCode::Char('j') => Some(Popup::Help {
                scroll: scroll.saturating_add(1),
            }),
            KeyCode::PageUp => Some(Popup::Help {
                scroll: scroll.saturating_sub(10),
            }),
            KeyCode::PageDown => Some(Popup::Help {
                scroll: scroll.saturating_add(10),
            }),
            _ => Some(Popup::Help { scroll }),
        },
        Popup::Switcher(mut sw) => match code {
            KeyCode::Esc => None,
            KeyCode::Enter => {
                if let Some(id) = sw.results.get(sw.selected).cloned() {
                    app.popup = None;
                    open_channel(app, &id, now, fx);
                    set_focus(app, Focus::Composer);
                    return;
                }
                None
            }
            KeyCode::Up | KeyCode::BackTab => {
                sw.selected = sw.selected.saturating_sub(1);
                Some(Popup::Switcher(sw))
            }
            KeyCode::Char('p') if ctrl => {
                sw.selected = sw.selected.saturating_sub(1);
                Some(Popup::Switcher(sw))
            }
            KeyCode::Down | KeyCode::Tab => {
                sw.selected = (sw.selected + 1).min(sw.results.len().saturating_sub(1));
                Some(Popup::Switcher(sw))
            }
            KeyCode::Char('n') if ctrl => {
                sw.selected = (sw.selected + 1).min(sw.results.len().saturating_sub(1));
                Some(Popup::Switcher(sw))
            }
            _ => {
                // The query is one line: Enter opens, so no newline can get in.
                if sw.query.handle_key(key) == Edit::Changed {
                    sw.selected = 0;
                    app.refresh_switcher(&mut sw);
                }
                Some(Popup::Switcher(sw))
            }
        },
        Popup::ConfirmDelete {
            channel,
            message_id,
        } => match code {
            KeyCode::Char('y' | 'Y') | KeyCode::Enter => {
                delete_message(app, &channel, &message_id, fx);
                None
            }
            KeyCode::Char('n' | 'N') | KeyCode::Esc => None,
            _ => Some(Popup::ConfirmDelete {
                channel,
                message_id,
            }),
        },
        Popup::ReactionPicker {
            channel,
            message_id,
            choices,
            mut selected,
        } => {
            let n = choices.len();
            match code {
                KeyCode::Esc => None,
                KeyCode::Left | KeyCode::Up | KeyCode::Char('h' | 'k') => {
                    selected = selected.saturating_sub(1);
                    Some(Popup::ReactionPicker {
                        channel,
                        message_id,
                        choices,
                        selected,
                    })
                }
                KeyCode::Right | KeyCode::Down | KeyCode::Char('l' | 'j') => {
                    selected = (selected + 1).min(n.saturating_sub(1));
                    Some(Popup::ReactionPicker {
                        channel,
                        message_id,
                        choices,
                        selected,
                    })
                }
                KeyCode::Enter | KeyCode::Char('1'..='9') => {
                    let pick = match code {
                        KeyCode::Char(c) => c.to_digit(10).map_or(0, |d| d as usize - 1),
                        _ => selected,
                    };
                    if let Some((emoji, name)) = choices.get(pick) {
                        toggle_reaction(app, &channel, &message_id, *emoji, name, fx);
                    }
                    None
                }
                _ => Some(Popup::ReactionPicker {
                    channel,
                    message_id,
                    choices,
                    selected,
                }),
            }
        }
    };
}
