//! Pins: `p` pins or unpins the selected message, `Alt-p` lists the channel's pinned
//! messages (fetched from the server, so pins older than the loaded history show too), and
//! Enter jumps to one when its message is loaded.

use std::time::Instant;

use super::View;
use super::channels::{selected_message, set_focus};
use crate::app::command::Command;
use crate::app::model::{ChannelId, Delivery, Message};
use crate::app::msg::Effect;
use crate::app::{App, Focus, Popup};

/// `p` on a selected message: pin it, or unpin it if pinned (the gateway event confirms).
pub(super) fn toggle_pin(app: &mut App, now: Instant, fx: &mut Vec<Effect>) {
    let Some(m) = selected_message(app) else {
        return;
    };
    if m.delivery != Delivery::Confirmed {
        app.notify("Only sent messages can be pinned", true, now);
        return;
    }
    fx.push(Effect::SetPin {
        channel: m.channel_id.clone(),
        message_id: m.id.clone(),
        pin: !m.is_pinned,
    });
    let what = if m.is_pinned { "Unpinning" } else { "Pinning" };
    app.notify(format!("{what} the message…"), false, now);
}

/// `Alt-p`: the open channel's pinned messages, loading.
pub(super) fn open_pins(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(channel) = app.current.clone() else {
        return;
    };
    fx.push(Effect::LoadPins {
        channel: channel.clone(),
    });
    app.popup = Some(Popup::Pins {
        channel,
        messages: None,
        selected: 0,
    });
}

/// The pinned messages arrived: shown if their list is still open.
pub(super) fn on_pins(app: &mut App, channel: &ChannelId, messages: Vec<Message>) -> View {
    match &mut app.popup {
        Some(Popup::Pins {
            channel: open,
            messages: shown,
            selected,
        }) if open == channel => {
            *selected = 0;
            *shown = Some(messages);
            View::Changed
        }
        _ => View::Unchanged,
    }
}

/// A key in the pinned-messages list: move, jump or close.
pub(super) fn pins_command(
    app: &mut App,
    mut popup: Popup,
    command: Command,
    now: Instant,
) -> Option<Popup> {
    let Popup::Pins {
        channel,
        messages,
        selected,
    } = &mut popup
    else {
        return Some(popup);
    };
    let count = messages.as_ref().map_or(0, Vec::len);
    match command {
        Command::PinsClose => return None,
        Command::PinsUp => *selected = selected.saturating_sub(1),
        Command::PinsDown => *selected = (*selected + 1).min(count.saturating_sub(1)),
        Command::PinsOpen => {
            let Some(target) = messages.as_ref().and_then(|m| m.get(*selected)) else {
                return Some(popup);
            };
            let id = target.id.clone();
            let loaded = app.current.as_ref() == Some(channel)
                && app.timeline().is_some_and(|tl| tl.get(&id).is_some());
            if !loaded {
                app.notify(
                    "That pin is older than the loaded history: scroll up to reach it",
                    true,
                    now,
                );
                return Some(popup);
            }
            set_focus(app, Focus::Timeline);
            if let Some(tl) = app.current.clone().and_then(|c| app.timelines.get_mut(&c)) {
                tl.selected = Some(id);
            }
            return None;
        }
        _ => {}
    }
    Some(popup)
}
